import CKilnHost

/// A function the host implements, imported by guest modules. The importing module's generated adapter
/// for the import's type packs the arguments into `kiln_value`s and calls `kiln_host_func.call`.
public final class HostFunction: @unchecked Sendable {
    public let params: String
    public let results: String
    let body: ([Value]) -> [Value]

    public init(params: String, results: String, _ body: @escaping ([Value]) -> [Value]) {
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
    let out = function.body(values)
    for (i, value) in out.prefix(function.results.count).enumerated() {
        results![i] = value.raw()
    }
}
