@testable import KilnWast
import Testing

/// The folded legacy try blocks of the spec tests, which wasm-tools no longer reads, unfolded into the
/// flat form it does read.
struct LegacyTextTests {
    static func unfolded(_ text: String) throws -> String {
        let node = try #require(LegacyText.expressions(text)?.first?.node)
        return LegacyText.unfold(node).map(\.text).joined(separator: " ")
    }

    @Test func tryWithClausesBecomesFlatWithAnEnd() throws {
        #expect(try Self.unfolded("(func (try $t (result i32) (do (i32.const 1)) (catch $e (drop) (i32.const 2)) (catch_all (i32.const 3))))")
            == "(func try $t (result i32) (i32.const 1) catch $e (drop) (i32.const 2) catch_all (i32.const 3) end)")
    }

    @Test func delegateEndsTheTryItself() throws {
        #expect(try Self.unfolded("(func (try (do (try (do (throw $e)) (delegate 1))) (catch_all)))")
            == "(func try try (throw $e) delegate 1 catch_all end)")
    }

    @Test func commentsGoStringsStay() throws {
        #expect(try Self.unfolded("(module ;; a comment\n (; block (; nested ;) ;) (data \"a ) ;; b\"))") == "(module (data \"a ) ;; b\"))")
    }

    @Test func theModuleOfADirectiveIsFoundByItsLine() throws {
        let script = "(module $a (func))\n\n(assert_invalid\n  (module (func (try (do) (catch_all (rethrow 1)))))\n  \"invalid rethrow label\")\n"
        #expect(LegacyText.moduleText(in: script, line: 3) == "(module (func try catch_all (rethrow 1) end))")
        #expect(LegacyText.moduleText(in: script, line: 1) == "(module $a (func))")
        #expect(LegacyText.expressions("(module))") == nil)
    }
}
