#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// What a killed `kiln compile` leaves behind: its work directory (`$TMPDIR/kiln-compile-<pid>`) and its
/// staging file beside the output (`<output>.kiln-tmp-<pid>`). A later compile removes those whose process
/// is gone; a live process's are its own business.
enum StaleBuilds {
    /// Removes the entries of `directory` named `<prefix><pid>` whose process no longer exists and that
    /// belong to this user.
    static func remove(prefix: String, in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, pid != getpid(), !isAlive(pid) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, info.st_uid == geteuid() else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// `kill(pid, 0)`: EPERM means it exists but is someone else's.
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
