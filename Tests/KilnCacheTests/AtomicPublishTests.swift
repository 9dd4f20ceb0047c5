import Foundation
import Testing

@testable import KilnCache

struct AtomicPublishTests {
    @Test func stagedEntryAppearsWholeWithOneRename() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("m")
        let bytes = Fixture.bytes(size: 10_000)
        let temporary = try AtomicPublish.makeTemporaryDirectory(cache.layout, digest: key.digest)
        #expect(CacheLayout.temporaryDigest((temporary as NSString).lastPathComponent) == key.digest)
        #expect(try FileStatus.of(path: temporary).get().permissions == 0o700)

        let built = try Fixture.build(bytes)(URL(fileURLWithPath: temporary))
        let staged = try AtomicPublish.stage(artifact: built.path, key: key, temporary: temporary, now: Date(timeIntervalSince1970: 1234))
        // Nothing is visible under the key until the rename.
        #expect(Integrity.check(key.digest, in: cache.layout) == .missing)

        let published = try #require(try AtomicPublish.install(staged, key: key, layout: cache.layout))
        #expect(published == cache.layout.entry(key.digest) + "/module.so")
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.layout.entry(key.digest)).sorted()
        #expect(files == ["last-use", "manifest", "module.so"])
        let manifest = try #require(Manifest.parse(Fixture.contents(URL(fileURLWithPath: cache.layout.manifest(key.digest)))))
        #expect(
            manifest
                == Manifest(
                    key: key.digest, moduleSHA256: key.moduleSHA256, kilnVersion: key.kilnVersion, artifact: "module.so",
                    size: 10_000, sha256: ContentHash.sha256(of: bytes), created: 1234, options: key.options.joined(separator: " ")))
        #expect(try FileStatus.of(path: cache.layout.manifest(key.digest)).get().permissions == 0o444)
    }

    @Test func installOntoAnExistingEntryDoesNotReplaceIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let key = Fixture.key("m")
        let first = try cache.artifact(for: key, build: Fixture.build([1]))
        let temporary = try AtomicPublish.makeTemporaryDirectory(cache.layout, digest: key.digest)
        let built = try Fixture.build([2])(URL(fileURLWithPath: temporary))
        let staged = try AtomicPublish.stage(artifact: built.path, key: key, temporary: temporary)
        #expect(try AtomicPublish.install(staged, key: key, layout: cache.layout) == nil)
        #expect(Fixture.contents(first) == [1])
    }

    @Test func artifactBuiltElsewhereIsCopied() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cache = try Fixture.cache(scratch)
        let outside = scratch.path + "/outside.so"
        try Data([4, 5, 6]).write(to: URL(fileURLWithPath: outside))
        let url = try cache.artifact(for: Fixture.key("m")) { _ in URL(fileURLWithPath: outside) }
        #expect(Fixture.contents(url) == [4, 5, 6])
        #expect(url.lastPathComponent == "outside.so")
    }

    @Test(arguments: [
        ("module.so", "module.so"), ("app", "app"), ("manifest", "artifact"), ("last-use", "artifact"),
        (".hidden", "artifact"), ("line\nbreak", "artifact"), ("/a/b/c.so", "c.so"),
    ])
    func artifactNames(_ built: String, _ stored: String) {
        #expect(CacheLayout.artifactName(for: built) == stored)
    }
}
