/// How deeply a `.wat` text nests its parentheses, measured before WasmKit's WAT parser sees it.
///
/// That parser recurses once per level of folded expression, so very deep text would overflow the native
/// stack (a crash, at about 5,000 levels on an 8 MiB main thread in a debug build). Kiln refuses text deeper
/// than `limit` with a clear error instead; binary modules have no such limit (the validator is iterative).
enum TextNesting {
    static let limit = 1000

    /// The deepest nesting, skipping strings, line comments and (nested) block comments.
    static func depth(_ text: String) -> Int {
        let bytes = Array(text.utf8)
        var depth = 0
        var deepest = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            let next = i + 1 < bytes.count ? bytes[i + 1] : 0
            if c == UInt8(ascii: "\"") {
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
            } else if c == UInt8(ascii: ";"), next == UInt8(ascii: ";") {
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else if c == UInt8(ascii: "("), next == UInt8(ascii: ";") {
                var comments = 1
                i += 2
                while i < bytes.count, comments > 0 {
                    if bytes[i] == UInt8(ascii: "("), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ";") {
                        comments += 1
                        i += 1
                    } else if bytes[i] == UInt8(ascii: ";"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ")") {
                        comments -= 1
                        i += 1
                    }
                    i += 1
                }
                continue
            } else if c == UInt8(ascii: "(") {
                depth += 1
                deepest = max(deepest, depth)
            } else if c == UInt8(ascii: ")") {
                depth -= 1
            }
            i += 1
        }
        return deepest
    }
}
