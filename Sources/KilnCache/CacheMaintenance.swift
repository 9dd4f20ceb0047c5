#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// `kiln cache list`, `clean` and `prune`, and the removal of entries and of killed builds' leftovers.
///
/// Every removal holds the key's lock (taken without waiting: a key being built is skipped, not waited for)
/// and first renames the entry out of the way, so a concurrent lookup sees the whole entry or none of it.
/// Only the names in `CacheLayout` are touched; other files in the directory are left alone.
extension ArtifactCache {
    /// One stored entry.
    public struct Entry: Sendable, Equatable {
        /// The cache key (the entry's directory name).
        public let digest: String
        /// Nil when the manifest is unreadable; such an entry is rebuilt on its next use.
        public let moduleSHA256: String?
        public let kilnVersion: String?
        public let artifactName: String?
        /// Bytes of every file in the entry.
        public let size: Int64
        public let created: Date
        /// The last hit (the modification time of `last-use`), else `created`.
        public let lastUsed: Date
        /// The options of the key (`opt=2`, `bounds=explicit`, ...); nil for an entry whose manifest predates them.
        public var options: [String]? = nil

        /// Which tier of its module the entry holds: `baseline` (built at -O0, what a first `kiln run` is served
        /// by while the optimized build runs in the background) or `optimized`; `unit` for one unit's object,
        /// kept for the next build of a module that shares the unit; nil when it is not a module's artifact
        /// (the compiled runtime) or the manifest does not say.
        public var tier: String? {
            if options?.first == CacheKey.unitObjectOption { return "unit" }
            guard let level = options?.first(where: { $0.hasPrefix("opt=") }) else { return nil }
            return level == "opt=0" ? "baseline" : "optimized"
        }
    }

    public struct CleanReport: Sendable, Equatable {
        public var removedEntries = 0
        public var removedBytes: Int64 = 0
        /// Keys being built by another process right now, left alone.
        public var skipped: [String] = []
        /// One line per file that could not be removed.
        public var failures: [String] = []
    }

    public struct PruneReport: Sendable, Equatable {
        /// Least recently used first.
        public var removed: [Entry] = []
        public var remainingBytes: Int64 = 0
        public var skipped: [String] = []
        public var failures: [String] = []
    }

    /// Every entry, most recently used first. Reads manifests but hashes nothing, so it is quick.
    public func list() -> [Entry] {
        names().filter(CacheLayout.isDigest).compactMap(entry).sorted { ($0.lastUsed, $0.digest) > ($1.lastUsed, $1.digest) }
    }

    /// Removes every entry, lock file, temporary directory and the `CACHEDIR.TAG`, except keys that another
    /// process is building at this moment.
    public func clean() -> CleanReport {
        var report = CleanReport()
        removeOrphans(olderThan: 0)
        for entry in list() {
            switch remove(entry) {
            case .removed: report.removedEntries += 1; report.removedBytes += entry.size
            case .busy: report.skipped.append(entry.digest)
            case .failed(let line): report.failures.append(line)
            }
        }
        removeUnusedLocks()
        for name in names() where CacheLayout.failureDigest(name) != nil { unlink(layout.root + "/" + name) }
        removeLaunchRecords(keepingLive: false)
        if unlink(layout.tag) != 0 && errno != ENOENT { report.failures.append("\(layout.tag): \(describe(errno: errno))") }
        return report
    }

    /// Removes least recently used entries until the entries take at most `maxBytes`; also removes the
    /// leftovers of killed builds.
    public func prune(maxBytes: Int64) -> PruneReport {
        var report = PruneReport()
        removeOrphans(olderThan: 0)
        let entries = list().reversed()
        var total = entries.reduce(0) { $0 + $1.size }
        for entry in entries where total > maxBytes {
            switch remove(entry) {
            case .removed: report.removed.append(entry); total -= entry.size
            case .busy: report.skipped.append(entry.digest)
            case .failed(let line): report.failures.append(line)
            }
        }
        removeUnusedLocks()
        removeLaunchRecords(keepingLive: true)
        report.remainingBytes = total
        return report
    }

    // MARK: - Removal

    /// How long a maintenance step waits for a key's lock before it treats the key as being built (seconds).
    static let lockPatience = 0.1

    private enum Removal { case removed, busy, failed(String) }

