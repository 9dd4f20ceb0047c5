import Foundation
import Kiln
import Testing

@testable import KilnCommands

/// `--readonly-dir HOST[::GUEST]` (WASIOptions.swift, Runtime/host/command.c): the guest reads through it but
/// changes nothing, under `kiln run`, the launcher's cached run and an `--exe` executable alike; preopens
/// keep their command-line order across `--dir` and `--readonly-dir`.
@Suite struct ReadonlyDirTests {
    /// Prints every preopen's guest name, one a line, in fd order; then `input.txt` from fd 3; then creates
    /// `made.txt` in fd 3 for writing and exits with path_open's errno (0 when it could).
    static let guest = """
        (module
          (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $prestat_dir_name (param i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "path_open"
            (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 128) "input.txt")
          (data (i32.const 144) "made.txt")
          (func $print (param $at i32) (param $len i32)
            (i32.store (i32.const 0) (local.get $at))
            (i32.store (i32.const 4) (local.get $len))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
          (func (export "_start")
            (local $fd i32) (local $len i32) (local $errno i32)
            (local.set $fd (i32.const 3))
            (block $done
              (loop $next
                (br_if $done (call $prestat_get (local.get $fd) (i32.const 64)))
                (local.set $len (i32.load (i32.const 68)))
                (drop (call $prestat_dir_name (local.get $fd) (i32.const 256) (local.get $len)))
                (i32.store8 (i32.add (i32.const 256) (local.get $len)) (i32.const 10))
                (call $print (i32.const 256) (i32.add (local.get $len) (i32.const 1)))
                (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
                (br $next)))
            ;; input.txt, read-only: fd_read right only
            (if (i32.eqz (call $path_open (i32.const 3) (i32.const 1) (i32.const 128) (i32.const 9) (i32.const 0)
                                          (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 40)))
              (then
                (i32.store (i32.const 0) (i32.const 512))
                (i32.store (i32.const 4) (i32.const 64))
                (drop (call $fd_read (i32.load (i32.const 40)) (i32.const 0) (i32.const 1) (i32.const 44)))
                (call $print (i32.const 512) (i32.load (i32.const 44)))))
            ;; made.txt: O_CREAT, fd_read | fd_write
            (local.set $errno (call $path_open (i32.const 3) (i32.const 1) (i32.const 144) (i32.const 8) (i32.const 1)
                                                (i64.const 0x42) (i64.const 0) (i32.const 0) (i32.const 40)))
            (call $proc_exit (local.get $errno))))
        """

    /// Three directories with an `input.txt` each, and the guest as m.wasm, under a fresh cache.
    struct Fixture {
        let directory: TemporaryDirectory
        let environment: [String: String]
        let module: String

        init() throws {
            directory = try TemporaryDirectory()
            environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
            for name in ["a", "b", "c"] {
                let dir = directory.url.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try Data("in \(name)\n".utf8).write(to: dir.appendingPathComponent("input.txt"))
            }
            let source = try directory.write("m.wat", text: ReadonlyDirTests.guest)
            module = try directory.write("m.wasm", try Kiln.read(path: source).binary)
        }

        func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

        /// What is in directory `name`, sorted.
        func contents(_ name: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: path(name)).sorted()
        }

