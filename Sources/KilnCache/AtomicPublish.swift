#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Building an entry where nobody looks, then making it appear whole with one `rename(2)`.
///
/// An entry is built in a private `.tmp-<digest>-XXXXXX` directory in the cache directory itself (so the
/// final rename never crosses file systems). Its files are written, made read-only and `fsync`ed, the
/// staging directory is `fsync`ed, and only then is it renamed to `<digest>`; the cache directory is
/// `fsync`ed last so the rename survives a power cut. A reader therefore sees either no entry or a complete
/// one, never a half-written file (RELIABILITY 51), and a compile killed at any point leaves only a
/// temporary directory, which `CacheMaintenance.removeOrphans` deletes later.
///
/// An entry is never changed in place afterwards: a rebuild publishes a new directory (a new inode), so a
/// process that has the old artifact mapped keeps running it undisturbed (RELIABILITY 52).
enum AtomicPublish {
    /// A new, empty, mode-0700 directory for one build of `digest`.
    static func makeTemporaryDirectory(_ layout: CacheLayout, digest: String) throws(CacheError) -> String {
        switch POSIX.makeTemporaryDirectory(layout.temporaryTemplate(digest)) {
        case .success(let path): return path
        case .failure(let error): throw CacheError.io("mkdtemp", layout.root, errno: error.code)
        }
    }

    /// A built artifact moved into `<temporary>/entry/` with its manifest, ready to be renamed into place.
    struct Staged {
        let directory: String
        let artifactName: String
    }

    /// Publishing failed after the build: the reason, and where the built artifact is now (so a run can still
    /// use it without the cache).
    struct Failure: Error {
        let reason: CacheError
        let artifact: String
    }

    /// Moves the built file into a staging directory inside `temporary`, makes it read-only, records its size
    /// and SHA-256 in a manifest and flushes everything to disk.
    static func stage(artifact built: String, key: CacheKey, temporary: String, now: Date = Date()) throws(Failure) -> Staged {
        let staging = temporary + "/entry"
        let name = CacheLayout.artifactName(for: built)
        let staged = staging + "/" + name
        do throws(CacheError) {
            if case .failure(let error) = POSIX.makeDirectory(staging) { throw CacheError.io("mkdir", staging, errno: error.code) }
            try move(built, into: temporary, to: staged)
        } catch {
            throw Failure(reason: error, artifact: built)
        }
        do throws(CacheError) {
            let (size, sha256) = try seal(staged)
            let manifest = Manifest(
                key: key.digest, moduleSHA256: key.moduleSHA256, kilnVersion: key.kilnVersion, artifact: name,
                size: size, sha256: sha256, created: Int64(now.timeIntervalSince1970),
                options: key.options.contains { $0.contains("\n") } ? nil : key.options.joined(separator: " "))
            try writeReadOnly(staging + "/" + CacheLayout.manifestName, manifest.encoded())
            POSIX.touch(staging + "/" + CacheLayout.lastUseName)
            if case .failure(let error) = POSIX.sync(path: staging) { throw CacheError.io("fsync", staging, errno: error.code) }
        } catch {
            throw Failure(reason: error, artifact: staged)
        }
        return Staged(directory: staging, artifactName: name)
    }

    /// Renames the staged entry to `<digest>`. Returns the published artifact's path, or nil if an entry for
    /// `key` already exists (the caller checks that one, and may remove it and try again).
    static func install(_ staged: Staged, key: CacheKey, layout: CacheLayout) throws(CacheError) -> String? {
        let entry = layout.entry(key.digest)
        switch POSIX.rename(staged.directory, entry) {
        case .success:
            break
        case .failure(let error) where error.code == EEXIST || error.code == ENOTEMPTY:
            return nil
        case .failure(let error):
            throw CacheError.io("rename", entry, errno: error.code)
        }
        // Durability only: the entry is already complete and visible.
        _ = POSIX.sync(path: layout.root)
        return entry + "/" + staged.artifactName
    }

    /// A rename when the build wrote inside the temporary directory (the usual case), else a copy: a file
    /// elsewhere belongs to the caller and stays where it is.
    private static func move(_ built: String, into temporary: String, to staged: String) throws(CacheError) {
        switch FileStatus.of(link: built) {
        case .success(let status) where status.isRegularFile: break
        case .success: throw CacheError.artifactNotRegularFile(built)
        case .failure(let error): throw CacheError.io("stat", built, errno: error.code)
        }
        if built.hasPrefix(temporary + "/") {
            switch POSIX.rename(built, staged) {
            case .success: return
            case .failure(let error): throw CacheError.io("rename", built, errno: error.code)
            }
        }
        do {
            try FileManager.default.copyItem(atPath: built, toPath: staged)
        } catch {
            throw CacheError(.io, "copy failed: \(error.localizedDescription)", path: built)
        }
    }

    /// Makes the staged artifact read-only (keeping its execute bits, for `--exe` artifacts), flushes it to
    /// disk and returns its size and SHA-256.
    private static func seal(_ path: String) throws(CacheError) -> (Int64, String) {
        let fd: Int32
        switch POSIX.open(path, O_RDONLY | O_NOFOLLOW) {
        case .success(let opened): fd = opened
        case .failure(let error): throw CacheError.io("open", path, errno: error.code)
        }
        defer { close(fd) }
        let status: FileStatus
        switch FileStatus.of(descriptor: fd) {
        case .success(let found): status = found
        case .failure(let error): throw CacheError.io("fstat", path, errno: error.code)
        }
        let executable = status.permissions & 0o100 != 0
        if fchmod(fd, executable ? 0o555 : 0o444) != 0 { throw CacheError.io("chmod", path, errno: errno) }
        let digest: (hex: String, count: Int64)
        switch ContentHash.sha256(descriptor: fd) {
        case .success(let hashed): digest = hashed
        case .failure(let error): throw CacheError.io("read", path, errno: error.code)
        }
        if case .failure(let error) = POSIX.sync(fd) { throw CacheError.io("fsync", path, errno: error.code) }
        return (digest.count, digest.hex)
    }

    private static func writeReadOnly(_ path: String, _ bytes: [UInt8]) throws(CacheError) {
        let fd: Int32
        switch POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o444) {
        case .success(let opened): fd = opened
        case .failure(let error): throw CacheError.io("create", path, errno: error.code)
        }
        defer { close(fd) }
        if case .failure(let error) = POSIX.writeAll(fd, bytes) { throw CacheError.io("write", path, errno: error.code) }
        if case .failure(let error) = POSIX.sync(fd) { throw CacheError.io("fsync", path, errno: error.code) }
    }
}
