@testable import KilnBuild
import Testing

/// The comment stripping that unit-object keys read C through (KilnBuild/UnitObjects.swift).
@Suite struct CCodeTests {
    static func code(_ text: String) -> String { String(decoding: CCode.withoutComments(text), as: UTF8.self) }

    @Test func commentsGoAndLinesStay() {
        #expect(Self.code("a = 1; /* i32.const 1 @0x4c */\nb = 2;") == "a = 1;  \nb = 2;")
        #expect(Self.code("x /* one\ntwo\n*/ y") == "x  \n\n y")
        #expect(Self.code("x // rest\ny") == "x  \ny")
        // Texts that differ in their comments only read the same; texts that differ in code do not.
        #expect(Self.code("f(); /* @0x10 */") == Self.code("f(); /* @0x13 */"))
        #expect(Self.code("f(1); /* @0x10 */") != Self.code("f(2); /* @0x10 */"))
        // …nor in where a line ends, which the line tables see.
        #expect(Self.code("f(); /* a */ g();") != Self.code("f(); /* a */\ng();"))
    }

    /// Random text over the characters that matter: lines are never lost or made, and text without a slash
    /// is left alone.
    @Test func linesSurviveAnyText() {
        var generator = SeededGenerator(state: 14)
        let alphabet = Array("/*\"'\\\na ;")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<60, using: &generator)
            let text = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            let code = Self.code(text)
            #expect(code.filter { $0 == "\n" }.count == text.filter { $0 == "\n" }.count, "\(text.debugDescription)")
            if !text.contains("/") { #expect(code == text) }
        }
    }

    /// splitmix64, so the text is the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func literalsAreNotComments() {
        #expect(Self.code(#"s = "/* not a comment */"; /* one */"#) == #"s = "/* not a comment */";  "#)
        #expect(Self.code(#"s = "a\"/*"; t = '"'; /* c */"#) == #"s = "a\"/*"; t = '"';  "#)
        #expect(Self.code("c = '/'; d = '*'; /* e */") == "c = '/'; d = '*';  ")
        #expect(Self.code(#"p = "//"; q;"#) == #"p = "//"; q;"#)
    }
}
