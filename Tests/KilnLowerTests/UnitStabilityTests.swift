import Foundation
@testable import KilnBuild
import KilnDecode
@testable import KilnLower
import KilnValidate
import Testing

/// A module with one function changed lowers to the same C everywhere else (issue 20, part 3), comments
/// aside (they keep module offsets for people): the same function texts, the same module.h, and units cut at
/// the same places, so their cached objects are reused.
@Suite struct UnitStabilityTests {
    /// Three functions after one that grows: its growth moves their bodies, and the data segment's contents
    /// change too, as a real edit's string constants do.
    static func module(changed: Bool) -> String {
        let extra = changed ? "(drop (i32.const 42)) (drop (i32.const 43))" : ""
        let data = changed ? "a longer string than before" : "a string"
        return """
            (module
              (memory 1)
              (data (i32.const 16) "\(data)")
              (func $edited (param i32) (result i32) \(extra) (i32.add (local.get 0) (i32.const 1)))
              (func $sum (param $n i32) (result i32) (local $i i32) (local $s i32)
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                    (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l)))
                (local.get $s))
              (func $trap (param i32) (result i32) (i32.div_s (i32.const 7) (local.get 0)))
              (func (export "main") (result i32)
                (i32.add (call $edited (i32.const 1)) (call $sum (call $trap (i32.const 2))))))
            """
    }

    static func lowered(changed: Bool) throws -> (functions: [String], files: [String: String]) {
        let validated = try ModuleValidator.validate(ModuleSource.text(module(changed: changed)).decode())
        let context = LoweringContext(validated, split: true, boundsGuard: false, interruption: .none)
        let functions = try ModuleLowerer.lowerFunctions(context)
        let files = try ModuleLowerer.lower(validated, options: .init(name: changed ? "b.wasm" : "a.wasm", kilnVersion: "0.1.0", splitThreshold: 0)).files
        return (functions, files)
    }

    @Test func aChangedFunctionLeavesTheOthersCAndTheSharedHeaderAlone() throws {
        let before = try Self.lowered(changed: false)
        let after = try Self.lowered(changed: true)
        let code = { (text: String) in CCode.withoutComments(text) }
        #expect(code(before.functions[0]) != code(after.functions[0]))
        for (old, new) in zip(before.functions, after.functions).dropFirst() {
            // The comments name the moved module offsets; the code does not.
            #expect(old != new)
            #expect(code(old) == code(new), "\(new)")
        }
        let header = try #require(before.files["module.h"])
        #expect(code(header) == code(try #require(after.files["module.h"])))
        // Only instance.c knows where bodies start (and the data).
        #expect(code(try #require(before.files["instance.c"])) != code(try #require(after.files["instance.c"])))
    }

    /// Sizes like a real module's: mostly small functions, some large, now and then a huge one.
    static func sizes(_ generator: inout SplitMix) -> [Int] {
        (0..<700).map { _ in
            let roll = generator.next() % 100
            return roll < 2 ? 200_000 + Int(generator.next() % 500_000) : roll < 20 ? 5_000 + Int(generator.next() % 40_000) : 200 + Int(generator.next() % 4_000)
        }
    }

    static func units(_ sizes: [Int]) -> [[Int]] {
        UnitPartitioner.ranges(sizes, firstIndex: 10).map { range in range.map { 10 + $0 } }
    }

    @Test func partitioningTextsIsPartitioningTheirSizes() {
        let texts = (0..<400).map { String(repeating: "x", count: 100 + ($0 * 7919) % 20_000) }
        let units = UnitPartitioner.partition(texts, firstIndex: 3)
        #expect(units.count > 4)
        #expect(units.map { $0.functions.count } == UnitPartitioner.ranges(texts.map(\.utf8.count), firstIndex: 3).map(\.count))
        #expect(units.flatMap(\.functions) == texts)
        #expect(units.map(\.firstIndex) == UnitPartitioner.ranges(texts.map(\.utf8.count), firstIndex: 3).map { 3 + $0.lowerBound })
    }

    @Test func oneFunctionsGrowthMovesFewUnitBoundaries() {
        var generator = SplitMix(seed: 20)
        var changedUnits: [Int] = []
        for _ in 0..<100 {
            var sizes = Self.sizes(&generator)
            let before = Self.units(sizes)
            let edited = Int(generator.next() % UInt64(sizes.count))
            sizes[edited] += 1 + Int(generator.next() % 3_000)
            let after = Self.units(sizes)
            // Units are what the cache keys: those not in both partitions are the ones that recompile (besides
            // the one holding the edited function, whose C changed anyway).
            let kept = Set(before)
            let recompiled = after.filter { !kept.contains($0) || $0.contains(10 + edited) }
            changedUnits.append(recompiled.count)
            #expect(recompiled.count <= 3, "function \(edited) of \(sizes.count)")
        }
        // Usually exactly the edited function's unit.
        #expect(changedUnits.filter { $0 == 1 }.count >= 90, "\(changedUnits)")
    }

    @Test func unitsAreAboutTheTargetSizeAndAHugeFunctionIsAlone() {
        var generator = SplitMix(seed: 7)
        let sizes = Self.sizes(&generator)
        let units = Self.units(sizes)
        let target = 256 * 1024
        let huge = { (index: Int) in sizes[index - 10] >= target }
        for (i, unit) in units.enumerated() {
            let bytes = unit.reduce(0) { $0 + sizes[$1 - 10] }
            if unit.contains(where: huge) {
                #expect(unit.count == 1)
            } else {
                // Smaller than half the target only before a huge function, or at the end.
                let cutShort = i + 1 == units.count || huge(units[i + 1][0])
                #expect(bytes >= target / 2 || cutShort, "unit \(i): \(bytes) bytes")
                // At most twice the target, plus the function that crossed it.
                #expect(bytes < 2 * target + 45_000, "unit \(i): \(bytes) bytes")
            }
        }
        #expect(units.contains { $0.count > 1 })
        #expect(units.flatMap { $0 } == Array(10..<10 + sizes.count))
    }
}

/// A small, seeded generator for reproducible test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
