#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Kiln

/// One run of a program as a child process, measured from the outside: wall time from start to exit, and
/// the peak resident set size the kernel reports to `wait4`.
///
/// `kiln bench` runs every engine this way so that each run gets a fresh address space and its own peak
/// RSS (an in-process run could not separate one run's memory from the next), and so that Kiln's AOT and
/// WasmKit's interpreter pay the same start-up costs. The program runs under `kiln-measure`, which waits for
/// it and reports: spawned by kiln itself, its peak RSS would start at kiln's own (see kiln-measure's main.c).
struct ChildProcess {
    /// How the child ended.
    enum Termination: Equatable, CustomStringConvertible {
        case exit(Int32)
        case signal(Int32)

        var description: String {
            switch self {
            case .exit(let status): "exit \(status)"
            case .signal(let number): "killed by signal \(number) (\(String(cString: strsignal(number))))"
            }
        }
    }

    struct Outcome {
        let termination: Termination
        let wallSeconds: Double
        /// The largest resident set of the child (or of a child of its own that it reaped).
        let maxRSSBytes: Int
        let stdout: [UInt8]
        let stderr: [UInt8]
    }

    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// The `kiln-measure` executable.
    let launcher: String
    /// Where the child's output goes: files rather than pipes, so that nothing the parent does (or fails to
    /// do) while the child runs can block it or show up in its timing, and the bytes are exact.
    let scratch: String

    /// Runs `executable` (a path, not searched on PATH) with `arguments`, the parent's environment and
    /// working directory, stdin from /dev/null; waits for it and returns what it printed.
    func run(_ executable: String, _ arguments: [String]) throws(Failure) -> Outcome {
        let stdoutPath = scratch + "/stdout"
        let stderrPath = scratch + "/stderr"
        let reportPath = scratch + "/report"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 3, reportPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([launcher, executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = (argv + [nil]).withUnsafeBufferPointer { argvPointer in
            guard let base = argvPointer.baseAddress else { return EINVAL }
            return posix_spawn(&pid, launcher, &actions, nil, base, environ)
        }
        guard spawned == 0 else {
            throw Failure(description: "cannot run \(launcher): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "waitpid for \(launcher): \(String(cString: strerror(errno)))") }
        }
        let stderr = Self.contents(stderrPath)
        let report = String(decoding: Self.contents(reportPath), as: UTF8.self)
        let fields = report.split(separator: "\n").first?.split(separator: " ") ?? []
        guard status == 0, fields.count == 4, let code = Int32(fields[1]), let nanoseconds = Int(fields[2]), let rss = Int(fields[3]) else {
            let text = String(decoding: stderr, as: UTF8.self)
            throw Failure(description: "\(launcher) failed (wait status \(status)) running \(executable)" + (text.isEmpty ? "" : ":\n" + text))
        }
        let termination: Termination
        switch fields[0] {
        case "exit": termination = .exit(code)
        case "signal": termination = .signal(code)
        default: throw Failure(description: "cannot run \(executable): \(String(cString: strerror(code)))")
        }
        return Outcome(
            termination: termination, wallSeconds: Double(nanoseconds) / 1e9, maxRSSBytes: rss, stdout: Self.contents(stdoutPath),
            stderr: stderr)
    }

    /// kiln-measure, next to the running kiln, where `swift build` puts every product of the package.
    static func locateMeasure(kiln: String) throws(Failure) -> String {
        let path = URL(fileURLWithPath: kiln).deletingLastPathComponent().appendingPathComponent("kiln-measure").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(
                description: "kiln-measure not found: looked for \(path), next to kiln; build it with "
                    + "`swift build --product kiln-measure` (with the same -c as kiln)")
        }
        return path
    }

    private static func contents(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }

    /// A fresh private directory under `$TMPDIR` (else /tmp) for the children's output.
    static func makeScratch() throws(Failure) -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/kiln-bench-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else {
            throw Failure(description: "cannot create a directory in \(base): \(String(cString: strerror(errno)))")
        }
        return made
    }

    /// The `kiln` command, for spawning it again: the C launcher beside this kiln-driver (Sources/kiln-launcher),
    /// so that a timed `kiln run` starts the way a user's does; this executable itself when there is none.
    static var kilnCommand: String {
        let running = Kiln.executablePath() ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        let launcher = URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent("kiln").path
        return FileManager.default.isExecutableFile(atPath: launcher) ? launcher : running
    }
}
