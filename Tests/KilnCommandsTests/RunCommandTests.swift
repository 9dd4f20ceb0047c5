import Foundation
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
        #expect(result.stderr == "error: wasm trap: integer divide by zero\n  while running export \"div\" (func 0 ($div)) of \(path)\n")
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
