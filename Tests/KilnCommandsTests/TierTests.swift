import Foundation
import Kiln
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Tiered `kiln run` (Sources/Kiln/Tiers.swift, KilnCommands/BackgroundOptimization.swift): a first run into
/// an empty cache is served by a baseline artifact built at -O0 and starts the optimized build in the
/// background; later runs start from the optimized one. `KILN_LAUNCH_DEBUG=1` makes the driver say which
/// tier ran (`kiln: tier: …`) and the launcher which entry it served.
@Suite struct TierTests {
    /// LaunchTests' fixture (a directory with a cache of its own, `KILN_LAUNCH_DEBUG` on), with runs at the
    /// default level and what the tier tests need besides.
    struct Fixture {
        var launch: LaunchTests.Fixture
        var directory: TemporaryDirectory { launch.directory }
        var environment: [String: String] {
            get { launch.environment }
            set { launch.environment = newValue }
        }
        var cache: String { launch.cache }

        init() throws {
            launch = try LaunchTests.Fixture()
            // At the default nice value of 19, a background build would wait for every other test of a busy
            // `make test` before it got a core.
            launch.environment["KILN_BACKGROUND_NICE"] = "0"
        }

        /// LaunchTests' command (prints `launched`, exits with its arguments' length), made distinct by `tag`.
        func module(tag: String) throws -> String {
            try launch.module(LaunchTests.command.replacingOccurrences(
                of: "(memory (export \"memory\") 1)", with: "(memory (export \"memory\") 1)\n(global (export \"\(tag)\") i32 (i32.const 0))"))
        }

        func run(_ arguments: [String]) throws -> KilnProcess.Result {
            try KilnProcess.run(["run"] + arguments, environment: environment)
        }

        /// A `--cc` that is clang, except that a compile at -O2 first sleeps (while `slow` exists) or fails
        /// (while `fail` exists). Run through `sh`: a script just written can be busy for exec (ETXTBSY).
        func compiler() throws -> String {
            let marker = directory.url.path
            let script = try directory.write("cc.sh", text: """
                for word in "$@"; do
                  if [ "$word" = -O2 ]; then
                    while [ -e '\(marker)/slow' ]; do sleep 0.1; done
                    if [ -e '\(marker)/fail' ]; then echo 'cc.sh: failing as told' >&2; exit 1; fi
                  fi
                done
                exec clang "$@"
                """)
            return "sh \(script)"
        }

        func mark(_ name: String) throws { _ = try directory.write(name, text: "") }
        func unmark(_ name: String) { try? FileManager.default.removeItem(atPath: directory.url.appendingPathComponent(name).path) }

        func entryExists(_ digest: String) -> Bool {
            FileManager.default.fileExists(atPath: cache + "/" + digest + "/manifest")
        }

        func temporaries(_ digest: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter { $0.hasPrefix(".tmp-" + digest) }
        }
    }

    /// The driver's tier line of a run: (tier, the optimized key when the run started its build, that
    /// build's pid).
    static func tierLine(_ result: KilnProcess.Result) -> (tier: String, optimizing: String?, pid: pid_t?)? {
        guard let line = result.stderrLines.first(where: { $0.hasPrefix("kiln: tier: ") }) else { return nil }
        let words = line.split(separator: " ").map(String.init)
        let tier = words[2]
        guard let at = words.firstIndex(of: "optimizing") else { return (tier, nil, nil) }
        let pid = words.last.flatMap { pid_t($0.trimmingCharacters(in: CharacterSet(charactersIn: "()"))) }
        return (tier, words[at + 1], pid)
    }

