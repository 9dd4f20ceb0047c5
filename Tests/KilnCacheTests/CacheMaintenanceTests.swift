import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

struct CacheMaintenanceTests {
    /// Sets an entry's last use to `seconds` since 1970.
    static func setLastUse(_ cache: ArtifactCache, _ key: CacheKey, _ seconds: Int) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        try #require(utimensat(AT_FDCWD, cache.layout.lastUse(key.digest), &times, 0) == 0)
    }

    /// Entry `name` holds `kib` KiB of artifact, last used at `used`.
    static func store(_ cache: ArtifactCache, _ name: String, kib: Int, used: Int) throws -> CacheKey {
        let key = Fixture.key(name)
        _ = try cache.artifact(for: key, build: Fixture.build(Fixture.bytes(size: kib << 10)))
        try setLastUse(cache, key, used)
        return key
    }

    @Test func listShowsEntriesMostRecentlyUsedFirst() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let old = try Self.store(cache, "old", kib: 4, used: 1_000_000)
        let new = try Self.store(cache, "new", kib: 8, used: 2_000_000)
        let entries = cache.list()
        #expect(entries.map(\.digest) == [new.digest, old.digest])
        let first = try #require(entries.first)
        #expect(first.moduleSHA256 == new.moduleSHA256)
        #expect(first.kilnVersion == new.kilnVersion)
        #expect(first.artifactName == "module.so")
        #expect(first.lastUsed == Date(timeIntervalSince1970: 2_000_000))
        #expect(abs(first.created.timeIntervalSinceNow) < 60)
        // The artifact plus the manifest (a few hundred bytes).
        #expect(first.size > 8192 && first.size < 8192 + 1024)
    }

    @Test func aHitMovesAnEntryToTheFront() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let old = try Self.store(cache, "old", kib: 4, used: 1_000_000)
        let new = try Self.store(cache, "new", kib: 4, used: 2_000_000)
        _ = try cache.artifact(for: old, build: Fixture.build([]))
        #expect(cache.list().map(\.digest) == [old.digest, new.digest])
    }

    @Test func pruneRemovesLeastRecentlyUsedFirst() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        // Last used in the order b, d, a, c (oldest first); 100 KiB each.
        let a = try Self.store(cache, "a", kib: 100, used: 3_000)
        let b = try Self.store(cache, "b", kib: 100, used: 1_000)
        let c = try Self.store(cache, "c", kib: 100, used: 4_000)
        let d = try Self.store(cache, "d", kib: 100, used: 2_000)

        // Room for two entries: b and d go.
        let report = cache.prune(maxBytes: 250 << 10)
        #expect(report.removed.map(\.digest) == [b.digest, d.digest])
        #expect(cache.list().map(\.digest) == [c.digest, a.digest])
        #expect(report.remainingBytes == cache.list().reduce(0) { $0 + $1.size })
        #expect(report.remainingBytes <= 250 << 10)
        #expect(!Fixture.names(cache).contains(b.digest + ".lock"))

        // Under the limit already: nothing more goes.
        #expect(cache.prune(maxBytes: 250 << 10).removed.isEmpty)
        #expect(cache.prune(maxBytes: 0).removed.map(\.digest) == [a.digest, c.digest])
        #expect(cache.list().isEmpty)
    }

    @Test func pruneSkipsAKeyBeingBuilt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let busy = try Self.store(cache, "busy", kib: 10, used: 1_000)
        let idle = try Self.store(cache, "idle", kib: 10, used: 2_000)
        let lock = try KeyLock.acquire(cache.layout.lock(busy.digest))
        let report = cache.prune(maxBytes: 0)
        withExtendedLifetime(lock) {}
        #expect(report.skipped == [busy.digest])
        #expect(report.removed.map(\.digest) == [idle.digest])
    }

    @Test func cleanRemovesOnlyWhatKilnWrote() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        _ = try Self.store(cache, "a", kib: 4, used: 1_000)
        _ = try Self.store(cache, "b", kib: 4, used: 2_000)
        // Leftovers of a killed build, and a lock file without an entry.
        let orphan = try AtomicPublish.makeTemporaryDirectory(cache.layout, digest: Fixture.key("killed").digest)
        try Data([1]).write(to: URL(fileURLWithPath: orphan + "/half.so"))
        _ = FileManager.default.createFile(atPath: cache.layout.lock(Fixture.key("gone").digest), contents: nil)
        // Someone else's files in the same directory.
        let root = cache.directory.path
        try "mine".write(toFile: root + "/notes.txt", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: root + "/.tmp-notkiln", withIntermediateDirectories: false)

        let report = cache.clean()
        #expect(report.removedEntries == 2)
        #expect(report.removedBytes > 8192)
        #expect(report.failures.isEmpty && report.skipped.isEmpty)
        #expect(Fixture.names(cache) == [".tmp-notkiln", "notes.txt", "tmp"])
        #expect(cache.list().isEmpty)
    }

    @Test func orphansAreRemovedOnlyWhenTheirLockIsFreeAndOldEnough() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let dead = Fixture.key("dead").digest
        let live = Fixture.key("live").digest
        let deadTemp = try AtomicPublish.makeTemporaryDirectory(cache.layout, digest: dead)
        let liveTemp = try AtomicPublish.makeTemporaryDirectory(cache.layout, digest: live)
        let liveLock = try KeyLock.acquire(cache.layout.lock(live))

        // Young: left alone by the automatic clean-up.
        cache.removeOrphans(olderThan: 3600)
        #expect(FileManager.default.fileExists(atPath: deadTemp) && FileManager.default.fileExists(atPath: liveTemp))

        // Old enough: the dead build's directory goes, the live one (its lock is held) stays.
        cache.removeOrphans(olderThan: 0)
        #expect(!FileManager.default.fileExists(atPath: deadTemp))
        #expect(FileManager.default.fileExists(atPath: liveTemp))
        withExtendedLifetime(liveLock) {}
    }

    @Test func missingDirectoryIsAnEmptyCacheForMaintenance() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try ArtifactCache(directory: scratch.cacheDirectory, create: false)
        #expect(cache.list().isEmpty)
        #expect(cache.clean() == ArtifactCache.CleanReport())
        #expect(cache.prune(maxBytes: 0).removed.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.cacheDirectory.path))
    }
}
