import Foundation
import KilnDecode
@testable import KilnLower
import KilnValidate
import Testing

/// What the Wasm 3.0 features compile to, where the behaviour alone (Fixtures/wast) would not show it: tail
/// calls are `musttail` jumps between tail entries of one prototype, accesses to memories other than 0
/// never use memory 0's view or the bounds analyses, and a 64-bit memory is checked even with guard pages.
@Suite struct Wasm3LoweringTests {
    func lower(_ text: String, guardPages: Bool = false) throws -> String { try Lowered.moduleC(text, guardPages: guardPages) }

    @Test func tailCallsAreMusttailJumpsBetweenTailEntries() throws {
        let c = try lower("""
            (module (type $t (func (param i64) (result i32))) (table 1 funcref)
              (func $f (param i32 f64) (result i32) (return_call $g (i64.const 1)))
              (func $g (param i64) (result i32) (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
              (func $h (param i32) (result i32) (local.get 0)))
            """)
        // Every function has a tail entry of the one prototype; $f and $g run as theirs.
        for name in ["func0_f", "func1_g", "func2_h"] { #expect(c.contains("void \(name)_tail(kiln_instance* self) {")) }
        #expect(c.contains("ctx->tail[0].i64 = 1ull; __attribute__((musttail)) return func1_g_tail(self);"))
        #expect(c.contains("__attribute__((musttail)) return c->tail(c->instance);"))
        // $h keeps its ordinary body; its tail entry wraps it.
        #expect(c.contains("ctx->tail[0].i32 = func2_h(self, ctx->tail[0].i32);"))
    }

    @Test func aTailCallToItselfIsAJumpToTheStart() throws {
        let c = try lower("(module (func $f (param i32 i32) (result i32) (local i64) (return_call $f (local.get 1) (local.get 0))))")
        #expect(c.contains("{ u32 a0 = l1; u32 a1 = l0; l0 = a0; l1 = a1; l2 = 0; goto T0; }"))
        #expect(c.contains("T0:;"))
        #expect(!c.contains("_tail("))  // no other tail call: no tail entries at all
    }

    /// The lowering decides which signatures fit the runtime's tail-call buffer: its size must be the runtime's.
    @Test func theTailBufferSizeIsTheRuntimes() throws {
        let header = try String(contentsOf: GoldenCTests.root.appendingPathComponent("Runtime/include/kiln_abi.h"), encoding: .utf8)
        let line = try #require(header.split(separator: "\n").first { $0.hasPrefix("#define KILN_TAIL_SLOTS ") })
        #expect(Int(line.split(separator: " ").last ?? "") == LoweringContext.tailSlots)
    }

    @Test func aModuleWithoutTailCallsHasNoTailEntries() throws {
        let c = try lower("(module (func $f (param i32) (result i32) (call $f (local.get 0))))")
        #expect(!c.contains("_tail("))
    }

    @Test func otherMemoriesAreCheckedThroughTheirDescriptor() throws {
        let c = try lower("""
            (module (memory $a 1) (memory $b 1)
              (func (param i32) (result i32)
                (i32.add (i32.load $a (local.get 0)) (i32.add (i32.load $b (local.get 0)) (i32.load $b offset=4 (local.get 0))))))
            """)
        #expect(c.components(separatedBy: "kiln_i32_load(ctx, (&inst->memory_storage[1]), ").count - 1 == 2)
        #expect(!c.contains("(in bounds)"))
    }

    @Test func a64BitMemoryIsCheckedWithGuardPages() throws {
        let c = try lower("(module (memory i64 1) (func (param i64) (result i32) (i32.load offset=8 (local.get 0))))", guardPages: true)
        #expect(c.contains("kiln_address64(ctx, mem0, l0, 8u, 4u)"))
        #expect(c.contains("&inst->memory_storage[0], 0u, 1u, 281474976710656u, 0);"))  // not guarded
    }
}
