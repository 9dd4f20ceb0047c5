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
}
