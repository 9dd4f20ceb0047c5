/// Counts and failures for one `.wast` file, and the totals over a run.
public struct WastReport: Sendable {
    public struct Failure: Sendable {
        public let line: Int
        public let directive: String
        public let reason: String
    }

    public let file: String
    /// The script's path as given (`file` is its last component).
    public var path = ""
    public var passed = 0
    public var failed = 0
    public var skipped = 0
    public var failures: [Failure] = []
    /// Rejections whose reason does not start with the script's expected message (not failures: the
    /// spec leaves the wording to each engine; listed with --verbose so wording drift is visible).
    public var messageMismatches: [Failure] = []
    /// Failures a list excused (ExpectedFailures), counted as skipped.
    public var expectedFailures: [Failure] = []

    public init(file: String) { self.file = file }

    /// `address.wast: 260 passed, 0 failed, 1015 skipped`, then the first failure (all with `verbose`).
    public func render(verbose: Bool) -> String {
        var lines = ["\(file): \(passed) passed, \(failed) failed, \(skipped) skipped"]
        for failure in verbose ? failures : Array(failures.prefix(1)) {
            lines.append("  line \(failure.line): \(failure.directive): \(failure.reason)")
        }
        if verbose {
            for mismatch in messageMismatches {
                lines.append("  note: line \(mismatch.line): \(mismatch.directive): \(mismatch.reason)")
            }
            for excused in expectedFailures {
                lines.append("  expected failure: line \(excused.line): \(excused.directive): \(excused.reason)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The totals line, exactly `N passed, M failed, K skipped`.
public struct WastSummary: Sendable {
    public var passed = 0
    public var failed = 0
    public var skipped = 0

    public init(_ reports: [WastReport]) {
        for report in reports {
            passed += report.passed
            failed += report.failed
            skipped += report.skipped
        }
    }

    public var line: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}
