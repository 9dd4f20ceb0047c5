import KilnLoad

/// Command-line text to Wasm values and back, for `kiln run --invoke`.
enum ValueParser {
    static func typeName(_ type: Character) -> String {
        ["i": "i32", "j": "i64", "f": "f32", "d": "f64", "v": "v128", "r": "funcref", "e": "externref"][type] ?? "?"
    }

    /// Why a list of words is not the arguments of a signature.
    enum Failure: Error, Equatable {
        case count(given: Int)
        case unreadable(String, type: Character)
    }

    /// The arguments of parameters `types` from `words`. A v128 is one word (`"i32x4 1 2 3 4"` or a
    /// 0x-prefixed 128-bit number) or its shape followed by its lanes as separate words (`i32x4 1 2 3 4`), so
    /// a shell needs no quoting.
    static func parseArguments(_ words: [String], types: [Character]) -> Result<[Value], Failure> {
        var values: [Value] = []
        var rest = words[...]
        for type in types {
            guard let word = rest.first else { return .failure(.count(given: countArguments(words))) }
            rest = rest.dropFirst()
            var text = word
            if type == "v", let lanes = V128Text.shapes[word] {
                guard rest.count >= lanes else { return .failure(.unreadable(([word] + rest).joined(separator: " "), type: type)) }
                text = ([word] + rest.prefix(lanes)).joined(separator: " ")
                rest = rest.dropFirst(lanes)
            }
            guard let value = parse(text, type: type) else { return .failure(.unreadable(text, type: type)) }
            values.append(value)
        }
        guard rest.isEmpty else { return .failure(.count(given: countArguments(words))) }
        return .success(values)
    }

    /// How many arguments `words` hold when a shape word and its lanes count as one.
    static func countArguments(_ words: [String]) -> Int {
        var count = 0
        var rest = words[...]
        while let word = rest.first {
            rest = rest.dropFirst(1 + (V128Text.shapes[word].map { min($0, rest.count - 1) } ?? 0))
            count += 1
        }
        return count
    }

    static func parse(_ text: String, type: Character) -> Value? {
        switch type {
        case "i": return integer(text, bits: 32).map { .i32(UInt32(truncatingIfNeeded: $0)) }
        case "j": return integer(text, bits: 64).map { .i64($0) }
        case "f": return Float(text).map { .f32($0) }
        case "d": return Double(text).map { .f64($0) }
        case "v": return V128Text.parse(text).map { .v128($0) }
        // The command line can name no function or host object: a reference argument can only be null.
        case "r": return text == "null" ? .funcref(nil) : nil
        case "e": return text == "null" ? .externref(nil) : nil
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

    /// Results as wasmtime prints them: integers signed, floats in decimal; a v128 as four i32 lanes (the
    /// form `--invoke` reads back), references as `null` or their kind.
    static func format(_ value: Value) -> String {
        switch value {
        case .i32(let v): "\(Int32(bitPattern: v))"
        case .i64(let v): "\(Int64(bitPattern: v))"
        case .f32(let v): "\(v)"
        case .f64(let v): "\(v)"
        case .v128(let bytes): V128Text.format(bytes)
        case .funcref(let p): p == nil ? "null" : "<funcref>"
        case .externref(let p): p == nil ? "null" : "<externref>"
        }
    }
}
