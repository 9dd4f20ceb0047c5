import Testing

@testable import KilnCommands

/// `BenchOutputCheck`: where two runs' outputs first differ, as `kiln bench` reports it.
@Suite struct BenchOutputCheckTests {
    static func run(_ stdout: String, exit: Int32 = 0) -> ChildProcess.Outcome {
        .init(termination: .exit(exit), wallSeconds: 1, maxRSSBytes: 1, stdout: Array(stdout.utf8), stderr: [])
    }

    @Test func agreeingRunsHaveNoDifference() {
        #expect(BenchOutputCheck.difference(Self.run("a\nb\n"), Self.run("a\nb\n"), names: ("aot", "interp")) == nil)
    }

    @Test func theFirstDifferingLineIsShownAsEachEnginePrintedIt() {
        #expect(
            BenchOutputCheck.difference(Self.run("a\nb\nc\n"), Self.run("a\nB\nc\n", exit: 1), names: ("aot", "interp")) == [
                "stdout line 2:", "  aot:    \"b\"", "  interp: \"B\"", "exit status: aot 0, interp 1",
            ])
    }

    @Test func aMissingLineOrNewlineIsADifference() {
        #expect(
            BenchOutputCheck.difference(Self.run("a\nb\n"), Self.run("a\n"), names: ("aot", "interp")) == [
                "stdout line 2:", "  aot:    \"b\"", "  interp: (end of output)",
            ])
        #expect(
            BenchOutputCheck.difference(Self.run("a\n"), Self.run("a"), names: ("aot", "interp")) == [
                "stdout line 1:", "  aot:    \"a\"", "  interp: \"a\" (no newline at end)",
            ])
    }

    @Test func twoRunsOfOneEngineAreTheFirstAndThis() {
        #expect(
            BenchOutputCheck.difference(Self.run("1\n"), Self.run("2\n"), names: ("aot", "aot")) == [
                "stdout line 1:", "  first: \"1\"", "  this:  \"2\"",
            ])
    }
}
