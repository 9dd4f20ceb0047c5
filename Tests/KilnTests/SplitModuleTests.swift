import Foundation
import Kiln
import Testing

/// A module large enough to be split into units, built at -O2: calls across units, into the copies of small
/// functions a unit gets (UnitCopies) and the originals, give the module's results, and a trap inside a copy
/// comes back as a trap whose frame names a function of the module.
@Suite struct SplitModuleTests {
    /// $huge0 and $huge1 each fill a unit of their own; $small and $smaller (copied into $huge0's unit) and
    /// $big_callee (too large to copy) share the last. sum(0..<4000) is 7998000; $big_callee xors 0..<400, whose
    /// xor is 0.
    static let text: String = {
        let bulk = (0..<4000).map { "(local.set 1 (i32.add (local.get 1) (i32.const \($0))))" }.joined(separator: "\n")
        let big = (0..<400).map { "(local.set 0 (i32.xor (local.get 0) (i32.const \($0))))" }.joined(separator: "\n")
        return """
            (module
              (func $huge0 (export "huge0") (param i32) (result i32) (local i32) \(bulk) (i32.add (local.get 1) (call $small (local.get 0))))
              (func $huge1 (export "huge1") (param i32) (result i32) (local i32) \(bulk) (i32.add (local.get 1) (call $big_callee (local.get 0))))
              (func $main (export "main") (param i32) (result i32) (call $small (local.get 0)))
              (func $small (param i32) (result i32) (i32.mul (call $smaller (local.get 0)) (i32.const 3)))
              (func $smaller (param i32) (result i32) (i32.add (i32.div_s (i32.const 700) (local.get 0)) (i32.const 7)))
              (func $big_callee (param i32) (result i32) \(big) (local.get 0)))
            """
    }()

    @Test func callsAcrossUnitsAndIntoCopiesGiveTheModulesResults() throws {
        let engine = try Engine(Configuration(optimization: 2, cache: .directory(Shared.cacheDirectory)))
        let module = try Module(engine: engine, wat: Self.text, name: "split.wat")
        let instance = try Linker().instantiate(module, in: Store())
        let huge0 = try instance.typedFunction("huge0", Int32.self, Int32.self)
        let huge1 = try instance.typedFunction("huge1", Int32.self, Int32.self)
        let main = try instance.typedFunction("main", Int32.self, Int32.self)
        #expect(try huge0(1) == 7_998_000 + (700 + 7) * 3)
        #expect(try huge0(-7) == 7_998_000 + (-100 + 7) * 3)
        #expect(try huge1(5) == 7_998_005)
        #expect(try main(7) == (100 + 7) * 3)
        let trap = #expect(throws: Trap.self) { try huge0(0) }
        #expect(trap?.trapKind == .integerDivideByZero)
        // In the copy of $smaller, or in $huge0 where clang inlined it; never an unknown frame.
        let index = try #require(trap?.backtrace.first?.functionIndex)
        #expect([0, 3, 4].contains(index), "\(index)")
        #expect(try huge0(1) == 7_998_000 + (700 + 7) * 3)
    }
}
