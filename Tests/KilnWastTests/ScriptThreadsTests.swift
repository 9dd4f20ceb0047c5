import Testing

@testable import KilnWast

/// The `thread` and `wait` commands are found in a script's text, past comments and strings, and blanked out of
/// it line for line; a thread's commands run in its own session and count in the file's report.
struct ScriptThreadsTests {
    static let script = """
        (module $M (memory (export "m") 1 1 shared)) ;; (thread in a comment)
        (; (wait $X) in a block comment ;)
        (thread $T (shared (module $M))
          (register "m" $M)
          (module (memory (import "m" "m") 1 1 shared) (data (i32.const 0) "(thread"))
        )
        (thread (assert_invalid (module (memory 1 shared)) "shared memory must have maximum"))
        (wait $T)
        (wait)
        """

    @Test func formsAreFoundWithTheirNamesSharedModulesAndLines() throws {
        let threads = try #require(ScriptThreads(Self.script))
        #expect(threads.forms.map(\.kind) == [.thread, .thread, .wait, .wait])
        #expect(threads.forms.map(\.name) == ["$T", nil, "$T", nil])
        #expect(threads.forms.map(\.line) == [3, 7, 8, 9])
        #expect(threads.forms[0].shared == ["$M"])
        // The main script keeps its module and its lines; the thread's text is its commands alone.
        let main = threads.mainText(Self.script)
        #expect(main.split(separator: "\n", omittingEmptySubsequences: false).count == 9)
        #expect(main.contains("(module $M") && !main.contains("register") && !main.contains("(wait $T)"))
        let body = threads.threadText(Self.script, threads.forms[0])
        #expect(body.contains("(register \"m\" $M)") && !body.contains("(module $M") && !body.contains("shared (module"))
    }

    @Test func aScriptWithoutThemHasNone() {
        #expect(ScriptThreads("(module) (assert_return (invoke \"f\"))") == nil)
    }

    /// Validation only: the threads' directives count too, and a wait for no thread is a failure.
    @Test func threadsCountInTheReport() throws {
        let report = try WastRunnerTests.run(Self.script)
        // main: the module; thread $T: its module (its register needs execution: skipped); the other: assert_invalid.
        #expect(report.passed == 3 && report.skipped == 1 && report.failed == 0)
        let bad = try WastRunnerTests.run("(wait $Nobody)")
        #expect(bad.failed == 1 && bad.failures.first?.reason.contains("no thread $Nobody") == true)
    }
}
