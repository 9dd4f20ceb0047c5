#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import KilnDecode
import KilnModel

/// Reads a module file (`.wasm` or `.wat`) from disk; the one place the front end touches the file system.
///
/// Only regular files are read: `/dev/zero` never ends, a FIFO blocks on open until a writer comes and a
/// terminal waits for input, so `kiln validate /dev/zero` would read (and grow) forever. The type is taken
/// from `fstat` of the opened descriptor, not a `stat` of the path, which could change in between.
public enum ModuleFile {
    /// The largest module read: 1 GiB. Real modules are at most tens of MB (the Lua fixture is 0.3 MB, big
    /// game engines around 50 MB), and compiling holds about 20 bytes of C per module byte, so a bigger file
    /// could never be compiled; the cap turns the mistake into an error before memory runs out.
    public static let maxBytes = 1 << 30

    public static func read(_ path: String, maxBytes: Int = ModuleFile.maxBytes) throws(DecodeError) -> ModuleSource {
        // O_NONBLOCK: a FIFO opens at once (then is refused) rather than waiting for a writer; O_NOCTTY: a
        // terminal device never becomes kiln's controlling terminal.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw DecodeError(.unreadable, describe(errno)) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw DecodeError(.unreadable, describe(errno)) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw DecodeError(.unreadable, "is a directory")
        default: throw DecodeError(.unreadable, "not a regular file")
        }
        guard Int(status.st_size) <= maxBytes else { throw tooLarge(maxBytes) }
        // Read to end of file rather than st_size bytes: the file may change while it is read; the cap holds.
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw DecodeError(.unreadable, describe(errno))
            }
            if count == 0 { break }
            guard bytes.count + count <= maxBytes else { throw tooLarge(maxBytes) }
            bytes.append(contentsOf: buffer[0..<count])
        }
        guard !bytes.isEmpty else { throw DecodeError(.unreadable, "the file is empty") }
        return ModuleSource.detect(bytes)
    }

    static func tooLarge(_ maxBytes: Int) -> DecodeError {
        DecodeError(.unreadable, "the file is larger than \(maxBytes) bytes, the most Kiln reads")
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        default: String(cString: strerror(code))
        }
    }
}

/// `read(2)`, named apart from `ModuleFile.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
