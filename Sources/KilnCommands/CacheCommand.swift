import ArgumentParser
import Foundation
import KilnCache

/// `kiln cache dir|list|clean|prune`: look after the artifact cache that `kiln run` fills.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show, list, clean or prune the artifact cache.",
        discussion: "The cache is $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln.",
        subcommands: [Directory.self, List.self, Clean.self, Prune.self]
    )

    /// `kiln cache dir`: the directory, whether or not it exists yet.
    struct Directory: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dir", abstract: "Print the cache directory.")

        func run() throws {
            print(try location().path)
        }
    }

    /// `kiln cache list`: one line per entry, most recently used first.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cached artifacts: key, module SHA-256, size, age and last use, most recently used first.")

        func run() throws {
            let cache = try existingCache()
            let entries = cache.list()
            let now = Date()
            if !entries.isEmpty {
                print(row("KEY", "MODULE SHA-256", "TIER", "SIZE", "AGE", "LAST USE"))
            }
            for entry in entries {
                print(
                    row(
                        String(entry.digest.prefix(12)), entry.moduleSHA256 ?? "(unreadable manifest)", entry.tier ?? "-",
                        ByteCount.format(entry.size), duration(now.timeIntervalSince(entry.created)),
                        duration(now.timeIntervalSince(entry.lastUsed)) + " ago"))
            }
            let total = entries.reduce(Int64(0)) { $0 + $1.size }
            let count = entries.count == 1 ? "1 entry" : "\(entries.count) entries"
            print("\(count), \(ByteCount.format(total)) in \(cache.directory.path)")
            // Retried by the next run of the module; listed so that a build that always fails is seen.
            for failure in cache.failedBuilds() {
                print("optimized build \(failure.digest.prefix(12)) failed in the background: \(failure.reason)")
            }
        }

        /// TIER: `baseline` (-O0, what a first run is served by while the optimized build runs in the
        /// background), `optimized`, or `-` for the compiled runtime.
        private func row(_ key: String, _ module: String, _ tier: String, _ size: String, _ age: String, _ used: String) -> String {
            [pad(key, 12), pad(module, 64), pad(tier, 9), pad(size, 5, right: true), pad(age, 4, right: true), used].joined(separator: "  ")
        }
    }

    /// `kiln cache clean`: everything Kiln wrote in the directory.
    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove every cached artifact (keys being built by another process right now are left alone).")

        func run() throws {
            let cache = try existingCache()
            let report = cache.clean()
            let count = report.removedEntries == 1 ? "1 entry" : "\(report.removedEntries) entries"
            print("removed \(count) (\(ByteCount.format(report.removedBytes))) from \(cache.directory.path)")
            try finish(skipped: report.skipped, failures: report.failures)
        }
    }

    /// `kiln cache prune --max-size 500M`: least recently used entries first.
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove least recently used artifacts until the cache takes at most --max-size.")

        @Option(help: "The size to shrink the cache to: bytes, or a number followed by K, M or G (binary: 500M is 500 MiB).")
        var maxSize: String

        func run() throws {
            let limit: Int64
            do {
                limit = try ByteCount.parse(maxSize)
            } catch {
                throw ArgumentParser.ValidationError(error.reason)
            }
            let cache = try existingCache()
            let report = cache.prune(maxBytes: limit)
            let count = report.removed.count == 1 ? "1 entry" : "\(report.removed.count) entries"
            let freed = report.removed.reduce(Int64(0)) { $0 + $1.size }
            print("removed \(count) (\(ByteCount.format(freed))); \(ByteCount.format(report.remainingBytes)) left in \(cache.directory.path)")
            try finish(skipped: report.skipped, failures: report.failures)
        }
    }
}

private func location() throws -> URL {
    do {
        return try CacheLocation.directory()
    } catch {
        printStandardError("kiln: \(error)")
        throw ExitCode(1)
    }
}

/// The configured cache, not created if missing (then it is empty); exit 1 if it cannot be trusted.
private func existingCache() throws -> ArtifactCache {
    do {
        return try ArtifactCache(directory: location(), create: false)
    } catch let error as CacheError {
        printStandardError("kiln: \(error)")
        throw ExitCode(1)
    }
}

private func finish(skipped: [String], failures: [String]) throws {
    for key in skipped {
        printStandardError("kiln: cache entry \(key) is being built by another process; left alone")
    }
    for line in failures {
        printStandardError("kiln: \(line)")
    }
    if !failures.isEmpty { throw ExitCode(1) }
}

/// `45s`, `12m`, `5h`, `3d`: the largest whole unit.
private func duration(_ seconds: Double) -> String {
    let s = max(0, Int(seconds))
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" }
    if s < 86400 { return "\(s / 3600)h" }
    return "\(s / 86400)d"
}

private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}
