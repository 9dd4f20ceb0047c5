import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under /tmp for one test, removed by `remove()`.
struct Scratch {
    let path: String

    init() throws {
        var template = Array("/tmp/kiln-cache-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap(mkdtemp) != nil }
        try #require(made, "mkdtemp failed")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, 0o755)
    }

    /// Where the tests put the cache: not created yet, so the cache makes it (mode 0700).
    var cacheDirectory: URL { URL(fileURLWithPath: path + "/cache", isDirectory: true) }

    func remove() {
        // Tests chmod things; make every directory writable again first. (Not with `chmod -R`: starting a
        // process here would briefly copy other tests' lock descriptors into the child, see `KeyLockTests`.)
        chmod(path, 0o700)
        for case let relative as String in FileManager.default.enumerator(atPath: path) ?? FileManager.DirectoryEnumerator() {
            let child = path + "/" + relative
            if case .success(let status) = FileStatus.of(link: child), status.isDirectory { chmod(child, 0o700) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Collects the warnings a cache prints, for exact assertions.
final class Warnings: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { lock.withLock { lines } }
    var sink: @Sendable (String) -> Void { { [self] line in lock.withLock { lines.append(line) } } }
}

/// Counts calls of a fake build.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

enum Fixture {
    /// Deterministic bytes standing in for a built shared object.
    static func bytes(size: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<size).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// A key as `kiln run` would make one, for a module whose bytes are `module`.
    static func key(_ module: String, options: [String] = ["-O2"]) -> CacheKey {
        CacheKey(
            moduleSHA256: ContentHash.sha256(of: Array(module.utf8)), kilnVersion: "0.1.0-test", options: options,
            compilerIdentity: "clang version 21 (test)", runtimeSHA256: String(repeating: "0", count: 64))
    }

    /// A build that writes `bytes` to `<directory>/module.so` (as the real one writes a shared object), counting
    /// its calls.
    static func build(_ bytes: [UInt8], counter: Counter? = nil, name: String = "module.so") -> (URL) throws -> URL {
        { directory in
            counter?.increment()
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url
        }
    }

    /// A cache in `scratch`, with its warnings collected.
    static func cache(_ scratch: Scratch, warnings: Warnings = Warnings(), orphanAge: Double = 3600) throws -> ArtifactCache {
        try ArtifactCache(directory: scratch.cacheDirectory, create: true, orphanAge: orphanAge, warn: warnings.sink)
    }

    static func contents(_ url: URL) -> [UInt8] {
        FileManager.default.contents(atPath: url.path).map { [UInt8]($0) } ?? []
    }

    /// Names in the cache directory, sorted.
    static func names(_ cache: ArtifactCache) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.directory.path)) ?? []).sorted()
    }

    static func temporaries(_ cache: ArtifactCache) -> [String] {
        names(cache).filter { $0.hasPrefix(".tmp-") }
    }

    /// Overwrites bytes of a (read-only) file in place, as disk corruption or a careless tool would.
    static func overwrite(_ path: String, at offset: off_t, with bytes: [UInt8]) throws {
        chmod(path, 0o644)
        let fd = open(path, O_WRONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
        try #require(written == bytes.count)
        chmod(path, 0o444)
    }

    static var isRoot: Bool { geteuid() == 0 }
}
