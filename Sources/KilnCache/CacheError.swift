#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import KilnModel

/// Why the artifact cache could not be used, or a maintenance command could not finish.
///
/// A run never fails because of one of these: `ArtifactCache.open` and `ArtifactCache.withArtifact` turn them
/// into a one-line warning and build without the cache. Only the maintenance commands (`kiln cache list`,
/// `clean`, `prune`) and the lower-level `ArtifactCache.artifact(for:build:)` report them as errors.
public struct CacheError: KilnError, Equatable {
    public enum Kind: String, Sendable {
        /// The directory is missing and cannot be created, not writable, or not trustworthy.
        case unusableDirectory = "cache directory unusable"
        /// An entry someone else owns, or that others could have written; never loaded.
        case untrustedEntry = "cache entry untrusted"
        /// Reading or writing the cache failed (disk full, permissions, a file vanished).
        case io = "cache I/O failed"
        /// An input of the key could not be read (a runtime source file).
        case keyInput = "cannot compute cache key"
        /// The built artifact is not something the cache can store.
        case badArtifact = "cannot cache artifact"
        /// A `--max-size` that is not a size.
        case badSize = "invalid size"
    }

    public let category: Kind
    public let reason: String
    /// The file or directory concerned, shown as the location.
    public let path: String?

    public init(_ category: Kind, _ reason: String, path: String? = nil) {
        self.category = category
        self.reason = reason
        self.path = path
    }

    public var kind: String { category.rawValue }
    public var location: ErrorLocation { ErrorLocation(context: path) }

    // The wording, in one place.

    static func noHome() -> CacheError {
        CacheError(.unusableDirectory, "no cache directory: set KILN_CACHE_DIR, XDG_CACHE_HOME or HOME")
    }
    static func cannotCreate(_ path: String, errno code: Int32) -> CacheError {
        CacheError(.unusableDirectory, "cannot create it (\(describe(errno: code)))", path: path)
    }
    static func notDirectory(_ path: String) -> CacheError {
        CacheError(.unusableDirectory, "not a directory", path: path)
    }
    static func notWritable(_ path: String, errno code: Int32) -> CacheError {
        CacheError(.unusableDirectory, "not writable (\(describe(errno: code)))", path: path)
    }
    static func foreignDirectory(_ path: String, owner: UInt32) -> CacheError {
        CacheError(.unusableDirectory, "owned by uid \(owner), not by this user (uid \(currentUser))", path: path)
    }
    static func openToOthers(_ path: String, mode: UInt32) -> CacheError {
        CacheError(.unusableDirectory, "writable by group or others (mode \(octal(mode)))", path: path)
    }
    static func foreignEntry(owner: UInt32, path: String) -> CacheError {
        CacheError(.untrustedEntry, "owned by uid \(owner), not by this user (uid \(currentUser))", path: path)
    }
    static func io(_ operation: String, _ path: String, errno code: Int32) -> CacheError {
        CacheError(.io, "\(operation) failed: \(describe(errno: code))", path: path)
    }
    static func unreadableKeyInput(_ path: String, errno code: Int32) -> CacheError {
        CacheError(.keyInput, "cannot read runtime file (\(describe(errno: code)))", path: path)
    }
    static func artifactNotRegularFile(_ path: String) -> CacheError {
        CacheError(.badArtifact, "the build did not produce a regular file", path: path)
    }
    static func badSize(_ text: String) -> CacheError {
        CacheError(.badSize, "'\(text)' is not a size (a number of bytes, optionally followed by K, M or G)")
    }
}

/// `Permission denied`, from `strerror`.
func describe(errno code: Int32) -> String {
    String(cString: strerror(code))
}

func octal(_ mode: UInt32) -> String {
    let digits = String(mode & 0o7777, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
