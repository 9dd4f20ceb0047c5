#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// The content-addressed artifact store: a verified artifact for a `CacheKey`, built at most once however
/// many processes ask for it at the same time.
///
/// A lookup:
/// 1. checks the entry without a lock (`Integrity.check`: size and SHA-256 against the manifest); a valid
///    entry is a hit, its `last-use` is touched and its path returned. Entries are only ever published whole
///    by a rename and never changed in place, so a hit needs no lock;
/// 2. otherwise takes the key's lock (`KeyLock`), waiting for a process that is building the same key;
/// 3. checks again: the other process may have published it meanwhile. A corrupt entry is reported once
///    (`cache entry <key> is corrupt (<why>); rebuilding`) by the one process that holds the lock, and removed;
/// 4. builds into a private temporary directory and publishes the entry atomically (`AtomicPublish`).
///
/// Nothing here fails a run: `withArtifact(in:for:build:use:)` turns every cache problem into a warning and
/// builds without the cache. Errors from `build` and `use` themselves pass through unchanged.
public final class ArtifactCache: Sendable {
    public let directory: URL
    let layout: CacheLayout
    let warn: @Sendable (String) -> Void
    /// A temporary directory of a killed build is removed by a later build once it is this old (seconds) and
    /// its key is not locked; `kiln cache clean` and `prune` remove it at any age.
    let orphanAge: Double

