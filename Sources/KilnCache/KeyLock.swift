#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// An exclusive `flock(2)` on `<digest>.lock`, held while one key's entry is checked and built, or removed.
///
/// `flock` rather than `fcntl` locks, for two reasons:
/// - the lock belongs to the open file description, so two threads of one process exclude each other just
///   as two processes do (an `fcntl` lock is per process and lets a second thread straight through);
/// - the kernel drops it when the holder dies, however it dies (`SIGKILL` included), so a waiter wakes up,
///   finds no entry and builds it itself. Nothing is ever "stale" and there is no timeout to tune.
///
/// The lock file itself is removed only by its holder (`prune`, `clean`). A process that was waiting on the
/// removed file wakes up holding a lock on a name that no longer exists, so after every acquisition the
/// descriptor's inode is compared with the path's, and on a mismatch the lock is taken again on the new file.
final class KeyLock {
    let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// The open lock, for a child process to inherit (see `BuildReservation`).
    var descriptor: Int32 { fd }

    /// The lock held through `fd`, an inherited descriptor: nil unless `fd` is the file `path` names now and
    /// holds its lock (taking it again through the same open file description succeeds at once if so, and
    /// fails without waiting if the description does not hold it).
    static func adopt(descriptor fd: Int32, path: String) -> KeyLock? {
        guard fd >= 0, case .success(let held) = FileStatus.of(descriptor: fd), case .success(let named) = FileStatus.of(link: path),
            held.inode == named.inode, held.device == named.device, flock(fd, LOCK_EX | LOCK_NB) == 0
        else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return KeyLock(path: path, fd: fd)
    }

    /// Waits until the lock is free, then holds it until the `KeyLock` is released.
    static func acquire(_ path: String) throws(CacheError) -> KeyLock {
        // `take` returns nil only when not waiting or not creating.
        guard let lock = try take(path, wait: true, create: true) else { throw CacheError.io("flock", path, errno: EAGAIN) }
        return lock
    }

    /// The lock if nobody holds it now; nil if another process or thread does, or if the lock file does not
    /// exist and `create` is false.
    ///
    /// With `patience`, a lock that is busy is tried again for up to that many seconds: a lock released a
    /// moment ago can look busy while a process started by another thread of its holder has not yet called
    /// `exec` (until then the child shares the descriptor; `O_CLOEXEC` closes it only at `exec`).
    static func attempt(_ path: String, create: Bool = true, patience: Double = 0) throws(CacheError) -> KeyLock? {
        let start = Date()
        while true {
            if let lock = try take(path, wait: false, create: create) { return lock }
            if Date().timeIntervalSince(start) >= patience || (!create && access(path, F_OK) != 0) { return nil }
            usleep(5_000)
        }
    }

    /// Removes the lock file; call only while holding the lock.
    func removeFile() {
        unlink(path)
    }

    private static func take(_ path: String, wait: Bool, create: Bool) throws(CacheError) -> KeyLock? {
        while true {
            let fd: Int32
            switch POSIX.open(path, O_RDONLY | O_NOFOLLOW | (create ? O_CREAT : 0), mode: 0o600) {
            case .success(let opened): fd = opened
            case .failure(let error) where error.code == ENOENT && !create: return nil
            case .failure(let error): throw CacheError.io("open", path, errno: error.code)
            }
            while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
                let code = errno
                if code == EINTR { continue }
                close(fd)
                if code == EWOULDBLOCK { return nil }
                throw CacheError.io("flock", path, errno: code)
            }
            // Still the file the path names? (Its holder may have removed it while we waited.)
            if case .success(let held) = FileStatus.of(descriptor: fd), case .success(let named) = FileStatus.of(link: path),
                held.inode == named.inode, held.device == named.device
            {
                return KeyLock(path: path, fd: fd)
            }
            close(fd)
            if !create { return nil }
        }
    }
}
