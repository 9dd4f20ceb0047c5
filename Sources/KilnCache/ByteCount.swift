/// Sizes as `kiln cache prune --max-size` takes them and `kiln cache list` prints them: binary multiples,
/// as `du -h` and `sort -h` use (`500M` is 500 × 1024² bytes).
public enum ByteCount {
    /// `1234`, `64K`, `500M`, `2G`, `1.5G`; the suffix may be lower case and followed by `B` or `iB`.
    public static func parse(_ text: String) throws(CacheError) -> Int64 {
        var number = Substring(text.trimmingSpaces)
        for unit in ["iB", "ib", "B", "b"] where number.hasSuffix(unit) && number.count > unit.count {
            number = number.dropLast(unit.count)
            break
        }
        var multiplier: Double = 1
        if let last = number.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][last.uppercased()] {
            multiplier = pow1024(power)
            number = number.dropLast()
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(number) else {
            throw CacheError.badSize(text)
        }
        let bytes = (value * multiplier).rounded(.down)
        guard bytes < 9.2e18 else { throw CacheError.badSize(text) }
        return Int64(bytes)
    }

    /// `512`, `4.0K`, `12M`, `1.5G`: three significant digits at most, like `du -h`.
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes)" }
        var value = Double(bytes)
        var unit = 0
        let units = ["", "K", "M", "G", "T", "P"]
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if value < 10 {
            let tenths = (value * 10).rounded(.up) / 10
            return tenths >= 10 ? "10\(units[unit])" : "\(oneDecimal(tenths))\(units[unit])"
        }
        return "\(Int(value.rounded(.up)))\(units[unit])"
    }

    private static func pow1024(_ power: Int) -> Double {
        (0..<power).reduce(1.0) { product, _ in product * 1024 }
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? endIndex
        return self[start..<max(start, end)]
    }
}
