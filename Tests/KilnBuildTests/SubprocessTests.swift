#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Testing

@testable import KilnBuild

/// How a compiler is run: combined output, exit status, death by a signal, a missing program, and the
/// state it starts in (stdin at /dev/null, SIGPIPE at its default even when kiln ignores it).
@Suite struct SubprocessTests {
    @Test func outputOfBothStreamsAndTheExitStatusAreKept() throws {
        let result = try Subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.output == "out\nerr\n")
    }

    @Test func aSignalIsReportedAs128PlusItsNumber() throws {
        let result = try Subprocess.run(["sh", "-c", "kill -9 $$"])
        #expect(result.status == 128 + 9)
    }

    @Test func aMissingProgramIsNamed() {
        let absolute = #expect(throws: BuildError.self) { try Subprocess.run(["/nonexistent/cc", "--version"]) }
        #expect(absolute?.reason == "cannot run /nonexistent/cc: No such file or directory")
        let onPath = #expect(throws: BuildError.self) { try Subprocess.run(["kiln-no-such-compiler"]) }
        #expect(onPath?.reason == "cannot run kiln-no-such-compiler: No such file or directory")
    }

    /// The whole process group goes, not just the command: a `--cc` script's children hold the output pipe.
    @Test func aCommandPastItsTimeoutIsKilledWithItsChildren() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-subprocess-\(getpid())").path
        defer { unlink(file) }
        let error = #expect(throws: BuildError.self) {
            try Subprocess.run(["sh", "-c", "sleep 1000 & echo $! > \(file); wait"], timeout: 1)
        }
        #expect(error?.reason.hasPrefix("sh did not finish in 1 s and was killed (set KILN_CC_TIMEOUT to allow longer)") == true)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let child = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        // SIGKILL is delivered asynchronously: wait (boundedly) until the child is gone or a zombie.
        var dead = false
        for _ in 0..<100 where !dead {
            let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
            dead = kill(child, 0) != 0 || state.contains(") Z")
            if !dead { usleep(100_000) }
        }
        #expect(dead, "process \(child) survived")
    }

    @Test func theTimeoutComesFromTheEnvironment() {
        #expect(CompileTimeout.seconds(environment: ["KILN_CC_TIMEOUT": "2"]) == 2)
        #expect(CompileTimeout.seconds(environment: ["KILN_CC_TIMEOUT": "nonsense"]) == 300)
        #expect(CompileTimeout.seconds(sourceBytes: 1 << 20, environment: [:]) == 420)
    }

    @Test func theChildReadsNothingAndDiesOfSIGPIPELikeAnyProgram() throws {
        let previous = signal(SIGPIPE, SIG_IGN)  // as `kiln run` does
        defer { signal(SIGPIPE, previous) }
        // With SIGPIPE ignored, `yes` would get EPIPE and complain on stderr; by default it just ends.
        let pipe = try Subprocess.run(["sh", "-c", "yes | head -n 1"])
        #expect(pipe.output == "y\n")
        let input = try Subprocess.run(["cat"])
        #expect(input.status == 0 && input.output == "")
    }
}
