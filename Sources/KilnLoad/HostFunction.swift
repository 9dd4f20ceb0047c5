import CKilnHost

/// A function the host implements, imported by guest modules: a Swift closure of any Wasm function type. The
/// importing module's generated adapter for the import's type packs the arguments into `kiln_value`s and calls
/// `kiln_host_func.call`, which calls the closure with a `Caller` and the arguments as `Value`s.
///
/// What the closure does decides what the guest sees:
/// - it returns results of the declared type: the call returns them;
/// - it returns the wrong number or type of results: the guest traps ("host function ... returned ...");
/// - it throws a `WasmException`: the exception is raised in the guest at the call, where the guest's
///   handlers can catch it;
/// - it throws any other error: the guest traps, and the call into the guest that led here throws a `Trap`
///   carrying that error (`Trap.hostError`). A `Trap` thrown from a nested call into the guest, rethrown,
///   arrives unchanged at the outermost call.
public final class HostFunction: @unchecked Sendable {
    public let type: FunctionType
    let params: String
    let results: String
    let body: Body

    /// Dynamic: `Value`s in and out, results checked. Raw: the arguments and results as the adapter passes
    /// them, for typed functions whose Swift types already are the declared ones (no array per call).
    enum Body {
        case dynamic((Caller, [Value]) throws -> [Value])
        case raw((Caller, UnsafePointer<kiln_value>, UnsafeMutablePointer<kiln_value>) throws -> Void)
    }

    public init(_ type: FunctionType, _ body: @escaping (Caller, [Value]) throws -> [Value]) {
        self.type = type
        params = type.params
        results = type.resultSignature
        self.body = .dynamic(body)
    }

    @usableFromInline
    init(_ type: FunctionType, raw body: @escaping (Caller, UnsafePointer<kiln_value>, UnsafeMutablePointer<kiln_value>) throws -> Void) {
        self.type = type
        params = type.params
        results = type.resultSignature
        self.body = .raw(body)
    }

    /// A function of signature strings (`"ij"`, `"d"`), as the spectest host and tests spell them.
    public convenience init(params: String, results: String, _ body: @escaping ([Value]) throws(WasmException) -> [Value]) {
        self.init(FunctionType(params: params, results: results)) { _, arguments in try body(arguments) }
    }
}

/// What one import of a host function is bound to: the function and the instance that imports it (the
/// caller the function is given). Retained by the `kiln_host_func` record the store owns.
/// The store owns the record, so the binding refers to it, and to the instance (which the store frees), without
/// keeping either alive.
final class HostBinding {
    let function: HostFunction
    unowned let store: Store
    let artifact: SharedObject
    let instance: UnsafeMutablePointer<kiln_instance>

    init(function: HostFunction, store: Store, artifact: SharedObject, instance: UnsafeMutablePointer<kiln_instance>) {
        self.function = function
        self.store = store
        self.artifact = artifact
        self.instance = instance
    }
}

/// The C entry point every host function shares; `userdata` is the retained `HostBinding`.
let hostFunctionEntry: @convention(c) (UnsafeMutablePointer<kiln_host_func>?, UnsafePointer<kiln_value>?, UnsafeMutablePointer<kiln_value>?) -> Void = { record, args, results in
    guard let record, let box = record.pointee.userdata, let ctx = record.pointee.ctx else { return }
    let binding = Unmanaged<HostBinding>.fromOpaque(box).takeUnretainedValue()
    let function = binding.function
    let caller = Caller(store: binding.store, artifact: binding.artifact, pointer: binding.instance)
    do {
        switch function.body {
        case .raw(let body):
            try body(caller, args!, results!)
        case .dynamic(let body):
            var values: [Value] = []
            values.reserveCapacity(function.params.count)
            for (i, type) in function.params.enumerated() {
                values.append(Value(args![i], type: type))
            }
            let out = try body(caller, values)
            guard out.count == function.results.count, zip(out, function.results).allSatisfy({ $0.typeCharacter == $1 }) else {
                binding.store.fail(HostResultError(type: function.type, returned: out))
                return
            }
            for (i, value) in out.enumerated() {
                results![i] = value.raw()
            }
        }
    } catch let exception as WasmException {
        raise(exception, ctx: ctx)
    } catch {
        binding.store.fail(error)
    }
}

/// Leaves `error` for the adapter to throw once the host function has returned: a longjmp must not cross
/// Swift frames. The payload takes the tag's types; values missing or of another type are zero.
private func raise(_ error: WasmException, ctx: UnsafeMutablePointer<kiln_ctx>) {
    guard let tag = error.tag else { return }
    let types = tag.pointee.type.map { Array(String(cString: $0.pointee.params)) } ?? []
    guard let exception = kiln_exception_alloc(tag, UInt32(types.count)) else { return }
    let slots = kiln_exception_payload(exception)!
    for (i, type) in types.enumerated() {
        let value = i < error.payload.count && error.payload[i].typeCharacter == type ? error.payload[i] : Value(kiln_value(), type: type)
        slots[i] = value.raw()
    }
    ctx.pointee.host_exception = exception
}

/// A host function returned results that are not of its declared type: the guest traps rather than read them.
public struct HostResultError: Error, CustomStringConvertible {
    public let type: FunctionType
    public let returned: [Value]
    public var description: String {
        let given = returned.map { $0.type.description }.joined(separator: " ")
        return "a host function of type \(type) returned [\(given)]"
    }
}

/// What a host function is given besides its arguments: the store it runs in (and the host data kept there)
/// and the instance that imported it, whose exports (its memory, say) it may use.
public struct Caller {
    public let store: Store
    let artifact: SharedObject
    let pointer: UnsafeMutablePointer<kiln_instance>

    /// The importing instance (already during its instantiation: a start function's calls have it).
    public var instance: Instance { Instance(artifact: artifact, pointer: pointer, store: store) }

    /// The importing instance's exported memory called `name` ("memory", as WASI and most toolchains name it).
    public func memory(_ name: String = "memory") -> Memory? { instance.memory(name) }

    /// The store's host data, as `type`.
    public func data<T>(as type: T.Type = T.self) -> T? { store.data as? T }
}
