/// A v128 as the command line writes it: a shape and its lanes as in Wasm text's `v128.const`
/// (`i32x4 1 2 3 4`, lane 0 first), or one 0x-prefixed 128-bit number (lane 0 in its low bits).
enum V128Text {
    /// Lanes per shape.
    static let shapes = ["i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2, "f32x4": 4, "f64x2": 2]

    /// The 16 bytes, little-endian as in linear memory.
    static func parse(_ text: String) -> [UInt8]? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count == 1, let number = words.first, number.hasPrefix("0x") || number.hasPrefix("0X") {
            let digits = number.dropFirst(2).filter { $0 != "_" }
            guard (1...32).contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
            let padded = Array(String(repeating: "0", count: 32 - digits.count) + digits)
            return (0..<16).reversed().map { UInt8(String(padded[2 * $0...2 * $0 + 1]), radix: 16)! }
        }
        guard let shape = words.first, let count = shapes[shape], words.count == count + 1 else { return nil }
        var bytes: [UInt8] = []
        for word in words.dropFirst() {
            switch shape {
            case "f32x4": guard let v = Float(word) else { return nil }; bytes += littleEndian(UInt64(v.bitPattern), 4)
            case "f64x2": guard let v = Double(word) else { return nil }; bytes += littleEndian(v.bitPattern, 8)
            default:
                let width = 16 / count
                guard let v = lane(word, bits: 8 * width) else { return nil }
                bytes += littleEndian(v, width)
            }
        }
        return bytes
    }

    /// Four i32 lanes, signed as `--invoke` prints an i32.
    static func format(_ bytes: [UInt8]) -> String {
        let lanes = (0..<4).map { i in
            Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 * i + $1]) << (8 * $1) })
        }
        return "i32x4 " + lanes.map(String.init).joined(separator: " ")
    }

    /// An integer lane: signed or unsigned decimal, or hexadecimal, in range for the width.
    static func lane(_ text: String, bits: Int) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard let v = UInt64(text.dropFirst(2), radix: 16), bits == 64 || v >> bits == 0 else { return nil }
            return v
        }
        if let v = Int64(text) {
            guard bits == 64 || (v >= -(Int64(1) << (bits - 1)) && v < Int64(1) << bits) else { return nil }
            return UInt64(bitPattern: v) & (bits == 64 ? .max : (UInt64(1) << bits) - 1)
        }
        return bits == 64 ? UInt64(text) : nil
    }

    static func littleEndian(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
