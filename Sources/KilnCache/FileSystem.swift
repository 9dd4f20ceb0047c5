#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// The effective user: every directory and file the cache trusts must be owned by it.
let currentUser: UInt32 = UInt32(geteuid())

/// What `stat`/`lstat`/`fstat` says about a file, in the few fields the cache looks at.
struct FileStatus: Sendable, Equatable {
    let mode: UInt32
    let owner: UInt32
    let size: Int64
    let device: UInt64
    let inode: UInt64
    /// Seconds since 1970, with the nanoseconds.
    let modified: Double

    init(_ s: stat) {
        mode = UInt32(s.st_mode)
        owner = UInt32(s.st_uid)
        size = Int64(s.st_size)
        device = UInt64(s.st_dev)
        inode = UInt64(s.st_ino)
        #if canImport(Darwin)
            modified = Double(s.st_mtimespec.tv_sec) + Double(s.st_mtimespec.tv_nsec) / 1e9
        #else
            modified = Double(s.st_mtim.tv_sec) + Double(s.st_mtim.tv_nsec) / 1e9
        #endif
    }

    var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    /// Writable by group or others: someone besides the owner could have changed it.
    var isOpenToOthers: Bool { mode & 0o022 != 0 }
    var permissions: UInt32 { mode & 0o7777 }

    /// `lstat`: a symbolic link is reported as itself. The errno on failure.
    static func of(link path: String) -> Result<FileStatus, Errno> {
        var s = stat()
        return lstat(path, &s) == 0 ? .success(FileStatus(s)) : .failure(Errno(errno))
    }

    /// `stat`: symbolic links are followed.
    static func of(path: String) -> Result<FileStatus, Errno> {
        var s = stat()
        return stat(path, &s) == 0 ? .success(FileStatus(s)) : .failure(Errno(errno))
    }

    static func of(descriptor: Int32) -> Result<FileStatus, Errno> {
        var s = stat()
        return fstat(descriptor, &s) == 0 ? .success(FileStatus(s)) : .failure(Errno(errno))
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

/// An `errno` value, so that it can travel in a `Result`.
struct Errno: Error, Equatable {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var isNotFound: Bool { code == ENOENT || code == ENOTDIR }
}

/// The few POSIX operations the cache composes; each retries on `EINTR` and reports `errno`.
enum POSIX {
    /// `open(2)` with `O_CLOEXEC`, so a C compiler the build starts never inherits a lock or a file.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) -> Result<Int32, Errno> {
        while true {
            let fd = systemOpen(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return .success(fd) }
            if errno != EINTR { return .failure(Errno(errno)) }
        }
    }

    /// Reads until end of file, at most `limit` bytes (more is an error: `EFBIG`).
    static func readAll(_ fd: Int32, limit: Int) -> Result<[UInt8], Errno> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(errno))
            }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { return .failure(Errno(EFBIG)) }
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Result<Void, Errno> {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                let rest = UnsafeRawBufferPointer(rebasing: raw[written...])
                return write(fd, rest.baseAddress, rest.count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(errno))
            }
            written += n
        }
        return .success(())
    }

    /// `fsync(2)` on a file or, opened read-only, a directory (which makes a rename in it durable).
    static func sync(path: String) -> Result<Void, Errno> {
        switch open(path, O_RDONLY) {
        case .failure(let error): return .failure(error)
        case .success(let fd):
            defer { close(fd) }
            return sync(fd)
        }
    }

    static func sync(_ fd: Int32) -> Result<Void, Errno> {
        while fsync(fd) != 0 {
            if errno != EINTR { return .failure(Errno(errno)) }
        }
        return .success(())
    }

    /// `rename(2)`: atomic within one file system; fails with `EEXIST`/`ENOTEMPTY` onto a non-empty directory.
    static func rename(_ from: String, _ to: String) -> Result<Void, Errno> {
        systemRename(from, to) == 0 ? .success(()) : .failure(Errno(errno))
    }

    static func makeDirectory(_ path: String, mode: mode_t = 0o700) -> Result<Void, Errno> {
        mkdir(path, mode) == 0 ? .success(()) : .failure(Errno(errno))
    }

    /// `mkdtemp(3)`: a new mode-0700 directory named after `template`, whose `XXXXXX` is replaced.
    static func makeTemporaryDirectory(_ template: String) -> Result<String, Errno> {
        var buffer = Array(template.utf8CString)
        let made = buffer.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap(mkdtemp) != nil }
        guard made else { return .failure(Errno(errno)) }
        return .success(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Writes `bytes` to a new file named after `template` (`mkstemp(3)`, mode 0600) and renames it to `path`,
    /// so a reader sees the old file or the whole new one. Whether it was written; nothing is left behind.
    static func replaceFile(_ path: String, with bytes: [UInt8], template: String) -> Bool {
        var buffer = Array(template.utf8CString)
        let fd = buffer.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return false }
        let temporary = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let written = !writeAll(fd, bytes).isFailure
        close(fd)
        guard written, !rename(temporary, path).isFailure else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Sets the modification time to now, creating the file if it is missing.
    static func touch(_ path: String) {
        if utimensat(AT_FDCWD, path, nil, 0) == 0 { return }
        if case .success(let fd) = open(path, O_WRONLY | O_CREAT, mode: 0o600) { close(fd) }
    }

    /// Removes a file or a whole directory tree; a missing path is not an error.
    static func removeTree(_ path: String) -> Result<Void, Errno> {
        guard case .success(let status) = FileStatus.of(link: path) else { return .success(()) }
        if !status.isDirectory {
            return unlink(path) == 0 || errno == ENOENT ? .success(()) : .failure(Errno(errno))
        }
        // Entries are made read-only, but removing a name needs write permission on its directory only.
        let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for child in children {
            if case .failure(let error) = removeTree(path + "/" + child) { return .failure(error) }
        }
        return rmdir(path) == 0 || errno == ENOENT ? .success(()) : .failure(Errno(errno))
    }
}

// Glibc's and Darwin's `open` and `rename` are shadowed by the `POSIX` members above.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
        Glibc.open(path, flags, mode)
    #else
        Darwin.open(path, flags, mode)
    #endif
}

private func systemRename(_ from: String, _ to: String) -> Int32 {
    #if canImport(Glibc)
        Glibc.rename(from, to)
    #else
        Darwin.rename(from, to)
    #endif
}
