#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// What lets the C launcher (`Sources/kiln-launcher`) run a cached artifact without starting Swift: which
/// cache entry a `kiln run` used, and every fact its cache key was derived from, so that the launcher can
/// tell when the key would come out differently and leave the run to the driver.
///
/// The launcher names the record (`KILN_LAUNCH_RECORD`, a SHA-256 over the module's SHA-256, the option
/// words, the launcher binary and the host) and the driver fills it in; the launcher never derives a key
/// itself. The file, `<cache>/launch/<name>`:
///
/// ```
/// kiln-launch 1
/// entry <cache key>
/// place export "_start" (func $main)     where a trap in _start is reported
/// tier optimized                         which tier the entry holds (optional; says, does not decide)
/// env KILN_CC                            unset
/// env PATH=/usr/bin:/bin                 set, to exactly this
/// file DEV INO SIZE MTIME_S MTIME_NS CTIME_S CTIME_NS PATH    stat(2) of the file must match
/// absent PATH                            must still not exist (a PATH directory searched for the compiler)
/// end
/// ```
///
/// Files are compared by metadata rather than hashed because hashing the runtime sources and the compiler
/// on every run would cost more than the run; the artifact itself is still hashed in full before it is
/// loaded, as every cache hit is. `end` marks a record that was written whole.
public struct LaunchRecord: Sendable, Equatable {
    public var entry: String
    public var place: String
    /// Every variable that went into the key, with its value or nil when unset.
    public var environment: [Variable]
    /// The compiler's, the runtime's and kiln-driver's own files and directories.
    public var files: [String]
    /// Paths that did not exist and must not appear.
    public var absent: [String]
    /// `optimized` or `baseline`: which tier the entry holds. Only an optimized entry is ever recorded by a
    /// tiered run (a baseline must not be served once the optimized artifact exists), so this line tells a
    /// reader, and `KILN_LAUNCH_DEBUG`, what runs; the launcher never chooses by it.
    public var tier: String?

    public struct Variable: Sendable, Equatable {
        public var name: String
        public var value: String?
        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    public init(entry: String, place: String, environment: [Variable], files: [String], absent: [String] = [], tier: String? = nil) {
        self.tier = tier
        self.entry = entry
        self.place = place
        self.environment = environment
        self.files = files
        self.absent = absent
    }

    static let header = "kiln-launch 1"
    static let directoryName = "launch"

    /// The record's text, or nil when a fact cannot be stated (a file that cannot be stat'ed, a newline in
    /// a value): then no record is written and the launcher keeps handing this run to the driver.
    func encoded() -> String? {
        var lines = [Self.header, "entry \(entry)", "place \(place)"]
        if let tier {
            guard !tier.contains("\n") else { return nil }
            lines.append("tier \(tier)")
        }
        for variable in environment {
            guard !variable.name.isEmpty, !variable.name.contains("="), !variable.name.contains("\n") else { return nil }
            if let value = variable.value {
                guard !value.contains("\n") else { return nil }
                lines.append("env \(variable.name)=\(value)")
            } else {
                lines.append("env \(variable.name)")
            }
        }
        for path in files {
            var s = stat()
            guard !path.contains("\n"), stat(path, &s) == 0 else { return nil }
            lines.append("file \(s.st_dev) \(s.st_ino) \(s.st_size) \(s.st_mtim.tv_sec) \(s.st_mtim.tv_nsec) \(s.st_ctim.tv_sec) \(s.st_ctim.tv_nsec) \(path)")
        }
        for path in absent {
            guard !path.contains("\n"), access(path, F_OK) != 0 else { return nil }
            lines.append("absent \(path)")
        }
        guard CacheLayout.isDigest(entry), !place.contains("\n") else { return nil }
        lines.append("end")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ArtifactCache {
    /// Writes `record` as `launch/<name>`, replacing any older one; returns whether it was written. A record
    /// is only ever an optimisation, so every failure is silent: the launcher then asks the driver again.
    @discardableResult
    public func writeLaunchRecord(_ record: LaunchRecord, name: String) -> Bool {
        guard CacheLayout.isDigest(name), let text = record.encoded() else { return false }
        let directory = layout.root + "/" + LaunchRecord.directoryName
        if case .failure(let error) = POSIX.makeDirectory(directory), error.code != EEXIST { return false }
        guard case .success(let status) = FileStatus.of(link: directory), status.isDirectory, status.owner == currentUser,
            !status.isOpenToOthers
        else { return false }
        return POSIX.replaceFile(directory + "/" + name, with: Array(text.utf8), template: directory + "/.tmp-" + name + "-XXXXXX")
    }

    /// Removes launch records: all of them, or (`keepingLive`) those whose entry is gone.
    func removeLaunchRecords(keepingLive: Bool) {
        let directory = layout.root + "/" + LaunchRecord.directoryName
        guard keepingLive else {
            _ = POSIX.removeTree(directory)
            return
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = directory + "/" + name
            var live = false
            if case .success(let fd) = POSIX.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) {
                if case .success(let bytes) = POSIX.readAll(fd, limit: 1 << 16) {
                    let text = String(decoding: bytes, as: UTF8.self)
                    if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("entry ") }) {
                        let digest = String(line.dropFirst("entry ".count))
                        live = CacheLayout.isDigest(digest) && !FileStatus.of(link: layout.entry(digest)).isFailure
                    }
                }
                close(fd)
            }
            if !live { unlink(path) }
        }
    }
}
