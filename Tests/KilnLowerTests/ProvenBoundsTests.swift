import KilnDecode
import KilnLower
import KilnValidate
import Testing

/// Which accesses keep their bounds check once an earlier check through the same local covers them
/// (ProvenBounds.swift). Fixtures/wast/proven_bounds.wast checks that every trap still happens; this checks
/// that the checks are in fact left out, so the speed-up cannot silently disappear.
@Suite struct ProvenBoundsTests {
    func lower(_ text: String, guardPages: Bool = false) throws -> String {
        let module = try ModuleSource.text(text).decode()
        let validated = try ModuleValidator.validate(module)
        let program = try ModuleLowerer.lower(validated, options: .init(name: "t.wat", kilnVersion: "0.1.0", boundsGuard: guardPages))
        return try #require(program.files["module.c"])
    }

    func counts(_ c: String) -> (checked: Int, proven: Int) {
        let checked = c.components(separatedBy: "(ctx, mem0, ").count - 1
        let proven = c.components(separatedBy: "(in bounds)").count - 1
        return (checked, proven)
    }

    static let frame = """
        (module (memory 1) (global $sp (mut i32) (i32.const 65536))
          (func (export "f") (param $c i32) (result i32) (local $fp i32)
            (local.set $fp (i32.sub (global.get $sp) (i32.const 96)))
            (i32.store offset=76 (local.get $fp) (i32.const 7))
            (call $g)
            (i64.store offset=64 (local.get $fp) (i64.const 5))
            (if (local.get $c) (then (i32.store offset=72 (local.get $fp) (i32.const 9))))
            (i32.load offset=80 (local.get $fp)))
          (func $g))
        """

    /// The first store checks [fp, fp+80); the two narrower ones after it (one after a call, one inside an if)
    /// need nothing; the load that reaches fp+84 keeps its check.
    @Test func aFramesAccessesShareOneCheck() throws {
        let (checked, proven) = counts(try lower(Self.frame))
        #expect(checked == 2 && proven == 2)
    }

    @Test func guardModeIsUnchanged() throws {
        let c = try lower(Self.frame, guardPages: true)
        #expect(!c.contains("(in bounds)"))
    }

    /// Below the declared minimum a constant address needs no check; one byte past it does.
    @Test func constantAddressesBelowTheMinimum() throws {
        let c = try lower("""
            (module (memory 1)
              (func (export "a") (result i32) (i32.load (i32.const 65532)))
              (func (export "b") (result i32) (i32.load (i32.const 65533))))
            """)
        #expect(counts(c).checked == 1 && counts(c).proven == 1)
    }

    /// Facts stop where the local changes or where a path that skipped the check joins.
    @Test func factsStopAtAssignmentsAndJoins() throws {
        let c = try lower("""
            (module (memory 1)
              (func (export "a") (param $p i32) (param $c i32) (result i32)
                (if (local.get $c) (then (drop (i32.load offset=12 (local.get $p)))))
                (i32.load offset=8 (local.get $p)))
              (func (export "b") (param $p i32) (param $q i32) (result i32)
                (drop (i32.load offset=12 (local.get $p)))
                (local.set $p (local.get $q))
                (i32.load offset=8 (local.get $p))))
            """)
        #expect(counts(c).checked == 4 && counts(c).proven == 0)
    }

    /// Value ranges: a masked index into a table below the declared minimum needs no check; one entry
    /// further, a shift or remainder that reaches past it, or a mask of an unknown value keep theirs (the two
    /// byte loads of "bytes" share one widened check)
    /// (Fixtures/wast/proven_bounds.wast runs the same functions).
    @Test func maskedTableIndexes() throws {
        let c = try lower("""
            (module (memory 1)
              (func (export "in") (param $x i32) (result i32)
                (i32.load offset=64512 (i32.shl (i32.and (local.get $x) (i32.const 255)) (i32.const 2))))
              (func (export "past") (param $x i32) (result i32)
                (i32.load offset=64516 (i32.shl (i32.and (local.get $x) (i32.const 255)) (i32.const 2))))
              (func (export "shifted") (param $x i32) (result i32) (i32.load16_u (i32.shr_u (local.get $x) (i32.const 16))))
              (func (export "rem") (param $x i32) (result i32) (i32.load8_u offset=2 (i32.rem_u (local.get $x) (i32.const 65533))))
              (func (export "bytes") (param $p i32) (result i32)
                (i32.load8_u (i32.mul (i32.add (i32.load8_u (local.get $p)) (i32.load8_u offset=1 (local.get $p))) (i32.const 128))))
              (func (export "unknown") (param $x i32) (param $y i32) (result i32) (i32.load8_u (i32.and (local.get $x) (local.get $y)))))
            """)
        #expect(counts(c).proven == 4 && counts(c).checked == 4)
    }

    /// Loads through one local in straight-line code share the first one's check, widened; a store or a
    /// call between keeps the later access's own check (Fixtures/wast/proven_bounds.wast traps them all).
    @Test func straightLineLoadsShareAWidenedCheck() throws {
        let c = try lower("""
            (module (memory 1) (func $f)
              (func (export "a") (param $p i32) (result i32)
                (i32.add (i32.load8_u (local.get $p)) (i32.add (i32.load offset=8 (local.get $p)) (i32.load16_u offset=2 (local.get $p)))))
              (func (export "b") (param $p i32) (result i32)
                (drop (i32.load8_u (local.get $p)))
                (call $f)
                (i32.load offset=8 (local.get $p))))
            """)
        #expect(c.components(separatedBy: "kiln_memory_check(ctx, mem0, (u64)l0, 0u, 12u); ").count == 2)
        #expect(counts(c).proven == 2 && counts(c).checked == 3)
    }
}
