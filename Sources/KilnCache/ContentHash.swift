#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Crypto

/// SHA-256 as lowercase hex, of bytes or of a file read in chunks.
///
/// The only place Kiln touches `Crypto` (swift-crypto: BoringSSL's assembly on Linux, CryptoKit on Apple
/// systems). With the SHA extensions of current x86-64 and ARM cores it hashes at well over 1 GB/s.
public enum ContentHash {
    /// `sha256sum`'s digest of `bytes`.
    public static func sha256(of bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The SHA-256 of a file's contents, read in 1 MiB chunks.
    public static func sha256(file path: String) throws(CacheError) -> String {
        let fd: Int32
        switch POSIX.open(path, O_RDONLY) {
        case .success(let opened): fd = opened
        case .failure(let error): throw CacheError.io("open", path, errno: error.code)
        }
        defer { close(fd) }
        switch sha256(descriptor: fd) {
        case .success(let digest): return digest.hex
        case .failure(let error): throw CacheError.io("read", path, errno: error.code)
        }
    }

    /// Hashes from the descriptor's position to end of file; also returns how many bytes were read, so
    /// that a file that changed size while being hashed is caught by the size check.
    static func sha256(descriptor fd: Int32) -> Result<(hex: String, count: Int64), Errno> {
        var hasher = SHA256()
        var count: Int64 = 0
        let chunkSize = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(errno))
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            count += Int64(n)
        }
        return .success((hex(hasher.finalize()), count))
    }

    /// A running SHA-256 over framed fields, for keys: every field is preceded by its length, so that
    /// no two different lists of fields feed the same bytes.
    struct FieldHasher {
        private var hasher = SHA256()

        mutating func field(_ bytes: [UInt8]) {
            var length = UInt64(bytes.count).littleEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }

        mutating func field(_ text: String) { field(Array(text.utf8)) }

        mutating func count(_ n: Int) {
            var value = UInt64(n).littleEndian
            withUnsafeBytes(of: &value) { hasher.update(bufferPointer: $0) }
        }

        func finalize() -> String { ContentHash.hex(hasher.finalize()) }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
