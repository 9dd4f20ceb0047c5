/// Finds a `)` that closes nothing at the top level of a script.
///
/// WasmKit's WAST parser stops at a token that cannot start a directive and reports the end of the script,
/// so one stray `)` (a typo in a hand-written script) silently dropped every directive after it, and the
/// script passed with whatever ran before. Strings, line comments and nested block comments are skipped.
enum StrayParen {
    /// The 1-based line of the first unmatched `)`, or nil when the parentheses balance that way.
    static func line(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        var depth = 0
        var line = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\n"):
                line += 1
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                    if i < bytes.count, bytes[i] == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
            case UInt8(ascii: ";") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ";"):
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            case UInt8(ascii: "(") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ";"):
                StrayParen.skipBlockComment(bytes, &i, line: &line)
                continue
            case UInt8(ascii: "("):
                depth += 1
            case UInt8(ascii: ")"):
                if depth == 0 { return line }
                depth -= 1
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// Moves `i` past the nested block comment `(; … ;)` that starts there (to the end if it is not closed),
    /// counting the newlines in it.
    static func skipBlockComment(_ bytes: [UInt8], _ i: inout Int, line: inout Int) {
        var nesting = 0
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "("), bytes[i + 1] == UInt8(ascii: ";") {
                nesting += 1
                i += 2
            } else if bytes[i] == UInt8(ascii: ";"), bytes[i + 1] == UInt8(ascii: ")") {
                nesting -= 1
                i += 2
                if nesting == 0 { break }
            } else {
                if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                i += 1
            }
        }
    }
}
