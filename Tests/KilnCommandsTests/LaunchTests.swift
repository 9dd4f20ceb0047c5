import Foundation
import Kiln
import Testing

/// The C launcher (`Sources/kiln-launcher`): a second `kiln run` of a module is served from the cache
/// without kiln-driver, behaves exactly as the driver does, and goes back to the driver whenever anything its
/// cache key depends on has changed. `KILN_LAUNCH_DEBUG=1` makes the launcher say which way it went.
@Suite struct LaunchTests {
    /// Prints a line, then exits with proc_exit(STATUS) where STATUS is its only argument's length.
    static let command = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "launched\\n")
          (func $main (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 9))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
            ;; argv's total size minus "m.wasm\\0" (7 bytes): the arguments' lengths plus their NULs.
            (call $proc_exit (i32.sub (i32.load (i32.const 36)) (i32.const 7)))))
        """

    /// Traps in _start after printing; `$boom` names the function in the name section.
    static let trapping = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory 1)
          (data (i32.const 16) "before\\n")
          (func $boom (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 7))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (drop (i32.div_u (i32.const 1) (i32.const 0)))))
        """

    /// Traps in its start function, during instantiation.
    static let trappingStart = """
        (module (func $s unreachable) (start $s) (func (export "_start")))
        """

    /// An exception nothing catches ends the run as a trap does, but says it is one and what it carries.
    static let throwing = """
        (module (tag $e (param i32 f64)) (func $go (export "_start") (throw $e (i32.const -3) (f64.const 2.5))))
        """

    struct Fixture {
        let directory: TemporaryDirectory
        var environment: [String: String]
        var cache: String { environment["KILN_CACHE_DIR"]! }

        init() throws {
            directory = try TemporaryDirectory()
            environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        }

        /// The binary form of `text`, as m.wasm (the launcher takes binary modules only).
        func module(_ text: String, name: String = "m.wasm") throws -> String {
            let source = try directory.write(name + ".wat", text: text)
            return try directory.write(name, try Kiln.read(path: source).binary)
        }

        func run(_ arguments: [String], _ extra: [String: String] = [:]) throws -> (KilnProcess.Result, launch: String, stderr: String) {
            let result = try KilnProcess.run(["run", "--opt", "0"] + arguments, environment: environment.merging(extra) { $1 })
            let launch = result.stderrLines.filter { $0.hasPrefix("kiln: launch: ") }.map(String.init).joined(separator: "\n")
            let rest = result.stderrLines.filter { !$0.hasPrefix("kiln: launch: ") }.map { $0 + "\n" }.joined()
            return (result, launch, rest)
        }
    }

    /// `kiln m.wasm ARGS` is `kiln run m.wasm ARGS`, as `wasmtime app.wasm` is `wasmtime run app.wasm`:
    /// the driver's run first, then the launcher's cached one; a subcommand's name is still the subcommand.
    @Test func aModuleInPlaceOfTheSubcommandIsRun() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(Self.command)
        // The first builds the optimized tier before it runs (a plain first run would run a baseline and
        // leave the launch record to the background build), the second is the launcher's.
        let first = try KilnProcess.run(["--wait-for-optimized", module, "abc"], environment: fixture.environment)
        let second = try KilnProcess.run([module, "abc"], environment: fixture.environment)
        for run in [first, second] {
            #expect(run.stdout == "launched\n")
            #expect(run.status == 4)  // "abc\0"
        }
        #expect(second.stderrLines.contains { $0.hasPrefix("kiln: launch: hit") }, "\(second.stderrLines)")
        let missing = try KilnProcess.run([fixture.directory.url.appendingPathComponent("missing.wasm").path], environment: fixture.environment)
        #expect(missing.status == 1)
        #expect(missing.stderrLines.contains { $0.hasSuffix("missing.wasm: cannot read module: no such file") }, "\(missing.stderrLines)")
        #expect(try KilnProcess.run(["validate", module], environment: fixture.environment).stdout == "\(module): valid\n")
        // Options of run's before the module: a run too.
        let withOption = try KilnProcess.run(["--argv0", "abcdefghij", module], environment: fixture.environment)
        #expect(withOption.status == 4, "\(withOption.stderr)")
        #expect(try KilnProcess.run(["--version"], environment: fixture.environment).stdout == "0.1.0\n")
    }

    /// `--argv0` is what the guest sees as its program name, in the driver's run and the launcher's alike.
    @Test func argv0NamesTheProgram() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(Self.command)
        // argv is "abcdefghij\0" (11 bytes) instead of "m.wasm\0" (7): the exit status is 4.
        let first = try fixture.run(["--argv0", "abcdefghij", module])
        let second = try fixture.run(["--argv0=abcdefghij", module])
        #expect(second.launch.hasPrefix("kiln: launch: hit"), "\(second.launch)")
        for run in [first, second] {
            #expect(run.0.status == 4, "\(run.stderr)")
            #expect(run.0.stdout == "launched\n")
        }
        #expect(try fixture.run([module]).0.status == 0)
    }

    @Test func theSecondRunIsServedByTheLauncherAndBehavesTheSame() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(Self.command)
        let first = try fixture.run([module, "--", "abc", "de"])
        #expect(first.launch.hasPrefix("kiln: launch: miss"), "\(first.launch)")
        let second = try fixture.run([module, "--", "abc", "de"])
        #expect(second.launch.hasPrefix("kiln: launch: hit"), "\(second.launch)")
        for run in [first, second] {
            #expect(run.0.stdout == "launched\n")
            #expect(run.0.status == 7)  // "abc\0de\0"
            #expect(run.stderr == "")
        }
        // Other arguments are the same record: still a hit, with the new arguments.
        let third = try fixture.run([module, "x"])
        #expect(third.launch.hasPrefix("kiln: launch: hit"), "\(third.launch)")
        #expect(third.0.status == 2)
    }

    /// The message and the backtrace after it (the frame where it happened; Runtime/host/backtrace.c and
    /// KilnLoad/TrapFrame.swift print it alike).
    /// `frame`: the one frame, at the only binary, unreachable or throw instruction of the module's first body.
    @Test(arguments: [(trapping, "before\n", "error: wasm trap: integer divide by zero\n  while running export \"_start\" (func 1 ($boom)) of ",
                       "func 1 ($boom)"),
                      (trappingStart, "", "error: wasm trap: unreachable\n  while running \"instantiation\" of ", "func 0 ($s)"),
                      (throwing, "", "error: uncaught wasm exception: tag 0, payload [i32 -3, f64 2.5]\n  while running export \"_start\" (func 0 ($go)) of ",
                       "func 0 ($go)")])
    func trapsAreReportedAsTheDriverReportsThem(text: String, stdout: String, message: String, frame: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(text)
        let at = try InstructionOffsets.at(try Kiln.read(path: module).binary, body: 0) { instruction in
            switch instruction {
            case .binary, .unreachable, .throw: true
            default: false
            }
        }
        let frames = "wasm backtrace:\n   0: \(frame) \(at)\n"
        let first = try fixture.run([module])
        let second = try fixture.run([module])
        #expect(second.launch.hasPrefix("kiln: launch: hit"), "\(second.launch)")
        for run in [first, second] {
            #expect(run.0.status == 134)
            #expect(run.0.stdout == stdout)
            #expect(run.stderr == message + module + "\n" + frames)
        }
    }

    @Test func directoriesAndVariablesReachTheGuest() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let data = fixture.directory.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data("the quick brown fox\n".utf8).write(to: data.appendingPathComponent("input.txt"))
        let arguments = [
            "--dir", data.path + "::/data", "--env", "KILN_DEMO_GREETING=hello", "--env=KILN_DEMO_EMPTY=",
            KilnProcess.fixture("wasm/wasi_demo.wasm"), "/data", "3", "one", "two words",
        ]
        let first = try fixture.run(arguments)
        let second = try fixture.run(arguments)
        #expect(second.launch.hasPrefix("kiln: launch: hit"), "\(second.launch)")
        #expect(first.0.status == 3)
        #expect(second.0.status == first.0.status)
        #expect(second.0.stdout == first.0.stdout)
        #expect(first.0.stdout.contains("two words"), "\(first.0.stdout)")
        #expect(!first.0.stdout.contains("FAILED"), "\(first.0.stdout)")
    }

    @Test func aChangedCompilerSettingOrRuntimeGoesBackToTheDriver() throws {
        var fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(Self.command)
        // A runtime of the test's own, so that it can be changed.
        let runtime = fixture.directory.url.appendingPathComponent("Runtime")
        try FileManager.default.copyItem(at: KilnProcess.packageRoot.appendingPathComponent("Runtime"), to: runtime)
        fixture.environment["KILN_RUNTIME_DIR"] = runtime.path
        _ = try fixture.run([module])
        #expect(try fixture.run([module]).launch.hasPrefix("kiln: launch: hit"))

        let header = runtime.appendingPathComponent("include/kiln_trap.h")
        let handle = try FileHandle(forWritingTo: header)
        handle.seekToEndOfFile()
        handle.write(Data("/* changed */\n".utf8))
        try handle.close()
        let changed = try fixture.run([module])
        #expect(changed.launch == "kiln: launch: miss: the compiler, the runtime or kiln changed")
        #expect(changed.0.status == 0 && changed.0.stdout == "launched\n")
        // The driver built a new entry for the new runtime, and the launcher runs that one now.
        #expect(try fixture.run([module]).launch.hasPrefix("kiln: launch: hit"))
        let otherCompiler = try fixture.run([module], ["KILN_CC": "clang"])
        #expect(otherCompiler.launch == "kiln: launch: miss: an environment variable changed")
        #expect(otherCompiler.0.status == 0)
        // The same key (KILN_CC names the default compiler), but the driver had to say so.
        #expect(otherCompiler.stderr == "")

        let list = try KilnProcess.run(["cache", "list"], environment: fixture.environment)
        #expect(list.stdoutLines.last?.hasPrefix("4 entries") == true, "\(list.stdout)")  // 2 modules, 2 runtimes
    }

    @Test func aCorruptArtifactIsNeverRunByTheLauncher() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(Self.command)
        _ = try fixture.run([module])
        let hit = try fixture.run([module])
        let digest = try #require(hit.launch.split(separator: " ").last.map(String.init))
        let artifact = fixture.cache + "/\(digest)/module.so"
        chmod(artifact, 0o644)
        let handle = try #require(FileHandle(forUpdatingAtPath: artifact))
        handle.seek(toFileOffset: 100)
        let byte = handle.readData(ofLength: 1)
        handle.seek(toFileOffset: 100)
        handle.write(Data([byte[0] ^ 0x20]))
        try handle.close()
        chmod(artifact, 0o444)

        let corrupt = try fixture.run([module])
        #expect(corrupt.launch == "kiln: launch: miss: the artifact's SHA-256 does not match its manifest")
        #expect(corrupt.stderr == "kiln: warning: cache entry \(digest) is corrupt (SHA-256 mismatch: the contents changed since it was stored); rebuilding\n")
        #expect(corrupt.0.stdout == "launched\n")
        #expect(try fixture.run([module]).launch == "kiln: launch: hit (baseline tier): \(digest)")
    }

    @Test func otherCommandsAndModulesGoToTheDriver() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(Self.command)
        let text = fixture.directory.url.appendingPathComponent("m.wasm.wat").path
        for arguments in [[text], [module, "--invoke", "_start"], ["--no-cache", module]] {
            _ = try fixture.run(arguments)
            let again = try fixture.run(arguments)
            #expect(again.launch.hasPrefix("kiln: launch: not for the launcher"), "\(arguments): \(again.launch)")
        }
        let version = try KilnProcess.run(["--version"], environment: fixture.environment)
        #expect(version.status == 0 && version.stderr == "")
    }

    @Test func cleanRemovesLaunchRecordsAndPruneThoseOfRemovedEntries() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let module = try fixture.module(Self.command)
        _ = try fixture.run([module])
        let records = fixture.cache + "/launch"
        #expect(try FileManager.default.contentsOfDirectory(atPath: records).count == 1)
        _ = try KilnProcess.run(["cache", "prune", "--max-size", "1G"], environment: fixture.environment)
        #expect(try FileManager.default.contentsOfDirectory(atPath: records).count == 1)
        _ = try KilnProcess.run(["cache", "prune", "--max-size", "0"], environment: fixture.environment)
        #expect(try FileManager.default.contentsOfDirectory(atPath: records).isEmpty)
        _ = try fixture.run([module])
        _ = try KilnProcess.run(["cache", "clean"], environment: fixture.environment)
        #expect(!FileManager.default.fileExists(atPath: records))
        #expect(try fixture.run([module]).launch.hasPrefix("kiln: launch: miss"))
    }
}
