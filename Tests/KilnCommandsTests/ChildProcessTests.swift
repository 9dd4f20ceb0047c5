import Foundation
import Testing

@testable import KilnCommands

/// `ChildProcess` under kiln-measure: the exact bytes of both streams, exit statuses and signals, and a
/// peak RSS that is the child's own rather than its parent's.
@Suite struct ChildProcessTests {
    /// kiln-measure, built next to kiln.
    static func child(in directory: TemporaryDirectory) throws -> ChildProcess {
        let kiln = try #require(KilnProcess.executable, "kiln is not built; run `swift build --build-tests` first")
        return ChildProcess(launcher: try ChildProcess.locateMeasure(kiln: kiln.path), scratch: directory.url.path)
    }

    @Test func capturesBothStreamsAndTheExitStatus() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outcome = try Self.child(in: directory).run(
            "/bin/sh", ["-c", "printf 'out\\nno newline'; echo err >&2; read line; echo \"[$line]\"; ls /proc/self/fd/3 2>&1 >/dev/null | wc -l; exit 3"])
        #expect(outcome.termination == .exit(3))
        // stdin is /dev/null; the report's descriptor 3 is not inherited.
        #expect(outcome.stdout == Array("out\nno newline[]\n1\n".utf8))
        #expect(outcome.stderr == Array("err\n".utf8))
        #expect(outcome.wallSeconds > 0)
        #expect(outcome.maxRSSBytes > 0)
    }

    @Test func reportsASignal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outcome = try Self.child(in: directory).run("/bin/sh", ["-c", "kill -KILL $$"])
        #expect(outcome.termination == .signal(SIGKILL))
        #expect(outcome.termination.description.hasPrefix("killed by signal 9 ("))
    }

    @Test func aMissingExecutableIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try Self.child(in: directory)
        #expect(throws: ChildProcess.Failure(description: "cannot run /nonexistent/program: No such file or directory")) {
            try child.run("/nonexistent/program", [])
        }
    }

    @Test func peakRSSIsTheChildsOwn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let child = try Self.child(in: directory)
        // This test process is far larger than /bin/sh: none of it may show in the child's peak.
        let small = try child.run("/bin/sh", ["-c", "true"])
        #expect(small.maxRSSBytes < 8 << 20, "\(small.maxRSSBytes)")
        // 64 MiB held by a child of the child: wait4 reports the largest process of the tree it reaped.
        let large = try child.run("/bin/sh", ["-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}"])
        #expect(large.stdout == Array("67108864\n".utf8))
        #expect(large.maxRSSBytes > 64 << 20, "\(large.maxRSSBytes)")
    }
}
