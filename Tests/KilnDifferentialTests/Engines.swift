import Foundation
import Testing
import WasmKit
import WasmKitWASI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a WASI command did under one engine: its exit status and what it wrote.
struct EngineResult: Equatable, CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "status \(status)\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)" }
}

/// A directory the host shares with the guest: `host` on disk, `guest` as the guest names it.
struct Preopen {
    let host: String
    let guest: String
}

/// A WASI command to run under both engines.
struct Command {
    /// Relative to `Fixtures/`, e.g. `wasm/wasi_demo.wasm`.
    let fixture: String
    var arguments: [String] = []
    var environment: [(String, String)] = []
    var preopens: [Preopen] = []

    var path: String { Fixtures.path(fixture) }
    /// argv[0], as `kiln run` passes it: the module's file name.
    var programName: String { URL(fileURLWithPath: fixture).lastPathComponent }
}

enum Fixtures {
    /// The package root: this file is `<root>/Tests/KilnDifferentialTests/Engines.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relativePath: String) -> String {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath).path
    }
}

/// Runs a command in-process under WasmKit's interpreter with WasmKit's own WASI (the reference).
enum WasmKitEngine {
    static func run(_ command: Command) throws -> EngineResult {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outPath = directory.url.appendingPathComponent("stdout").path
        let errPath = directory.url.appendingPathComponent("stderr").path
        let stdinFD = open("/dev/null", O_RDONLY)
        let stdoutFD = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let stderrFD = open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer {
            for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        }
        try #require(stdinFD >= 0 && stdoutFD >= 0 && stderrFD >= 0, "cannot open the stdio files in \(directory.url.path)")

        var features = EngineConfiguration().features  // WasmParser's default set, which lacks SIMD
        features.insert(.simd)
        let module = try parseWasm(filePath: command.path, features: features)
        let wasi = try WASIBridgeToHost(
            args: [command.programName] + command.arguments,
            environment: Dictionary(command.environment, uniquingKeysWith: { $1 }),
            preopens: command.preopens.map { WASIBridgeToHost.Preopen(guestPath: $0.guest, hostPath: $0.host) },
            stdin: stdinFD, stdout: stdoutFD, stderr: stderrFD)
        let status = try wasi.runAndClose { wasi -> UInt32 in
            let engine = Engine(configuration: EngineConfiguration(features: features))
            let store = Store(engine: engine)
            var imports = Imports()
            wasi.link(to: &imports, store: store)
            let instance = try module.instantiate(store: store, imports: imports)
            return try wasi.start(instance)
        }
        return EngineResult(status: Int32(bitPattern: status), stdout: try readText(outPath), stderr: try readText(errPath))
    }
}

/// Runs a command through the built `kiln run` (compiled to C, built with clang, run natively).
enum KilnEngine {
    /// The `kiln` built next to the test bundle (the same build), else `<root>/.build/debug/kiln`.
    static let executable: URL? = {
        let bundleDirectory = Bundle.main.bundleURL
        let candidates = [
            bundleDirectory.appendingPathComponent("kiln"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("kiln"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kiln"),
            Fixtures.packageRoot.appendingPathComponent(".build/debug/kiln"),
        ]
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: url.path)
        }
    }()

    /// The `kiln run` arguments for `command`.
    static func arguments(_ command: Command, opt: Int) -> [String] {
        var arguments = ["run", "--opt", String(opt)]
        for preopen in command.preopens { arguments += ["--dir", "\(preopen.host)::\(preopen.guest)"] }
        for (name, value) in command.environment { arguments += ["--env", "\(name)=\(value)"] }
        return arguments + [command.path, "--"] + command.arguments
    }

    /// Runs `kiln run`; `whileRunning` is called over and over until the process exits. Output goes through
    /// files so that neither stream can block the other.
    static func run(_ command: Command, opt: Int = 0, whileRunning: (() -> Void)? = nil) throws -> EngineResult {
        let executable = try #require(executable, "kiln is not built; run `swift build --build-tests` first")
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
        process.arguments = arguments(command, opt: opt)
        process.currentDirectoryURL = Fixtures.packageRoot
        // A crash should fail the test quickly, not spend seconds symbolicating a backtrace.
        // The tests never touch the user's own artifact cache.
        let cache = TestCache.path
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no", "KILN_CACHE_DIR": cache]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let whileRunning {
            while process.isRunning { whileRunning() }
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return EngineResult(status: process.terminationStatus, stdout: try readText(outURL.path), stderr: try readText(errURL.path))
    }
}

func readText(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}

/// A fresh directory under the system's temporary directory; `defer { directory.remove() }` after creating it.
struct TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-differential-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` (a path relative to the directory) and returns its full path.
    @discardableResult
    func write(_ name: String, text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    func makeDirectory(_ name: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Creates the symlink `name` → `target` (which is stored as given, relative or absolute).
    func symlink(_ name: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url.appendingPathComponent(name).path, withDestinationPath: target)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
