@testable import KilnLower
import Testing

/// Which loop shapes versioning takes (LowerLoopVersioning): a `br_if 0` back edge, or a `br 0` back edge right
/// after the exit that counts, which the counted copy takes once after its last iteration; not a loop that may
/// leave before its count runs out (its span checks would cost more than they save).
@Suite struct LoopShapesTests {
    static func versioned(_ body: String, params: String = "(param $p i32) (param $n i32)") throws -> String {
        try Lowered.moduleC("""
            (module (memory 1)
              (func (export "f") \(params) (result i32) (local $i i32) (local $s i32)
                \(body)
                (local.get $s)))
            """)
    }

    @Test func aCounterExitBeforeABrZeroBackEdgeIsCounted() throws {
        let c = try Self.versioned("""
            (block $out
              (loop $l
                (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
                (br_if $out (i32.ge_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))
                (br $l)))
            """)
        #expect(c.contains("checked once for every iteration"))
        #expect(c.contains("kiln_loop_trips_lt_u("))
        // After the counted loop: the exit, then the checked loop should the count have been short.
        let lines = c.components(separatedBy: "\n").filter { !$0.hasPrefix("#line") }
        let exit = try #require(lines.firstIndex { $0.hasPrefix("  if (") && $0.contains("goto B") && $0.contains("br_if") })
        let counted = try #require(lines.firstIndex { $0.contains("for (k") })
        #expect(counted < exit)
        #expect(lines[exit + 1].trimmingCharacters(in: .whitespaces).hasPrefix("goto L"))
    }

    @Test func anEqzCounterExitCountsDownToZero() throws {
        let c = try Self.versioned("""
            (block $out
              (loop $l
                (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br_if $out (i32.eqz (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (br $l)))
            """)
        #expect(c.contains("kiln_loop_trips_ne("))
    }

    @Test func aLoopThatMayLeaveEarlyRunsChecked() throws {
        let c = try Self.versioned("""
            (block $out
              (loop $l
                (br_if $out (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
            """)
        #expect(!c.contains("checked once for every iteration"))
        // A `br_if 0` that continues from the middle of the body is no back edge.
        let middle = try Self.versioned("""
            (loop $l
              (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (br_if $l (i32.and (local.get $s) (i32.const 1)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            """)
        #expect(!middle.contains("checked once for every iteration"))
    }
}
