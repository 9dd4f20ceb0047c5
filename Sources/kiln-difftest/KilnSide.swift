import CKilnHost
import Foundation
import Kiln
import KilnBuild
import KilnLoad
import KilnLower
import KilnValidate

/// One Kiln configuration a module runs under: its C optimization level, bounds mode and interruption checks.
struct Configuration: Sendable {
    let name: String
    let optimization: Int
    let boundsGuard: Bool
    var interruption = Interruption.none

    /// The ones a run uses unless --configs names others.
    static let standard: [Configuration] = [
        .init(name: "O0", optimization: 0, boundsGuard: false),
        .init(name: "O2", optimization: 2, boundsGuard: false),
        .init(name: "O2-guard", optimization: 2, boundsGuard: true),
    ]

    /// Also: fuel and epoch checks compiled in with no budget and no deadline, which must change nothing a
    /// module does (the checks and the fuel paid up front by versioned loops are invisible to it).
    static let all = standard + [.init(name: "O2-interrupt", optimization: 2, boundsGuard: false, interruption: Interruption(fuel: true, epochs: true))]
}

/// A module compiled by Kiln under one configuration, instantiated in a store of its own.
final class KilnSide {
    let configuration: Configuration
    let instance: Instance
    let log: LogBox
    let names: ExportEverything.Result

    /// Builds and instantiates; a trap in instantiation comes back as `Instantiation.trapped`.
    static func instantiate(
        _ validated: ValidatedModule, names: ExportEverything.Result, configuration: Configuration, plan: BuildPlan, scratch: String
    ) throws -> Instantiation<KilnSide> {
        let directory = scratch + "/\(configuration.name)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try Kiln.buildSharedObject(validated, name: "difftest", plan: plan, directory: directory)
        // dlopen keeps the code mapped after the file is deleted.
        let artifact = try SharedObject(path: path)
        let store = Store()
        let log = LogBox()
        do {
            let instance = try Linker.instantiate(artifact, in: store) { module, name in
                guard module == FuzzingSupport.module, let entry = FuzzingSupport.logs.first(where: { $0.name == name }) else { return nil }
                return .hostFunction(HostFunction(params: entry.signature, results: "") { args in
                    log.values += args.map(Val.init)
                    return []
                })
            }
            return .ready(KilnSide(configuration: configuration, store: store, instance: instance, log: log, names: names))
        } catch let trap as Trap {
            return .trapped(TrapClass(message: trap.kind + ": " + trap.message))
        }
    }

    private init(configuration: Configuration, store: Store, instance: Instance, log: LogBox, names: ExportEverything.Result) {
        self.configuration = configuration
        self.instance = instance
        self.log = log
        self.names = names
        // The store must outlive the instance; keep it here (Instance holds it unowned).
        self.storeHolder = store
    }
    private let storeHolder: Store

    /// The module offset of the instruction the last call trapped at, when the line table tells.
    private(set) var lastTrapOffset: Int?

    func call(_ export: String, _ arguments: [Val]) -> Outcome {
        let types = instance.parameterTypes(export) ?? []
        let values = zip(arguments, types).map { Self.kilnValue($0, type: $1) }
        lastTrapOffset = nil
        do {
            return .values(try instance.invoke(export, values).map(Val.init))
        } catch let trap as Trap {
            lastTrapOffset = trap.backtrace.first?.codeOffset
            return .trap(TrapClass(message: trap.kind + ": " + trap.message))
        } catch {
            return .trap(.other)
        }
    }

    func withMemory<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let name = names.memory, case .memory(let memory) = instance.export(name) else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: memory.pointee.data, count: Int(memory.pointee.size)))
    }

    var globals: [Val] { names.globals.map { instance.global($0).map(Val.init) ?? .ref(isNull: true) } }

    /// Makes this instance's memory and globals the reference's, after a divergence the comparison
    /// allows, so that later calls are compared from the same state. Returns false when the memory
    /// sizes differ (then the state cannot be copied).
    func overwrite(memory: UnsafeRawBufferPointer, globals: [Val]) -> Bool {
        if let name = names.memory, case .memory(let own) = instance.export(name) {
            guard Int(own.pointee.size) == memory.count else { return false }
            if let base = memory.baseAddress, memory.count > 0 { own.pointee.data.update(from: base.assumingMemoryBound(to: UInt8.self), count: memory.count) }
        }
        for (name, value) in zip(names.globals, globals) {
            guard case .global(let global) = instance.export(name) else { continue }
            switch value {
            case .i32(let v): global.pointee.value.i32 = v
            case .i64(let v): global.pointee.value.i64 = v
            case .f32(let v): global.pointee.value.f32 = Float(bitPattern: v)
            case .f64(let v): global.pointee.value.f64 = Double(bitPattern: v)
            case .v128(let bytes):
                withUnsafeMutableBytes(of: &global.pointee.value) { buffer in
                    for (i, b) in bytes.prefix(16).enumerated() { buffer[i] = b }
                }
            case .ref: break  // pointers of one engine mean nothing to the other
            }
        }
        return true
    }

    static func kilnValue(_ value: Val, type: Character) -> Value {
        switch value {
        case .i32(let v): .i32(v)
        case .i64(let v): .i64(v)
        case .f32(let v): .f32(Float(bitPattern: v))
        case .f64(let v): .f64(Double(bitPattern: v))
        case .v128(let b): .v128(b)
        case .ref: type == "r" ? .funcref(nil) : .externref(nil)
        }
    }
}

/// An instance, or the trap its instantiation ended in (a data segment out of bounds, say).
enum Instantiation<Side> {
    case ready(Side)
    case trapped(TrapClass)
}

extension Val {
    init(_ value: Value) {
        switch value {
        case .i32(let v): self = .i32(v)
        case .i64(let v): self = .i64(v)
        case .f32(let v): self = .f32(v.bitPattern)
        case .f64(let v): self = .f64(v.bitPattern)
        case .v128(let b): self = .v128(b)
        case .funcref(let p), .externref(let p): self = .ref(isNull: p == nil)
        }
    }
}
