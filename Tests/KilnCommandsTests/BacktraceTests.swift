import Foundation
import Kiln
import Testing

/// Traps print the Wasm frames they happened in, innermost first, with the name section's names: from
/// kiln run, from the launcher's cached run and from --exe executables alike, for bounds-check traps in both
/// bounds modes and for stack exhaustion.
@Suite struct BacktraceTests {
    static let module = """
        (module
          (memory 1)
          (func $leaf (param i32) (result i32) (i32.load (local.get 0)))
          (func $mid (param i32) (result i32) (i32.add (call $leaf (local.get 0)) (i32.const 1)))
          (func $rec (param i32) (result i32) (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
          (func $main (export "_start") (drop (call $mid (i32.const 70000))))
          (func $deep (export "deep") (drop (call $rec (i32.const 0)))))
        """

    static let frames = ["wasm backtrace:", "   0: func 0 ($leaf)", "   1: func 1 ($mid)", "   2: func 3 ($main)"]

    /// At -O0 every call is a frame of its own; each way of running prints the same lines after the trap.
    @Test(arguments: ["explicit", "guard"]) func outOfBoundsShowsEveryFrame(bounds: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let module = try directory.write("bt.wasm", try Kiln.read(path: try directory.write("bt.wat", text: Self.module)).binary)
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        for expected in ["miss", "hit"] {
            let run = try KilnProcess.run(["--opt", "0", "--bounds", bounds, module], environment: environment)
            #expect(run.status == 134)
            #expect(run.stderr.contains("kiln: launch: \(expected)"), "\(run.stderr)")
            let lines = run.stderrLines.filter { !$0.hasPrefix("kiln: launch:") }
            #expect(lines.first == "error: wasm trap: out of bounds memory access")
            #expect(lines.dropFirst(2).map(String.init) == Self.frames, "\(run.stderr)")
        }
        let program = directory.url.appendingPathComponent("bt").path
        let compile = try KilnProcess.run(["compile", "--exe", "--opt", "0", "--bounds", bounds, module, "-o", program])
        #expect(compile.status == 0, "\(compile.stderr)")
        let exe = try KilnProcess.runProgram(program, [])
        #expect(exe.status == 134)
        #expect(exe.stderrLines.dropFirst(2).map(String.init) == Self.frames, "\(exe.stderr)")
    }

    /// Runaway recursion: the innermost frames, all the recursing function.
    @Test func stackExhaustionShowsTheRecursion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("bt.wat", text: Self.module)
        let run = try KilnProcess.run(["run", "--opt", "0", path, "--invoke", "deep"])
        #expect(run.status == 134)
        #expect(run.stderrLines.first == "error: wasm trap: call stack exhausted")
        let frames = run.stderrLines.drop { $0 != "wasm backtrace:" }.dropFirst()
        #expect(frames.count >= 3)
        #expect(frames.allSatisfy { $0.hasSuffix(": func 2 ($rec)") }, "\(run.stderr)")
    }

    /// At -O2 clang may inline a function into its caller, whose frame then stands for both: what is shown is
    /// the same frames in the same order, some perhaps left out, down to the export that was entered.
    @Test func optimizedCodeShowsTheFramesThatRemain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("bt.wat", text: Self.module)
        let run = try KilnProcess.run(["run", "--no-cache", "--opt", "2", path])
        #expect(run.status == 134)
        let frames = Array(run.stderrLines.drop { $0 != "wasm backtrace:" }.dropFirst()).map { $0.split(separator: ":", maxSplits: 1)[1] }
        let all = Self.frames.dropFirst().map { $0.split(separator: ":", maxSplits: 1)[1] }
        #expect(frames.last == all.last, "\(run.stderr)")
        var rest = all[...]
        #expect(frames.allSatisfy { frame in
            guard let at = rest.firstIndex(of: frame) else { return false }
            rest = rest[(at + 1)...]
            return true
        }, "\(run.stderr)")
    }
}
