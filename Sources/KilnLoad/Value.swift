import CKilnHost

/// A Wasm value on the host side. Floats are Swift's `Float` and `Double`, whose bits pass through unchanged
/// (a NaN's payload and sign survive); two values are equal when their bits are, so a NaN equals itself and
/// 0.0 is not -0.0. References are the runtime's pointers: a funcref points at a `kiln_funcref`, an externref
/// is whatever the host put there.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    case f32(Float)
    case f64(Double)
    case v128([UInt8])
    case funcref(UInt?)
    case externref(UInt?)

    public var description: String {
        switch self {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): "f32:\(v) (0x\(String(v.bitPattern, radix: 16)))"
        case .f64(let v): "f64:\(v) (0x\(String(v.bitPattern, radix: 16)))"
        case .v128(let bytes): "v128:\(bytes.map { String($0, radix: 16) }.joined(separator: " "))"
        case .funcref(let p): p.map { "funcref:0x\(String($0, radix: 16))" } ?? "funcref:null"
        case .externref(let p): p.map { "externref:\($0)" } ?? "externref:null"
        }
    }

    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.i32(let x), .i32(let y)): x == y
        case (.i64(let x), .i64(let y)): x == y
        case (.f32(let x), .f32(let y)): x.bitPattern == y.bitPattern
        case (.f64(let x), .f64(let y)): x.bitPattern == y.bitPattern
        case (.v128(let x), .v128(let y)): x == y
        case (.funcref(let x), .funcref(let y)), (.externref(let x), .externref(let y)): x == y
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(typeCharacter)
        switch self {
        case .i32(let v): hasher.combine(v)
        case .i64(let v): hasher.combine(v)
        case .f32(let v): hasher.combine(v.bitPattern)
        case .f64(let v): hasher.combine(v.bitPattern)
        case .v128(let bytes): hasher.combine(bytes)
        case .funcref(let p), .externref(let p): hasher.combine(p)
        }
    }

    /// The value's type.
    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .v128
        case .funcref: .funcref
        case .externref: .externref
        }
    }

    /// The signature character of the value's type (`i`, `j`, `f`, `d`, `v`, `r`, `e`).
    public var typeCharacter: Character { type.character }

    /// The i32 as a signed integer, or nil for a value of another type.
    public var int32: Int32? { if case .i32(let v) = self { Int32(bitPattern: v) } else { nil } }
    public var int64: Int64? { if case .i64(let v) = self { Int64(bitPattern: v) } else { nil } }
    public var float: Float? { if case .f32(let v) = self { v } else { nil } }
    public var double: Double? { if case .f64(let v) = self { v } else { nil } }

    /// The zero of `type`: what a local starts as (null for references).
    public static func zero(_ type: ValueType) -> Value {
        Value(kiln_value(), type: type.character)
    }

    func raw() -> kiln_value {
        var raw = kiln_value()
        switch self {
        case .i32(let v): raw.i32 = v
        case .i64(let v): raw.i64 = v
        case .f32(let v): raw.f32 = v
        case .f64(let v): raw.f64 = v
        case .v128(let bytes):
            withUnsafeMutableBytes(of: &raw) { buffer in
                for (i, b) in bytes.prefix(16).enumerated() { buffer[i] = b }
            }
        case .funcref(let p), .externref(let p): raw.ref = p.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
        }
        return raw
    }

    init(_ raw: kiln_value, type: Character) {
        switch type {
        case "i": self = .i32(raw.i32)
        case "j": self = .i64(raw.i64)
        case "f": self = .f32(raw.f32)
        case "d": self = .f64(raw.f64)
        case "v":
            var copy = raw
            self = .v128(withUnsafeBytes(of: &copy) { Array($0.prefix(16)) })
        case "r": self = .funcref(raw.ref.map { UInt(bitPattern: $0) })
        default: self = .externref(raw.ref.map { UInt(bitPattern: $0) })
        }
    }
}

/// Wasm's value types as the host sees them. A typed reference (`(ref $t)`) crosses as the funcref it is.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case i32, i64, f32, f64, v128, funcref, externref

    /// The runtime's signature character for the type.
    public var character: Character {
        switch self {
        case .i32: "i"
        case .i64: "j"
        case .f32: "f"
        case .f64: "d"
        case .v128: "v"
        case .funcref: "r"
        case .externref: "e"
        }
    }

    public init?(character: Character) {
        switch character {
        case "i": self = .i32
        case "j": self = .i64
        case "f": self = .f32
        case "d": self = .f64
        case "v": self = .v128
        case "r": self = .funcref
        case "e": self = .externref
        default: return nil
        }
    }

    public var description: String { TypeText.value(character) }

    static func list(_ signature: String) -> [ValueType] { signature.compactMap { ValueType(character: $0) } }
    static func signature(_ types: [ValueType]) -> String { String(types.map(\.character)) }
}

/// A function's type: its parameters and results.
public struct FunctionType: Hashable, Sendable, CustomStringConvertible {
    public var parameters: [ValueType]
    public var results: [ValueType]

    public init(parameters: [ValueType] = [], results: [ValueType] = []) {
        self.parameters = parameters
        self.results = results
    }

    init(params: String, results: String) {
        self.init(parameters: ValueType.list(params), results: ValueType.list(results))
    }

    var params: String { ValueType.signature(parameters) }
    var resultSignature: String { ValueType.signature(results) }

    public var description: String { TypeText.function(params: params, results: resultSignature) }
}
