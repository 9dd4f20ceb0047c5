import KilnModel
import KilnValidate
import Testing

/// The threads proposal: atomic accesses need exactly their natural alignment, operands of their type, and a
/// memory (shared or not); a shared memory needs a maximum.
struct ValidateAtomicsTests {
    @Test(arguments: [
        "(drop (i32.atomic.load (i32.const 0)))",
        "(drop (i64.atomic.load32_u (i32.const 0)))",
        "(i64.atomic.store16 (i32.const 0) (i64.const 1))",
        "(drop (i32.atomic.rmw8.add_u (i32.const 0) (i32.const 1)))",
        "(drop (i64.atomic.rmw.cmpxchg (i32.const 0) (i64.const 1) (i64.const 2)))",
        "(drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))",
        "(drop (memory.atomic.wait64 (i32.const 0) (i64.const 0) (i64.const -1)))",
        "(drop (memory.atomic.notify (i32.const 0) (i32.const 1)))",
        "(atomic.fence)",
    ])
    func validOnSharedAndUnsharedMemories(_ body: String) throws {
        #expect(try Validation.outcome("(module (memory 1 1 shared) (func \(body)))") == "valid")
        #expect(try Validation.outcome("(module (memory 1) (func \(body)))") == "valid")
    }

    @Test(arguments: [
        ("(drop (i32.atomic.load align=2 (i32.const 0)))", "2^1 != 4"),
        ("(i32.atomic.store16 align=1 (i32.const 0) (i32.const 0))", "2^0 != 2"),
        ("(drop (memory.atomic.notify align=2 (i32.const 0) (i32.const 1)))", "2^1 != 4"),
        ("(drop (memory.atomic.wait64 align=4 (i32.const 0) (i64.const 0) (i64.const 0)))", "2^2 != 8"),
    ])
    func alignmentMustBeNatural(_ body: String, _ detail: String) throws {
        let outcome = try Validation.outcome("(module (memory 1 1 shared) (func \(body)))")
        #expect(outcome == "alignment must be equal to natural for an atomic access: \(detail)")
    }

    /// Larger than natural is refused as for any access.
    @Test(arguments: ["(drop (i64.atomic.load8_u align=2 (i32.const 0)))", "(drop (i64.atomic.rmw32.xchg_u align=8 (i32.const 0) (i64.const 0)))"])
    func alignmentLargerThanNatural(_ body: String) throws {
        #expect(try Validation.outcome("(module (memory 1 1 shared) (func \(body)))").hasPrefix("alignment must not be larger than natural"))
    }

    @Test(arguments: [
        "(drop (i32.atomic.rmw.add (i32.const 0) (i64.const 1)))",
        "(drop (i64.atomic.rmw16.cmpxchg_u (i32.const 0) (i64.const 1) (i32.const 2)))",
        "(drop (memory.atomic.wait32 (i32.const 0) (i64.const 0) (i64.const 0)))",
        "(drop (memory.atomic.wait64 (i32.const 0) (i64.const 0) (i32.const 0)))",
        "(i32.atomic.store (i32.const 0) (f32.const 0))",
    ])
    func operandsHaveTheirTypes(_ body: String) throws {
        #expect(try Validation.outcome("(module (memory 1 1 shared) (func \(body)))").hasPrefix("type mismatch"))
    }

    @Test func atomicsNeedAMemory() throws {
        #expect(try Validation.outcome("(module (func (atomic.fence)))") == "valid")
        #expect(try Validation.outcome("(module (func (drop (memory.atomic.notify (i32.const 0) (i32.const 0)))))").hasPrefix("unknown memory"))
    }

    /// A 64-bit shared memory takes i64 addresses.
    @Test func memory64AddressesAreI64() throws {
        #expect(try Validation.outcome("(module (memory i64 1 1 shared) (func (drop (i32.atomic.load (i64.const 0)))))") == "valid")
        #expect(try Validation.outcome("(module (memory i64 1 1 shared) (func (drop (i32.atomic.load (i32.const 0)))))").hasPrefix("type mismatch"))
    }
}
