/// C literals for Wasm constants. Floats are written as their bit patterns (with the value in a comment)
/// so that NaN payloads and signed zeros survive exactly.
enum Literals {
    static func i32(_ value: Int32) -> String {
        let bits = UInt32(bitPattern: value)
        return bits < 1024 ? "\(bits)u" : "0x\(String(bits, radix: 16))u"
    }

    static func i64(_ value: Int64) -> String {
        let bits = UInt64(bitPattern: value)
        return bits < 1024 ? "\(bits)ull" : "0x\(String(bits, radix: 16))ull"
    }

    static func f32(_ bits: UInt32) -> String {
        "kiln_f32_reinterpret_i32(0x\(String(bits, radix: 16))u) /* \(Float(bitPattern: bits)) */"
    }

    /// A constant an instruction computes with: ±0 and ±1 go through kiln_f32_identity (see kiln_float.h).
    static func f32Operand(_ bits: UInt32) -> String {
        [0, 0x8000_0000, 0x3f80_0000, 0xbf80_0000].contains(bits)
            ? "kiln_f32_identity(0x\(String(bits, radix: 16))u) /* \(Float(bitPattern: bits)) */" : f32(bits)
    }

    static func f64Operand(_ bits: UInt64) -> String {
        [0, 0x8000_0000_0000_0000, 0x3ff0_0000_0000_0000, 0xbff0_0000_0000_0000].contains(bits)
            ? "kiln_f64_identity(0x\(String(bits, radix: 16))ull) /* \(Double(bitPattern: bits)) */" : f64(bits)
    }

    static func f64(_ bits: UInt64) -> String {
        "kiln_f64_reinterpret_i64(0x\(String(bits, radix: 16))ull) /* \(Double(bitPattern: bits)) */"
    }
}
