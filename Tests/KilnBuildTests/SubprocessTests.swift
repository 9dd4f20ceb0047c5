#if canImport(Glibc)
    import Glibc
#endif
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