    /// Prints `kiln: warning: <message>` on standard error: the default for `warn`.
    public static let printWarning: @Sendable (String) -> Void = { message in
        var bytes = Array("kiln: warning: \(message)\n".utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// The cache at `$KILN_CACHE_DIR`, `$XDG_CACHE_HOME/kiln` or `~/.cache/kiln`, created if missing; nil, after
    /// one warning through `warn`, when it cannot be used (read-only, uncreatable, owned by someone else,
    /// writable by group or others).
    public static func open(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        warn: @escaping @Sendable (String) -> Void = ArtifactCache.printWarning
    ) -> ArtifactCache? {
        do {
            return try ArtifactCache(directory: CacheLocation.directory(environment: environment), warn: warn)
        } catch {
            warn("\(error.description); running without the cache")
            return nil
        }
    }

    /// The cache in `directory`. With `create` (the default) a missing directory is made with mode 0700;
    /// without it (the maintenance commands) a missing directory is an empty cache. Throws if the directory
    /// is not a directory, is owned by another user, is writable by group or others, or is not writable.
    public convenience init(
        directory: URL, create: Bool = true, warn: @escaping @Sendable (String) -> Void = ArtifactCache.printWarning
    ) throws(CacheError) {
        try self.init(directory: directory, create: create, orphanAge: 3600, warn: warn)
    }

    init(directory: URL, create: Bool, orphanAge: Double, warn: @escaping @Sendable (String) -> Void) throws(CacheError) {
        let path = directory.standardizedFileURL.path
        self.directory = URL(fileURLWithPath: path, isDirectory: true)
        self.layout = CacheLayout(root: path)
        self.warn = warn
        self.orphanAge = orphanAge
        let exists = try CacheLocation.prepare(path, create: create)
        if exists && create, FileStatus.of(link: layout.tag).isFailure,
            case .success(let fd) = POSIX.open(layout.tag, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        {
            _ = POSIX.writeAll(fd, CacheLayout.tagContents)
            close(fd)
        }
    }

    /// The path of a verified artifact for `key`: the stored one, or one made by `build` and published.
    ///
    /// `build` gets an empty private directory and returns the path of the artifact it wrote (normally inside
    /// that directory). It runs at most once, under the key's lock, only when no valid entry exists. The
    /// directory is deleted afterwards. Throws `build`'s own errors unchanged, and `CacheError` when the cache
    /// could not be used; `withArtifact(in:for:build:use:)` is the variant that never fails for the latter.
    /// `reservation`: the key's lock, already held (`reserveBuild`, or adopted from the process that took it);
    /// the build runs under it instead of waiting for the lock.
    public func artifact(for key: CacheKey, reservation: BuildReservation? = nil, build: (URL) throws -> URL) throws -> URL {
        precondition(reservation == nil || reservation?.digest == key.digest, "a reservation of another key")
        do {
            switch try lookupOrBuild(key, build, holding: reservation?.lock) {
            case .cached(let path):
                return URL(fileURLWithPath: path)
            case .unpublished(_, let temporary, let reason):
                _ = POSIX.removeTree(temporary)
                throw reason
            }
        } catch let failure as BuildFailure {
            throw failure.underlying
        }
    }

    /// Runs `use` with the path of an artifact for `key`: from `cache` when there is one and it works, else
    /// built by `build` into a temporary directory that is deleted when `use` returns. The no-cache path
    /// (`--no-cache`, or `open` returned nil) is `cache == nil`.
    ///
    /// A cache problem (a lock or temporary directory that cannot be made, a disk full when publishing, an
    /// entry owned by another user) is reported once through the cache's `warn` and the run goes on without
    /// the cache; `build` still runs at most once. Only errors from `build` and `use` are thrown.
    ///
    /// `use` typically `dlopen`s the artifact: once it is loaded, deleting the temporary file does not
    /// affect it.
    public static func withArtifact<R>(
        in cache: ArtifactCache?, for key: CacheKey, build: (URL) throws -> URL, use: (URL) throws -> R
    ) throws -> R {
        guard let cache else { return try uncached(build: build, use: use) }
        let outcome: Outcome
        do {
            outcome = try cache.lookupOrBuild(key, build)
        } catch let failure as BuildFailure {
            throw failure.underlying
        } catch {
            // Raised before `build` ran (see `lookupOrBuild`).
            cache.warn("\(error); building without the cache")
            return try uncached(build: build, use: use)
        }
        switch outcome {
        case .cached(let path):
            return try use(URL(fileURLWithPath: path))
        case .unpublished(let artifact, let temporary, let reason):
            cache.warn("\(reason.description); this build is not cached")
            defer { _ = POSIX.removeTree(temporary) }
            return try use(URL(fileURLWithPath: artifact))
        }
    }

    /// Builds into a fresh directory under the system's temporary directory, runs `use`, deletes it.
    public static func uncached<R>(build: (URL) throws -> URL, use: (URL) throws -> R) throws -> R {
        let base = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        let directory: String
        switch POSIX.makeTemporaryDirectory(base + "/kiln-XXXXXX") {
        case .success(let path): directory = path
        case .failure(let error): throw CacheError.io("mkdtemp", base, errno: error.code)
        }
        defer { _ = POSIX.removeTree(directory) }
        let artifact = try build(URL(fileURLWithPath: directory, isDirectory: true))
        return try use(artifact)
    }

    // MARK: - The lookup

    enum Outcome {
        /// A verified, published artifact.
        case cached(String)
        /// Built, but publishing failed: the artifact is still in `temporary`, which the caller removes.
        case unpublished(artifact: String, temporary: String, reason: CacheError)
    }

    /// An error thrown by the caller's `build`, kept apart from the cache's own.
    struct BuildFailure: Error {
        let underlying: any Error
    }

    /// Every error thrown here before `build` runs is a `CacheError`; `build`'s are wrapped in
    /// `BuildFailure`; after `build` has run, cache problems come back as `.unpublished`, never thrown.
    /// `holding`: the key's lock, already taken (a `BuildReservation`); else it is waited for.
    func lookupOrBuild(_ key: CacheKey, _ build: (URL) throws -> URL, holding held: KeyLock? = nil) throws -> Outcome {
        let digest = key.digest
        if held == nil, let hit = try hit(digest, reportCorruption: false) { return .cached(hit) }

        let lock = try held ?? KeyLock.acquire(layout.lock(digest))
        defer { withExtendedLifetime(lock) {} }
        if let hit = try hit(digest, reportCorruption: true) { return .cached(hit) }

        removeOrphans(olderThan: orphanAge, holding: digest)
        let temporary = try AtomicPublish.makeTemporaryDirectory(layout, digest: digest)
        let buildDirectory = temporary + "/build"
        if case .failure(let error) = POSIX.makeDirectory(buildDirectory) {
            _ = POSIX.removeTree(temporary)
            throw CacheError.io("mkdir", buildDirectory, errno: error.code)
        }
        let built: URL
        do {
            built = try build(URL(fileURLWithPath: buildDirectory, isDirectory: true))
        } catch {
            _ = POSIX.removeTree(temporary)
            throw BuildFailure(underlying: error)
        }

        let staged: AtomicPublish.Staged
        do {
            staged = try AtomicPublish.stage(artifact: built.standardizedFileURL.path, key: key, temporary: temporary)
        } catch {
            return .unpublished(artifact: error.artifact, temporary: temporary, reason: error.reason)
        }
        let stagedArtifact = staged.directory + "/" + staged.artifactName
        do throws(CacheError) {
            // Twice at most: an entry that appeared without our lock (its lock file was deleted by hand) is
            // checked, and replaced if it is not valid.
            for _ in 0..<2 {
                if let published = try AtomicPublish.install(staged, key: key, layout: layout) {
                    _ = POSIX.removeTree(temporary)
                    return .cached(published)
                }
                if let hit = try hit(digest, reportCorruption: true) {
                    _ = POSIX.removeTree(temporary)
                    return .cached(hit)
                }
            }
            throw CacheError.io("rename", layout.entry(digest), errno: EEXIST)
        } catch {
            return .unpublished(artifact: stagedArtifact, temporary: temporary, reason: error)
        }
    }

    /// The verified artifact's path, or nil when there is none. A corrupt entry is removed when
    /// `reportCorruption` (only under the key's lock, so exactly one process warns); an entry owned by
    /// another user throws.
    func hit(_ digest: String, reportCorruption: Bool) throws(CacheError) -> String? {
        switch Integrity.check(digest, in: layout) {
        case .valid(let artifact, _):
            POSIX.touch(layout.lastUse(digest))
            return artifact
        case .untrusted(let error):
            throw error
        case .missing:
            return nil
        case .corrupt(let why):
            if reportCorruption {
                warn("cache entry \(digest) is corrupt (\(why)); rebuilding")
                try removeEntry(digest)
            }
            return nil
        }
    }
}
