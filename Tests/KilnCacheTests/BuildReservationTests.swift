import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

/// What tiered runs need of the cache (BuildReservation.swift): a key's lock taken without waiting and handed
/// to another holder, a lookup that never builds, the record of a failed background build, and the tier an
/// entry holds.
struct BuildReservationTests {
    @Test func aReservationIsExclusiveAndBuildsUnderTheLockItHolds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("optimized", options: ["opt=2", "bounds=explicit"])
        #expect(cache.storedArtifact(for: key) == nil)
        var reservation = try #require(try cache.reserveBuild(for: key))
        // While it is held, nobody else gets it: no second background build.
        #expect(try cache.reserveBuild(for: key) == nil)
        let built = try cache.artifact(for: key, reservation: reservation, build: Fixture.build(Fixture.bytes(size: 100)))
        #expect(cache.storedArtifact(for: key)?.path == built.path)
        // Still held until released, then free again.
        #expect(try cache.reserveBuild(for: key) == nil)
        reservation = try #require(try cache.reserveBuild(for: Fixture.key("other")))
        #expect(try cache.reserveBuild(for: key) != nil)
        withExtendedLifetime(reservation) {}
    }

    @Test func anInheritedLockIsAdoptedOnlyFromTheLockFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("m")
        let reservation = try #require(try cache.reserveBuild(for: key))
        // A child gets the same open file description under another number, as dup2 gives it.
        let inherited = dup(reservation.fileDescriptor)
        let adopted = try #require(cache.adoptReservation(descriptor: inherited, for: key))
        let counter = Counter()
        _ = try cache.artifact(for: key, reservation: adopted, build: Fixture.build([1, 2, 3], counter: counter))
        #expect(counter.value == 1)
        // Another key's lock, or a descriptor that is no lock file at all, is refused.
        let copy = dup(reservation.fileDescriptor)
        defer { close(copy) }
        #expect(cache.adoptReservation(descriptor: copy, for: Fixture.key("n")) == nil)
        let unrelated = open("/dev/null", O_RDONLY)
        defer { close(unrelated) }
        #expect(cache.adoptReservation(descriptor: unrelated, for: key) == nil)
    }

    @Test func aFailedBuildIsRecordedListedAndCleared() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("m")
        cache.recordFailedBuild(digest: key.digest, reason: "clang: error:\nsomething")
        #expect(cache.failedBuilds().map(\.digest) == [key.digest])
        #expect(cache.failedBuilds().first?.reason == "clang: error: something")
        cache.recordFailedBuild(digest: "../escape", reason: "not a key")
        #expect(cache.failedBuilds().count == 1)
        cache.clearFailedBuild(key)
        #expect(cache.failedBuilds().isEmpty)
        cache.recordFailedBuild(digest: key.digest, reason: "again")
        _ = cache.clean()
        #expect(cache.failedBuilds().isEmpty)
    }

    @Test func theManifestSaysWhichTierAnEntryHolds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        for (name, options) in [("b", ["opt=0", "sanitize=false"]), ("o", ["opt=2", "sanitize=false"]), ("r", ["-O2", "-fPIC"])] {
            _ = try cache.artifact(for: Fixture.key(name, options: options), build: Fixture.build(Array(name.utf8)))
        }
        let tiers = Dictionary(uniqueKeysWithValues: cache.list().map { ($0.moduleSHA256!, $0.tier) })
        #expect(tiers[Fixture.key("b").moduleSHA256] == "baseline")
        #expect(tiers[Fixture.key("o").moduleSHA256] == "optimized")
        #expect(tiers[Fixture.key("r").moduleSHA256] == .some(nil))
    }
}
