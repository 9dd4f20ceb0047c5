import Foundation
import KilnBuild
import Testing

@testable import KilnWast

/// Fixtures/wast/loop_versioning.wast executed at -O0 and -O2 (where clang vectorizes the unchecked copies
/// of the loops): traps at the spec's access and iteration with earlier stores visible, and the sequential
/// result when arrays overlap.
struct LoopVersioningTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: [0, 2]) func hoistedChecksKeepTheSpecsTrapsAndResults(optimization: Int) throws {
        let plan = BuildPlan(flags: CompileFlags(optimization: optimization, warningsAsErrors: true), runtime: try RuntimeSources())
        let path = Self.root.appendingPathComponent("Fixtures/wast/loop_versioning.wast").path
        let report = WastRunner.runFileOnLargeStack(path, plan: plan)
        #expect(report.failures.isEmpty, "\(report.failures.map { "line \($0.line): \($0.reason)" })")
        #expect(report.passed == 29)
        #expect(report.skipped == 0)
    }
}
