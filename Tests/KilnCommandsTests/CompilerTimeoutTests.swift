import Foundation
import Testing

/// A C compiler that never finishes: killed with its whole process group after KILN_CC_TIMEOUT seconds, and
/// on SIGINT or SIGTERM to kiln, which then exits 128 + the signal with its work directories removed.
@Suite struct CompilerTimeoutTests {
    /// A `--cc` that answers the identity queries with clang, and for anything else records its pid and the
    /// pid of a child in `pids`, then waits forever.
    static func hangingCompiler(in directory: TemporaryDirectory) throws -> (script: String, pids: String) {
        let pids = directory.url.appendingPathComponent("pids").path
        let script = try directory.write("hanging-cc", text: """
            #!/bin/sh
            case "$*" in *--version*|*-dumpmachine*|*-###*) exec clang "$@";; esac
            sleep 1000 &
            echo $$ $! >> \(pids)
            wait
            """)
        chmod(script, 0o755)
        return (script, pids)
    }

    static func recordedPids(_ path: String) -> [pid_t] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
    }

    /// Alive and not a zombie (an orphan's zombie waits for init, which may be slow to reap it).
    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].hasPrefix(") Z")
    }

    /// SIGKILL is delivered asynchronously: gone (or a zombie) within a bounded wait.
    static func dies(_ pid: pid_t) -> Bool {
        for _ in 0..<100 {
            if !alive(pid) { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func aHungCompilerIsKilledAfterTheTimeout() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (script, pids) = try Self.hangingCompiler(in: directory)
        let output = directory.url.appendingPathComponent("fac.so").path
        let result = try KilnProcess.run(
            ["compile", "--cc", script, KilnProcess.fixture("wat/fac.wat"), "-o", output, "--no-cache"],
            environment: ["KILN_CC_TIMEOUT": "2", "TMPDIR": directory.url.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("build failed: \(script) did not finish in 2 s and was killed"), "\(result.stderr)")
        let recorded = Self.recordedPids(pids)
        #expect(!recorded.isEmpty)
        for pid in recorded { #expect(Self.dies(pid), "process \(pid) survived") }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// `kiln compile` with `script` as the compiler, returned once the compiler has started (the bound on the
    /// wait only keeps a broken build from hanging the suite). `prefix` runs before kiln (`trap '' INT;`).
    static func startCompile(
        script: String, pids: String, in directory: TemporaryDirectory, temporary: URL, prefix: String = ""
    ) throws -> Process {
        let output = directory.url.appendingPathComponent("fac.so").path
        let kiln = try #require(KilnProcess.executable).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", prefix + " exec \"$@\"", "sh", kiln, "compile", "--cc", script, KilnProcess.fixture("wat/fac.wat"), "-o", output, "--no-cache"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["SWIFT_BACKTRACE": "enable=no", "TMPDIR": temporary.path, "KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
        ) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0
        while Self.recordedPids(pids).isEmpty && waited < 1200 && process.isRunning {
            usleep(100_000)
            waited += 1
        }
        try #require(!Self.recordedPids(pids).isEmpty)
        return process
    }

    /// Started with SIGINT ignored (`nohup`, a background job), kiln keeps ignoring it; SIGTERM still ends it.
    @Test func anIgnoredSIGINTStaysIgnored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (script, pids) = try Self.hangingCompiler(in: directory)
        let temporary = directory.url.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let process = try Self.startCompile(script: script, pids: pids, in: directory, temporary: temporary, prefix: "trap '' INT;")
        kill(process.processIdentifier, SIGINT)
        // Give an (unwanted) exit the time it would take, then check kiln is still compiling.
        usleep(500_000)
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGTERM)
        for pid in Self.recordedPids(pids) { #expect(Self.dies(pid), "process \(pid) survived") }
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalKillsTheCompilersAndRemovesTheWorkDirectories(_ signal: Int32) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (script, pids) = try Self.hangingCompiler(in: directory)
        let temporary = directory.url.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let process = try Self.startCompile(script: script, pids: pids, in: directory, temporary: temporary)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal)
        for pid in Self.recordedPids(pids) { #expect(Self.dies(pid), "process \(pid) survived") }
        // kiln-<uid> is the compiler identity cache (CompilerIdentity), meant to outlive the run.
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0 != "kiln-\(getuid())" }
        #expect(left.isEmpty, "left behind: \(left)")
        let beside = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasPrefix("fac.so") }
        #expect(beside.isEmpty, "left behind: \(beside)")
    }
}
