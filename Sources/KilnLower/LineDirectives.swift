/// `#line` directives that number a function's C lines by the Wasm code offsets they came from.
///
/// Why: a trap's backtrace names the instruction of each frame (issue 19) the way wasmtime's does, at no
/// cost to code that does not trap. Artifacts are compiled with `-gline-tables-only -gno-inline-line-tables`
/// (CompileFlags), so the DWARF line of any address in a generated function, runtime helpers inlined into it
/// included, is the instruction it was lowered from; the host reads it only when a trap is described
/// (Runtime/include/kiln_line_table.h). Debug information never changes the code clang generates.
///
/// A line is the instruction's offset from the start of its function's body (the body's size field), not its
/// module offset: what a function compiles to must not change when an earlier function grows, or a module
/// with one function changed would recompile every later unit (BuildPlan's unit objects, which are keyed by
/// the C without its comments, so the comments keep the module offsets people search for). The host adds the
/// body's offset from the descriptor's `function_body_offsets`. An instruction is at least 2 bytes into its
/// body (the size field and the locals' count come first), so line 1 is free to stand for the body's start,
/// which the prologue is given; line 0 would be no line at all.
///
/// The offset of a body line is the first `@0x…` in its trailing comment (a statement folded from several
/// instructions is the first one's, the one that computes and may trap); a line without one continues the
/// previous line's; labels, comments and lines of braces alone are left unnumbered, having no code that traps
/// or calls. The prologue and everything around the body belong to the body's start (line 1); only their
/// lines that may trap or call are numbered exactly (the opening line, KILN_ENTER's stack check, the entry's
/// interruption checks), the rest (declarations, the closing brace) keep the directives few.
enum LineDirectives {
    /// The file name the lines are given, for debuggers and profilers (`wasm:18` is 18 bytes into the body).
    static let fileName = "wasm"

    /// The line of the prologue: the body's start.
    static let bodyStart = 1

    /// `prologue` and `epilogue`: lines with whether they must be numbered exactly.
    static func number(prologue: [(String, Bool)], body: String, epilogue: [(String, Bool)], bodyOffset: Int) -> String {
        var numbering = Numbering(location: bodyStart, bodyOffset: bodyOffset)
        for (line, exact) in prologue { numbering.add(line, scanned: false, exact: exact) }
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) { numbering.add(line, scanned: true, exact: true) }
        numbering.location = bodyStart
        for (line, exact) in epilogue { numbering.add(line, scanned: false, exact: exact) }
        return numbering.out.joined(separator: "\n")
    }

    private struct Numbering {
        var location: Int
        let bodyOffset: Int
        var out: [String] = []
        /// The line number the next physical line has, when known.
        var presumed: Int?
        /// Whether the previous line ended a statement, so that a directive may come before this one: never
        /// inside an expression or a macro's arguments that span lines.
        var atBoundary = true
        var named = false

        mutating func add<S: StringProtocol>(_ line: S, scanned: Bool, exact: Bool) {
            let code = Self.code(line)
            if scanned, let offset = Self.offset(line), offset - bodyOffset > bodyStart { location = offset - bodyOffset }
            // A loop pragma is numbered so that the loop after it has the line, with nothing between the two.
            let pragma = code.hasPrefix("#pragma")
            let wanted = pragma ? location - 1 : location
            if exact, atBoundary, !code.isEmpty, !Self.isLabel(code), !Self.isBraces(code), presumed != wanted {
                out.append("#line \(wanted)" + (named ? "" : " \"\(fileName)\""))
                named = true
                presumed = wanted
            }
            out.append(String(line))
            presumed = presumed.map { $0 + 1 }
            if !code.isEmpty {
                atBoundary = !pragma && (code.hasPrefix("#") || code.hasSuffix(";") || code.hasSuffix("{") || code.hasSuffix("}"))
            }
        }

        /// `}`, `} else {`: no code that traps or calls.
        static func isBraces(_ code: Substring) -> Bool {
            code.split(separator: " ").allSatisfy { $0 == "{" || $0 == "}" || $0 == "else" }
        }

        /// The line without its indentation and trailing comment.
        static func code<S: StringProtocol>(_ line: S) -> Substring {
            var text = Substring(line)
            if text.hasSuffix("*/"), let open = lastCommentOpening(text) { text = text[..<open] }
            while let last = text.last, last == " " { text = text.dropLast() }
            while let first = text.first, first == " " { text = text.dropFirst() }
            return text
        }

        /// `L3:;`: no code of its own.
        static func isLabel(_ code: Substring) -> Bool {
            code.hasSuffix(":;") && code.dropLast(2).allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }

        /// The first `@0x…` of the line's trailing comment.
        static func offset<S: StringProtocol>(_ line: S) -> Int? {
            let text = Substring(line)
            guard text.hasSuffix("*/"), let open = lastCommentOpening(text) else { return nil }
            var rest = text[open...]
            while let at = rest.firstIndex(of: "@") {
                rest = rest[rest.index(after: at)...]
                guard rest.hasPrefix("0x") else { continue }
                return Int(rest.dropFirst(2).prefix { $0.isHexDigit }, radix: 16)
            }
            return nil
        }

        /// Where the last `/*` of the line starts.
        static func lastCommentOpening(_ text: Substring) -> Substring.Index? {
            var index = text.endIndex
            while index > text.startIndex {
                let before = text.index(before: index)
                if text[before] == "*", before > text.startIndex, text[text.index(before: before)] == "/" {
                    return text.index(before: before)
                }
                index = before
            }
            return nil
        }
    }
}
