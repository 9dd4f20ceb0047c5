import Testing

/// What try_table compiles to: a handler installed at its entry and taken off on every way out, and
/// `volatile` locals in its function (a longjmp restores registers as setjmp saw them).
@Suite struct ExceptionLoweringTests {
    func lower(_ text: String) throws -> String { try Lowered.moduleC(text) }

    @Test func aTryTableInstallsAndRemovesItsHandler() throws {
        let c = try lower("""
            (module (tag $e (param i32))
              (func (param $p i32) (result i32) (local $l i64)
                (block $h (result i32)
                  (try_table (catch $e $h)
                    (br_if $h (i32.const 5) (local.get $p))
                    (throw $e (i32.const 1)))
                  (i32.const 2))))
            """)
        #expect(c.contains("h2.prev = ctx->handler; ctx->handler = &h2;"))
        #expect(c.contains("if (setjmp(h2.jmp)) {"))
        #expect(c.contains("if (e2->tag == inst->tags[0]) {"))
        // The br_if out of the body takes the handler off before it jumps.
        #expect(c.contains("if (l0) { ctx->handler = h2.prev; goto B1; }"))
        // Locals and parameters are volatile here.
        #expect(c.contains("volatile u32 l0 = p0;"))
        #expect(c.contains("KILN_UNUSED volatile u64 l1 = 0"))
        #expect(c.contains("kiln_handler h2;"))
    }

    @Test func aFunctionWithoutTryTableKeepsPlainLocals() throws {
        let c = try lower("(module (tag $e) (func (param i32) (local i64) (throw $e)))")
        #expect(!c.contains("volatile"))
        #expect(c.contains("kiln_throw(ctx, e);"))
    }
}
