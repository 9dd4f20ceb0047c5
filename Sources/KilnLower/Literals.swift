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

    static func f64(_ bits: UInt64) -> String {
        "kiln_f64_reinterpret_i64(0x\(String(bits, radix: 16))ull) /* \(Double(bitPattern: bits)) */"
    }
}
