#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// A key's lock taken without waiting, to hand a build of that key to another process: tiered `kiln run`
/// takes it for the optimized key before it starts the background build, and the background process adopts
/// the same open lock (its descriptor is inherited). So between "nobody is building this" and the build
/// there is no moment when the key is unlocked, and two first runs at once start one background build, not
/// two. The kernel still drops the lock however the holder dies, so a killed background build leaves the key
/// free for the next run to retry.
public final class BuildReservation: @unchecked Sendable {  // immutable: a held lock and its key
    let lock: KeyLock
    /// The key's digest.
    public let digest: String

    init(lock: KeyLock, digest: String) {
        self.lock = lock
        self.digest = digest
    }

    /// The descriptor holding the lock (close-on-exec: pass it to a child with `dup2`).
    public var fileDescriptor: Int32 { lock.descriptor }
}

extension ArtifactCache {
    /// The verified artifact stored for `key`, without taking its lock or building anything; nil when there
    /// is none (or it cannot be trusted, which the next locked lookup reports).
    public func storedArtifact(for key: CacheKey) -> URL? {
        guard case .valid(let artifact, _) = Integrity.check(key.digest, in: layout) else { return nil }
        POSIX.touch(layout.lastUse(key.digest))
        return URL(fileURLWithPath: artifact)
    }

    /// The key's lock if nobody holds it now, else nil (a build of the key is under way).
    public func reserveBuild(for key: CacheKey) throws(CacheError) -> BuildReservation? {
        try KeyLock.attempt(layout.lock(key.digest)).map { BuildReservation(lock: $0, digest: key.digest) }
    }

    /// Takes over a reservation another process made and passed on as descriptor `fd`. Nil when `fd` is not an
    /// open lock of this key's lock file (a lock file removed meanwhile, a wrong number).
    public func adoptReservation(descriptor fd: Int32, for key: CacheKey) -> BuildReservation? {
        guard let lock = KeyLock.adopt(descriptor: fd, path: layout.lock(key.digest)) else { return nil }
        return BuildReservation(lock: lock, digest: key.digest)
    }

    /// Like `artifact(for:build:)`, under a reservation already held instead of waiting for the lock.
    public func artifact(for key: CacheKey, reservation: BuildReservation, build: (URL) throws -> URL) throws -> URL {
        precondition(reservation.digest == key.digest, "a reservation of another key")
        do {
            switch try lookupOrBuild(key, build, holding: reservation.lock) {
            case .cached(let path):
                return URL(fileURLWithPath: path)
            case .unpublished(_, let temporary, let reason):
                _ = POSIX.removeTree(temporary)
                throw reason
            }
        } catch let failure as BuildFailure {
            throw failure.underlying
        }
    }

    // MARK: - Failed background builds

    /// Notes that a background build of `key` failed, with the reason, in `<digest>.failed`: `kiln cache list`
    /// shows it, and the next run retries the build. Best effort: a note that cannot be written is no error.
    public func recordFailedBuild(digest: String, reason: String) {
        guard CacheLayout.isDigest(digest) else { return }
        let path = layout.failure(digest)
        let text = Array((reason.replacingOccurrences(of: "\n", with: " ") + "\n").utf8)
        var template = Array((layout.root + "/" + CacheLayout.temporaryPrefix + digest + "-XXXXXX").utf8CString)
        // A temporary name that `removeOrphans` would clean up if this process died before the rename.
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        let temporary = String(cString: template)
        let written = !POSIX.writeAll(fd, text).isFailure
        close(fd)
        if !written || POSIX.rename(temporary, path).isFailure { unlink(temporary) }
    }

    /// Removes the note of a failed build of `key` (after a build of it succeeded).
    public func clearFailedBuild(_ key: CacheKey) {
        unlink(layout.failure(key.digest))
    }

    /// The keys whose last background build failed, with the reason recorded.
    public func failedBuilds() -> [(digest: String, reason: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: layout.root)) ?? []).sorted()
        return names.compactMap { name in
            guard let digest = CacheLayout.failureDigest(name), case .success(let fd) = POSIX.open(layout.failure(digest), O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
            else { return nil }
            defer { close(fd) }
            guard case .success(let bytes) = POSIX.readAll(fd, limit: 1 << 16) else { return nil }
            return (digest, String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