    private func remove(_ entry: Entry) -> Removal {
        let lock: KeyLock
        do {
            guard let held = try KeyLock.attempt(layout.lock(entry.digest), patience: Self.lockPatience) else { return .busy }
            lock = held
        } catch {
            return .failed(error.description)
        }
        do {
            try removeEntry(entry.digest)
        } catch {
            return .failed(error.description)
        }
        lock.removeFile()
        return .removed
    }

    /// Removes the entry of `key`, if there is one, under its lock: for an entry that passed its checks but
    /// proved unusable (a unit object that does not link), so that the next build makes it again.
    public func discard(_ key: CacheKey) {
        guard let lock = try? KeyLock.acquire(layout.lock(key.digest)) else { return }
        withExtendedLifetime(lock) { try? removeEntry(key.digest) }
    }

    /// Makes the entry disappear at once (renamed into a temporary directory), then deletes it. The caller
    /// holds the key's lock.
    func removeEntry(_ digest: String) throws(CacheError) {
        let entry = layout.entry(digest)
        guard case .success(let status) = FileStatus.of(link: entry) else { return }
        guard status.isDirectory else {
            if unlink(entry) != 0 && errno != ENOENT { throw CacheError.io("unlink", entry, errno: errno) }
            return
        }
        let trash = try AtomicPublish.makeTemporaryDirectory(layout, digest: digest)
        switch POSIX.rename(entry, trash) {
        case .success, .failure(Errno(ENOENT)): break
        case .failure(let error):
            _ = POSIX.removeTree(trash)
            throw CacheError.io("rename", entry, errno: error.code)
        }
        if case .failure(let error) = POSIX.removeTree(trash) { throw CacheError.io("remove", trash, errno: error.code) }
    }

    /// Deletes `.tmp-<digest>-*` directories at least `olderThan` seconds old whose key nobody has locked:
    /// a build that was killed, or a removal that was interrupted. A build holds its key's lock for as long
    /// as its temporary directory exists, so a free lock means nobody will finish it; the age is a second
    /// safety margin for the automatic clean-up that every build does. The key whose lock the calling thread
    /// holds (`holding`) counts as free.
    func removeOrphans(olderThan age: Double, holding: String? = nil) {
        let now = Date().timeIntervalSince1970
        for name in names() {
            guard let digest = CacheLayout.temporaryDigest(name) else { continue }
            let path = layout.root + "/" + name
            if digest == holding {
                _ = POSIX.removeTree(path)
            } else if case .success(let status) = FileStatus.of(link: path), now - status.modified >= age,
                let lock = try? KeyLock.attempt(layout.lock(digest), patience: Self.lockPatience)
            {
                _ = POSIX.removeTree(path)
                withExtendedLifetime(lock) {}
            }
        }
    }

    /// Deletes lock files whose entry is gone and whose lock is free.
    private func removeUnusedLocks() {
        for name in names() {
            guard let digest = CacheLayout.lockDigest(name), FileStatus.of(link: layout.entry(digest)).isFailure,
                let lock = try? KeyLock.attempt(layout.lock(digest), create: false, patience: Self.lockPatience)
            else { continue }
            lock.removeFile()
        }
    }

    // MARK: - Reading

    private func names() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: layout.root)) ?? []
    }

    private func entry(_ digest: String) -> Entry? {
        let path = layout.entry(digest)
        guard case .success(let status) = FileStatus.of(link: path), status.isDirectory else { return nil }
        var manifest: Manifest?
        if case .success(let fd) = POSIX.open(layout.manifest(digest), O_RDONLY | O_NOFOLLOW | O_NONBLOCK) {
            if case .success(let bytes) = POSIX.readAll(fd, limit: Integrity.manifestLimit) { manifest = Manifest.parse(bytes) }
            close(fd)
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let size = files.reduce(Int64(0)) { total, name in
            guard case .success(let file) = FileStatus.of(link: path + "/" + name) else { return total }
            return total + file.size
        }
        let created = manifest.map { Double($0.created) } ?? status.modified
        let lastUsed: Double
        if case .success(let used) = FileStatus.of(link: layout.lastUse(digest)) { lastUsed = used.modified } else { lastUsed = created }
        return Entry(
            digest: digest, moduleSHA256: manifest?.moduleSHA256, kilnVersion: manifest?.kilnVersion,
            artifactName: manifest?.artifact, size: size, created: Date(timeIntervalSince1970: created),
            lastUsed: Date(timeIntervalSince1970: lastUsed), options: manifest?.options.map { $0.split(separator: " ").map(String.init) })
    }
}
