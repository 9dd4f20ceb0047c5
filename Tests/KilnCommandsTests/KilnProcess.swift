import Foundation
import Testing

/// Runs the built `kiln` executable and finds the package's fixtures, for the command-line tests.
enum KilnProcess {
    /// The package root: this file is `<root>/Tests/KilnCommandsTests/KilnProcess.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ relativePath: String) -> String {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath).path
    }

    static func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: fixture(relativePath))))
    }

    /// A Debian tool the tests need (`make test` installs it), or a recorded issue.
    static func debianTool(_ name: String) throws -> String {
        let found = ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
        return try #require(found, "\(name) is not installed (`make test` installs Debian's)")
    }

    /// The `kiln` built next to the test bundle (the same build), else `<root>/.build/debug/kiln`.
    static let executable: URL? = {
        let bundleDirectory = Bundle.main.bundleURL
        let candidates = [
            bundleDirectory.appendingPathComponent("kiln"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("kiln"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kiln"),
            packageRoot.appendingPathComponent(".build/debug/kiln"),
        ]
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: url.path)
        }
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        var stdoutLines: [Substring] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stdout.hasSuffix("\n") ? 1 : 0) }
        var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stderr.hasSuffix("\n") ? 1 : 0) }
    }

    /// Runs `kiln arguments…` with `environment` added to this process's; output goes through files so that
    /// neither stream can block the other.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try launch(try #require(executable, "kiln is not built; run `swift build --build-tests` first"), arguments, environment: environment)
    }

    /// Runs another program (an executable `kiln compile --exe` wrote) the same way.
    static func runProgram(_ path: String, _ arguments: [String]) throws -> Result {
        try launch(URL(fileURLWithPath: path), arguments, environment: [:])
    }

    /// `unset`: variables of this process's environment the program does not get.
    static func launch(_ executable: URL, _ arguments: [String], environment: [String: String], unset: Set<String> = []) throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outURL = directory.url.appendingPathComponent("stdout")
        let errURL = directory.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        // A crash should fail the test quickly, not spend seconds symbolicating a backtrace.
        // The tests never touch the user's own artifact cache.
        let cache = TestCache.path
        process.environment = ProcessInfo.processInfo.environment
            .merging(["SWIFT_BACKTRACE": "enable=no", "KILN_CACHE_DIR": cache]) { $1 }.merging(environment) { $1 }.filter { !unset.contains($0.key) }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// A fresh directory under the system's temporary directory; `defer { directory.remove() }` after creating it.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` in the directory and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ name: String, text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
