import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

/// Several real processes on one cache (RELIABILITY 51), through `CacheProcess`.
@Suite(.enabled(if: CacheProcess.available && CacheProcess.role == nil, "needs /proc/self/exe"))
struct MultiProcessTests {
    @Test func concurrentCompilesProduceOneEntryAndAllRun() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let log = scratch.path + "/builds.log"
        let go = scratch.path + "/go"
        let environment = [
            "KILN_CACHE_TEST_DIR": cache.directory.path, "KILN_CACHE_TEST_LOG": log, "KILN_CACHE_TEST_GO": go,
            "KILN_CACHE_TEST_SEED": "concurrent",
        ]
        let helpers = try (0..<6).map { _ in try CacheProcess.spawn(role: "compile", environment: environment, scratch: scratch) }
        // All start together once every one is running.
        _ = FileManager.default.createFile(atPath: go, contents: nil)
        let statuses = helpers.map { $0.wait() }

        #expect(statuses == Array(repeating: 0, count: helpers.count))
        for helper in helpers {
            #expect(helper.reports == ["ok"], "\(helper.reports)")
        }
        let builds = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(builds.count == 1, "\(builds)")
        let (key, bytes) = CacheProcess.module(seed: "concurrent")
        #expect(Fixture.names(cache) == ["CACHEDIR.TAG", key.digest, key.digest + ".lock"])
        guard case .valid(let path, _) = Integrity.check(key.digest, in: cache.layout) else {
            Issue.record("the entry is not valid")
            return
        }
        #expect(Fixture.contents(URL(fileURLWithPath: path)) == bytes)
    }

    @Test func killedCompileLeavesNoEntryAndTheNextRunRebuilds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let warnings = Warnings()
        let cache = try Fixture.cache(scratch, warnings: warnings)
        let ready = scratch.path + "/ready"
        let (key, bytes) = CacheProcess.module(seed: "killed")
        let helper = try CacheProcess.spawn(
            role: "hang",
            environment: ["KILN_CACHE_TEST_DIR": cache.directory.path, "KILN_CACHE_TEST_READY": ready, "KILN_CACHE_TEST_SEED": "killed"],
            scratch: scratch)
        try #require(CacheProcess.waitForFile(ready), "the helper never started building")

        // Mid-build: the lock is held, half an artifact sits in a temporary directory, no entry exists.
        #expect(try KeyLock.attempt(cache.layout.lock(key.digest)) == nil)
        #expect(Fixture.temporaries(cache).count == 1)
        #expect(Integrity.check(key.digest, in: cache.layout) == .missing)

        helper.sigkill()
        #expect(helper.wait() != 0)
        #expect(Integrity.check(key.digest, in: cache.layout) == .missing)
        #expect(Fixture.temporaries(cache).count == 1)
        #expect(try KeyLock.attempt(cache.layout.lock(key.digest)) != nil, "the kernel released the dead builder's lock")

        let builds = Counter()
        let url = try cache.artifact(for: key, build: Fixture.build(bytes, counter: builds))
        #expect(builds.value == 1)
        #expect(Fixture.contents(url) == bytes)
        // The next build of the key removed the killed one's leftovers; nothing was reported as corrupt.
        #expect(Fixture.temporaries(cache).isEmpty)
        #expect(warnings.all.isEmpty)
    }

    @Test func waiterTakesOverWhenTheLockHolderDies() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let ready = scratch.path + "/ready"
        let (key, bytes) = CacheProcess.module(seed: "takeover")
        let helper = try CacheProcess.spawn(
            role: "hang",
            environment: ["KILN_CACHE_TEST_DIR": cache.directory.path, "KILN_CACHE_TEST_READY": ready, "KILN_CACHE_TEST_SEED": "takeover"],
            scratch: scratch)
        try #require(CacheProcess.waitForFile(ready), "the helper never started building")

        let builds = Counter()
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        Thread.detachNewThread {
            result.set(Result { try cache.artifact(for: key, build: Fixture.build(bytes, counter: builds)) })
            done.signal()
        }
        // The waiter queues on the lock while the helper "compiles".
        #expect(done.wait(timeout: .now() + 0.5) == .timedOut)
        #expect(builds.value == 0)

        helper.sigkill()
        _ = helper.wait()
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(builds.value == 1)
        let url = try #require(try result.get()?.get())
        #expect(Fixture.contents(url) == bytes)
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<URL, any Error>?
    func set(_ result: Result<URL, any Error>) { lock.withLock { value = result } }
    func get() throws -> Result<URL, any Error>? { lock.withLock { value } }
}
