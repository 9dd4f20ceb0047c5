import WasmParser

/// Splits WasmParser's descriptions (`"message" at offset 0x1f`, `Unexpected end of byte sequence. at offset
/// 0x1f`) into a reason and an offset: the offset field itself is `package` in WasmParser.
enum WasmParserErrorText {
    static func reason(_ error: WasmParserError) -> String {
        split(error).reason
    }

    static func split(_ error: WasmParserError) -> (reason: String, offset: Int?) {
        let text = Array(error.description)
        let marker = Array(" at offset 0x")
        var offset: Int?
        var kept = text
        if let at = lastIndex(of: marker, in: text) {
            var end = at + marker.count
            while end < text.count, text[end].isHexDigit { end += 1 }
            offset = Int(String(text[(at + marker.count)..<end]), radix: 16)
            kept = Array(text[..<at]) + Array(text[end...])
        }
        var reason = String(kept).filter { $0 != "\"" }
        if reason.hasPrefix("Message(text: "), reason.hasSuffix(")") {
            reason = String(reason.dropFirst("Message(text: ".count).dropLast())
        }
        while let c = reason.last, c == " " || c == "." { reason.removeLast() }
        return (specWording(lowercasedFirst(reason)), offset)
    }

    /// WasmParser's wording mapped to the spec interpreter's, which `assert_malformed` expects.
    private static func specWording(_ reason: String) -> String {
        let table: [(String, String)] = [
            ("unexpected end of byte sequence", "unexpected end"),
            ("integerRepresentationTooLong", "integer representation too long"),
            ("overflow", "integer too large"),
            ("insufficientBytes", "unexpected end"),
            ("zero expected but got", "zero byte expected: got"),
            ("illegal opcode", "illegal opcode"),
            ("malformed limit", "integer too large: malformed limits flags"),
        ]
        for (theirs, ours) in table where reason.hasPrefix(theirs) {
            return ours + reason.dropFirst(theirs.count)
        }
        return reason
    }

    private static func lastIndex(of needle: [Character], in haystack: [Character]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i -= 1
        }
        return nil
    }

    private static func lowercasedFirst(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.lowercased() + s.dropFirst()
    }
}
