import Foundation
import Kiln
import Testing

/// `--fuel N` and `--timeout DURATION` stop a guest that never returns, in `kiln run`, in the launcher's
/// runs and in `--exe` executables: fuel at the same point on every run, a timeout within half a second of
/// its deadline; an artifact built without the checks is refused rather than run unstoppable.
@Suite struct InterruptionCommandTests {
    /// Prints "tick" 50 times. Its entry costs 6 units of fuel (four i32.const, two i32.store) and each
    /// iteration 13 (four i32.const and the call; local.get, i32.const, i32.add, local.set; local.get,
    /// i32.const, i32.lt_u, br_if; drop is free): 300 units pay for (300 - 6) / 13 = 22 ticks.
    static let ticker = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "tick\\n")
          (func (export "_start") (local $i i32)
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 5))
            (loop $l
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 50))))))
        """

    /// Spins without output.
    static let spinner = "(module (func (export \"_start\") (loop $l (br $l))))"

    @Test func fuelStopsAtTheSameTickEveryTime() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try Kiln.read(path: try directory.write("ticker.wat", text: Self.ticker)).binary
        let module = try directory.write("ticker.wasm", binary)
        // The check that finds the fuel gone heads the loop.
        let at = try InstructionOffsets.at(binary, body: 0) { if case .loop = $0 { true } else { false } }
        let expected = "error: wasm trap: all fuel consumed (--fuel 300)\n  while running export \"_start\" (func 1) of \(module)\n"
            + "wasm backtrace:\n   0: func 1 \(at)\n"
        var outputs: [String] = []
        for opt in ["0", "2"] {
            let run = try KilnProcess.run(["run", "--opt", opt, "--fuel", "300", module])
            #expect(run.status == 134)
            #expect(run.stderr == expected)
            outputs.append(run.stdout)
        }
        // The launcher has no record for a fuel run and hands it to the driver each time.
        let again = try KilnProcess.run(["--fuel", "300", module], environment: ["KILN_LAUNCH_DEBUG": "1"])
        #expect(again.status == 134)
        #expect(!again.stderr.contains("kiln: launch: hit"), "\(again.stderr)")
        outputs.append(again.stdout)

        let program = directory.url.appendingPathComponent("ticker").path
        let compile = try KilnProcess.run(["compile", "--exe", "--consume-fuel", module, "-o", program])
        #expect(compile.status == 0, "\(compile.stderr)")
        let exe = try KilnProcess.runProgram(program, ["--fuel", "300"])
        #expect(exe.status == 134)
        #expect(exe.stderr == "error: wasm trap: all fuel consumed (--fuel 300)\n  while running \"_start\"\nwasm backtrace:\n   0: func 1 \(at)\n")
        outputs.append(exe.stdout)
        #expect(outputs.allSatisfy { $0 == String(repeating: "tick\n", count: 22) }, "\(outputs.map { $0.count / 5 })")
    }

    /// A plain cached run first, so that the launcher has a record for the module: `--fuel` must still not
    /// run the unchecked artifact.
    @Test func theLauncherDoesNotServeFuelRunsFromAPlainArtifact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let module = try directory.write("ticker.wasm", try Kiln.read(path: try directory.write("ticker.wat", text: Self.ticker)).binary)
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        for expected in ["miss", "hit"] {
            let plain = try KilnProcess.run(["--opt", "0", module], environment: environment)
            #expect(plain.status == 0)
            #expect(plain.stdout == String(repeating: "tick\n", count: 50))
            #expect(plain.stderr.contains("kiln: launch: \(expected)"), "\(plain.stderr)")
        }
        let fuel = try KilnProcess.run(["--opt", "0", "--fuel", "300", module], environment: environment)
        #expect(fuel.status == 134, "\(fuel.stderr)")
        #expect(!fuel.stderr.contains("kiln: launch: hit"), "\(fuel.stderr)")
        #expect(fuel.stdout == String(repeating: "tick\n", count: 22))
        // And the fuel run left no record that would make a plain run stop early.
        let after = try KilnProcess.run(["--opt", "0", module], environment: environment)
        #expect(after.stdout == String(repeating: "tick\n", count: 50))
        #expect(after.stderr.contains("kiln: launch: hit"), "\(after.stderr)")
        // Built with the checks by their own flag, the artifact has a record of its own, and the launcher
        // serves it with or without a budget.
        for (expected, budget) in [("miss", [String]()), ("hit", []), ("hit", ["--fuel", "300"])] {
            let run = try KilnProcess.run(["--opt", "0", "--consume-fuel"] + budget + [module], environment: environment)
            #expect(run.stderr.contains("kiln: launch: \(expected)"), "\(run.stderr)")
            #expect(run.stdout == String(repeating: "tick\n", count: budget.isEmpty ? 50 : 22))
            #expect(run.status == (budget.isEmpty ? 0 : 134))
        }
    }

    @Test(arguments: [false, true]) func aTimeoutStopsALoopWithinHalfASecond(executable: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try directory.write("spin.wat", text: Self.spinner)
        let built = directory.url.appendingPathComponent(executable ? "spin" : "spin.so").path
        let compile = try KilnProcess.run(["compile", "--epoch-interruption"] + (executable ? ["--exe"] : []) + [source, "-o", built])
        #expect(compile.status == 0, "\(compile.stderr)")
        // The best of three: the wall time includes starting the process, which a machine busy with other
        // tests can delay; the guest itself must stop at its first check after the deadline.
        var times: [Double] = []
        for _ in 0..<3 {
            let start = Date()
            let result = executable
                ? try KilnProcess.runProgram(built, ["--timeout", "1s"]) : try KilnProcess.run(["run", "--timeout", "1s", built])
            times.append(Date().timeIntervalSince(start))
            #expect(result.status == 134)
            #expect(result.stderr.hasPrefix("error: wasm trap: interrupt (--timeout 1s reached)\n"), "\(result.stderr)")
            if times.last! < 1.5 { break }
        }
        #expect(times.allSatisfy { $0 >= 1.0 } && times.min()! < 1.5, "\(times) s")
    }

    @Test func budgetsTheCodeCannotEnforceAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try directory.write("spin.wat", text: Self.spinner)
        let artifact = directory.url.appendingPathComponent("spin.so").path
        #expect(try KilnProcess.run(["compile", source, "-o", artifact]).status == 0)
        let fuel = try KilnProcess.run(["run", "--fuel", "10", artifact])
        #expect(fuel.status == 1)
        #expect(fuel.stderr.contains("--fuel: \(artifact) was compiled without fuel checks (compile it with --consume-fuel)"), "\(fuel.stderr)")
        let timeout = try KilnProcess.run(["run", "--timeout", "1s", artifact])
        #expect(timeout.status == 1)
        #expect(timeout.stderr.contains("--timeout: \(artifact) was compiled without epoch checks (compile it with --epoch-interruption)"))
        let program = directory.url.appendingPathComponent("spin").path
        #expect(try KilnProcess.run(["compile", "--exe", source, "-o", program]).status == 0)
        let exe = try KilnProcess.runProgram(program, ["--fuel", "10"])
        #expect(exe.status == 1)
        #expect(exe.stderr == "spin: --fuel: this executable was compiled without fuel checks (compile it with --consume-fuel)\n")
        let badDuration = try KilnProcess.run(["run", "--timeout", "soon", source])
        #expect(badDuration.status == 64)
        #expect(badDuration.stderr.contains("--timeout takes a positive duration such as 2s, 500ms or 1.5m, not \"soon\""))
        #expect(try KilnProcess.runProgram(program, ["--timeout", "0s"]).status == 2)
    }
}
