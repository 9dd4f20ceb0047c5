import Foundation
import Testing

@testable import KilnCache

struct ContentHashTests {
    @Test func knownVectors() {
        // FIPS 180-2 examples, as `printf abc | sha256sum` prints them.
        #expect(ContentHash.sha256(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.sha256(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func fileHashMatchesBytesAcrossChunks() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Larger than one 1 MiB read, and not a multiple of it.
        let bytes = Fixture.bytes(size: (3 << 20) + 12345)
        let path = scratch.path + "/blob"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try ContentHash.sha256(file: path) == ContentHash.sha256(of: bytes))
    }

    @Test func missingFileIsAnIOError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(throws: CacheError.io("open", scratch.path + "/nope", errno: ENOENT)) {
            try ContentHash.sha256(file: scratch.path + "/nope")
        }
    }
}
