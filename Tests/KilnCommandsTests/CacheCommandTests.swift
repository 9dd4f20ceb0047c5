import Foundation
import Testing

/// `kiln cache dir|list|clean|prune` on a cache directory of the test's own (the others share one per
/// test process, and clean/prune would pull it from under them).
@Suite struct CacheCommandTests {
    static let first = "(module (func (export \"f\") (result i32) (i32.const 7)))"
    static let second = "(module (func (export \"f\") (result i32) (i32.const 8)))"

    func cache(_ directory: TemporaryDirectory) -> [String: String] {
        ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
    }

    @Test func dirFollowsTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let own = try KilnProcess.run(["cache", "dir"], environment: cache(directory))
        #expect(own.stdout == directory.url.appendingPathComponent("cache").path + "\n")
        let xdg = try KilnProcess.run(["cache", "dir"], environment: ["KILN_CACHE_DIR": "", "XDG_CACHE_HOME": directory.url.path])
        #expect(xdg.stdout == directory.url.appendingPathComponent("kiln").path + "\n")
        let relative = try KilnProcess.run(["cache", "dir"], environment: ["KILN_CACHE_DIR": "", "XDG_CACHE_HOME": "relative/dir", "HOME": directory.url.path])
        #expect(relative.stdout == directory.url.appendingPathComponent(".cache/kiln").path + "\n")
    }

    @Test func listShowsEachModuleAndCleanEmptiesTheCache() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = cache(directory)
        for (name, text, result) in [("a.wat", Self.first, "7\n"), ("b.wat", Self.second, "8\n")] {
            let path = try directory.write(name, text: text)
            let run = try KilnProcess.run(["run", "--opt", "0", path, "--invoke", "f"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == result)
        }
        let list = try KilnProcess.run(["cache", "list"], environment: environment)
        #expect(list.status == 0)
        #expect(list.stdoutLines.first?.hasPrefix("KEY") == true)
        // Two modules and the compiled runtime they link.
        #expect(list.stdoutLines.last?.hasPrefix("3 entries, ") == true, "\(list.stdout)")
        let hashes = list.stdoutLines.dropFirst().dropLast().map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        #expect(hashes.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })

        let clean = try KilnProcess.run(["cache", "clean"], environment: environment)
        #expect(clean.status == 0)
        #expect(clean.stdout.hasPrefix("removed 3 entries"), "\(clean.stdout)")
        let empty = try KilnProcess.run(["cache", "list"], environment: environment)
        #expect(empty.stdoutLines.last?.hasPrefix("0 entries") == true, "\(empty.stdout)")
    }

    @Test func pruneRemovesLeastRecentlyUsedFirst() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = cache(directory)
        let a = try directory.write("a.wat", text: Self.first)
        let b = try directory.write("b.wat", text: Self.second)
        for path in [a, b] { _ = try KilnProcess.run(["run", "--opt", "0", path, "--invoke", "f"], environment: environment) }
        Thread.sleep(forTimeInterval: 1.1)  // last-use times have one-second resolution on some file systems
        _ = try KilnProcess.run(["run", "--opt", "0", a, "--invoke", "f"], environment: environment)  // a is now the most recent

        let keepAll = try KilnProcess.run(["cache", "prune", "--max-size", "1G"], environment: environment)
        #expect(keepAll.stdout.hasPrefix("removed 0 entries"), "\(keepAll.stdout)")
        // Room for one entry only: the most recently used one (a) stays.
        let list = try KilnProcess.run(["cache", "list"], environment: environment)
        let sizes = list.stdoutLines.dropFirst().dropLast().map { $0.split(separator: " ", omittingEmptySubsequences: true)[3] }
        #expect(sizes.count == 3)
        // Room for the largest entry and a little more: one entry (the module's, or the runtime object's) fits,
        // two do not.
        let kibibytes = sizes.compactMap { $0.hasSuffix("K") ? Int($0.dropLast()) : nil }
        #expect(kibibytes.count == 3, "\(list.stdout)")
        let room = (kibibytes.max() ?? 0) + 2
        #expect(room < kibibytes.sorted().prefix(2).reduce(0, +), "\(list.stdout)")
        let prune = try KilnProcess.run(["cache", "prune", "--max-size", "\(room)K"], environment: environment)
        #expect(prune.status == 0, "\(prune.stderr)")
        let after = try KilnProcess.run(["cache", "list"], environment: environment)
        #expect(after.stdoutLines.last?.hasPrefix("1 entry") == true, "\(after.stdout)")
        let again = try KilnProcess.run(["run", "--opt", "0", a, "--invoke", "f"], environment: environment)
        #expect(again.stdout == "7\n")
        #expect(try KilnProcess.run(["cache", "list"], environment: environment).stdoutLines.last?.hasPrefix("1 entry") == true,
                "a was the entry kept: running it again starts from it and builds nothing")

        let bad = try KilnProcess.run(["cache", "prune", "--max-size", "lots"], environment: environment)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("lots"))
    }
}