        /// `kiln run` twice: the second is served by the launcher (the first too, once the module has run).
        func runTwice(_ options: [String]) throws -> [KilnProcess.Result] {
            let first = try KilnProcess.run(["run", "--opt", "0"] + options + [module], environment: environment)
            let second = try KilnProcess.run(["run", "--opt", "0"] + options + [module], environment: environment)
            #expect(second.stderrLines.contains { $0.hasPrefix("kiln: launch: hit") }, "\(second.stderr)")
            return [first, second]
        }
    }

    @Test func aReadOnlyDirectoryIsReadButNotWritten() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        for run in try fixture.runTwice(["--readonly-dir", fixture.path("a") + "::/a"]) {
            #expect(run.status == 63, "\(run.stderr)")  // EPERM
            #expect(run.stdout == "/a\nin a\n")
        }
        #expect(try fixture.contents("a") == ["input.txt"])
        // The same directory writable: the guest creates the file.
        let writable = try KilnProcess.run(["run", "--opt", "0", "--dir", fixture.path("a") + "::/a", fixture.module], environment: fixture.environment)
        #expect(writable.status == 0, "\(writable.stderr)")
        #expect(try fixture.contents("a") == ["input.txt", "made.txt"])
    }

    /// fds 3, 4, 5 are the preopens in the order given, whichever option gave them; fd 3 decides whether
    /// made.txt can be created.
    @Test func preopensKeepTheirCommandLineOrder() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let mixed = ["--readonly-dir", fixture.path("a") + "::/a", "--dir=" + fixture.path("b") + "::/b", "--readonly-dir=" + fixture.path("c") + "::/c"]
        for run in try fixture.runTwice(mixed) {
            #expect(run.status == 63, "\(run.stderr)")
            #expect(run.stdout == "/a\n/b\n/c\nin a\n")
        }
        let swapped = ["--dir", fixture.path("b") + "::/b", "--readonly-dir", fixture.path("a") + "::/a"]
        for run in try fixture.runTwice(swapped) {
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "/b\n/a\nin b\n")
        }
        #expect(try fixture.contents("a") == ["input.txt"])
        #expect(try fixture.contents("b") == ["input.txt", "made.txt"])
        #expect(try fixture.contents("c") == ["input.txt"])
    }

    /// A wasi-libc program's fopen(…, "wb") gets EPERM, and the directory is left as it was.
    @Test func aLibcProgramIsRefusedWithEPERM() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.path("a/input.txt")))
        let result = try KilnProcess.run(
            ["run", "--opt", "0", "--readonly-dir", fixture.path("a") + "::/data", KilnProcess.fixture("wasm/wasi_demo.wasm"), "/data", "3"],
            environment: fixture.environment)
        #expect(result.stdout.contains("FAILED: create output.txt: errno 63 (Operation not permitted)"), "\(result.stdout)")
        #expect(result.stdout.contains("input.txt: 5 bytes"), "\(result.stdout)")
        #expect(try fixture.contents("a") == ["input.txt"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path("a/input.txt"))) == before)
    }

    /// A standalone executable parses `--readonly-dir` in Runtime/host/command.c, as the launcher does.
    @Test func anExecutableTakesTheOptionToo() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let executable = fixture.path("m")
        let compile = try KilnProcess.run(["compile", "--exe", "--opt", "0", fixture.module, "-o", executable], environment: fixture.environment)
        #expect(compile.status == 0, "\(compile.stderr)")
        let refused = try KilnProcess.runProgram(executable, ["--dir", fixture.path("b") + "::/b", "--readonly-dir=" + fixture.path("a") + "::/a"])
        #expect(refused.status == 0, "\(refused.stderr)")  // fd 3 is /b, writable
        #expect(refused.stdout == "/b\n/a\nin b\n")
        let readOnly = try KilnProcess.runProgram(executable, ["--readonly-dir", fixture.path("c") + "::/c"])
        #expect(readOnly.status == 63, "\(readOnly.stderr)")
        #expect(readOnly.stdout == "/c\nin c\n")
        #expect(try fixture.contents("c") == ["input.txt"])
        let missing = try KilnProcess.runProgram(executable, ["--readonly-dir", fixture.path("missing")])
        #expect(missing.status == 1)
        #expect(missing.stderr == "m: --readonly-dir \(fixture.path("missing")): No such file or directory\n")
    }

    @Test func aMissingDirectoryIsAUsageError() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let result = try KilnProcess.run(["run", "--readonly-dir", fixture.path("missing"), fixture.module], environment: fixture.environment)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderrLines.first { !$0.hasPrefix("kiln: launch:") } == "Error: --readonly-dir \(fixture.path("missing")): No such file or directory", "\(result.stderr)")
    }

    /// The interp engine cannot honour the option, so `kiln bench` says so instead of running writable.
    @Test func benchNeedsTheAotEngine() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let result = try KilnProcess.run(["bench", "--readonly-dir", fixture.path("a"), fixture.module], environment: fixture.environment)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--readonly-dir needs --engines aot"), "\(result.stderr)")
    }

    /// The order comes from the words themselves; words that are not the parsed ones give every --dir first.
    @Test func theOrderComesFromTheWords() throws {
        let options = try WASIOptions.parse(["--dir", "/", "--readonly-dir", "/tmp::/y", "--dir=/tmp"])
        let words = ["--readonly-dir", "/tmp::/y", "--dir", "/", "--dir=/tmp"].map { Array($0.utf8) }[...]
        #expect(options.preopens(words: words).map { "\($0.host) \($0.guest) \($0.readOnly)" } == ["/tmp /y true", "/ / false", "/tmp /tmp false"])
        #expect(options.arguments(words: words) == ["--readonly-dir", "/tmp::/y", "--dir", "/", "--dir", "/tmp"])
        #expect(options.preopens(words: []).map(\.readOnly) == [false, false, true])
    }
}