    /// Waits for a process that is not this one's child to end.
    static func waitForExit(_ pid: pid_t, seconds: Double = 300) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            usleep(50_000)
        }
        return false
    }

    static func waitFor(seconds: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    @Test func theFirstRunIsTheBaselineAndTheThirdTheOptimizedTier() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(tag: "first")
        let first = try fixture.run([module, "--", "abc"])
        #expect(first.status == 4 && first.stdout == "launched\n", "\(first.stderr)")
        let line = try #require(Self.tierLine(first), "\(first.stderrLines)")
        #expect(line.tier == "baseline")
        let optimized = try #require(line.optimizing, "\(first.stderrLines)")
        let pid = try #require(line.pid)
        #expect(Self.waitForExit(pid), "the background build did not end")
        #expect(fixture.entryExists(optimized))

        // The background build left the launch record: the second run is the launcher's, of the optimized
        // entry, and so is the third.
        let second = try fixture.run([module, "--", "abc"])
        let third = try fixture.run([module, "--", "abc"])
        for run in [second, third] {
            #expect(run.status == 4 && run.stdout == "launched\n")
            #expect(run.stderrLines.contains("kiln: launch: hit (optimized tier): \(optimized)"), "\(run.stderrLines)")
        }
        let records = try FileManager.default.contentsOfDirectory(atPath: fixture.cache + "/launch")
        #expect(records.count == 1)
        let record = try String(contentsOfFile: fixture.cache + "/launch/" + records[0], encoding: .utf8)
        #expect(record.contains("\nentry \(optimized)\n") && record.contains("\ntier optimized\n"), "\(record)")

        // The driver, asked directly (a --invoke run is never the launcher's), finds the optimized tier too.
        let invoked = try fixture.run([module, "--invoke", "_start"])
        #expect(Self.tierLine(invoked)?.tier == "optimized", "\(invoked.stderrLines)")

        let list = try KilnProcess.run(["cache", "list"], environment: fixture.environment)
        let tiers = list.stdoutLines.filter { !$0.hasPrefix("KEY") }.compactMap { line in line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first }
        #expect(tiers.filter { $0 == "baseline" }.count == 1 && tiers.filter { $0 == "optimized" }.count == 1, "\(list.stdout)")
    }

    @Test func waitingForTheOptimizedTierBuildsItFirst() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(tag: "wait")
        let run = try fixture.run(["--wait-for-optimized", module])
        #expect(run.status == 0 && run.stdout == "launched\n")
        #expect(Self.tierLine(run) == nil, "\(run.stderrLines)")
        // The flag is not part of the record's name: a plain run is the launcher's at once.
        let plain = try fixture.run([module])
        #expect(plain.stderrLines.contains { $0.hasPrefix("kiln: launch: hit (optimized tier): ") }, "\(plain.stderrLines)")
        let again = try fixture.run(["--wait-for-optimized", module])
        #expect(again.stderrLines.contains { $0.hasPrefix("kiln: launch: hit ") }, "\(again.stderrLines)")
        // Levels without a baseline of their own: --opt 0 is the baseline itself.
        let levelZero = try fixture.run(["--opt", "0", module])
        #expect(Self.tierLine(levelZero) == nil && levelZero.status == 0)
    }

    @Test func aKilledBackgroundBuildLeavesNoEntryAndIsRetried() throws {
        var fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(tag: "killed")
        fixture.environment["KILN_CC"] = try fixture.compiler()
        try fixture.mark("slow")
        let first = try fixture.run([module])
        #expect(first.status == 0 && first.stdout == "launched\n", "\(first.stderr)")
        let line = try #require(Self.tierLine(first), "\(first.stderrLines)")
        let optimized = try #require(line.optimizing)
        let pid = try #require(line.pid)
        // Under way: its temporary directory exists, and prune leaves it alone (its key is locked).
        #expect(Self.waitFor { !fixture.temporaries(optimized).isEmpty },
                "\(optimized): \((try? String(contentsOfFile: fixture.cache + "/" + optimized + ".failed", encoding: .utf8)) ?? "")")
        let prune = try KilnProcess.run(["cache", "prune", "--max-size", "0"], environment: fixture.environment)
        #expect(prune.status == 0, "\(prune.stderr)")
        #expect(!fixture.temporaries(optimized).isEmpty, "prune removed a build in progress")

        kill(pid, SIGKILL)
        #expect(Self.waitForExit(pid))
        #expect(!fixture.entryExists(optimized))
        fixture.unmark("slow")

        // The next run finds no optimized entry and a free key: the baseline again, and a new build.
        let second = try fixture.run([module])
        #expect(second.status == 0 && second.stdout == "launched\n")
        let retry = try #require(Self.tierLine(second), "\(second.stderrLines)")
        #expect(retry.tier == "baseline" && retry.optimizing == optimized, "\(second.stderrLines)")
        let retryPid = try #require(retry.pid)
        #expect(Self.waitForExit(retryPid))
        #expect(fixture.entryExists(optimized))
        #expect(fixture.temporaries(optimized).isEmpty)
    }

    /// Whoever reads the run's output through pipes sees them close when the run ends, while the background
    /// build still runs: it holds no descriptor of the run's but the key's lock (regression: it inherited
    /// them all, and Foundation's Process, and `$(kiln run …)`, waited for the whole build).
    @Test func theRunsOutputEndsWithTheRunNotWithTheBackgroundBuild() throws {
        var fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(tag: "pipes")
        fixture.environment["KILN_CC"] = try fixture.compiler()
        try fixture.mark("slow")
        let process = Process()
        process.executableURL = try #require(KilnProcess.executable)
        process.arguments = ["run", module]
        process.environment = ProcessInfo.processInfo.environment.merging(fixture.environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // The build cannot finish while the marker exists. Should the pipes wait for it, a watchdog removes the
        // marker after two minutes (so the test ends) and the expectation below fails.
        let released = Released()
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { [fixture] in
            released.set()
            fixture.unmark("slow")
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(!released.value, "the run's output ended only once the background build could")
        #expect(stdout == "launched\n" && process.terminationStatus == 0, "\(stderr)")
        let line = try #require(Self.tierLine(KilnProcess.Result(status: 0, stdout: stdout, stderr: stderr)), "\(stderr)")
        let pid = try #require(line.pid)
        #expect(!fixture.entryExists(try #require(line.optimizing)), "the build finished though held back")
        fixture.unmark("slow")
        #expect(Self.waitForExit(pid))
        #expect(fixture.entryExists(try #require(line.optimizing)))
    }

    @Test func aFailedBackgroundBuildIsRecordedAndRetried() throws {
        var fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(tag: "failed")
        fixture.environment["KILN_CC"] = try fixture.compiler()
        try fixture.mark("fail")
        let first = try fixture.run([module, "--", "ab"])
        // The user's run is untouched by the failure.
        #expect(first.status == 3 && first.stdout == "launched\n", "\(first.stderr)")
        #expect(!first.stderr.contains("cc.sh"), "\(first.stderr)")
        let line = try #require(Self.tierLine(first), "\(first.stderrLines)")
        let optimized = try #require(line.optimizing)
        #expect(Self.waitForExit(try #require(line.pid)))
        #expect(!fixture.entryExists(optimized))
        let list = try KilnProcess.run(["cache", "list"], environment: fixture.environment)
        #expect(list.stdoutLines.contains { $0.hasPrefix("optimized build \(optimized.prefix(12)) failed in the background: ") && $0.contains("failing as told") },
                "\(list.stdout)")

        fixture.unmark("fail")
        let second = try fixture.run([module, "--", "ab"])
        #expect(second.status == 3)
        let retry = try #require(Self.tierLine(second), "\(second.stderrLines)")
        #expect(retry.optimizing == optimized)
        #expect(Self.waitForExit(try #require(retry.pid)))
        #expect(fixture.entryExists(optimized))
        let after = try KilnProcess.run(["cache", "list"], environment: fixture.environment)
        #expect(!after.stdout.contains("failed in the background"), "\(after.stdout)")
    }

    @Test func twoFirstRunsAtOnceStartOneBackgroundBuild() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(tag: "twice")
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            results.set(index, Result { try fixture.run([module]) })
        }
        let runs = try results.values.map { try $0.get() }
        var started: [pid_t] = []
        for run in runs {
            #expect(run.status == 0 && run.stdout == "launched\n", "\(run.stderr)")
            if let pid = Self.tierLine(run)?.pid { started.append(pid) }
        }
        #expect(started.count == 1, "\(runs.map(\.stderrLines))")
        for pid in started { #expect(Self.waitForExit(pid)) }
    }

    final class Released: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func set() { lock.withLock { done = true } }
        var value: Bool { lock.withLock { done } }
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Int: Swift.Result<KilnProcess.Result, any Error>] = [:]
        func set(_ index: Int, _ value: Swift.Result<KilnProcess.Result, any Error>) { lock.withLock { stored[index] = value } }
        var values: [Swift.Result<KilnProcess.Result, any Error>] { lock.withLock { stored.keys.sorted().map { stored[$0]! } } }
    }
}
