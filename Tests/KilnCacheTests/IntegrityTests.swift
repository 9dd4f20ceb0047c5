import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

/// RELIABILITY 49: a damaged entry is detected before use, reported once, removed and rebuilt.
struct IntegrityTests {
    static let size = 8192

    /// A cache with one published entry for `Fixture.key("m")`.
    struct Stored {
        let scratch: Scratch
        let warnings = Warnings()
        let cache: ArtifactCache
        let key = Fixture.key("m")
        let bytes = Fixture.bytes(size: IntegrityTests.size)
        let artifact: String

        init() throws {
            scratch = try Scratch()
            cache = try Fixture.cache(scratch, warnings: warnings)
            artifact = try cache.artifact(for: key, build: Fixture.build(bytes)).path
        }

        var entry: String { cache.layout.entry(key.digest) }
        var manifest: String { cache.layout.manifest(key.digest) }
        func check() -> Integrity.Verdict { Integrity.check(key.digest, in: cache.layout) }
    }

    @Test func freshEntryIsValid() throws {
        let stored = try Stored()
        defer { stored.scratch.remove() }
        guard case .valid(let path, let manifest) = stored.check() else {
            Issue.record("\(stored.check())")
            return
        }
        #expect(path == stored.artifact)
        #expect(manifest.size == Int64(Self.size))
        #expect(manifest.sha256 == ContentHash.sha256(of: stored.bytes))
        #expect(manifest.moduleSHA256 == stored.key.moduleSHA256)
    }

    /// Each way of damaging an entry, and the reason the warning gives.
    static let damages: [(String, String, @Sendable (Stored) throws -> Void)] = [
        ("truncated", "truncated: 4096 of 8192 bytes", { try #require(truncate($0.artifact, 4096) == 0) }),
        ("emptied", "truncated: 0 of 8192 bytes", { try #require(truncate($0.artifact, 0) == 0) }),
        ("bit flip", "SHA-256 mismatch: the contents changed since it was stored", { stored in
            try Fixture.overwrite(stored.artifact, at: 5000, with: [stored.bytes[5000] ^ 0x10])
        }),
        ("first byte", "SHA-256 mismatch: the contents changed since it was stored", { stored in
            try Fixture.overwrite(stored.artifact, at: 0, with: [stored.bytes[0] ^ 0x80])
        }),
        ("grown", "size is 8193 bytes, expected 8192", { stored in try Fixture.overwrite(stored.artifact, at: 8192, with: [0]) }),
        ("replaced", "SHA-256 mismatch: the contents changed since it was stored", { stored in
            // A foreign file of the same size, put in place by rename (a new inode).
            let other = stored.scratch.path + "/other.so"
            try Data(Fixture.bytes(size: IntegrityTests.size, seed: 99)).write(to: URL(fileURLWithPath: other))
            chmod(other, 0o444)
            try #require(rename(other, stored.artifact) == 0)
        }),
        ("artifact deleted", "the artifact is missing", { try #require(unlink($0.artifact) == 0) }),
        ("symlink", "the artifact is a symbolic link", { stored in
            let real = stored.scratch.path + "/real.so"
            try Data(stored.bytes).write(to: URL(fileURLWithPath: real))
            try #require(unlink(stored.artifact) == 0 && symlink(real, stored.artifact) == 0)
        }),
        ("artifact writable by others", "the artifact is writable by group or others", { try #require(chmod($0.artifact, 0o666) == 0) }),
        ("entry writable by others", "the entry is writable by group or others", { try #require(chmod($0.entry, 0o777) == 0) }),
        ("manifest deleted", "the manifest is missing", { try #require(unlink($0.manifest) == 0) }),
        ("manifest garbage", "the manifest is malformed", { try Fixture.overwrite($0.manifest, at: 0, with: Array("garbage".utf8)) }),
        ("manifest truncated", "the manifest is malformed", { try #require(truncate($0.manifest, 40) == 0) }),
        ("manifest of another key", "the manifest names another key", { stored in
            let text = try String(contentsOfFile: stored.manifest, encoding: .utf8)
            let other = text.replacingOccurrences(of: "key \(stored.key.digest)", with: "key \(String(repeating: "a", count: 64))")
            chmod(stored.manifest, 0o644)
            try other.write(toFile: stored.manifest, atomically: false, encoding: .utf8)
        }),
        ("entry is a file", "the entry is not a directory", { stored in
            try FileManager.default.removeItem(atPath: stored.entry)
            try Data([1]).write(to: URL(fileURLWithPath: stored.entry))
        }),
    ]

    @Test(arguments: damages.map(\.0))
    func damageIsDetectedWarnedOnceRemovedAndRebuilt(_ damage: String) throws {
        let stored = try Stored()
        defer { stored.scratch.remove() }
        let (_, why, apply) = try #require(Self.damages.first { $0.0 == damage })
        try apply(stored)
        #expect(stored.check() == .corrupt(why))

        let builds = Counter()
        let url = try stored.cache.artifact(for: stored.key, build: Fixture.build(stored.bytes, counter: builds))
        #expect(builds.value == 1)
        #expect(Fixture.contents(url) == stored.bytes)
        #expect(stored.warnings.all == ["cache entry \(stored.key.digest) is corrupt (\(why)); rebuilding"])

        // The rebuilt entry is valid: later lookups hit and warn no more.
        _ = try stored.cache.artifact(for: stored.key, build: Fixture.build(stored.bytes, counter: builds))
        #expect(builds.value == 1)
        #expect(stored.warnings.all.count == 1)
        #expect(Fixture.temporaries(stored.cache).isEmpty)
    }

    @Test func damagedEntryIsNeverHandedOut() throws {
        let stored = try Stored()
        defer { stored.scratch.remove() }
        try #require(truncate(stored.artifact, 100) == 0)
        // Even when the rebuild fails, the damaged artifact is not returned.
        struct Failed: Error {}
        #expect(throws: Failed.self) { try stored.cache.artifact(for: stored.key) { _ in throw Failed() } }
        #expect(stored.check() == .missing)
    }

    @Test(.enabled(if: Fixture.isRoot, "chown needs root"))
    func foreignFilesAreUntrusted() throws {
        let stored = try Stored()
        defer { stored.scratch.remove() }
        try #require(chown(stored.artifact, 4242, 4242) == 0)
        #expect(stored.check() == .untrusted(.foreignEntry(owner: 4242, path: stored.artifact)))
        try #require(chown(stored.artifact, 0, 0) == 0)
        try #require(chown(stored.manifest, 4242, 4242) == 0)
        #expect(stored.check() == .untrusted(.foreignEntry(owner: 4242, path: stored.manifest)))
    }

    @Test func manifestRoundTripsAndRejectsDamage() {
        let manifest = Manifest(
            key: String(repeating: "a", count: 64), moduleSHA256: String(repeating: "b", count: 64), kilnVersion: "0.1.0",
            artifact: "module.so", size: 123, sha256: String(repeating: "c", count: 64), created: 1_700_000_000)
        let bytes = manifest.encoded()
        #expect(Manifest.parse(bytes) == manifest)
        #expect(Manifest.parse(Array(bytes.dropLast())) == nil)
        for cut in stride(from: 0, to: bytes.count - 1, by: 7) {
            #expect(Manifest.parse(Array(bytes.prefix(cut))) == nil)
        }
        var bad = manifest
        bad.artifact = "../escape"
        #expect(Manifest.parse(bad.encoded()) == nil)
        bad = manifest
        bad.artifact = "manifest"
        #expect(Manifest.parse(bad.encoded()) == nil)
    }
}
