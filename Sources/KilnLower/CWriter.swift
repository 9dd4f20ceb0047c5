/// Lines of C with indentation; knows nothing about Wasm.
///
/// Lines are kept in an array so that a label can be dropped after the fact when nothing branched to it
/// (clang's -Wunused-label is part of -Wall).
struct CWriter {
    private(set) var lines: [String] = []
    var indent = 1

    mutating func line(_ text: String) {
        lines.append(String(repeating: "  ", count: indent) + text)
    }

    /// A statement with a trailing comment naming the instruction and its offset.
    mutating func statement(_ text: String, _ comment: String) {
        line("\(text) /* \(comment) */")
    }

    /// A label at column 0; returns its line index so it can be removed later.
    mutating func label(_ name: String, _ comment: String = "") -> Int {
        lines.append("\(name):;" + (comment.isEmpty ? "" : " /* \(comment) */"))
        return lines.count - 1
    }

    /// A line exactly as given (for text moved or copied by a later pass).
    mutating func raw(_ text: String) {
        lines.append(text)
    }

    /// Replaces the last line with a statement (a later instruction folded into it).
    mutating func replaceLast(_ text: String, _ comment: String) {
        lines.removeLast()
        statement(text, comment)
    }

    /// Rewrites an earlier line in place (its index stays valid).
    mutating func replace(line index: Int, with text: String) {
        lines[index] = text
    }

    mutating func truncate(to count: Int) {
        lines.removeSubrange(count...)
    }

    mutating func remove(lines indices: Set<Int>) {
        guard !indices.isEmpty else { return }
        lines = lines.enumerated().filter { !indices.contains($0.offset) }.map(\.element)
    }

    var text: String { lines.joined(separator: "\n") }
}

/// Text safe inside a C comment: no `*/` (which would end it), no `/*` (-Wcomment, an error under -Werror),
/// no `??` (a trigraph in -std=c11: `??/` before the line's end would splice the next line in), no control
/// characters.
func commentSafe(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        if scalar.value < 0x20 || scalar.value == 0x7f { out += "?" } else { out.unicodeScalars.append(scalar) }
    }
    while true {
        if let range = out.range(ofFirst: "*/") {
            out.replaceSubrange(range, with: "* /")
        } else if let range = out.range(ofFirst: "/*") {
            out.replaceSubrange(range, with: "/ *")
        } else if let range = out.range(ofFirst: "??") {
            out.replaceSubrange(range, with: "? ?")
        } else {
            return out
        }
    }
}

/// A C string literal for arbitrary bytes: printable ASCII as is, the rest as three-digit octal escapes
/// (which, unlike hex escapes, cannot swallow the next character).
func cStringLiteral<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    var out = "\""
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "?"):
            out += "\\" + String(UnicodeScalar(byte))
        case 0x20..<0x7f:
            out.unicodeScalars.append(UnicodeScalar(byte))
        default:
            let octal = String(byte, radix: 8)
            out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
        }
    }
    return out + "\""
}

extension String {
    func range(ofFirst needle: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
