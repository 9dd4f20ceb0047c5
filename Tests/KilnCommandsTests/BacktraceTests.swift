import Foundation
import Kiln
import Testing

/// Traps print the Wasm frames they happened in, innermost first, with the name section's names and the code
/// offset of each frame's instruction (the trapping one innermost, the calls outside it): from kiln run, from
/// the launcher's cached run and from --exe executables alike, for bounds-check traps in both bounds modes
/// and for stack exhaustion. The offsets expected are where the decoder finds those instructions.
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

    /// What a trap in $leaf's load prints after its message.
    static func frames(_ binary: [UInt8]) throws -> [String] {
        let load = try InstructionOffsets.only(binary, body: 0, InstructionOffsets.isLoad)
        let midCall = try InstructionOffsets.only(binary, body: 1, InstructionOffsets.isCall)
        let mainCall = try InstructionOffsets.only(binary, body: 3, InstructionOffsets.isCall)
        return ["wasm backtrace:", "   0: func 0 ($leaf) at offset \(InstructionOffsets.hex(load))",
                "   1: func 1 ($mid) at offset \(InstructionOffsets.hex(midCall))",
                "   2: func 3 ($main) at offset \(InstructionOffsets.hex(mainCall))"]
    }

    /// At -O0 every call is a frame of its own; each way of running prints the same lines after the trap.
    @Test(arguments: ["explicit", "guard"]) func outOfBoundsShowsEveryFrame(bounds: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try Kiln.read(path: try directory.write("bt.wat", text: Self.module)).binary
        let module = try directory.write("bt.wasm", binary)
        let frames = try Self.frames(binary)
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        for expected in ["miss", "hit"] {
            let run = try KilnProcess.run(["--opt", "0", "--bounds", bounds, module], environment: environment)
            #expect(run.status == 134)
            #expect(run.stderr.contains("kiln: launch: \(expected)"), "\(run.stderr)")
            let lines = run.stderrLines.filter { !$0.hasPrefix("kiln: launch:") }
            #expect(lines.first == "error: wasm trap: out of bounds memory access")
            #expect(lines.dropFirst(2).map(String.init) == frames, "\(run.stderr)")
        }
        let program = directory.url.appendingPathComponent("bt").path
        let compile = try KilnProcess.run(["compile", "--exe", "--opt", "0", "--bounds", bounds, module, "-o", program])
        #expect(compile.status == 0, "\(compile.stderr)")
        let exe = try KilnProcess.runProgram(program, [])
        #expect(exe.status == 134)
        #expect(exe.stderrLines.dropFirst(2).map(String.init) == frames, "\(exe.stderr)")
    }

    /// Debian's valgrind (3.19) reads an artifact's line tables: it gave up on clang's default DWARF 5 ("unhandled
    /// dwarf2 abbrev form code 0x25", and on Lua "Possibly corrupted debuginfo file"), so no artifact could be
    /// profiled with callgrind. Under valgrind the program prints exactly what it prints without.
    @Test func valgrindReadsTheLineTables() throws {
        let tool = try KilnProcess.debianTool("valgrind")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let module = try directory.write("bt.wat", text: Self.module)
        let program = directory.url.appendingPathComponent("bt").path
        let compile = try KilnProcess.run(["compile", "--exe", module, "-o", program])
        #expect(compile.status == 0, "\(compile.stderr)")
        let plain = try KilnProcess.runProgram(program, [])
        #expect(plain.status == 134)
        #expect(plain.stderr.contains("at offset 0x"), "\(plain.stderr)")
        let profiled = try KilnProcess.launch(URL(fileURLWithPath: tool), ["-q", "--tool=none", program], environment: [:])
        #expect(profiled.status == 134)
        #expect(profiled.stderr == plain.stderr)
    }

    /// Runaway recursion: the innermost frames, all the recursing function; the innermost at its entry (the
    /// stack check), the others at the recursive call.
    @Test func stackExhaustionShowsTheRecursion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("bt.wat", text: Self.module)
        let (binary, validated) = try Kiln.read(path: path)
        let entry = InstructionOffsets.hex(validated.module.bodies[2].bodyOffset)
        let call = InstructionOffsets.hex(try InstructionOffsets.only(binary, body: 2, InstructionOffsets.isCall))
        let run = try KilnProcess.run(["run", "--opt", "0", path, "--invoke", "deep"])
        #expect(run.status == 134)
        #expect(run.stderrLines.first == "error: wasm trap: call stack exhausted")
        let frames = run.stderrLines.drop { $0 != "wasm backtrace:" }.dropFirst()
        #expect(frames.count >= 3)
        #expect(frames.first?.hasSuffix(": func 2 ($rec) at offset \(entry)") == true, "\(run.stderr)")
        #expect(frames.dropFirst().allSatisfy { $0.hasSuffix(": func 2 ($rec) at offset \(call)") }, "\(run.stderr)")
    }

    /// At -O2 clang may inline a function into its caller, whose frame then stands for both, at its call: what
    /// is shown is the same frames, at the same offsets, in the same order, some perhaps left out, down to the
    /// export that was entered.
    @Test func optimizedCodeShowsTheFramesThatRemain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("bt.wat", text: Self.module)
        let run = try KilnProcess.run(["run", "--no-cache", "--opt", "2", path])
        #expect(run.status == 134)
        let frames = Array(run.stderrLines.drop { $0 != "wasm backtrace:" }.dropFirst()).map { $0.split(separator: ":", maxSplits: 1)[1] }
        let all = try Self.frames(try Kiln.read(path: path).binary).dropFirst().map { $0.split(separator: ":", maxSplits: 1)[1] }
        #expect(frames.last == all.last, "\(run.stderr)")
        var rest = all[...]
        #expect(frames.allSatisfy { frame in
            guard let at = rest.firstIndex(of: frame) else { return false }
            rest = rest[(at + 1)...]
            return true
        }, "\(run.stderr)")
    }

    /// `--no-address-map` builds without line tables (clang compiles faster): the same frames without offsets,
    /// from a cache entry of their own, in `kiln run`, the launcher's cached run and `--exe` executables.
    @Test func withoutTheAddressMapFramesHaveNoOffsets() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try Kiln.read(path: try directory.write("bt.wat", text: Self.module)).binary
        let module = try directory.write("bt.wasm", binary)
        let bare = try Self.frames(binary).map { $0.components(separatedBy: " at offset").first! }
        #expect(bare.count == 4 && bare.allSatisfy { !$0.contains("offset") })
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        let mapped = try KilnProcess.run(["--opt", "0", module], environment: environment)
        #expect(mapped.stderrLines.filter { !$0.hasPrefix("kiln: launch:") }.dropFirst(2).map(String.init) == (try Self.frames(binary)))
        for expected in ["miss", "hit"] {
            let run = try KilnProcess.run(["--opt", "0", "--no-address-map", module], environment: environment)
            #expect(run.status == 134)
            #expect(run.stderr.contains("kiln: launch: \(expected)"), "\(run.stderr)")
            #expect(run.stderrLines.filter { !$0.hasPrefix("kiln: launch:") }.dropFirst(2).map(String.init) == bare, "\(run.stderr)")
        }
        let program = directory.url.appendingPathComponent("bt").path
        let compile = try KilnProcess.run(["compile", "--exe", "--opt", "0", "--no-address-map", module, "-o", program])
        #expect(compile.status == 0, "\(compile.stderr)")
        let exe = try KilnProcess.runProgram(program, [])
        #expect(exe.stderrLines.dropFirst(2).map(String.init) == bare, "\(exe.stderr)")
    }

    static let traps = """
        (module
          (memory 1)
          (table 2 funcref)
          (type $t (func))
          (func $div (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
          (func $unreachable (export "unreachable") (unreachable))
          (func $indirect (export "indirect") (call_indirect (type $t) (i32.const 1)))
          (func $store (export "store") (i32.store (i32.const 65535) (i32.const 1)))
          (func $trunc (export "trunc") (result i32) (i32.trunc_f32_s (f32.const nan))))
        """

    /// Each kind of trap names the instruction that trapped, optimized or not, in both bounds modes (in guard
    /// mode the store's is the faulting instruction itself, not a call's return address).
    @Test(arguments: ["0", "2"], ["explicit", "guard"]) func eachTrapNamesItsInstruction(opt: String, bounds: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("traps.wat", text: Self.traps)
        let binary = try Kiln.read(path: path).binary
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
        for (index, name, arguments) in [(0, "div", ["0"]), (1, "unreachable", []), (2, "indirect", []), (3, "store", []), (4, "trunc", [])] {
            let offset = try InstructionOffsets.only(binary, body: index) { instruction in
                switch instruction {
                case .localGet, .i32Const, .f32Const, .end: false
                default: true
                }
            }
            let run = try KilnProcess.run(["run", "--opt", opt, "--bounds", bounds, path, "--invoke", name] + arguments, environment: environment)
            #expect(run.status == 134)
            let frames = run.stderrLines.drop { $0 != "wasm backtrace:" }.dropFirst()
            #expect(frames.first == "   0: func \(index) ($\(name)) at offset \(InstructionOffsets.hex(offset))", "\(run.stderr)")
        }
    }
}
