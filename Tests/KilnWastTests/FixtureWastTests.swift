import Foundation
import KilnBuild
import Testing

@testable import KilnWast

/// The team's scripts for what lowering does beyond the spec suite, executed at -O0 and -O2 (where clang
/// vectorizes and inlines): loop versioning (traps at the spec's access and iteration with earlier stores
/// visible, the sequential result when arrays overlap), call_indirect through tables that never change, and
/// operands read in place (atoms stored before their local changes and before labels).
struct FixtureWastTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: [("loop_versioning.wast", 29), ("sealed_tables.wast", 13), ("operand_atoms.wast", 24)], [0, 2])
    func scriptPasses(file: (name: String, directives: Int), optimization: Int) throws {
        let plan = BuildPlan(flags: CompileFlags(optimization: optimization, warningsAsErrors: true), runtime: try RuntimeSources())
        let path = Self.root.appendingPathComponent("Fixtures/wast/\(file.name)").path
        let report = WastRunner.runFileOnLargeStack(path, plan: plan)
        #expect(report.failures.isEmpty, "\(report.failures.map { "line \($0.line): \($0.reason)" })")
        #expect(report.passed == file.directives)
        #expect(report.skipped == 0)
    }

    /// Bounds mode "guard": the same scripts, with out-of-bounds accesses caught as faults in the guarded
    /// reservation instead of by checks (loop iterations stay ordered, so the stores before a trap are kept).
    @Test(arguments: [("loop_versioning.wast", 29), ("sealed_tables.wast", 13), ("operand_atoms.wast", 24)])
    func scriptPassesWithGuardPages(file: (name: String, directives: Int)) throws {
        let flags = CompileFlags(optimization: 2, warningsAsErrors: true, boundsGuard: true)
        let report = WastRunner.runFileOnLargeStack(
            Self.root.appendingPathComponent("Fixtures/wast/\(file.name)").path, plan: BuildPlan(flags: flags, runtime: try RuntimeSources()))
        #expect(report.failures.isEmpty, "\(report.failures.map { "line \($0.line): \($0.reason)" })")
        #expect(report.passed == file.directives)
    }
}
