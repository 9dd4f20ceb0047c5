import KilnLoad

/// Command-line text to Wasm values and back, for `kiln run --invoke`.
enum ValueParser {
    static func typeName(_ type: Character) -> String {
        ["i": "i32", "j": "i64", "f": "f32", "d": "f64", "v": "v128", "r": "funcref", "e": "externref"][type] ?? "?"
    }

    static func parse(_ text: String, type: Character) -> Value? {
        switch type {
        case "i": return integer(text, bits: 32).map { .i32(UInt32(truncatingIfNeeded: $0)) }
        case "j": return integer(text, bits: 64).map { .i64($0) }
        case "f": return Float(text).map { .f32($0.bitPattern) }
        case "d": return Double(text).map { .f64($0.bitPattern) }
        default: return nil
        }
    }

    /// Decimal (signed or unsigned) or 0x hexadecimal, in range for the width.
    static func integer(_ text: String, bits: Int) -> UInt64? {
        let hex = text.hasPrefix("0x") || text.hasPrefix("0X")
        if hex { return UInt64(text.dropFirst(2), radix: 16).flatMap { bits == 64 || $0 <= UInt32.max ? $0 : nil } }
        if let value = Int64(text) {
            if bits == 32 { guard value >= Int64(Int32.min), value <= Int64(UInt32.max) else { return nil } }
            return UInt64(bitPattern: value)
        }
        if bits == 64, let value = UInt64(text) { return value }
        return nil
    }

    /// Results as wasmtime prints them: integers signed, floats in decimal.
    static func format(_ value: Value) -> String {
        switch value {
        case .i32(let v): "\(Int32(bitPattern: v))"
        case .i64(let v): "\(Int64(bitPattern: v))"
        case .f32(let v): "\(Float(bitPattern: v))"
        case .f64(let v): "\(Double(bitPattern: v))"
        default: value.description
        }
    }
}
