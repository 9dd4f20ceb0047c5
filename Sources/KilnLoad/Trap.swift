import CKilnHost
import KilnModel

/// Guest code trapped: the spec's message ("integer divide by zero") and the code; or a Wasm exception no
/// handler caught reached the host (`kind` "uncaught wasm exception"), with its tag and payload in `exception`.
public struct Trap: KilnError, Equatable {
    public let code: Int32
    public let message: String
    /// The uncaught exception, when that is what ended the call.
    public let exception: WasmException?
    /// The Wasm frames the trap happened in, innermost first (at most KILN_TRAP_FRAMES; functions clang
    /// inlined into their caller show as the caller); for an uncaught exception, where it was thrown. Empty
    /// for an exit.
    public let backtrace: [TrapFrame]
    /// The error a host function threw, when that is what trapped (`TrapKind.host`).
    public let hostError: (any Error)?

    /// Traps are equal when they are the same fault; where the frames were is left out.
    public static func == (a: Trap, b: Trap) -> Bool { a.code == b.code && a.message == b.message && a.exception == b.exception }

    /// What trapped, as a value to switch on.
    public var trapKind: TrapKind { TrapKind(code: code) }
    public var kind: String { code == Int32(KILN_TRAP_EXCEPTION.rawValue) ? "uncaught wasm exception" : "wasm trap" }
    public var reason: String { message }
    public var location: ErrorLocation { ErrorLocation() }

    init(code: Int32, message: String? = nil, exception: WasmException? = nil, hostError: (any Error)? = nil, backtrace: [TrapFrame] = []) {
        self.code = code
        self.message = message ?? String(cString: kiln_trap_message(code))
        self.exception = exception
        self.hostError = hostError
        self.backtrace = backtrace
    }

    /// The failure of a call into `ctx`'s guest code, entered through `instance`: an uncaught exception says
    /// which tag (as `instance` knows it) and what it carries, and is freed (nothing in the guest refers to it
    /// unless it was kept).
    init(code: Int32, ctx: UnsafeMutablePointer<kiln_ctx>, instance: UnsafeMutablePointer<kiln_instance>?) {
        guard code == Int32(KILN_TRAP_EXCEPTION.rawValue), let raw = ctx.pointee.exception else {
            self.init(code: code, backtrace: TrapFrame.frames(ctx))
            return
        }
        let backtrace = TrapFrame.frames(ctx)
        var buffer = [CChar](repeating: 0, count: 256)
        kiln_exception_tag_name(instance, raw, &buffer, buffer.count)
        let tagName = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        kiln_exception_format(raw, &buffer, buffer.count)
        let payloadText = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let types = raw.pointee.tag?.pointee.type.map { Array(String(cString: $0.pointee.params)) } ?? []
        let values = kiln_exception_payload(raw)!
        let payload = types.enumerated().map { Value(values[$0.offset], type: $0.element) }
        let exception = WasmException(tag: raw.pointee.tag.map { UnsafeMutablePointer(mutating: $0) }, payload: payload, tagName: tagName)
        kiln_exception_done(ctx, raw)
        ctx.pointee.exception = nil
        self.init(code: code, message: "\(tagName), payload \(payloadText)", exception: exception, backtrace: backtrace)
    }
}

/// A Wasm exception on the host side: its tag (whose address is its identity; an instance exports it as
/// `ExternalValue.tag`) and payload. A host function throws one to raise it in the guest that called it; a
/// `Trap` carries one that no handler caught.
public struct WasmException: Error, Equatable, @unchecked Sendable {
    public let tag: UnsafeMutablePointer<kiln_tag>?
    public let payload: [Value]
    /// How the instance the call entered names the tag: `tag 1 (export "e")`.
    public let tagName: String

    public init(tag: UnsafeMutablePointer<kiln_tag>, payload: [Value]) {
        self.init(tag: tag, payload: payload, tagName: "")
    }

    init(tag: UnsafeMutablePointer<kiln_tag>?, payload: [Value], tagName: String) {
        self.tag = tag
        self.payload = payload
        self.tagName = tagName
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

/// The kinds of trap, after the spec's messages; `exit` and `exception` end a call without being faults.
public enum TrapKind: Hashable, Sendable {
    case unreachable, memoryOutOfBounds, tableOutOfBounds, integerDivideByZero, integerOverflow, invalidConversion
    case undefinedElement, uninitializedElement, indirectCallTypeMismatch, callStackExhausted, outOfMemory
    case nullReference, nullFunctionReference, nullExceptionReference, unalignedAtomic, expectedSharedMemory
    /// Fuel ran out (`--fuel`, `Store.fuel`), or the epoch deadline passed.
    case outOfFuel, interrupted
    /// A host function threw (`Trap.hostError`) or returned results of the wrong type.
    case host
    /// WASI `proc_exit`: the status is `Store.exitCode`.
    case exit
    /// A Wasm exception no handler caught (`Trap.exception`).
    case exception
    case other(Int32)

    init(code: Int32) {
        switch code {
        case Int32(KILN_TRAP_UNREACHABLE.rawValue): self = .unreachable
        case Int32(KILN_TRAP_MEMORY_OUT_OF_BOUNDS.rawValue): self = .memoryOutOfBounds
        case Int32(KILN_TRAP_TABLE_OUT_OF_BOUNDS.rawValue): self = .tableOutOfBounds
        case Int32(KILN_TRAP_INTEGER_DIVIDE_BY_ZERO.rawValue): self = .integerDivideByZero
        case Int32(KILN_TRAP_INTEGER_OVERFLOW.rawValue): self = .integerOverflow
        case Int32(KILN_TRAP_INVALID_CONVERSION.rawValue): self = .invalidConversion
        case Int32(KILN_TRAP_UNDEFINED_ELEMENT.rawValue): self = .undefinedElement
        case Int32(KILN_TRAP_UNINITIALIZED_ELEMENT.rawValue): self = .uninitializedElement
        case Int32(KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH.rawValue): self = .indirectCallTypeMismatch
        case Int32(KILN_TRAP_CALL_STACK_EXHAUSTED.rawValue): self = .callStackExhausted
        case Int32(KILN_TRAP_OUT_OF_MEMORY.rawValue): self = .outOfMemory
        case Int32(KILN_TRAP_NULL_REFERENCE.rawValue): self = .nullReference
        case Int32(KILN_TRAP_NULL_FUNCTION_REFERENCE.rawValue): self = .nullFunctionReference
        case Int32(KILN_TRAP_NULL_EXCEPTION_REFERENCE.rawValue): self = .nullExceptionReference
        case Int32(KILN_TRAP_UNALIGNED_ATOMIC.rawValue): self = .unalignedAtomic
        case Int32(KILN_TRAP_EXPECTED_SHARED_MEMORY.rawValue): self = .expectedSharedMemory
        case Int32(KILN_TRAP_OUT_OF_FUEL.rawValue): self = .outOfFuel
        case Int32(KILN_TRAP_INTERRUPT.rawValue): self = .interrupted
        case Int32(KILN_TRAP_HOST.rawValue): self = .host
        case Int32(KILN_TRAP_EXIT.rawValue): self = .exit
        case Int32(KILN_TRAP_EXCEPTION.rawValue): self = .exception
        default: self = .other(code)
        }
    }
}

/// A call named a function that is not there, or gave it arguments it does not take: the caller's mistake,
/// found before any guest code runs.
public struct CallError: KilnError, Equatable {
    public let reason: String
    public var kind: String { "cannot call function" }
    public var location: ErrorLocation { ErrorLocation() }
    public init(reason: String) { self.reason = reason }
}
