#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Where the cache lives, and whether that directory may be used.
///
/// The directory holds code Kiln will `dlopen`, so it is trusted only when this user owns it and nobody else
/// can write to it (RELIABILITY 53). A directory created here gets mode 0700.
public enum CacheLocation {
    /// `$KILN_CACHE_DIR`, else `$XDG_CACHE_HOME/kiln`, else `~/.cache/kiln`. Empty variables count as unset,
    /// and so does a relative `XDG_CACHE_HOME` (the XDG base directory specification says to ignore it).
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CacheError) -> URL {
        if let dir = environment["KILN_CACHE_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true).standardizedFileURL
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("kiln", isDirectory: true)
        }
        guard let home = homeDirectory(environment) else { throw CacheError.noHome() }
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/kiln", isDirectory: true)
    }

    /// Checks that `path` is a directory this user owns, that only this user can write, and that is writable;
    /// with `create`, makes it first if it is missing. Returns false if it is missing and `create` is false.
    static func prepare(_ path: String, create: Bool) throws(CacheError) -> Bool {
        var status: FileStatus
        switch FileStatus.of(path: path) {
        case .success(let found):
            status = found
        case .failure(let error) where error.isNotFound && create:
            status = try make(path)
        case .failure(let error) where error.isNotFound:
            return false
        case .failure(let error):
            throw CacheError.cannotCreate(path, errno: error.code)
        }
        guard status.isDirectory else { throw CacheError.notDirectory(path) }
        guard status.owner == currentUser else { throw CacheError.foreignDirectory(path, owner: status.owner) }
        guard !status.isOpenToOthers else { throw CacheError.openToOthers(path, mode: status.permissions) }
        guard access(path, W_OK | X_OK) == 0 else { throw CacheError.notWritable(path, errno: errno) }
        return true
    }

    /// Creates the parents with the default mode, the cache directory itself with 0700.
    private static func make(_ path: String) throws(CacheError) -> FileStatus {
        let parent = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            // The mkdir below reports the reason with its errno.
        }
        if case .failure(let error) = POSIX.makeDirectory(path), error.code != EEXIST {
            throw CacheError.cannotCreate(path, errno: error.code)
        }
        switch FileStatus.of(path: path) {
        case .success(let status): return status
        case .failure(let error): throw CacheError.cannotCreate(path, errno: error.code)
        }
    }

    private static func homeDirectory(_ environment: [String: String]) -> String? {
        if let home = environment["HOME"], !home.isEmpty { return home }
        guard let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir else { return nil }
        let home = String(cString: dir)
        return home.isEmpty ? nil : home
    }
}
