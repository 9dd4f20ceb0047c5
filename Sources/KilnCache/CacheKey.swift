#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What identifies one compiled artifact: a SHA-256 over everything that can change the machine code.
///
/// The inputs, each length-framed (so no two different input lists hash the same bytes):
/// - the layout version of the cache (bumped when the entry format changes),
/// - the module's own SHA-256,
/// - the Kiln version,
/// - every option that changes code, in the caller's order (`-O2`, `sanitize=address`, `cpu=x86-64-v3`…),
/// - the C compiler's identity (its path and `--version` output, which names the target triple),
/// - the SHA-256 of the runtime sources (each file's contents, in the caller's order),
/// - the host's machine name (`uname -m`), so a cache on a shared home directory never hands an x86-64
///   artifact to an arm64 host.
///
/// Any change gives a new key and a new entry: nothing stale is ever looked up. A caller that builds with
/// `-march=native` must pass the resolved CPU name as an option, since the compiler identity does not
/// include it (RELIABILITY 50).
public struct CacheKey: Sendable, Hashable, CustomStringConvertible {
    /// 64 lowercase hex digits; also the entry's directory name.
    public let digest: String
    /// The SHA-256 of the module's bytes, as `sha256sum` prints it; Kiln embeds it in artifacts.
    public let moduleSHA256: String
    /// Recorded in the entry's manifest for `kiln cache list`.
    public let kilnVersion: String
    /// The options that went into the key, recorded in the manifest so that `kiln cache list` can say what an
    /// entry holds (its tier: `opt=0` is the baseline a first `kiln run` is served by).
    public let options: [String]
    /// The SHA-256 of the runtime sources (`runtimeSHA256(files:)`), for keys of other things built with them.
    public let runtimeSHA256: String

    /// The first option of a key that holds one unit's object rather than a module's artifact.
    public static let unitObjectOption = "kind=unit-object"

    /// Bumped whenever the on-disk entry format changes, so an older layout is never read.
    static let layoutVersion = "kiln-cache-v1"

    /// The key for compiling `module` with the given settings; reads each runtime file.
    public init(module: [UInt8], kilnVersion: String, options: [String], compilerIdentity: String, runtimeFiles: [String])
        throws(CacheError)
    {
        self.init(
            moduleSHA256: ContentHash.sha256(of: module), kilnVersion: kilnVersion, options: options,
            compilerIdentity: compilerIdentity, runtimeSHA256: try CacheKey.runtimeSHA256(files: runtimeFiles))
    }

    /// The key when the caller already has both hashes (a runtime embedded as a table, say).
    public init(moduleSHA256: String, kilnVersion: String, options: [String], compilerIdentity: String, runtimeSHA256: String) {
        var hasher = ContentHash.FieldHasher()
        hasher.field(CacheKey.layoutVersion)
        hasher.field(moduleSHA256)
        hasher.field(kilnVersion)
        hasher.count(options.count)
        for option in options { hasher.field(option) }
        hasher.field(compilerIdentity)
        hasher.field(runtimeSHA256)
        hasher.field(CacheKey.machine)
        self.digest = hasher.finalize()
        self.moduleSHA256 = moduleSHA256
        self.kilnVersion = kilnVersion
        self.options = options
        self.runtimeSHA256 = runtimeSHA256
    }

    /// One SHA-256 over the contents of `files`, in order; the paths themselves are not hashed, so the same
    /// runtime in another checkout gives the same key.
    public static func runtimeSHA256(files: [String]) throws(CacheError) -> String {
        var hasher = ContentHash.FieldHasher()
        hasher.count(files.count)
        for path in files {
            let fd: Int32
            switch POSIX.open(path, O_RDONLY) {
            case .success(let opened): fd = opened
            case .failure(let error): throw CacheError.unreadableKeyInput(path, errno: error.code)
            }
            defer { close(fd) }
            switch POSIX.readAll(fd, limit: 64 << 20) {
            case .success(let bytes): hasher.field(bytes)
            case .failure(let error): throw CacheError.unreadableKeyInput(path, errno: error.code)
            }
        }
        return hasher.finalize()
    }

    public var description: String { digest }

    /// `x86_64`, `aarch64`: what `uname -m` prints.
    static let machine: String = {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        return withUnsafeBytes(of: &name.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }()
}
