import Foundation
import Testing

@testable import KilnCache

struct CacheLocationTests {
    @Test(arguments: [
        (["KILN_CACHE_DIR": "/k", "XDG_CACHE_HOME": "/x", "HOME": "/h"], "/k"),
        (["KILN_CACHE_DIR": "", "XDG_CACHE_HOME": "/x", "HOME": "/h"], "/x/kiln"),
        (["XDG_CACHE_HOME": "/x", "HOME": "/h"], "/x/kiln"),
        (["XDG_CACHE_HOME": "relative/cache", "HOME": "/h"], "/h/.cache/kiln"),
        (["XDG_CACHE_HOME": "", "HOME": "/h"], "/h/.cache/kiln"),
        (["HOME": "/h"], "/h/.cache/kiln"),
    ])
    func directoryFollowsTheEnvironment(_ environment: [String: String], _ expected: String) throws {
        #expect(try CacheLocation.directory(environment: environment).path == expected)
    }

    @Test func missingDirectoryIsCreatedPrivate() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let warnings = Warnings()
        let dir = scratch.path + "/deep/er/kiln"
        let cache = try #require(ArtifactCache.open(environment: ["KILN_CACHE_DIR": dir], warn: warnings.sink))
        #expect(cache.directory.path == dir)
        let status = try FileStatus.of(path: dir).get()
        #expect(status.isDirectory && status.permissions == 0o700)
        #expect(FileManager.default.fileExists(atPath: dir + "/CACHEDIR.TAG"))
        #expect(warnings.all.isEmpty)
    }

    @Test(arguments: [0o777 as UInt32, 0o775, 0o722, 0o1777])
    func directoryWritableByOthersIsRefused(_ mode: UInt32) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = scratch.path + "/shared"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        chmod(dir, mode_t(mode))
        let warnings = Warnings()
        #expect(ArtifactCache.open(environment: ["KILN_CACHE_DIR": dir], warn: warnings.sink) == nil)
        #expect(
            warnings.all == [
                "cache directory unusable: \(dir): writable by group or others (mode \(octal(mode))); running without the cache"
            ])
        // Nothing was written into it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func uncreatableDirectoryMeansNoCache() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.path + "/file"
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        let warnings = Warnings()
        #expect(ArtifactCache.open(environment: ["KILN_CACHE_DIR": file + "/kiln"], warn: warnings.sink) == nil)
        #expect(warnings.all == ["cache directory unusable: \(file)/kiln: cannot create it (Not a directory); running without the cache"])
    }

    @Test func fileInsteadOfDirectoryIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.path + "/file"
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        let warnings = Warnings()
        #expect(ArtifactCache.open(environment: ["KILN_CACHE_DIR": file], warn: warnings.sink) == nil)
        #expect(warnings.all == ["cache directory unusable: \(file): not a directory; running without the cache"])
    }

    @Test(.enabled(if: Fixture.isRoot, "chown needs root"))
    func directoryOwnedBySomeoneElseIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = scratch.path + "/theirs"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        chmod(dir, 0o700)
        try #require(chown(dir, 4242, 4242) == 0)
        let warnings = Warnings()
        #expect(ArtifactCache.open(environment: ["KILN_CACHE_DIR": dir], warn: warnings.sink) == nil)
        #expect(warnings.all == ["cache directory unusable: \(dir): owned by uid 4242, not by this user (uid 0); running without the cache"])
    }

    /// A read-only directory: run as another user when the tests run as root (root may write anywhere).
    @Test func readOnlyDirectoryMeansNoCache() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = scratch.path + "/readonly"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        chmod(dir, 0o555)
        if !Fixture.isRoot {
            let warnings = Warnings()
            #expect(ArtifactCache.open(environment: ["KILN_CACHE_DIR": dir], warn: warnings.sink) == nil)
            #expect(warnings.all == ["cache directory unusable: \(dir): not writable (Permission denied); running without the cache"])
            return
        }
        try #require(chown(dir, CacheProcess.nobody, CacheProcess.nobody) == 0)
        let result = try CacheProcess.run(role: "open", asNobody: true, environment: ["KILN_CACHE_DIR": dir], scratch: scratch)
        #expect(result.reports == ["no cache", "warning: cache directory unusable: \(dir): not writable (Permission denied); running without the cache"])
    }
}
