import Foundation

/// The names Kiln writes in the cache directory, and nothing else (so `kiln cache clean` can remove exactly
/// these, even from a `KILN_CACHE_DIR` that holds other files):
///
/// ```
/// CACHEDIR.TAG              marks the directory as a cache, so backup tools skip it
/// <digest>/                 one entry, published by a single rename of the whole directory
///     manifest              key, module hash, artifact name, size and SHA-256 (read-only)
///     <artifact>            the built file, e.g. module.so (read-only)
///     last-use              empty; its modification time is the last hit
/// <digest>.lock             flock'ed while the entry is looked up under the lock, built or removed
/// .tmp-<digest>-XXXXXX/     a build in progress, one that was killed, or an entry being deleted
/// <digest>.failed           why the last background build of the key failed (BuildReservation.swift)
/// launch/<name>             what the C launcher may run without Swift (LaunchRecord.swift)
/// ```
struct CacheLayout: Sendable {
    let root: String

    func entry(_ digest: String) -> String { root + "/" + digest }
    func manifest(_ digest: String) -> String { entry(digest) + "/" + CacheLayout.manifestName }
    func lastUse(_ digest: String) -> String { entry(digest) + "/" + CacheLayout.lastUseName }
    func lock(_ digest: String) -> String { root + "/" + digest + CacheLayout.lockSuffix }
    func failure(_ digest: String) -> String { root + "/" + digest + CacheLayout.failureSuffix }
    func temporaryTemplate(_ digest: String) -> String { root + "/" + CacheLayout.temporaryPrefix + digest + "-XXXXXX" }
    var tag: String { root + "/CACHEDIR.TAG" }

    static let manifestName = "manifest"
    static let lastUseName = "last-use"
    static let lockSuffix = ".lock"
    static let failureSuffix = ".failed"
    static let temporaryPrefix = ".tmp-"

    /// <https://bford.info/cachedir/>: the signature line, then a note for people.
    static let tagContents = Array("Signature: 8a477f597d28d172789f06886806bc55\n# This directory is Kiln's artifact cache; `kiln cache clean` empties it.\n".utf8)

    /// 64 lowercase hex digits: an entry's directory name.
    static func isDigest(_ name: some StringProtocol) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The key of `<digest>.lock`, or nil.
    static func lockDigest(_ name: String) -> String? {
        guard name.hasSuffix(lockSuffix) else { return nil }
        let digest = name.dropLast(lockSuffix.count)
        return isDigest(digest) ? String(digest) : nil
    }

    /// The key of `<digest>.failed`, or nil.
    static func failureDigest(_ name: String) -> String? {
        guard name.hasSuffix(failureSuffix) else { return nil }
        let digest = name.dropLast(failureSuffix.count)
        return isDigest(digest) ? String(digest) : nil
    }

    /// The key of `.tmp-<digest>-XXXXXX`, or nil.
    static func temporaryDigest(_ name: String) -> String? {
        guard name.hasPrefix(temporaryPrefix) else { return nil }
        let rest = name.dropFirst(temporaryPrefix.count)
        guard rest.count == 64 + 7, rest.dropFirst(64).first == "-" else { return nil }
        let digest = rest.prefix(64)
        return isDigest(digest) ? String(digest) : nil
    }

    /// The name the artifact keeps inside its entry: the built file's own name when it is a plain, visible
    /// file name that does not collide with the entry's other files, else `artifact`.
    static func artifactName(for built: String) -> String {
        let name = (built as NSString).lastPathComponent
        let plain = !name.isEmpty && name.utf8.count <= 200 && !name.hasPrefix(".")
            && !name.utf8.contains(where: { $0 < 0x20 || $0 == 0x2f || $0 == 0x7f })
        return plain && name != manifestName && name != lastUseName ? name : "artifact"
    }
}

/// The entry's `manifest`: what was stored, so that a later lookup can check what it finds.
///
/// A line format (`field value`) rather than JSON: a lookup parses it on every run, and a person can read
/// it with `cat`.
struct Manifest: Equatable, Sendable {
    var key: String
    var moduleSHA256: String
    var kilnVersion: String
    var artifact: String
    var size: Int64
    var sha256: String
    /// Seconds since 1970.
    var created: Int64
    /// The key's options, space-separated (absent from entries older than the field; optional for that reason).
    var options: String? = nil

    static let header = "kiln-cache-entry 1"

    func encoded() -> [UInt8] {
        let lines = [
            Manifest.header, "key \(key)", "module \(moduleSHA256)", "kiln \(kilnVersion)", "artifact \(artifact)",
            "size \(size)", "sha256 \(sha256)", "created \(created)",
        ] + (options.map { ["options \($0)"] } ?? [])
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Nil if anything is missing, repeated in a way that matters, or out of shape.
    static func parse(_ bytes: [UInt8]) -> Manifest? {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header), lines.last == "" else { return nil }
        lines = Array(lines.dropFirst().dropLast())
        var fields: [Substring: Substring] = [:]
        for line in lines {
            guard let space = line.firstIndex(of: " ") else { return nil }
            let name = line[..<space]
            guard fields[name] == nil else { return nil }
            fields[name] = line[line.index(after: space)...]
        }
        guard let key = fields["key"], CacheLayout.isDigest(key),
            let module = fields["module"], CacheLayout.isDigest(module),
            let kiln = fields["kiln"],
            let artifact = fields["artifact"], CacheLayout.artifactName(for: String(artifact)) == artifact,
            let size = fields["size"].flatMap({ Int64($0) }), size >= 0,
            let sha = fields["sha256"], CacheLayout.isDigest(sha),
            let created = fields["created"].flatMap({ Int64($0) })
        else { return nil }
        return Manifest(
            key: String(key), moduleSHA256: String(module), kilnVersion: String(kiln), artifact: String(artifact),
            size: size, sha256: String(sha), created: created, options: fields["options"].map(String.init))
    }
}
