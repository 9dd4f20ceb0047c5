import Foundation

/// Directives of a script known to fail for a reason outside Kiln, each with that reason: the threads
/// proposal's repository forked the spec before Wasm 2.0, and a few of its assertions hold only for Wasm 1.0
/// (one table per module). Read from a file of lines `threads/imports.wast:309 why`, the file named by the end
/// of its path (whole components); `#` starts a comment.
///
/// A listed directive that fails is counted as skipped, its reason shown with --verbose; one that passes is a
/// failure, so that the list cannot outlive what it excuses.
public struct ExpectedFailures: Sendable {
    /// Reasons by `path:line`, the path as the list gives it (its last components).
    public private(set) var reasons: [String: String] = [:]

    public init() {}

    public init(text: String) throws(ExpectedFailuresError) {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(separator: " ", maxSplits: 1)
            let key = String(parts[0])
            guard let colon = key.lastIndex(of: ":"), Int(key[key.index(after: colon)...]) != nil, parts.count == 2 else {
                throw ExpectedFailuresError(line: number + 1, text: String(raw))
            }
            reasons[key] = parts[1].trimmingCharacters(in: .whitespaces)
        }
    }

    public func apply(to report: inout WastReport) {
        guard !reasons.isEmpty else { return }
        var failures: [WastReport.Failure] = []
        let path = "/" + report.path
        // The entries naming this script, by line.
        var mine: [Int: String] = [:]
        for key in reasons.keys {
            let colon = key.lastIndex(of: ":")!
            if path.hasSuffix("/" + key[..<colon]), let line = Int(key[key.index(after: colon)...]) { mine[line] = key }
        }
        var listed = Set(mine.values)
        for failure in report.failures {
            if let key = mine[failure.line], let reason = reasons[key] {
                listed.remove(key)
                report.failed -= 1
                report.skipped += 1
                report.expectedFailures.append(.init(line: failure.line, directive: failure.directive, reason: reason))
            } else {
                failures.append(failure)
            }
        }
        // A listed directive that did not fail passed (or the file has no directive there): the entry is stale.
        for key in listed.sorted() {
            let line = Int(key[key.index(after: key.lastIndex(of: ":")!)...]) ?? 0
            report.failed += 1
            failures.append(.init(line: line, directive: "expected failure", reason: "listed as an expected failure (\(reasons[key] ?? "")) but did not fail"))
        }
        report.failures = failures
    }
}

public struct ExpectedFailuresError: Error, CustomStringConvertible {
    public let line: Int
    public let text: String
    public var description: String { "line \(line): expected `file.wast:LINE reason`, got \"\(text)\"" }
}
