import Foundation
import KilnBuild
import Testing

@testable import KilnWast

/// The team's scripts for what lowering does beyond the spec suite, executed at -O0 and -O2 (where clang
/// vectorizes and inlines): loop versioning (traps at the spec's access and iteration with earlier stores
/// visible, the sequential result when arrays overlap), call_indirect through tables that never change, and
/// operands read in place (atoms stored before their local changes and before labels), and every regression
/// script found by difftest and fuzzing. Every script in Fixtures/wast runs, so a new one needs no entry here.
struct FixtureWastTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts: [String] = {
        let directory = root.appendingPathComponent("Fixtures/wast").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".wast") }.sorted()
    }()

    @Test func scriptsAreFound() {
        #expect(Self.scripts.contains("loop_versioning.wast"))
        #expect(Self.scripts.contains("dead_code_branches.wast"))
    }

    @Test(arguments: scripts, [0, 2])
    func scriptPasses(file: String, optimization: Int) throws {
        let plan = BuildPlan(flags: CompileFlags(optimization: optimization, warningsAsErrors: true), runtime: try RuntimeSources())
        let path = Self.root.appendingPathComponent("Fixtures/wast/\(file)").path
        let report = WastRunner.runFileOnLargeStack(path, plan: plan)
        #expect(report.failures.isEmpty, "\(report.failures.map { "line \($0.line): \($0.reason)" })")
        #expect(report.passed > 0)
        #expect(report.skipped == 0)
    }

    /// Bounds mode "guard": the same scripts, with out-of-bounds accesses caught as faults in the guarded
    /// reservation instead of by checks (loop iterations stay ordered, so the stores before a trap are kept).
    /// At -O0 too: there clang copied a v128 store as two 8-byte moves, so a store straddling the end wrote
    /// its first half before faulting (reliability_bounds.wast, RELIABILITY.md line 5).
    @Test(arguments: scripts, [0, 2])
    func scriptPassesWithGuardPages(file: String, optimization: Int) throws {
        let flags = CompileFlags(optimization: optimization, warningsAsErrors: true, boundsGuard: true)
        let report = WastRunner.runFileOnLargeStack(
            Self.root.appendingPathComponent("Fixtures/wast/\(file)").path, plan: BuildPlan(flags: flags, runtime: try RuntimeSources()))
        #expect(report.failures.isEmpty, "\(report.failures.map { "line \($0.line): \($0.reason)" })")
        #expect(report.passed > 0)
        #expect(report.skipped == 0)
    }
}
