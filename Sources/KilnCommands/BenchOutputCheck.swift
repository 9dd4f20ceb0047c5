import Foundation

/// Whether two runs printed the same stdout and exited alike, and if not, where they first differ.
enum BenchOutputCheck {
    /// Nil when the runs agree; otherwise lines that say how: the first differing line of stdout as each
    /// run printed it, and the exit statuses. `names` label the runs (their engines).
    static func difference(
        _ expected: ChildProcess.Outcome, _ actual: ChildProcess.Outcome, names: (expected: String, actual: String)
    ) -> [String]? {
        // Two runs of one engine (a nondeterministic module) need other labels than their engine's.
        let (first, second) = names.expected == names.actual ? ("first", "this") : names
        let width = max(first.count, second.count) + 1
        func label(_ name: String) -> String { (name + ":").padding(toLength: width, withPad: " ", startingAt: 0) }
        var lines: [String] = []
        if expected.stdout != actual.stdout {
            let old = split(expected.stdout)
            let new = split(actual.stdout)
            let common = min(old.count, new.count)
            let index = (0..<common).first { old[$0] != new[$0] } ?? common
            lines.append("stdout line \(index + 1):")
            lines.append("  \(label(first)) " + quoted(old, index))
            lines.append("  \(label(second)) " + quoted(new, index))
        }
        if expected.termination != actual.termination {
            func status(_ run: ChildProcess.Outcome) -> String {
                if case .exit(let status) = run.termination { "\(status)" } else { run.termination.description }
            }
            lines.append("exit status: \(first) \(status(expected)), \(second) \(status(actual))")
        }
        return lines.isEmpty ? nil : lines
    }

    /// Lines with their terminators, so that a missing final newline is a difference too.
    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.endIndex { lines.append(bytes[start...]) }
        return lines
    }

    static func quoted(_ lines: [ArraySlice<UInt8>], _ index: Int) -> String {
        guard index < lines.count else { return "(end of output)" }
        let line = String(decoding: lines[index], as: UTF8.self)
        let complete = line.hasSuffix("\n")
        let text = complete ? String(line.dropLast()) : line
        return "\"" + (text.count > 200 ? String(text.prefix(200)) + "…" : text) + "\"" + (complete ? "" : " (no newline at end)")
    }
}
