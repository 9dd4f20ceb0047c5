import Foundation
import Kiln
import Testing

/// Store limits on the command line: memory.grow and table.grow past a limit return -1, instantiation past
/// one is an error naming it, and recursion past --max-wasm-stack traps; in kiln run, the launcher's cached
/// runs and --exe executables alike.
@Suite struct LimitsCommandTests {
    static let module = """
        (module
          (memory (export "memory") 1)
          (table $t 1 funcref)
          (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "grow_table") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
        """

    /// A command that grows its memory by 2 pages (printing "grew" or "refused"), then recurses 100000 deep
    /// (printing "deep" when it comes back).
    static let command = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func $down (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
          (func $say (param $text i32) (param $length i32)
            (i32.store (i32.const 0) (local.get $text))
            (i32.store (i32.const 4) (local.get $length))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
          (data (i32.const 16) "grew\\nrefused\\ndeep\\n")
          (func (export "_start")
            (if (i32.eq (memory.grow (i32.const 2)) (i32.const -1))
              (then (call $say (i32.const 21) (i32.const 8)))
              (else (call $say (i32.const 16) (i32.const 5))))
            (drop (call $down (i32.const 100000)))
            (call $say (i32.const 29) (i32.const 5))))
        """

    func invoke(_ path: String, _ options: [String], _ words: [String]) throws -> KilnProcess.Result {
        try KilnProcess.run(["run", "--opt", "0"] + options + [path, "--invoke"] + words)
    }

    @Test func growthPastALimitReturnsMinusOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("limits.wat", text: Self.module)
        #expect(try invoke(path, ["--max-store-memory", "128K"], ["grow_memory", "1"]).stdout == "1\n")
        #expect(try invoke(path, ["--max-store-memory", "128K"], ["grow_memory", "2"]).stdout == "-1\n")
        #expect(try invoke(path, [], ["grow_memory", "2"]).stdout == "1\n")
        #expect(try invoke(path, ["--max-table-elements", "5"], ["grow_table", "4"]).stdout == "1\n")
        #expect(try invoke(path, ["--max-table-elements", "5"], ["grow_table", "5"]).stdout == "-1\n")
        #expect(try invoke(path, [], ["grow_table", "5"]).stdout == "1\n")
    }

    @Test func instantiationPastALimitNamesIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("limits.wat", text: Self.module)
        let memory = try invoke(path, ["--max-store-memory", "32K"], ["grow_memory", "0"])
        #expect(memory.status == 1)
        #expect(memory.stderr == "\(path): cannot instantiate module: memory 0 needs 64 KiB at minimum, more than the store's memories may hold (--max-store-memory 32 KiB)\n")
        let table = try KilnProcess.run(["run", "--opt", "0", "--max-table-elements", "1", try directory.write("t.wat", text: "(module (table 2 funcref) (func (export \"f\")))"), "--invoke", "f"])
        #expect(table.status == 1)
        #expect(table.stderr.hasSuffix("cannot instantiate module: table 0 needs 2 elements at minimum but --max-table-elements is 1\n"), "\(table.stderr)")
        let bad = try KilnProcess.run(["run", "--max-wasm-stack", "lots", path])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--max-wasm-stack takes a size in bytes such as 65536, 512K or 1G, not \"lots\""))
    }

    @Test func recursionPastTheWasmStackTraps() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("limits.wat", text: Self.module)
        #expect(try invoke(path, [], ["down", "100000"]).stdout == "100000\n")
        #expect(try invoke(path, ["--max-wasm-stack", "64K"], ["down", "100"]).stdout == "100\n")
        let deep = try invoke(path, ["--max-wasm-stack", "64K"], ["down", "100000"])
        #expect(deep.status == 134)
        #expect(deep.stderr.hasPrefix("error: wasm trap: call stack exhausted\n"), "\(deep.stderr)")
    }

    /// The same options through command.c: the launcher's second (cached) run and an --exe executable.
    @Test func theLauncherAndExecutablesEnforceThemToo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let module = try directory.write("command.wasm", try Kiln.read(path: try directory.write("command.wat", text: Self.command)).binary)
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        let plain = try KilnProcess.run(["--opt", "0", module], environment: environment)
        #expect(plain.stdout == "grew\ndeep\n", "\(plain.stderr)")
        let limited = try KilnProcess.run(["--opt", "0", "--max-store-memory", "2M", "--max-wasm-stack=64K", module], environment: environment)
        #expect(limited.stderr.contains("kiln: launch: hit"), "\(limited.stderr)")
        #expect(limited.stdout == "grew\n")
        #expect(limited.status == 134)
        #expect(limited.stderrLines.contains("error: wasm trap: call stack exhausted"))
        let refused = try KilnProcess.run(["--opt", "0", "--max-store-memory", "128K", module], environment: environment)
        #expect(refused.stdout == "refused\ndeep\n")

        let program = directory.url.appendingPathComponent("command").path
        #expect(try KilnProcess.run(["compile", "--exe", "--opt", "0", module, "-o", program]).status == 0)
        #expect(try KilnProcess.runProgram(program, []).stdout == "grew\ndeep\n")
        #expect(try KilnProcess.runProgram(program, ["--max-store-memory", "128K"]).stdout == "refused\ndeep\n")
        let exe = try KilnProcess.runProgram(program, ["--max-wasm-stack", "64K"])
        #expect(exe.status == 134)
        #expect(exe.stdout == "grew\n")
        #expect(try KilnProcess.runProgram(program, ["--max-table-elements", "0"]).status == 2)
    }
}
