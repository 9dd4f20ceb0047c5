import Foundation
import Testing

/// `kiln compile` to a shared object and to an executable, and `kiln run` of a compiled artifact,
/// including refusing artifacts made by another Kiln or for another target.
@Suite struct CompileCommandTests {
    @Test func compiledArtifactRunsAndCarriesItsMetadata() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let artifact = directory.url.appendingPathComponent("fac.so").path
        let compile = try KilnProcess.run(["compile", KilnProcess.fixture("wat/fac.wat"), "-o", artifact, "--opt", "1"])
        #expect(compile.status == 0, "\(compile.stderr)")
        let run = try KilnProcess.run(["run", artifact, "--invoke", "fac", "20"])
        #expect(run.status == 0)
        #expect(run.stdout == "2432902008176640000\n")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: artifact))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"kilnVersion\":\"0.1.0\""))
        #expect(text.contains("\"options\":[\"opt=1\",\"sanitize=false\",\"bounds=explicit\"]"))
        #expect(text.contains("\"exports\":[\"fac: func [i64] -> [i64]\",\"fac_iter: func [i64] -> [i64]\"]"))
    }

    /// Without -o, the artifact goes beside the module, named after it, and the command says where; --exe
    /// wants a module with `_start` and says so at compile time rather than at run time.
    @Test func withoutAnOutputTheArtifactGoesBesideTheModule() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let module = directory.url.appendingPathComponent("fac.wat").path
        try FileManager.default.copyItem(atPath: KilnProcess.fixture("wat/fac.wat"), toPath: module)
        let compile = try KilnProcess.run(["compile", module, "--opt", "0"])
        let artifact = directory.url.appendingPathComponent("fac.so").path
        #expect(compile.status == 0, "\(compile.stderr)")
        #expect(compile.stdout == "wrote \(artifact)\n")
        #expect(try KilnProcess.run(["run", artifact, "--invoke", "fac", "5"]).stdout == "120\n")

        let exe = try KilnProcess.run(["compile", "--exe", module, "--opt", "0"])
        #expect(exe.status == 1)
        #expect(exe.stderr.contains("the module exports no function \"_start\""), "\(exe.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("fac").path))

        let command = try directory.write("hello.wat", text: "(module (func (export \"_start\")))")
        let built = try KilnProcess.run(["compile", "--exe", command, "--opt", "0"])
        let executable = directory.url.appendingPathComponent("hello").path
        #expect(built.stdout == "wrote \(executable)\n", "\(built.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: executable))
    }

    /// What a killed compile left (its work directory and its staging file) is removed by the next compile
    /// once its process is gone; a live process's are left alone.
    @Test func leftoversOfAKilledCompileAreRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let work = directory.url.appendingPathComponent("kiln-compile-\(dead)")
        let live = directory.url.appendingPathComponent("kiln-compile-\(getpid())")
        for path in [work, live] {
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: path.appendingPathComponent("batch_0.o"))
        }
        let staging = try directory.write("fac.so.kiln-tmp-\(dead)", Array("partial".utf8))
        let artifact = directory.url.appendingPathComponent("fac.so").path
        let compile = try KilnProcess.run(
            ["compile", KilnProcess.fixture("wat/fac.wat"), "-o", artifact, "--opt", "0"], environment: ["TMPDIR": directory.url.path])
        #expect(compile.status == 0, "\(compile.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.path))
        #expect(!FileManager.default.fileExists(atPath: staging))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(FileManager.default.fileExists(atPath: artifact))
    }

    /// Rewrites a field of the embedded metadata (same length, so the artifact stays loadable).
    func patch(_ path: String, _ old: String, _ new: String) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let needle = Array(old.utf8)
        let replacement = Array(new.utf8)
        try #require(needle.count == replacement.count)
        let start = try #require((0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
        bytes.replaceSubrange(start..<(start + needle.count), with: replacement)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func artifactsOfAnotherKilnOrTargetAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let artifact = directory.url.appendingPathComponent("fac.so").path
        #expect(try KilnProcess.run(["compile", KilnProcess.fixture("wat/fac.wat"), "-o", artifact]).status == 0)

        let older = directory.url.appendingPathComponent("older.so").path
        try FileManager.default.copyItem(atPath: artifact, toPath: older)
        try patch(older, "\"kilnVersion\":\"0.1.0\"", "\"kilnVersion\":\"0.0.9\"")
        let refused = try KilnProcess.run(["run", older, "--invoke", "fac", "3"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot run \(older): it was built by Kiln 0.0.9, this is Kiln 0.1.0"))

        let foreign = directory.url.appendingPathComponent("foreign.so").path
        try FileManager.default.copyItem(atPath: artifact, toPath: foreign)
        try patch(foreign, "\"target\":\"x86_64-unknown-linux-gnu\"", "\"target\":\"armv7a-unknown-linux-gnu\"")
        let other = try KilnProcess.run(["run", foreign, "--invoke", "fac", "3"])
        #expect(other.status == 1)
        #expect(other.stderr.contains("it was built for armv7a-unknown-linux-gnu"))
    }

    @Test func aFileThatIsNotAnArtifactIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // ELF magic followed by garbage: refused from its header, before dlopen.
        let path = try directory.write("bogus.so", [0x7f, 0x45, 0x4c, 0x46] + Array(repeating: 0x41, count: 64))
        let result = try KilnProcess.run(["run", path, "--invoke", "f"])
        #expect(result.status == 1)
        #expect(result.stderr == "\(path): not a Kiln artifact: not a 64-bit little-endian ELF file\n")
    }

    @Test func executableRunsWithoutKiln() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try directory.write("exit7.wat", text: """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "standalone\\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 11))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $exit (i32.const 7))))
            """)
        let executable = directory.url.appendingPathComponent("exit7").path
        let compile = try KilnProcess.run(["compile", "--exe", source, "-o", executable])
        #expect(compile.status == 0, "\(compile.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 7)
        #expect(String(decoding: output, as: UTF8.self) == "standalone\n")
        // The same module under `kiln run` behaves the same.
        let run = try KilnProcess.run(["run", source])
        #expect(run.status == 7)
        #expect(run.stdout == "standalone\n")
    }

    /// kiln runs from the package root here: a compiler named by a relative path and a relative
    /// KILN_RUNTIME_DIR mean files from there, though units compile inside their work directory (they did not
    /// for one commit: "cannot run ./cc.sh", "'kiln.h' file not found").
    @Test func relativePathsMeanFilesFromKilnsDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = try directory.write("cc.sh", text: "#!/bin/sh\nexec clang \"$@\"\n")
        chmod(script, 0o755)
        let up = String(repeating: "../", count: KilnProcess.packageRoot.standardizedFileURL.pathComponents.count - 1)
        let relativeScript = up + String(script.dropFirst())
        let artifact = directory.url.appendingPathComponent("fac.so").path
        let environment = ["KILN_RUNTIME_DIR": "Runtime", "KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
        let compile = try KilnProcess.run(["compile", "--cc", "sh " + relativeScript, KilnProcess.fixture("wat/fac.wat"), "-o", artifact],
                                          environment: environment)
        #expect(compile.status == 0, "\(compile.stderr)")
        let run = try KilnProcess.run(["run", artifact, "--invoke", "fac", "5"])
        #expect(run.stdout == "120\n", "\(run.stderr)")
    }
}
