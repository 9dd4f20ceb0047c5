import Testing

@testable import KilnWast

/// `--expected-failures`: a listed failure counts as skipped with its reason; a listed directive that did not fail
/// is a failure (a stale entry); entries name a script by the end of its path, so `threads/imports.wast` leaves
/// the 2.0 suite's `imports.wast` alone.
struct ExpectedFailuresTests {
    static let list = """
        # why these fail
        threads/imports.wast:309 one table per module is Wasm 1.0's rule
        threads/imports.wast:400 stale
        """

    static func report(_ path: String, failing lines: [Int]) -> WastReport {
        var report = WastReport(file: String(path.split(separator: "/").last!))
        report.path = path
        report.passed = 10
        report.failed = lines.count
        report.failures = lines.map { .init(line: $0, directive: "assert_invalid", reason: "module accepted") }
        return report
    }

    @Test func aListedFailureIsSkippedAndAStaleEntryFails() throws {
        let expected = try ExpectedFailures(text: Self.list)
        var report = Self.report("../shared/testsuite/threads/imports.wast", failing: [309, 313])
        expected.apply(to: &report)
        #expect(report.skipped == 1)
        #expect(report.expectedFailures.map(\.line) == [309])
        #expect(report.expectedFailures.first?.reason == "one table per module is Wasm 1.0's rule")
        // 313 is not listed; 400 is listed but passed.
        #expect(report.failed == 2)
        #expect(report.failures.map(\.line) == [313, 400])
        #expect(report.failures.last?.reason.contains("did not fail") == true)
    }

    @Test func entriesMatchWholePathComponents() throws {
        let expected = try ExpectedFailures(text: Self.list)
        for path in ["../shared/testsuite/wasm-2.0/imports.wast", "imports.wast", "/x/nothreads/imports.wast"] {
            var report = Self.report(path, failing: [309])
            expected.apply(to: &report)
            #expect(report.failed == 1 && report.skipped == 0 && report.expectedFailures.isEmpty, "\(path)")
        }
    }

    @Test(arguments: ["imports.wast 309 why", "imports.wast:x why", "imports.wast:309"])
    func malformedLinesAreRefused(_ line: String) {
        #expect(throws: ExpectedFailuresError.self) { try ExpectedFailures(text: line) }
    }
}
