import CKilnHost

/// A function the host implements, imported by guest modules. The importing module's generated adapter
/// for the import's type packs the arguments into `kiln_value`s and calls `kiln_host_func.call`. A body
/// that throws a `WasmException` raises it in the guest at the call, where the guest's handlers can catch it.
public final class HostFunction: @unchecked Sendable {
    public let params: String
    public let results: String
    let body: ([Value]) throws(WasmException) -> [Value]

    public init(params: String, results: String, _ body: @escaping ([Value]) throws(WasmException) -> [Value]) {
        self.params = params
        self.results = results
        self.body = body
    }
}

/// The C entry point every host function shares; `userdata` is the retained `HostFunction`.
let hostFunctionEntry: @convention(c) (UnsafeMutablePointer<kiln_host_func>?, UnsafePointer<kiln_value>?, UnsafeMutablePointer<kiln_value>?) -> Void = { record, args, results in
    guard let record, let box = record.pointee.userdata else { return }
    let function = Unmanaged<HostFunction>.fromOpaque(box).takeUnretainedValue()
    var values: [Value] = []
    for (i, type) in function.params.enumerated() {
        values.append(Value(args![i], type: type))
    }
    let out: [Value]
    do throws(WasmException) {
        out = try function.body(values)
    } catch {
        // Thrown by the adapter once this returns: a longjmp must not cross Swift frames. The payload takes
        // the tag's types; values missing or of another type are zero.
        guard let ctx = record.pointee.ctx, let tag = error.tag else { return }
        let types = tag.pointee.type.map { Array(String(cString: $0.pointee.params)) } ?? []
        guard let exception = kiln_exception_alloc(tag, UInt32(types.count)) else { return }
        let slots = kiln_exception_payload(exception)!
        for (i, type) in types.enumerated() {
            let value = i < error.payload.count && error.payload[i].typeCharacter == type ? error.payload[i] : Value(kiln_value(), type: type)
            slots[i] = value.raw()
        }
        ctx.pointee.host_exception = exception
        return
    }
    for (i, value) in out.prefix(function.results.count).enumerated() {
        results![i] = value.raw()
    }
}
