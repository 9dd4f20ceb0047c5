import Foundation
import KilnBuild
import KilnDecode
@testable import KilnLower
import KilnValidate
import Testing

/// A unit that calls a small function of another unit gets a static copy of it, so that clang can inline it as
/// it inlines wasm2c's one file; the original stays for its own unit, the instance and the funcref table.
@Suite struct UnitCopiesTests {
    /// Functions 0 and 1 are each too large to share a unit; 2 to 6 share the last one. $huge0 calls $small,
    /// which calls $smaller; $huge1 calls $big_callee, which is too large to copy.
    static let module: String = {
        let bulk = (0..<4000).map { "(local.set 1 (i32.add (local.get 1) (i32.const \($0))))" }.joined(separator: "\n")
        let big = (0..<400).map { "(local.set 0 (i32.xor (local.get 0) (i32.const \($0))))" }.joined(separator: "\n")
        return """
            (module
              (func $huge0 (export "huge0") (param i32) (result i32) (local i32) \(bulk) (i32.add (local.get 1) (call $small (local.get 0))))
              (func $huge1 (export "huge1") (param i32) (result i32) (local i32) \(bulk) (i32.add (local.get 1) (call $big_callee (local.get 0))))
              (func $main (export "main") (param i32) (result i32) (call $small (local.get 0)))
              (func $small (param i32) (result i32) (i32.mul (call $smaller (local.get 0)) (i32.const 3)))
              (func $smaller (param i32) (result i32) (i32.add (local.get 0) (i32.const 7)))
              (func $big_callee (param i32) (result i32) \(big) (local.get 0)))
            """
    }()

    static func lowered(copies: Bool = true) throws -> [String: String] {
        let validated = try ModuleValidator.validate(ModuleSource.text(module).decode())
        return try ModuleLowerer.lower(validated, options: .init(name: "copies.wat", kilnVersion: "0.1.0", splitThreshold: 0,
                                                                copySmallCallees: copies)).files
    }

    @Test func aUnitCallsItsOwnCopiesOfSmallFunctionsOfOtherUnits() throws {
        let files = try Self.lowered()
        #expect(files.keys.sorted() == ["funcs_000.c", "funcs_001.c", "funcs_002.c", "instance.c", "module.h"])
        let first = try #require(files["funcs_000.c"])
        // $small: a static copy, declared at the top, called by the copy's name.
        #expect(first.contains("static KILN_UNUSED u32 func3_small_copy(kiln_instance* self, u32 l0);"))
        #expect(first.contains("static KILN_UNUSED u32 func3_small_copy(kiln_instance* self, u32 l0) {"))
        #expect(first.contains("func3_small_copy(self, l0)"))
        #expect(!first.contains("func3_small("))
        // Not the functions the copy calls: $smaller stays in its unit, called from this one, so declared.
        #expect(first.contains("func4_smaller(self, l0)"))
        #expect(!first.contains("func4_smaller_copy"))
        let header = try #require(files["module.h"])
        let last = try #require(files["funcs_002.c"])
        #expect(header.contains("KILN_HIDDEN u32 func4_smaller(kiln_instance* self, u32 l0);"))
        // $small is now named by its own unit only: static there, and out of module.h.
        #expect(!header.contains("func3_small"))
        #expect(last.contains("static KILN_UNUSED u32 func3_small(kiln_instance* self, u32 l0) {"))
        // Too large to copy: still a call into the last unit, declared in module.h.
        let second = try #require(files["funcs_001.c"])
        #expect(second.contains("func5_big_callee(self, "))
        #expect(!second.contains("_copy"))
        #expect(header.contains("KILN_HIDDEN u32 func5_big_callee(kiln_instance* self, u32 l0);"))
    }

    /// -O0 builds (the baseline tier) get no copies: nothing inlines them there.
    @Test func noCopiesWhenTheBuildDoesNotOptimize() throws {
        let files = try Self.lowered(copies: false)
        #expect(files.values.allSatisfy { !$0.contains("_copy") })
        #expect(try #require(files["funcs_000.c"]).contains("func3_small(self, "))
    }

    /// The units compile at -O2 with -Wall -Wextra -Werror and link (no copy left undefined or clashing).
    @Test func theUnitsCompileWithoutWarningsAndLink() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-copies-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = BuildPlan(flags: CompileFlags(optimization: 2, warningsAsErrors: true), runtime: try RuntimeSources())
        let path = try plan.buildSharedObject(CProgram(files: try Self.lowered()), in: directory)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func renamingReplacesWholeNamesOnly() {
        let renamed = UnitCopies.renaming("func3(x); func33(y); myfunc3(); func3_copy; (func3)", ["func3": "func3_copy"])
        #expect(renamed == "func3_copy(x); func33(y); myfunc3(); func3_copy; (func3_copy)")
    }
}
