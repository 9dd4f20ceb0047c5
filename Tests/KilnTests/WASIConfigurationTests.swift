import Foundation
import Kiln
import Testing

/// WASI configured from the host: arguments, environment, preopens (read-only too), stdin from bytes, stdout
/// and stderr into buffers or files, and the exit status as a value.
@Suite struct WASIConfigurationTests {
    /// Reads stdin to its end, writes it to stdout, writes "err" to stderr, and exits with the number of
    /// arguments times 10 plus the number of environment variables.
    static let echo = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 200) "err")
          (func (export "_start")
            (local $n i32)
            (loop $more
              (i32.store (i32.const 0) (i32.const 1024))
              (i32.store (i32.const 4) (i32.const 4096))
              (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
              (local.set $n (i32.load (i32.const 8)))
              (if (local.get $n) (then
                (i32.store (i32.const 4) (local.get $n))
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
                (br $more))))
            (i32.store (i32.const 16) (i32.const 200))
            (i32.store (i32.const 20) (i32.const 3))
            (drop (call $write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 12)))
            (drop (call $args (i32.const 32) (i32.const 36)))
            (drop (call $env (i32.const 40) (i32.const 44)))
            (call $exit (i32.add (i32.mul (i32.load (i32.const 32)) (i32.const 10)) (i32.load (i32.const 40))))))
        """

    @Test func stdioIntoBuffersAndTheExitStatusAsAValue() throws {
        let module = try Module(engine: Shared.engine, wat: Self.echo, name: "echo.wat")
        let stdout = try WASIOutputBuffer(), stderr = try WASIOutputBuffer()
        let input = Array(repeating: Array("line of input\n".utf8), count: 1000).flatMap { $0 }
        let linker = Linker()
        linker.addWASI(WASIConfiguration(
            arguments: ["echo", "a", "b"], environment: [("A", "1")], stdin: .bytes(input), stdout: .buffer(stdout), stderr: .buffer(stderr)))
        let instance = try linker.instantiate(module, in: Store())
        // proc_exit is a value here, never the host process's exit.
        #expect(try instance.runCommand() == 31)
        #expect(stdout.bytes == input)
        #expect(stderr.text == "err")
    }

    @Test func stdioFromAndToFiles() throws {
        let directory = Shared.temporaryDirectory("wasi-files")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "from a file".write(toFile: directory + "/in.txt", atomically: true, encoding: .utf8)
        let module = try Module(engine: Shared.engine, wat: Self.echo, name: "echo.wat")
        let linker = Linker()
        linker.addWASI(WASIConfiguration(stdin: .file(directory + "/in.txt"), stdout: .file(directory + "/out.txt"), stderr: .file(directory + "/err.txt")))
        #expect(try linker.instantiate(module, in: Store()).runCommand() == 0)
        #expect(try String(contentsOfFile: directory + "/out.txt", encoding: .utf8) == "from a file")
        #expect(try String(contentsOfFile: directory + "/err.txt", encoding: .utf8) == "err")
        // A file that cannot be opened is an error before anything runs.
        let bad = Linker()
        bad.addWASI(WASIConfiguration(stdin: .file(directory + "/missing")))
        let error = #expect(throws: LoadError.self) { try bad.instantiate(module, in: Store()) }
        #expect(error?.reason.hasPrefix("cannot open \(directory)/missing") == true)
    }

    /// The C program of Fixtures/c/wasi_demo.c: arguments, environment, a preopened directory, and its status.
    @Test func aRealCommandWithPreopensArgumentsAndEnvironment() throws {
        let directory = Shared.temporaryDirectory("wasi-demo")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "one two\nthree\n".write(toFile: directory + "/input.txt", atomically: true, encoding: .utf8)
        let module = try Module(engine: Shared.engine, path: Shared.root.appendingPathComponent("Fixtures/wasm/wasi_demo.wasm").path)
        for readOnly in [false, true] {
            let stdout = try WASIOutputBuffer()
            let linker = Linker()
            linker.addWASI(WASIConfiguration(
                arguments: ["wasi_demo", "/data", "3", "extra"], environment: [("KILN_DEMO_GREETING", "hello")],
                preopens: [.init(hostPath: directory, guestPath: "/data", readOnly: readOnly)], stdout: .buffer(stdout)))
            let status = try linker.instantiate(module, in: Store()).runCommand()
            // It exits with its status argument, or 100 when something it tried failed.
            #expect(status == (readOnly ? 100 : 3))
            #expect(stdout.text.contains("extra"))
            #expect(stdout.text.contains("hello"))
            // Read-only: the program's write of output.txt fails, and nothing is created.
            #expect(stdout.text.contains("FAILED") == readOnly, "\(stdout.text)")
            #expect(FileManager.default.fileExists(atPath: directory + "/output.txt") == !readOnly)
            try? FileManager.default.removeItem(atPath: directory + "/output.txt")
        }
    }
}
