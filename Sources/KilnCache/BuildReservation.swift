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
        (try? hit(key.digest, reportCorruption: false))?.map { URL(fileURLWithPath: $0) }
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

    // MARK: - Failed background builds

    /// Notes that a background build of `key` failed, with the reason, in `<digest>.failed`: `kiln cache list`
    /// shows it, and the next run retries the build. Best effort: a note that cannot be written is no error.
    public func recordFailedBuild(digest: String, reason: String) {
        guard CacheLayout.isDigest(digest) else { return }
        // Under a temporary name that `removeOrphans` cleans up should this process die before the rename.
        _ = POSIX.replaceFile(
            layout.failure(digest), with: Array((reason.replacingOccurrences(of: "\n", with: " ") + "\n").utf8),
            template: layout.temporaryTemplate(digest))
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
