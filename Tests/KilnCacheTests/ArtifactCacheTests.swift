import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

struct ArtifactCacheTests {
    @Test func missBuildsOnceThenHits() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let warnings = Warnings()
        let cache = try Fixture.cache(scratch, warnings: warnings)
        let key = Fixture.key("m")
        let bytes = Fixture.bytes(size: 4096)
        let builds = Counter()

        let first = try cache.artifact(for: key, build: Fixture.build(bytes, counter: builds))
        let second = try cache.artifact(for: key, build: Fixture.build(bytes, counter: builds))
        #expect(builds.value == 1)
        #expect(first == second)
        #expect(first.path == cache.directory.path + "/" + key.digest + "/module.so")
        #expect(Fixture.contents(second) == bytes)
        #expect(warnings.all.isEmpty)
        // The build's private directory is gone; the entry, its lock file and the tag remain.
        #expect(Fixture.names(cache) == ["CACHEDIR.TAG", key.digest, key.digest + ".lock"])
    }

    @Test func aHitNeedsNoBuildAndTouchesLastUse() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("m")
        _ = try cache.artifact(for: key, build: Fixture.build([1, 2, 3]))
        let lastUse = cache.layout.lastUse(key.digest)
        var old = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        try #require(utimensat(AT_FDCWD, lastUse, &old, 0) == 0)

        _ = try cache.artifact(for: key) { _ in
            Issue.record("a hit must not build")
            throw CancellationError()
        }
        #expect(try FileStatus.of(path: lastUse).get().modified > Date().timeIntervalSince1970 - 60)
    }

    @Test func differentKeysDifferentEntries() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let o2 = try cache.artifact(for: Fixture.key("m", options: ["-O2"]), build: Fixture.build([2]))
        let o0 = try cache.artifact(for: Fixture.key("m", options: ["-O0"]), build: Fixture.build([0]))
        #expect(o2 != o0)
        #expect(Fixture.contents(o2) == [2] && Fixture.contents(o0) == [0])
    }

    @Test func buildErrorsPassThroughAndLeaveNothing() throws {
        struct CompilerSaidNo: Error, Equatable {}
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("m")
        #expect(throws: CompilerSaidNo()) {
            try cache.artifact(for: key) { directory in
                try Data([1]).write(to: directory.appendingPathComponent("partial.o"))
                throw CompilerSaidNo()
            }
        }
        #expect(Integrity.check(key.digest, in: cache.layout) == .missing)
        #expect(Fixture.temporaries(cache).isEmpty)
        #expect(throws: CompilerSaidNo()) {
            try ArtifactCache.withArtifact(in: cache, for: key, build: { _ in throw CompilerSaidNo() }, use: { $0 })
        }
    }

    @Test func artifactIsReadOnlyAndKeepsExecutableBits() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let so = try cache.artifact(for: Fixture.key("so"), build: Fixture.build([1]))
        #expect(try FileStatus.of(path: so.path).get().permissions == 0o444)
        let exe = try cache.artifact(for: Fixture.key("exe")) { directory in
            let url = try Fixture.build([2], name: "app")(directory)
            chmod(url.path, 0o755)
            return url
        }
        #expect(try FileStatus.of(path: exe.path).get().permissions == 0o555)
        #expect(exe.lastPathComponent == "app")
    }

    @Test func threadsShareOneBuild() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("threads")
        let bytes = Fixture.bytes(size: 64 << 10)
        let builds = Counter()
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let url = try? cache.artifact(for: key) { directory in
                usleep(200_000)
                return try Fixture.build(bytes, counter: builds)(directory)
            }
            if url.map(Fixture.contents) != bytes { failures.increment() }
        }
        #expect(builds.value == 1)
        #expect(failures.value == 0)
    }

    @Test func withoutACacheBuildsIntoATemporaryDirectory() throws {
        let builds = Counter()
        var seen: URL?
        let result = try ArtifactCache.withArtifact(in: nil, for: Fixture.key("m"), build: Fixture.build([7, 7], counter: builds)) { url in
            seen = url
            #expect(Fixture.contents(url) == [7, 7])
            return 42
        }
        #expect(result == 42)
        #expect(builds.value == 1)
        let directory = try #require(seen).deletingLastPathComponent().path
        #expect(!FileManager.default.fileExists(atPath: directory), "the temporary directory is removed after use")
    }

    @Test func withArtifactUsesTheCache() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let builds = Counter()
        for _ in 0..<3 {
            let contents = try ArtifactCache.withArtifact(in: cache, for: Fixture.key("m"), build: Fixture.build([9], counter: builds), use: Fixture.contents)
            #expect(contents == [9])
        }
        #expect(builds.value == 1)
    }

    /// An entry that appears while the lock is held (someone deleted the lock file by hand) is checked, and
    /// replaced because it is corrupt.
    @Test func entryThatAppearsDuringTheBuildIsChecked() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let warnings = Warnings()
        let cache = try Fixture.cache(scratch, warnings: warnings)
        let key = Fixture.key("m")
        let url = try cache.artifact(for: key) { directory in
            try FileManager.default.createDirectory(atPath: cache.layout.entry(key.digest) + "/junk", withIntermediateDirectories: true)
            return try Fixture.build([5])(directory)
        }
        #expect(Fixture.contents(url) == [5])
        #expect(warnings.all == ["cache entry \(key.digest) is corrupt (the manifest is missing); rebuilding"])
    }

    /// When publishing fails after the build (here: the artifact is a directory), the run goes on with the
    /// built artifact and one warning, and nothing is cached.
    @Test func publishFailureFallsBackToTheBuiltArtifact() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let warnings = Warnings()
        let cache = try Fixture.cache(scratch, warnings: warnings)
        let key = Fixture.key("m")
        let builds = Counter()
        let used = try ArtifactCache.withArtifact(in: cache, for: key, build: { directory in
            builds.increment()
            let bundle = directory.appendingPathComponent("bundle")
            try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: false)
            return bundle
        }, use: { $0.lastPathComponent })
        #expect(used == "bundle")
        #expect(builds.value == 1)
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.hasSuffix("the build did not produce a regular file; this build is not cached") == true)
        #expect(Integrity.check(key.digest, in: cache.layout) == .missing)
        #expect(Fixture.temporaries(cache).isEmpty)
    }

    @Test(.enabled(if: Fixture.isRoot, "chown needs root"))
    func entryOwnedBySomeoneElseIsNeverLoaded() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let warnings = Warnings()
        let cache = try Fixture.cache(scratch, warnings: warnings)
        let key = Fixture.key("m")
        _ = try cache.artifact(for: key, build: Fixture.build([1]))
        let entry = cache.layout.entry(key.digest)
        try #require(chown(entry, 4242, 4242) == 0)

        #expect(throws: CacheError.foreignEntry(owner: 4242, path: entry)) {
            try cache.artifact(for: key, build: Fixture.build([1]))
        }
        // withArtifact warns and builds without the cache; the foreign entry stays where it is.
        let builds = Counter()
        let contents = try ArtifactCache.withArtifact(in: cache, for: key, build: Fixture.build([2], counter: builds), use: Fixture.contents)
        #expect(contents == [2])
        #expect(builds.value == 1)
        #expect(
            warnings.all == [
                "cache entry untrusted: \(entry): owned by uid 4242, not by this user (uid 0); building without the cache"
            ])
        #expect(try FileStatus.of(link: entry).get().owner == 4242)
    }
}
