import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

/// Helper processes for the tests that need more than one process: copies of this very test binary.
///
/// Threads alone would not do: an `fcntl` lock, say, would pass every thread test and fail between
/// processes, and a `SIGKILL` can only be tested on a process. `fork()` without `exec` is unsafe in a
/// multithreaded test runner, and a shell script with `flock(1)` would test other code. So the parent starts
/// `/proc/self/exe --filter cacheHelperProcess --testing-library swift-testing` (the arguments `swift test`
/// itself passes) with `KILN_CACHE_TEST_ROLE` set. In the child only `cacheHelperProcess` runs, and it does
/// what its role says with the same `KilnCache` code, reporting `KILN-HELPER: …` lines on standard output.
/// In a normal test run `cacheHelperProcess` is skipped.
enum CacheProcess {
    static let nobody: uid_t = 65534
    static let environment = ProcessInfo.processInfo.environment
    static var role: String? { environment["KILN_CACHE_TEST_ROLE"] }
    static let marker = "KILN-HELPER: "

    /// Where the test binary is: `swift test` runs it directly on Linux.
    static let executable: String? = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    static var available: Bool { executable != nil }

    struct Running {
        let process: Process
        let output: String

        var reports: [String] {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                line.hasPrefix(CacheProcess.marker) ? String(line.dropFirst(CacheProcess.marker.count)) : nil
            }
        }

        /// Waits at most `timeout` seconds, then kills it.
        func wait(timeout: Double = 120) -> Int32 {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { sigkill() }
            process.waitUntilExit()
            return process.terminationStatus
        }

        func sigkill() {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Starts a helper with `role`; its output goes to a file in `scratch`.
    static func spawn(role: String, asNobody: Bool = false, environment extra: [String: String], scratch: Scratch) throws -> Running {
        let executable = try #require(executable, "cannot find the test binary")
        let output = scratch.path + "/helper-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        let arguments = [executable, "--filter", "cacheHelperProcess", "--testing-library", "swift-testing"]
        if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(arguments.dropFirst())
        }
        var environment = CacheProcess.environment.merging(extra) { $1 }
        environment["KILN_CACHE_TEST_ROLE"] = role
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return Running(process: process, output: output)
    }

    static func run(role: String, asNobody: Bool = false, environment: [String: String], scratch: Scratch) throws -> (status: Int32, reports: [String]) {
        let running = try spawn(role: role, asNobody: asNobody, environment: environment, scratch: scratch)
        let status = running.wait()
        return (status, running.reports)
    }

    /// Waits until `path` exists; false after `timeout` seconds.
    static func waitForFile(_ path: String, timeout: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !FileManager.default.fileExists(atPath: path) {
            if Date() > deadline { return false }
            usleep(5_000)
        }
        return true
    }

    // MARK: - In the child

    static func report(_ line: String) {
        var bytes = Array((marker + line + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
    }

    static func appendLine(_ path: String, _ line: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        var bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// The module each helper compiles: the same for every helper given the same seed.
    static func module(seed: String) -> (key: CacheKey, bytes: [UInt8]) {
        (Fixture.key("module-\(seed)"), Fixture.bytes(size: 256 << 10, seed: UInt64(seed.utf8.count) &+ 7))
    }
}

@Test(.enabled(if: CacheProcess.role != nil, "runs only as a helper process started by another test"))
func cacheHelperProcess() throws {
    let env = CacheProcess.environment
    let warn: @Sendable (String) -> Void = { CacheProcess.report("warning: \($0)") }
    switch CacheProcess.role {
    case "open":
        let warnings = Warnings()
        let cache = ArtifactCache.open(warn: warnings.sink)
        CacheProcess.report(cache == nil ? "no cache" : "cache")
        for line in warnings.all { CacheProcess.report("warning: \(line)") }

    case "compile":
        let dir = try #require(env["KILN_CACHE_TEST_DIR"])
        let log = try #require(env["KILN_CACHE_TEST_LOG"])
        if let go = env["KILN_CACHE_TEST_GO"] { try #require(CacheProcess.waitForFile(go)) }
        let (key, bytes) = CacheProcess.module(seed: env["KILN_CACHE_TEST_SEED"] ?? "")
        let cache = try ArtifactCache(directory: URL(fileURLWithPath: dir), warn: warn)
        let url = try cache.artifact(for: key) { directory in
            CacheProcess.appendLine(log, "build \(getpid())")
            usleep(400_000)  // long enough that the other helpers queue on the lock
            return try Fixture.build(bytes)(directory)
        }
        CacheProcess.report(Fixture.contents(url) == bytes ? "ok" : "bad artifact at \(url.path)")

    case "hang":
        let dir = try #require(env["KILN_CACHE_TEST_DIR"])
        let ready = try #require(env["KILN_CACHE_TEST_READY"])
        let (key, bytes) = CacheProcess.module(seed: env["KILN_CACHE_TEST_SEED"] ?? "")
        let cache = try ArtifactCache(directory: URL(fileURLWithPath: dir), warn: warn)
        _ = try cache.artifact(for: key) { directory in
            // Half an artifact, as a compiler killed mid-write leaves it; then wait for SIGKILL.
            try Data(bytes.prefix(bytes.count / 2)).write(to: directory.appendingPathComponent("module.so"))
            _ = FileManager.default.createFile(atPath: ready, contents: nil)
            while true { sleep(1) }
        }
        CacheProcess.report("unreachable: the hanging build returned")

    default:
        Issue.record("unknown helper role \(CacheProcess.role ?? "nil")")
    }
}
