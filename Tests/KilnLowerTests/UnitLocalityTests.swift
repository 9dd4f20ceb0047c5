import Foundation
import KilnBuild
import KilnDecode
@testable import KilnLower
import KilnValidate
import Testing

/// A function of a split module that only its own unit names is static there, so clang may inline it into
/// its only caller and drop it as it does wasm2c's functions; one another unit calls, or one that can become
/// a value (exported, in a table), stays hidden in module.h with a funcref in the instance.
@Suite struct UnitLocalityTests {
    /// Functions 0 and 1 are each too large to share a unit (and nothing calls them); 2 to 5 share the last one.
    static let module: String = {
        let bulk = (0..<4000).map { "(local.set 1 (i32.add (local.get 1) (i32.const \($0))))" }.joined(separator: "\n")
        return """
            (module
              (table 1 funcref)
              (elem (i32.const 0) $in_table)
              (func $huge0 (param i32) (result i32) (local i32) \(bulk) (i32.add (local.get 1) (call $called_from_afar (local.get 0))))
              (func $huge1 (param i32) (result i32) (local i32) \(bulk) (local.get 1))
              (func $main (export "main") (param i32) (result i32)
                (i32.add (call $only_here (local.get 0)) (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))))
              (func $called_from_afar (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
              (func $only_here (param i32) (result i32) (i32.add (local.get 0) (i32.const 7)))
              (func $in_table (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1))))
            """
    }()

    static func lowered() throws -> [String: String] {
        let validated = try ModuleValidator.validate(ModuleSource.text(module).decode())
        // Without UnitCopies, which would give funcs_000.c a copy of $called_from_afar (UnitCopiesTests).
        return try ModuleLowerer.lower(validated, options: .init(name: "locality.wat", kilnVersion: "0.1.0", splitThreshold: 0,
                                                                copySmallCallees: false)).files
    }

    @Test func onlyAFunctionNamedByItsOwnUnitAloneIsStatic() throws {
        let files = try Self.lowered()
        #expect(files.keys.sorted() == ["funcs_000.c", "funcs_001.c", "funcs_002.c", "instance.c", "module.h"])
        let header = try #require(files["module.h"])
        let last = try #require(files["funcs_002.c"])
        let instance = try #require(files["instance.c"])
        // Called from another unit, exported or in a table: hidden and declared.
        for name in ["func2_main(", "func3_called_from_afar(", "func5_in_table("] {
            #expect(header.contains("KILN_HIDDEN u32 \(name)"), "\(name)")
        }
        #expect(last.contains("KILN_HIDDEN u32 func3_called_from_afar(kiln_instance* self, u32 l0) {"))
        // Called only from its own unit, nowhere else: static, declared at the unit's top.
        #expect(!header.contains("func4_only_here"))
        #expect(last.components(separatedBy: "static KILN_UNUSED u32 func4_only_here(kiln_instance* self, u32 l0)").count == 3)
        #expect(!last.contains("KILN_HIDDEN u32 func4_only_here"))
        // Named by nothing at all (alone in their units): static too, and compiled without a warning.
        #expect(!header.contains("func0_huge0") && !header.contains("func1_huge1"))
        #expect(try #require(files["funcs_000.c"]).contains("static KILN_UNUSED u32 func0_huge0(kiln_instance* self, u32 l0) {"))
        // Funcrefs only for what can become a value: the export and the table's function.
        #expect(instance.contains("(void*)func2_main}"))
        #expect(instance.contains("(void*)func5_in_table}"))
        for name in ["func0_huge0", "func1_huge1", "func3_called_from_afar", "func4_only_here"] {
            #expect(!instance.contains(name), "\(name)")
        }
    }

    /// The units compile at -O2 with -Wall -Wextra -Werror (a static function nothing calls would warn) and
    /// link: no unit names a function another made static.
    @Test func theUnitsCompileWithoutWarningsAndLink() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-locality-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = BuildPlan(flags: CompileFlags(optimization: 2, warningsAsErrors: true), runtime: try RuntimeSources())
        let path = try plan.buildSharedObject(CProgram(files: try Self.lowered()), in: directory)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func namesAreFoundAsWholeIdentifiers() {
        var found: [String] = []
        UnitLocality.forEachFunctionName(in: "func1(x); myfunc2(); func3_a+func45;func;funcx1 (func6)") { found.append(String($0)) }
        #expect(found == ["func1", "func3_a", "func45", "func6"])
    }
}
