import CKilnHost
import Foundation

/// The context guest code runs in: the trap target, the stack limit and the memory cap (`kiln_ctx`).
/// Instances that call each other must share a store. A store is used from one thread at a time.
public final class Store: @unchecked Sendable {
    let ctx: UnsafeMutablePointer<kiln_ctx>
    /// Host functions, memories, tables and globals the store owns; freed with it.
    var hostFunctions: [UnsafeMutablePointer<kiln_host_func>] = []
    var hostObjects: [HostObject] = []
    /// The instances made in the store, freed with it (an `Instance` keeps its store alive, so none is in use
    /// then).
    var instances: [(artifact: SharedObject, pointer: UnsafeMutablePointer<kiln_instance>)] = []
    var wasi: OpaquePointer?
    /// The epoch the store's deadline is measured in (StoreInterruption.swift); kept alive with the store.
    public let epoch: Epoch
    var epochCallbackBox: EpochCallbackBox?
    /// The instances the store may hold (StoreLimits.swift); nil for no limit.
    public var maxInstances: Int?
    /// The host's own data, which host functions reach through `Caller.data(as:)`.
    public var data: Any?
    /// The error of the host function that failed, until the call into the guest that led to it returns.
    var hostError: (any Error)?

    public init(maxMemoryPages: UInt64 = 65536, epoch: Epoch = .shared) {
        ctx = .allocate(capacity: 1)
        kiln_ctx_init(ctx)
        ctx.pointee.max_memory_pages = maxMemoryPages
        self.epoch = epoch
        ctx.pointee.epoch = UnsafePointer(epoch.counter)
    }

    deinit {
        // wasi-threads: threads the guest spawned run in instances of this store's artifacts, on its memories,
        // WASI state and epoch. A program normally joins them before _start returns; give the last ones a moment
        // to leave guest code, and if some still run (blocked forever, say), leak all of it rather than free it
        // under them.
        if let wasi, !Self.threadsEnded(wasi) {
            for instance in instances { _ = Unmanaged.passRetained(instance.artifact) }
            _ = Unmanaged.passRetained(epoch)
            return
        }
        for instance in instances { instance.artifact.module.free(instance.pointer) }
        for function in hostFunctions {
            if let box = function.pointee.userdata { Unmanaged<HostBinding>.fromOpaque(box).release() }
            function.deallocate()
        }
        for object in hostObjects { object.free() }
        if let wasi { kiln_wasi_free(wasi) }
        kiln_ctx_release_exceptions(ctx)
        ctx.deallocate()
    }
}

/// Memories, tables and globals the host creates (the spectest module's, for instance).
enum HostObject {
    case memory(UnsafeMutablePointer<kiln_memory>)
    case table(UnsafeMutablePointer<kiln_table>)
    case global(UnsafeMutablePointer<kiln_global>)

    func free() {
        switch self {
        case .memory(let m):
            kiln_memory_free(m)
            m.deallocate()
        case .table(let t):
            kiln_table_free(t)
            t.deallocate()
        case .global(let g):
            g.deallocate()
        }
    }
}

extension Store {
    /// A host function failed with `error`: the adapter that called it traps once it has returned, and the
    /// trap carries the error (`failure(code:instance:)`).
    func fail(_ error: any Error) {
        hostError = error
        ctx.pointee.host_trap = 1
    }

    /// The `Trap` a call into guest code entered through `instance` ended in: the host function's error when
    /// that is what trapped (a `Trap` it rethrew, unchanged), else the guest's own.
    func failure(code: Int32, instance: UnsafeMutablePointer<kiln_instance>?) -> Trap {
        if code == Int32(KILN_TRAP_HOST.rawValue), let error = hostError {
            hostError = nil
            if let trap = error as? Trap { return trap }
            return Trap(code: code, message: "host function failed: \(error)", hostError: error, backtrace: TrapFrame.frames(ctx))
        }
        hostError = nil
        return Trap(code: code, ctx: ctx, instance: instance)
    }

    /// Whether every thread spawned through `wasi` has ended, waiting up to 2 s for them.
    static func threadsEnded(_ wasi: OpaquePointer) -> Bool {
        for _ in 0..<2000 {
            if kiln_wasi_live_threads(wasi) == 0 { return true }
            usleep(1000)
        }
        return false
    }
}
