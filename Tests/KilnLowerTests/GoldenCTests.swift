import Foundation
import KilnBuild
import KilnDecode
import KilnLower
import KilnValidate
import Testing

/// The C Kiln emits for a small module, compared with the committed golden file so a reviewer sees
/// exactly what changes, and compiled with -Wall -Wextra -Werror at -O0 and -O2.
@Suite struct GoldenCTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func lower(_ relativePath: String, name: String) throws -> String {
        let text = try String(contentsOf: Self.root.appendingPathComponent(relativePath), encoding: .utf8)
        let module = try ModuleSource.text(text).decode()
        let validated = try ModuleValidator.validate(module)
        let program = try ModuleLowerer.lower(validated, options: .init(name: name, kilnVersion: "0.1.0"))
        return try #require(program.files["module.c"])
    }

    @Test func facMatchesGolden() throws {
        let emitted = try lower("Fixtures/wat/fac.wat", name: "fac.wat")
        let golden = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/golden/fac.c"), encoding: .utf8)
        #expect(emitted == golden, "regenerate with: kiln compile Fixtures/wat/fac.wat --emit-c DIR")
    }

    /// Loop versioning: the range check before each loop, the unchecked counted copy, the checked original.
    @Test func loopKernelsMatchGolden() throws {
        let emitted = try lower("Fixtures/wat/loops.wat", name: "loops.wat")
        let golden = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/golden/loops.c"), encoding: .utf8)
        #expect(emitted == golden, "regenerate with: kiln compile Fixtures/wat/loops.wat --emit-c DIR")
        // Eight loops, among them a negative index counting up to zero, a counter that is its own condition,
        // dependent iterations, a float reduction, and steps known only at run time (issue 14).
        #expect(emitted.components(separatedBy: "checked once for every iteration").count == 9)
        #expect(emitted.contains("= (s64)(kiln_loop_local(mem0, l2) * 2);"))
        #expect(emitted.contains("kiln_loop_disjoint("))
        // Where disjointness is checked, a second unchecked copy without `assume_safety` runs when it fails;
        // the float reduction gets only that copy (a forced vectorization may reassociate it).
        let counted = emitted.components(separatedBy: "  for (k1 = 0; k1 < t1; k1++) {").count - 1
        let vectorized = emitted.components(separatedBy: "#pragma clang loop vectorize(assume_safety)").count - 1
        #expect(counted == 10 && vectorized == 7)
    }

    @Test func loweringIsDeterministic() throws {
        #expect(try lower("Fixtures/wat/fac.wat", name: "fac.wat") == lower("Fixtures/wat/fac.wat", name: "fac.wat"))
    }

    @Test(arguments: [0, 2]) func emittedCCompilesWithWarningsAsErrors(optimization: Int) throws {
        let runtime = try RuntimeSources()
        for fixture in ["Fixtures/wat/fac.wat", "Fixtures/wat/features.wat", "Fixtures/wat/loops.wat"] {
            let directory = NSTemporaryDirectory() + "kiln-golden-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let text = try String(contentsOf: Self.root.appendingPathComponent(fixture), encoding: .utf8)
            let validated = try ModuleValidator.validate(try ModuleSource.text(text).decode())
            let program = try ModuleLowerer.lower(validated, options: .init(name: fixture, kilnVersion: "0.1.0"))
            let plan = BuildPlan(flags: CompileFlags(optimization: optimization, warningsAsErrors: true), runtime: runtime)
            let path = try plan.buildSharedObject(program, in: directory)
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func functionsAreNamedFromTheNameSection() throws {
        let emitted = try lower("Fixtures/wat/fac.wat", name: "fac.wat")
        #expect(emitted.contains("static KILN_UNUSED u64 func0_fac(kiln_instance* self, u64 l0) {"))
        #expect(emitted.contains("/* func 1 $fac_iter: [i64] -> [i64], type 0, body at 0x"))
    }

    @Test func everyLoadAndStoreGoesThroughACheckedHelper() throws {
        let emitted = try lower("Fixtures/wat/features.wat", name: "features.wat")
        // `->data_size` is the segment bookkeeping; any other `->data` would be a direct memory access.
        #expect(!emitted.replacingOccurrences(of: "->data_size", with: "").contains("->data"),
                "generated code must never index memory directly")
        #expect(emitted.contains("kiln_i32_load(ctx, mem0, (u64)"))
        #expect(emitted.contains("kiln_i64_store8(ctx, mem0, (u64)"))
    }
}
