#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checking an entry before its artifact is handed out for `dlopen` (RELIABILITY 49).
///
/// **The choice: the artifact is hashed in full on every lookup**, and compared with the SHA-256 and size
/// that the manifest recorded when the entry was published. The alternative, recording size, mtime and
/// inode in a sidecar and re-hashing only when they differ, was rejected:
/// - It misses exactly the corruption it is meant to catch when the metadata does not move: a bit flipped
///   on disk (or in a copy restored with `cp -p`/`rsync -t`) keeps size and mtime; a same-size write within
///   one timestamp tick (file times on Linux come from a coarse clock) keeps them too.
/// - It costs a second source of truth that must itself be kept consistent and trusted.
/// - The saving is small. SHA-256 through swift-crypto (BoringSSL's assembly, using the CPU's SHA
///   extensions where present) hashes a page-cached artifact at about 1.8 GB/s: measured here
///   (`HitTimingTests`, debug build, x86-64 with SHA-NI), a whole hit (stat, manifest, hash, touching
///   `last-use`) takes 0.6 ms for a 1 MB artifact and 2.8 ms for 5 MB. Without SHA extensions expect about
///   three times that, still small next to compiling, and comparable to `dlopen` and relocating such an object.
///
/// The artifact and the manifest are also made read-only when published, so an accidental in-place write
/// fails instead of corrupting an entry another process may be running.
///
/// What is checked, in order, each failure giving the reason printed in
/// `kiln: warning: cache entry <key> is corrupt (<why>); rebuilding`:
/// the entry is a real directory (not a symbolic link) owned by this user and writable only by it; the
/// manifest exists, is a regular file, parses and names this key; the artifact exists, is a regular file
/// writable only by this user, has the recorded size and the recorded SHA-256. An entry or file owned by
/// another user is `untrusted`: never loaded, and not removed either (it is not Kiln's to delete).
///
/// The hash is computed on an open descriptor, while the caller later opens the artifact by path. Between
/// the two, only this user can change the file (the cache directory and the entry are writable by this user
/// alone), and Kiln itself never writes an entry in place, so no one but this user's own hand can swap it.
enum Integrity {
    enum Verdict: Equatable {
        /// The artifact's path, checked.
        case valid(artifact: String, manifest: Manifest)
        case missing
        /// Why: `truncated: 4096 of 1048576 bytes`, `SHA-256 mismatch`, `manifest is missing`…
        case corrupt(String)
        /// Owned by another user; refused, not removed.
        case untrusted(CacheError)
    }

    /// The largest manifest that is read; a real one is about 400 bytes.
    static let manifestLimit = 4096

    static func check(_ digest: String, in layout: CacheLayout) -> Verdict {
        let entry = layout.entry(digest)
        switch FileStatus.of(link: entry) {
        case .failure(let error) where error.isNotFound:
            return .missing
        case .failure(let error):
            return .corrupt("cannot stat the entry: \(describe(errno: error.code))")
        case .success(let status):
            if !status.isDirectory { return .corrupt("the entry is not a directory") }
            if status.owner != currentUser { return .untrusted(.foreignEntry(owner: status.owner, path: entry)) }
            if status.isOpenToOthers { return .corrupt("the entry is writable by group or others") }
        }

        let manifest: Manifest
        switch readManifest(layout.manifest(digest), digest: digest) {
        case .success(let read): manifest = read
        case .failure(let failure): return failure.verdict
        }
        guard manifest.key == digest else { return .corrupt("the manifest names another key") }

        let path = entry + "/" + manifest.artifact
        let fd: Int32
        switch open(path, what: "artifact", digest: digest) {
        case .success(let opened): fd = opened
        case .failure(let failure): return failure.verdict
        }
        defer { close(fd) }
        guard case .success(let status) = FileStatus.of(descriptor: fd) else { return .corrupt("cannot stat the artifact") }
        if status.owner != currentUser { return .untrusted(.foreignEntry(owner: status.owner, path: path)) }
        if !status.isRegularFile { return .corrupt("the artifact is not a regular file") }
        if status.isOpenToOthers { return .corrupt("the artifact is writable by group or others") }
        if status.size < manifest.size { return .corrupt("truncated: \(status.size) of \(manifest.size) bytes") }
        if status.size != manifest.size { return .corrupt("size is \(status.size) bytes, expected \(manifest.size)") }
        switch ContentHash.sha256(descriptor: fd) {
        case .failure(let error):
            return .corrupt("cannot read the artifact: \(describe(errno: error.code))")
        case .success(let digest) where digest.count != manifest.size:
            return .corrupt("the artifact changed size while being read")
        case .success(let digest) where digest.hex != manifest.sha256:
            return .corrupt("SHA-256 mismatch: the contents changed since it was stored")
        case .success:
            return .valid(artifact: path, manifest: manifest)
        }
    }

    /// A check that ended before the artifact was hashed.
    struct Failure: Error {
        let verdict: Verdict
    }

    private static func readManifest(_ path: String, digest: String) -> Result<Manifest, Failure> {
        let fd: Int32
        switch open(path, what: "manifest", digest: digest) {
        case .success(let opened): fd = opened
        case .failure(let failure): return .failure(failure)
        }
        defer { close(fd) }
        guard case .success(let status) = FileStatus.of(descriptor: fd) else {
            return .failure(Failure(verdict: .corrupt("cannot stat the manifest")))
        }
        if status.owner != currentUser {
            return .failure(Failure(verdict: .untrusted(.foreignEntry(owner: status.owner, path: path))))
        }
        if !status.isRegularFile { return .failure(Failure(verdict: .corrupt("the manifest is not a regular file"))) }
        guard case .success(let bytes) = POSIX.readAll(fd, limit: manifestLimit), let manifest = Manifest.parse(bytes) else {
            return .failure(Failure(verdict: .corrupt("the manifest is malformed")))
        }
        return .success(manifest)
    }

    /// Opens without following a symbolic link (a link is reported as corruption, not followed).
    private static func open(_ path: String, what: String, digest: String) -> Result<Int32, Failure> {
        switch POSIX.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) {
        case .success(let fd):
            return .success(fd)
        case .failure(let error) where error.code == ENOENT:
            return .failure(Failure(verdict: .corrupt("the \(what) is missing")))
        case .failure(let error) where error.code == ELOOP:
            return .failure(Failure(verdict: .corrupt("the \(what) is a symbolic link")))
        case .failure(let error):
            return .failure(Failure(verdict: .corrupt("cannot open the \(what): \(describe(errno: error.code))")))
        }
    }
}
