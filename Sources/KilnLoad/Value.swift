import CKilnHost

/// A Wasm value on the host side. Floats are kept as bit patterns so NaN payloads survive; references
/// are the runtime's pointers (a funcref points at a `kiln_funcref`, an externref is the host's own).
public enum Value: Equatable, Sendable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128([UInt8])
    case funcref(UInt?)
    case externref(UInt?)

    public var description: String {
        switch self {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): "f32:\(Float(bitPattern: v)) (0x\(String(v, radix: 16)))"
        case .f64(let v): "f64:\(Double(bitPattern: v)) (0x\(String(v, radix: 16)))"
        case .v128(let bytes): "v128:\(bytes.map { String($0, radix: 16) }.joined(separator: " "))"
        case .funcref(let p): p.map { "funcref:0x\(String($0, radix: 16))" } ?? "funcref:null"
        case .externref(let p): p.map { "externref:\($0)" } ?? "externref:null"
        }
    }

    /// The signature character of the value's type (`i`, `j`, `f`, `d`, `v`, `r`, `e`).
    public var typeCharacter: Character {
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

    func raw() -> kiln_value {
        var raw = kiln_value()
        switch self {
        case .i32(let v): raw.i32 = v
        case .i64(let v): raw.i64 = v
        case .f32(let v): raw.f32 = Float(bitPattern: v)
        case .f64(let v): raw.f64 = Double(bitPattern: v)
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
        case "f": self = .f32(raw.f32.bitPattern)
        case "d": self = .f64(raw.f64.bitPattern)
        case "v":
            var copy = raw
            self = .v128(withUnsafeBytes(of: &copy) { Array($0.prefix(16)) })
        case "r": self = .funcref(raw.ref.map { UInt(bitPattern: $0) })
        default: self = .externref(raw.ref.map { UInt(bitPattern: $0) })
        }
    }
}
