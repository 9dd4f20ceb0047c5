import Foundation
import Kiln
import Testing

/// `kiln run`: exports called with typed arguments, traps reported as wasmtime does (exit 134), proc_exit
/// statuses passed through.
@Suite struct RunCommandTests {
    static let module = """
        (module
          (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "pair") (param i64 f64) (result i64 f64) (local.get 0) (local.get 1)))
        """

    @Test func invokePrintsEachResult() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("m.wat", text: Self.module)
        let result = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path, "--invoke", "pair", "-5", "2.5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "-5\n2.5\n")
    }

    @Test func aTrapExits134NamingTheFunction() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("m.wat", text: Self.module)
        let result = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path, "--invoke", "div", "1", "0"])
        #expect(result.status == 134)
        #expect(result.stdout == "")
        let at = try InstructionOffsets.at(try Kiln.read(path: path).binary, body: 0, InstructionOffsets.isBinary)
        #expect(result.stderr == "error: wasm trap: integer divide by zero\n  while running export \"div\" (func 0 ($div)) of \(path)\n"
            + "wasm backtrace:\n   0: func 0 ($div) \(at)\n")
    }

    /// Bounds mode "guard": the access past the end faults in the guarded reservation and the handler turns
    /// the fault into the same trap and exit status, with the store before it kept; the standalone
    /// executable (whose runtime has its own copy of the handler) does the same.
    @Test(arguments: [false, true]) func guardPagesTrapLikeChecks(executable: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("g.wat", text: """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "ok\\n")
              (func $poke (export "poke") (param $at i32) (i32.store (local.get $at) (i32.const 7)))
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 3))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $poke (i32.const 65533))))
            """)
        let result: KilnProcess.Result
        if executable {
            let program = directory.url.appendingPathComponent("g").path
            let compile = try KilnProcess.run(["compile", "--exe", "--bounds", "guard", path, "-o", program])
            #expect(compile.status == 0, "\(compile.stderr)")
            result = try KilnProcess.runProgram(program, [])
        } else {
            result = try KilnProcess.run(["run", "--no-cache", "--bounds", "guard", path])
        }
        #expect(result.status == 134)
        #expect(result.stdout == "ok\n")
        #expect(result.stderr.hasPrefix("error: wasm trap: out of bounds memory access"), "\(result.stderr)")
    }

    /// A reactor: WASI is set up for an invoked export and `_initialize` runs first, so its output and its
    /// initialised state are not lost (as wasmtime does).
    static let reactor = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (global $ready (mut i32) (i32.const 0))
          (global $calls (mut i32) (i32.const 0))
          (data (i32.const 16) "ready\\n")
          (func (export "_initialize")
            (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
            (global.set $ready (i32.const 41)))
          (func (export "hello") (result i32 i32)
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (i32.add (global.get $ready) (i32.const 1))
            (global.get $calls))
          (func (export "double") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
          (func (export "nulls") (param externref funcref) (result i32)
            (i32.add (ref.is_null (local.get 0)) (ref.is_null (local.get 1))))
          (func (export "nullf") (result funcref externref) (ref.null func) (ref.null extern)))
        """

    @Test func invokeOnAReactorSetsUpWASIAndInitializesFirst() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("r.wat", text: Self.reactor)
        let result = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path, "--invoke", "hello"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ready\n42\n1\n")
        // _initialize invoked by name runs once, not twice.
        let initialize = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path, "--invoke", "_initialize"])
        #expect(initialize.status == 0, "\(initialize.stderr)")
        #expect(initialize.stdout == "")
    }

    /// v128 arguments as a shape and lanes (one word or several) or a 128-bit number; v128 results as i32x4;
    /// null references both ways.
    @Test func invokeReadsAndPrintsVectorsAndNullReferences() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("r.wat", text: Self.reactor)
        func invoke(_ words: [String]) throws -> KilnProcess.Result {
            try KilnProcess.run(["run", "--no-cache", "--opt", "0", path, "--invoke"] + words)
        }
        let cases: [([String], String)] = [
            (["double", "i32x4", "1", "2", "-3", "4"], "i32x4 2 4 -6 8\n"),
            (["double", "i32x4 1 2 -3 0x7fffffff"], "i32x4 2 4 -6 -2\n"),
            (["double", "i8x16", "1", "0", "0", "0", "255", "255", "255", "255", "0", "0", "0", "0", "0", "0", "0", "128"],
             "i32x4 2 -2 0 0\n"),
            (["double", "i64x2 -1 3"], "i32x4 -2 -2 6 0\n"),
            (["double", "f32x4 1.0 -2.0 0 0"], "i32x4 2130706432 -2147483648 0 0\n"),
            (["double", "0x3_00000002"], "i32x4 4 6 0 0\n"),
            (["nulls", "null", "null"], "2\n"),
            (["nullf"], "null\nnull\n"),
        ]
        for (words, output) in cases {
            let result = try invoke(words)
            #expect(result.status == 0, "\(words): \(result.stderr)")
            #expect(result.stdout == output, "\(words)")
        }
        let short = try invoke(["double", "i32x4", "1", "2"])
        #expect(short.status == 1)
        #expect(short.stderr == "\(path): cannot read \"i32x4 1 2\" as v128\n")
        let extra = try invoke(["double", "i32x4", "1", "2", "3", "4", "5"])
        #expect(extra.stderr == "\(path): \"double\" takes 1 argument, given 2\n")
        let lane = try invoke(["double", "i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 256"])
        #expect(lane.stderr == "\(path): cannot read \"i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 256\" as v128\n")
        let reference = try invoke(["nulls", "0", "null"])
        #expect(reference.status == 1)
        #expect(reference.stderr == "\(path): cannot read \"0\" as externref\n")
    }

    @Test func badArgumentsAndMissingExportsAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("m.wat", text: Self.module)
        let text = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path, "--invoke", "div", "one", "2"])
        #expect(text.status == 1)
        #expect(text.stderr == "\(path): cannot read \"one\" as i32\n")
        let missing = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path, "--invoke", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "\(path): no exported function \"nope\"\n")
        let command = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path])
        #expect(command.status == 1)
        #expect(command.stderr == "\(path): not a command: no _start export (use --invoke NAME)\n")
    }

    /// A memory's minimum above `--max-memory-pages` is an instantiation error naming both (exit 1), not a
    /// trap, from kiln-driver, from the launcher (the second, cached run) and from a `--exe` executable.
    @Test func aMinimumAboveTheMemoryLimitIsAnInstantiationError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try directory.write("big.wat", text: "(module (memory 17) (func (export \"_start\")))")
        let module = try directory.write("big.wasm", try Kiln.read(path: source).binary)
        let message = "cannot instantiate module: memory 0 needs 17 pages at minimum but --max-memory-pages is 16\n"
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        for run in ["miss", "hit"] {
            let result = try KilnProcess.run(["run", "--opt", "0", "--max-memory-pages", "16", module], environment: environment)
            #expect(result.status == 1)
            #expect(result.stdout == "")
            #expect(result.stderrLines.filter { !$0.hasPrefix("kiln: launch:") } == ["\(module): \(message)".dropLast()])
            #expect(result.stderr.contains("kiln: launch: \(run)"), "\(result.stderr)")
        }
        let program = directory.url.appendingPathComponent("big").path
        let compile = try KilnProcess.run(["compile", "--exe", "--opt", "0", module, "-o", program])
        #expect(compile.status == 0, "\(compile.stderr)")
        let exe = try KilnProcess.runProgram(program, ["--max-memory-pages", "16"])
        #expect(exe.status == 1)
        #expect(exe.stderr == "error: " + message)
        #expect(try KilnProcess.runProgram(program, ["--max-memory-pages", "17"]).status == 0)
        // The executable names a --dir it cannot open, and why.
        let missing = directory.url.appendingPathComponent("missing").path
        let noDir = try KilnProcess.runProgram(program, ["--dir", missing])
        #expect(noDir.status == 1)
        #expect(noDir.stderr == "big: --dir \(missing): No such file or directory\n")
    }

    /// A `--dir` that cannot be opened is a usage error naming it and the reason, before the module is even
    /// read (here it is not a module at all).
    @Test(arguments: [("missing", "No such file or directory"), ("file", "Not a directory")])
    func aDirThatCannotBeOpenedIsAUsageError(name: String, reason: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let notAModule = try directory.write("file", text: "not wasm")
        let dir = directory.url.appendingPathComponent(name).path
        let result = try KilnProcess.run(["run", "--no-cache", "--dir", dir, notAModule])
        #expect(result.status == 64)
        #expect(result.stderrLines.first == "Error: --dir \(dir): \(reason)", "\(result.stderr)")
        #expect(!result.stderr.contains("not wasm") && !result.stderr.contains("invalid"))
    }

    /// Says hello, grows its memory (no maximum: it may reach 4 GiB) by 2000 pages and uses the last byte.
    static let hello = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory 1)
          (data (i32.const 16) "hello\\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (if (i32.ne (memory.grow (i32.const 2000)) (i32.const 1)) (then unreachable))
            (i32.store8 (i32.const 131137535) (i32.const 1))
            (if (i32.ne (i32.load8_u (i32.const 21)) (i32.const 10)) (then unreachable))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
        """

    /// Under an address-space limit below the 4 GiB a memory without a maximum may reach (`ulimit -v
    /// 2000000`, about 1.9 GiB), a command still runs: its memory takes a smaller reservation (and would move
    /// if it grew past it). In bounds mode guard the 8 GiB cannot shrink: the error says so and names
    /// `--bounds explicit`. Both through kiln-driver and through a `--exe` executable.
    @Test(arguments: [false, true]) func aCommandRunsUnderAnAddressSpaceLimit(executable: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let module = try directory.write("hello.wat", text: Self.hello)
        let kiln = try #require(KilnProcess.executable)
        func limited(_ words: [String]) throws -> KilnProcess.Result {
            try KilnProcess.launch(URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -v 2000000; exec \"$@\"", "sh"] + words, environment: [:])
        }
        var runs: [(bounds: String, result: KilnProcess.Result)] = []
        for bounds in ["explicit", "guard"] {
            if executable {
                let program = directory.url.appendingPathComponent("hello-\(bounds)").path
                let compile = try KilnProcess.run(["compile", "--exe", "--opt", "0", "--bounds", bounds, module, "-o", program])
                #expect(compile.status == 0, "\(compile.stderr)")
                runs.append((bounds, try limited([program])))
            } else {
                runs.append((bounds, try limited([kiln.path, "run", "--no-cache", "--opt", "0", "--bounds", bounds, module])))
            }
        }
        #expect(runs[0].result.status == 0, "\(runs[0].result.stderr)")
        #expect(runs[0].result.stdout == "hello\nhello\n")
        #expect(runs[1].result.status == 1)
        #expect(runs[1].result.stdout == "")
        let prefix = executable ? "error" : module
        #expect(runs[1].result.stderr.hasPrefix(
            "\(prefix): cannot instantiate module: memory 0: cannot reserve the 8 GiB of address space that --bounds guard needs"),
            "\(runs[1].result.stderr)")
        #expect(runs[1].result.stderr.contains("--bounds explicit"))
    }

    /// RELIABILITY.md line 54: proc_exit(33) exits 33; a status of 126 or more (which wasmtime refuses) is
    /// passed through as README.md documents, the OS keeping its low 8 bits: 200 exits 200 and 289 exits 33.
    @Test(arguments: [(33, 33), (200, 200), (289, 33), (0, 0)])
    func procExitStatusBecomesTheExitStatus(status: Int, expected: Int32) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("exit.wat", text: """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (call $exit (i32.const \(status))) (unreachable)))
            """)
        let result = try KilnProcess.run(["run", "--no-cache", "--opt", "0", path])
        #expect(result.status == expected, "\(result.stderr)")
        #expect(result.stderr == "")
    }
}
