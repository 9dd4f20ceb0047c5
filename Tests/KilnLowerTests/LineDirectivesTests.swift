import Foundation
import KilnDecode
import KilnLower
import KilnValidate
import Testing

/// The `#line` numbering of generated functions (KilnLower/LineDirectives.swift), read the way the C
/// preprocessor reads it: every statement line whose comment names an instruction has that instruction's
/// offset from its function's body as its line number, and a function's stack check has line 1, the body's
/// start.
@Suite struct LineDirectivesTests {
    /// The line number the preprocessor gives each physical line after the first `#line` (nil before it).
    static func presumedLines(_ c: String) -> [(line: Int?, text: Substring)] {
        var out: [(Int?, Substring)] = []
        var next: Int?
        for text in c.split(separator: "\n", omittingEmptySubsequences: false) {
            if text.hasPrefix("#line ") {
                next = Int(text.dropFirst(6).prefix { $0.isNumber })
                continue
            }
            out.append((next, text))
            next = next.map { $0 + 1 }
        }
        return out
    }

    /// The line without indentation and trailing comment.
    static func code(_ text: Substring) -> String {
        var code = text
        if code.hasSuffix("*/"), let open = code.range(of: "/*", options: .backwards) { code = code[..<open.lowerBound] }
        return code.trimmingCharacters(in: .whitespaces)
    }

    /// The first `@0x…` in the line's trailing comment.
    static func offset(_ text: Substring) -> Int? {
        guard text.hasSuffix("*/"), let open = text.range(of: "/*", options: .backwards),
              let at = text[open.upperBound...].range(of: "@0x") else { return nil }
        return Int(text[at.upperBound...].prefix { $0.isHexDigit }, radix: 16)
    }

    /// Loops (versioned and not), calls, a br_table, memory accesses, a multi-value block and an if.
    static let module = """
        (module
          (memory 1)
          (func $sum (param $n i32) (result i32) (local $i i32) (local $s i32)
            (block $done
              (loop $l
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $l)))
            (local.get $s))
          (func $pick (param i32) (result i32)
            (block $a (block $b (block $c (br_table $a $b $c (local.get 0)))
              (return (call $sum (i32.const 3))))
              (return (i32.div_s (i32.const 7) (local.get 0))))
            (if (result i32) (local.get 0) (then (i32.const 1)) (else (call $pick (i32.const 0)))))
          (func $pair (result i32 i32) (i32.const 1) (i32.const 2))
          (func (export "main") (result i32)
            (call $pair) (drop) (drop)
            (i32.store (i32.const 8) (call $pick (i32.const 2)))
            (i32.load (i32.const 8))))
        """

    @Test(arguments: [false, true]) func statementsAreNumberedByTheirInstruction(guardPages: Bool) throws {
        let c = try Lowered.moduleC(Self.module, guardPages: guardPages)
        let validated = try ModuleValidator.validate(ModuleSource.text(Self.module).decode())
        let bodyOffsets = Set(validated.module.bodies.map(\.bodyOffset))
        var numbered = 0
        var entries = 0
        var body: Int?
        for (line, text) in Self.presumedLines(c) {
            // `/* func 2 $pick: …, body at 0x4a */` starts a function.
            if text.hasPrefix("/* func "), let at = text.range(of: "body at 0x") {
                body = Int(text[at.upperBound...].prefix { $0.isHexDigit }, radix: 16)
                #expect(body.map(bodyOffsets.contains) == true, "\(text)")
            }
            // A label or a comment alone has no code for a line table row to name.
            let code = Self.code(text)
            if let offset = Self.offset(text), !code.isEmpty, !code.hasSuffix(":;") {
                let start = try #require(body)
                #expect(line == offset - start, "\(text)")
                numbered += 1
            }
            if text.contains("KILN_ENTER(") {
                #expect(line == 1, "\(text)")
                entries += 1
            }
        }
        #expect(numbered > 20)
        #expect(entries >= 2)
        // A directive never lands inside a statement that spans lines.
        var previous: Substring = ";"
        for text in c.split(separator: "\n") {
            if text.hasPrefix("#line ") {
                let code = Self.code(previous)
                #expect(code.isEmpty || code.hasPrefix("#") || [";", "{", "}"].contains(code.last.map(String.init) ?? ""), "after: \(previous)")
            } else {
                previous = text
            }
        }
    }
}
