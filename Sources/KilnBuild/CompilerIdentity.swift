import Foundation

/// Who compiles the C: the command, its `--version` text and its target triple. Part of every cache key
/// and of the metadata in every artifact, so an artifact is never reused across compilers or targets.
public struct CompilerIdentity: Sendable, Hashable, Codable {
    public let command: String
    public let version: String
    public let target: String

    private static let cache = IdentityCache()

    /// Asks the compiler once per process.
    public static func of(_ compiler: CCompiler) throws(BuildError) -> CompilerIdentity {
        if let known = cache.get(compiler) { return known }
        let version = try Subprocess.run(compiler.command + ["--version"])
        guard version.status == 0 else { throw BuildError("\(compiler.description) --version failed:\n\(version.output)") }
        let target = try Subprocess.run(compiler.command + ["-dumpmachine"])
        let identity = CompilerIdentity(
            command: compiler.description,
            version: version.output.split(separator: "\n").first.map(String.init) ?? "",
            target: target.output.trimmingCharacters(in: .whitespacesAndNewlines))
        cache.set(compiler, identity)
        return identity
    }

    /// The text a cache key hashes.
    public var fingerprint: String { "\(command)\n\(version)\n\(target)" }
}

final class IdentityCache: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [CCompiler: CompilerIdentity] = [:]
    func get(_ compiler: CCompiler) -> CompilerIdentity? { lock.withLock { known[compiler] } }
    func set(_ compiler: CCompiler, _ identity: CompilerIdentity) { lock.withLock { known[compiler] = identity } }
}
