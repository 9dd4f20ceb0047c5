import Foundation
import KilnModel
import Testing

@testable import KilnWast

/// Scripts run directive by directive without a build plan (validation only): modules must validate,
/// assert_invalid and assert_malformed modules must be rejected, and directives that need execution are
/// skipped.
struct WastRunnerTests {
    /// Writes `text` as `name` in a fresh directory, runs it, and removes the directory.
    static func run(_ text: String, name: String = "script.wast", version: WasmVersion = .v3) throws -> WastReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-wast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return WastRunner.runFile(path, version: version)
    }

    /// The 2.0 suite's assertions that 3.0 reversed hold with `--spec-version 2.0`, and only there.
    @Test func aScriptReadAs20KeepsTheRules30Changed() throws {
        let script = """
            (assert_invalid (module (global i32 (i32.const 0)) (global i32 (global.get 0))) "unknown global")
            (assert_invalid (module (memory 0) (memory 0)) "multiple memories")
            (assert_malformed (module binary "\\00asm\\01\\00\\00\\00" "\\05\\03\\01\\04\\00") "integer too large")
            """
        let as20 = try Self.run(script, version: .v2)
        #expect(as20.passed == 3 && as20.failed == 0)
        let as30 = try Self.run(script)
        #expect(as30.passed == 0 && as30.failed == 3)
    }

    static let script = """
        (module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
        (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
        (assert_invalid
          (module (func (result i32) (f64.const 0)))
          "type mismatch")
        (assert_malformed
          (module quote "(func (result i32) i32.const 0")
          "unexpected end")
        (assert_invalid
          (module (func (result i32) (i32.const 0)))
          "type mismatch")
        """

    @Test func countsPassedFailedAndSkipped() throws {
        let report = try Self.run(Self.script)
        #expect(report.file == "script.wast")
        #expect(report.passed == 3)  // the module, the first assert_invalid, the assert_malformed
        #expect(report.failed == 1)  // the assert_invalid whose module is valid
        #expect(report.skipped == 1)  // assert_return needs execution
        #expect(report.failures.count == 1)
        let failure = try #require(report.failures.first)
        #expect(failure.line == 10)  // where the directive starts
        #expect(failure.directive == "assert_invalid")
        #expect(failure.reason == "module accepted, expected invalid: \"type mismatch\"")
    }

    @Test func rejectionsWithDifferentWordingPassButAreNoted() throws {
        let report = try Self.run("""
            (assert_invalid (module (func (result i32) (f64.const 0))) "unknown label")
            (assert_malformed (module binary "\\00asm\\02\\00\\00\\00") "unknown binary version")
            """)
        #expect(report.passed == 2)
        #expect(report.failed == 0)
        #expect(report.messageMismatches.map(\.line) == [1])
        #expect(report.messageMismatches.first?.reason.hasPrefix("expected \"unknown label\", got invalid module: func 0 at offset 0x") == true)
    }

    @Test func assertMalformedOfAValidModuleFails() throws {
        let report = try Self.run("(assert_malformed (module binary \"\\00asm\\01\\00\\00\\00\") \"unexpected end\")")
        #expect(report.passed == 0)
        #expect(report.failed == 1)
        #expect(report.failures.first?.reason == "module accepted, expected malformed: \"unexpected end\"")
    }

    @Test func invalidTopLevelModuleFails() throws {
        let report = try Self.run("(module (func (result i32) (i64.const 0)))")
        #expect(report.failed == 1)
        #expect(report.failures.first?.directive == "module")
        #expect(report.failures.first?.reason.hasPrefix("module rejected: invalid module: func 0") == true)
    }

    @Test func missingFileIsOneFailure() {
        let report = WastRunner.runFile("/nonexistent/kiln/script.wast")
        #expect(report.file == "script.wast")
        #expect(report.failed == 1)
        #expect(report.passed == 0)
        #expect(report.failures.first?.directive == "file")
    }

    @Test func summaryLineAddsUpReports() throws {
        var a = WastReport(file: "a.wast")
        a.passed = 10
        a.failed = 2
        a.skipped = 3
        var b = WastReport(file: "b.wast")
        b.passed = 5
        b.skipped = 1
        #expect(WastSummary([a, b]).line == "15 passed, 2 failed, 4 skipped")
        #expect(WastSummary([]).line == "0 passed, 0 failed, 0 skipped")
        let report = try Self.run(Self.script)
        #expect(WastSummary([report]).line == "3 passed, 1 failed, 1 skipped")
        #expect(WastSummary([report, report]).line == "6 passed, 2 failed, 2 skipped")
    }

    @Test func renderShowsTheFirstFailureOrAllWhenVerbose() throws {
        var report = WastReport(file: "x.wast")
        report.passed = 1
        report.failed = 2
        report.failures = [
            .init(line: 3, directive: "assert_invalid", reason: "first"),
            .init(line: 9, directive: "module", reason: "second"),
        ]
        report.messageMismatches = [.init(line: 5, directive: "assert_malformed", reason: "wording")]
        #expect(report.render(verbose: false) == """
            x.wast: 1 passed, 2 failed, 0 skipped
              line 3: assert_invalid: first
            """)
        #expect(report.render(verbose: true) == """
            x.wast: 1 passed, 2 failed, 0 skipped
              line 3: assert_invalid: first
              line 9: module: second
              note: line 5: assert_malformed: wording
            """)
    }

    @Test func runPrintsReportsInTheOrderGiven() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-wast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for i in 0..<5 {
            let path = directory.appendingPathComponent("s\(i).wast").path
            let modules = String(repeating: "(module (func))\n", count: i + 1)
            try Data(modules.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let lines = Lines()
        let summary = WastRunner.run(files: paths, jobs: 3, options: .init(plan: nil)) { lines.append($0) }
        #expect(lines.all == (0..<5).map { "s\($0).wast: \($0 + 1) passed, 0 failed, 0 skipped" })
        #expect(summary.line == "15 passed, 0 failed, 0 skipped")
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    /// A stray `)` once ended the script silently: the directives after it never ran and it still passed.
    @Test func aStrayCloseParenFailsTheScriptNamingItsLine() throws {
        let report = try Self.run("""
            (module (func (export "f") (result i32) (i32.const 1)))
            )
            (assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
            """)
        #expect(report.failed == 1)
        #expect(report.failures.map(\.line) == [2])
        #expect(report.failures.first?.reason.contains("unmatched ')'") == true)
    }

    /// Parentheses inside strings and comments do not count.
    @Test func parenthesesInStringsAndCommentsAreIgnored() {
        #expect(StrayParen.line(in: #"(module (func (export ")\")")) ;; )"# + "\n(; ) (; ) ;) ;)\n") == nil)
        #expect(StrayParen.line(in: "(a)\n(b))\n") == 2)
    }
}
