import CKilnHost
import KilnModel

/// Guest code trapped: the spec's message ("integer divide by zero") and the code.
public struct Trap: KilnError, Equatable {
    public let code: Int32
    public let message: String
    public var kind: String { code == Int32(KILN_TRAP_EXCEPTION.rawValue) ? "uncaught wasm exception" : "wasm trap" }
    public var reason: String { message }
    public var location: ErrorLocation { ErrorLocation() }

    init(code: Int32, message: String? = nil) {
        self.code = code
        self.message = message ?? String(cString: kiln_trap_message(code))
    }

    /// The failure of a call into `ctx`'s guest code: an uncaught exception says what it carries (and is
    /// freed: nothing in the guest refers to it unless it was kept).
    init(code: Int32, ctx: UnsafeMutablePointer<kiln_ctx>) {
        guard code == Int32(KILN_TRAP_EXCEPTION.rawValue), let exception = ctx.pointee.exception else {
            self.init(code: code)
            return
        }
        var buffer = [CChar](repeating: 0, count: 256)
        kiln_exception_format(exception, &buffer, buffer.count)
        kiln_exception_done(ctx, exception)
        ctx.pointee.exception = nil
        self.init(code: code, message: "payload " + String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}

/// Linking failed: an import that is missing or has the wrong type.
public struct LinkError: KilnError, Equatable {
    public let reason: String
    public var kind: String { "cannot link module" }
    public var location: ErrorLocation { ErrorLocation() }

    static func unknownImport(_ module: String, _ name: String, expected: String) -> LinkError {
        LinkError(reason: "unknown import: \"\(module)\" \"\(name)\" (expected \(expected))")
    }

    static func incompatible(_ module: String, _ name: String, expected: String, found: String) -> LinkError {
        LinkError(reason: "incompatible import type: \"\(module)\" \"\(name)\": expected \(expected), found \(found)")
    }
}

/// Instantiation stopped short of any guest code's fault: a memory's minimum above the store's page limit, or
/// the OS refusing to reserve a memory (`KILN_TRAP_INSTANTIATION`; the runtime's message says how much was
/// asked and which option lowers it).
public struct InstantiationError: KilnError, Equatable {
    public let reason: String
    public var kind: String { "cannot instantiate module" }
    public var location: ErrorLocation { ErrorLocation() }
    public init(reason: String) { self.reason = reason }
}

/// The artifact cannot be loaded: missing file, missing descriptor, another ABI.
public struct LoadError: KilnError, Equatable {
    public let reason: String
    public var kind: String { "cannot load artifact" }
    public var location: ErrorLocation { ErrorLocation() }
    public init(reason: String) { self.reason = reason }
}

extension Trap {
    /// WASI proc_exit unwinding, not a failure: the status is `Store.exitCode`.
    public var isExit: Bool { code == Int32(KILN_TRAP_EXIT.rawValue) }
    /// A Wasm exception that no handler caught (exception handling), not a trap.
    public var isException: Bool { code == Int32(KILN_TRAP_EXCEPTION.rawValue) }
}
