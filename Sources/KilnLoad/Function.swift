import CKilnHost

/// An exported function of an instance, looked up once (`Instance.exportedFunction`) and called any number of
/// times. It keeps its instance's store alive.
public struct Function: @unchecked Sendable {
    let instance: Instance
    let funcref: UnsafeMutablePointer<kiln_funcref>
    let trampoline: kiln_trampoline
    /// The export's name, for messages.
    public let name: String
    public let type: FunctionType

    init(instance: Instance, name: String, funcref: UnsafeMutablePointer<kiln_funcref>, trampoline: kiln_trampoline, type: FunctionType) {
        self.instance = instance
        self.name = name
        self.funcref = funcref
        self.trampoline = trampoline
        self.type = type
    }

    /// Calls the function with arguments of its parameter types (`CallError` otherwise).
    public func callAsFunction(_ arguments: Value...) throws -> [Value] { try call(arguments) }

    public func call(_ arguments: [Value]) throws -> [Value] {
        guard arguments.count == type.parameters.count, zip(arguments, type.parameters).allSatisfy({ $0.type == $1 }) else {
            let given = arguments.map { "(\($0.type) \($0.description.split(separator: ":", maxSplits: 1).last ?? ""))" }
            throw CallError(reason: "\"\(name)\" is \(type), called with [\(given.joined(separator: " "))]")
        }
        let args = arguments.map { $0.raw() }
        var out = [kiln_value](repeating: kiln_value(), count: max(1, type.results.count))
        try args.withUnsafeBufferPointer { a in
            try out.withUnsafeMutableBufferPointer { r in try invokeRaw(a.baseAddress, r.baseAddress) }
        }
        return type.results.enumerated().map { Value(out[$0.offset], type: $0.element.character) }
    }

    /// Calls through raw buffers: `arguments` holds the parameters, `results` room for the results.
    @usableFromInline
    func invokeRaw(_ arguments: UnsafePointer<kiln_value>?, _ results: UnsafeMutablePointer<kiln_value>?) throws {
        let store = instance.store
        let code = kiln_invoke(store.ctx, trampoline, funcref, arguments, results)
        if code != 0 { throw store.failure(code: code, instance: instance.pointer) }
    }
}

/// A Swift type that is a Wasm number type: what typed functions take and return.
public protocol WasmValue {
    static var valueType: ValueType { get }
    init(kilnValue: kiln_value)
    var kilnValue: kiln_value { get }
}

extension Int32: WasmValue {
    public static var valueType: ValueType { .i32 }
    public init(kilnValue: kiln_value) { self = Int32(bitPattern: kilnValue.i32) }
    public var kilnValue: kiln_value { var v = kiln_value(); v.i32 = UInt32(bitPattern: self); return v }
}

extension UInt32: WasmValue {
    public static var valueType: ValueType { .i32 }
    public init(kilnValue: kiln_value) { self = kilnValue.i32 }
    public var kilnValue: kiln_value { var v = kiln_value(); v.i32 = self; return v }
}

extension Int64: WasmValue {
    public static var valueType: ValueType { .i64 }
    public init(kilnValue: kiln_value) { self = Int64(bitPattern: kilnValue.i64) }
    public var kilnValue: kiln_value { var v = kiln_value(); v.i64 = UInt64(bitPattern: self); return v }
}

extension UInt64: WasmValue {
    public static var valueType: ValueType { .i64 }
    public init(kilnValue: kiln_value) { self = kilnValue.i64 }
    public var kilnValue: kiln_value { var v = kiln_value(); v.i64 = self; return v }
}

extension Float: WasmValue {
    public static var valueType: ValueType { .f32 }
    public init(kilnValue: kiln_value) { self = kilnValue.f32 }
    public var kilnValue: kiln_value { var v = kiln_value(); v.f32 = self; return v }
}

extension Double: WasmValue {
    public static var valueType: ValueType { .f64 }
    public init(kilnValue: kiln_value) { self = kilnValue.f64 }
    public var kilnValue: kiln_value { var v = kiln_value(); v.f64 = self; return v }
}

extension WasmValue {
    /// As a dynamic `Value`.
    public var value: Value { Value(kilnValue, type: Self.valueType.character) }
}
