import Foundation

/// Who compiles the C: the command, its `--version` text and its target triple. Part of every cache key
/// and of the metadata in every artifact, so an artifact is never reused across compilers or targets.
public struct CompilerIdentity: Sendable, Hashable, Codable {
    public let command: String
    public let version: String
    public let target: String
    /// The CPU `-march=native` means to this compiler on this machine (`--target-cpu native`), or "" if it
    /// cannot tell. Asked with the rest, so a cached run with `--target-cpu native` spawns nothing.
    public let nativeCPU: String

    private static let cache = IdentityCache()

    /// Asks the compiler once per process, and across processes while its binaries are unchanged: the answer
    /// is kept in a file named after each word's resolved path, size, mtime and inode, so a cached `kiln run`
    /// does not spawn the compiler twice just to learn what it is.
    public static func of(_ compiler: CCompiler) throws(BuildError) -> CompilerIdentity {
        if let known = cache.get(compiler) { return known }
        let record = recordPath(compiler)
        if let record, let data = FileManager.default.contents(atPath: record),
            let known = try? JSONDecoder().decode(CompilerIdentity.self, from: data), known.command == compiler.description,
            isTriple(known.target)
        {
            cache.set(compiler, known)
            return known
        }
        // The version and the target from stdout alone: distcc writes its own errors to stderr (a missing
        // DISTCC_DIR, with its pid), and mixed into the triple they made every artifact "built for" a machine
        // that does not exist; mixed into the version they would change every cache key.
        let version = try Subprocess.run(compiler.command + ["--version"], discardingErrors: true)
        guard version.status == 0 else {
            let failed = try Subprocess.run(compiler.command + ["--version"])  // again, for what it says on stderr
            throw BuildError("\(compiler.description) --version failed:\n\(failed.output)")
        }
        let dumped = try Subprocess.run(compiler.command + ["-dumpmachine"], discardingErrors: true)
        let target = dumped.output.split(whereSeparator: \.isNewline).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard dumped.status == 0, isTriple(target) else {
            throw BuildError("\(compiler.description) -dumpmachine did not name a target (status \(dumped.status)): \(dumped.output)")
        }
        // The driver prints the cc1 command line: … "-target-cpu" "znver5" …
        let driver = try Subprocess.run(compiler.command + ["-march=native", "-###", "-c", "-x", "c", "/dev/null"])
        let words = driver.output.split(separator: "\"").map(String.init)
        let cpu = words.firstIndex(of: "-target-cpu").flatMap { $0 + 2 < words.count ? words[$0 + 2] : nil } ?? ""
        let identity = CompilerIdentity(
            command: compiler.description,
            version: version.output.split(separator: "\n").first.map(String.init) ?? "",
            target: target,
            nativeCPU: cpu)
        cache.set(compiler, identity)
        if let record, let data = try? JSONEncoder().encode(identity) {
            let temporary = record + ".\(getpid())"
            if FileManager.default.createFile(atPath: temporary, contents: data) { rename(temporary, record) }
        }
        return identity
    }

    /// Whether `text` can be a target triple: one word of dash-separated parts (a record an older Kiln wrote with
    /// a launcher's complaints mixed in is asked again).
    static func isTriple(_ text: String) -> Bool {
        !text.isEmpty && text.contains("-") && !text.contains(where: { $0.isWhitespace })
    }

    /// Where the identity of `compiler` is remembered, or nil if a word does not resolve to a file.
    static func recordPath(_ compiler: CCompiler) -> String? {
        var description = ""
        for word in compiler.command {
            guard let path = resolve(word) else { return nil }
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            description += "\(path):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ino)\n"
        }
        // FNV-1a: a file name, not a security boundary (the record is re-validated by its command field).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in description.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let directory = NSTemporaryDirectory() + "kiln-\(getuid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Only a directory of our own that nobody else can write may vouch for a compiler.
        var info = stat()
        guard lstat(directory, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o077 == 0,
            info.st_mode & S_IFMT == S_IFDIR
        else { return nil }
        return directory + "/cc-\(String(hash, radix: 16)).json"
    }

    /// What decides which compiler runs: the files the command's words resolve to, plus, for a word found on
    /// PATH, every PATH directory searched up to it (a `clang` added to an earlier one would be picked
    /// instead) and the directories that do not exist. Nil if a word does not resolve. The C launcher checks
    /// that none of this has changed before it reuses an artifact (Kiln.launchRecord).
    public static func files(of compiler: CCompiler) -> (present: [String], absent: [String])? {
        var present: [String] = [], absent: [String] = []
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for word in compiler.command {
            guard let resolved = resolve(word) else { return nil }
            if !word.contains("/") {
                for directory in path.split(separator: ":") where !directory.isEmpty {
                    let directory = String(directory)
                    if FileManager.default.fileExists(atPath: directory) { present.append(directory) } else { absent.append(directory) }
                    if resolved == directory + "/" + word { break }
                }
            }
            present.append(resolved)
        }
        return (present, absent)
    }

    /// A command word as a path: as given when it contains a slash, else searched on PATH.
    static func resolve(_ word: String) -> String? {
        if word.contains("/") { return FileManager.default.isExecutableFile(atPath: word) ? word : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(word)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
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
