import Testing
import WAT
import WasmKit

@testable import kiln_difftest

struct ExportEverythingTests {
    static let text = """
        (module
          (import "env" "g" (global i32))
          (import "env" "f" (func (param i32)))
          (memory 1 2)
          (global (mut i64) (i64.const 7))
          (global f32 (f32.const 1.5))
          (func (export "run") (result i32) (global.get 0))
          (data (i32.const 0) "ab"))
        """

    @Test func everyGlobalAndTheMemoryAreExported() throws {
        let binary = try wat2wasm(Self.text)
        let result = try ExportEverything.rewrite(binary)
        #expect(result.globals == ["__difftest_global_0", "__difftest_global_1", "__difftest_global_2"])
        #expect(result.memory == "__difftest_memory")
        let module = try parseWasm(bytes: result.binary)
        let exports = module.exports.map(\.name)
        #expect(exports == ["run"] + result.globals + ["__difftest_memory"])
    }

    /// A module without an export section gets one before the sections that must follow it.
    @Test func anExportSectionIsInsertedInOrder() throws {
        let binary = try wat2wasm("(module (global (mut i32) (i32.const 3)) (func) (start 0))")
        let result = try ExportEverything.rewrite(binary)
        #expect(result.memory == nil)
        let module = try parseWasm(bytes: result.binary)
        #expect(module.exports.map(\.name) == ["__difftest_global_0"])
    }

    @Test func truncatedModulesThrow() throws {
        let binary = try wat2wasm(Self.text)
        #expect(throws: DiffError.self) { try ExportEverything.rewrite(Array(binary.prefix(binary.count - 3))) }
    }
}

struct ValTests {
    @Test func nanMatchesAnyNaN() {
        #expect(Val.f32(0x7fc0_0000).matches(.f32(0xffff_ffea)))
        #expect(!Val.f32(0x7fc0_0000).matches(.f32(0x7f80_0000)))  // NaN is not infinity
        #expect(Val.f64(0x7ff8_0000_0000_0000).matches(.f64(0xfff0_0000_0000_0004)))
        #expect(!Val.f64(0).matches(.f64(1 << 63)))  // +0 is not -0
    }

    /// Reinterpreted NaNs: the divergence of seed 13, module 9 (Fixtures/wast/difftest_nan_payloads.wast).
    @Test func integersThatAreNaNPatternsMatch() {
        #expect(Val.i32(0xffff_ffea).matches(.i32(0x7fc0_0000)))
        #expect(!Val.i32(0xffff_ffea).matches(.i32(0xffff_ffeb - 0x1000_0000)))
        #expect(!Val.i32(1).matches(.i32(2)))
    }

    @Test func vectorsMatchLaneWise() {
        let nanLanes = [UInt8](repeating: 0xff, count: 16)
        var canonical: [UInt8] = []
        for _ in 0..<4 { canonical += [0, 0, 0xc0, 0x7f] }
        #expect(Val.v128(nanLanes).matches(.v128(canonical)))
        var other = canonical
        other[0] = 1
        #expect(Val.v128(canonical).matches(.v128(other)))  // still a NaN lane
        other[3] = 0
        #expect(!Val.v128(canonical).matches(.v128(other)))
    }
}

struct TrapClassTests {
    /// Kiln's message and WasmKit's for the same trap land in one class.
    @Test(arguments: [
        ("out of bounds memory access", "out of bounds memory access", TrapClass.memory),
        ("undefined element", "out of bounds table access at 7 (undefined element)", .table),
        ("out of bounds table access", "out of bounds table access at 7 (undefined element)", .table),
        ("uninitialized element", "indirect call to null element (uninitialized element 3)", .uninitialized),
        ("indirect call type mismatch", "indirect call type mismatch, expected (i32) -> (), got () -> ()", .signature),
        ("integer divide by zero", "integer divide by zero", .divideByZero),
        ("integer overflow", "integer overflow", .overflow),
        ("invalid conversion to integer", "invalid conversion to integer", .conversion),
        ("unreachable", "unreachable", .unreachable),
        ("call stack exhausted", "call stack exhausted", .stack),
    ])
    func messagesMapToOneClass(kiln: String, wasmKit: String, expected: TrapClass) {
        #expect(TrapClass(message: kiln) == expected)
        #expect(TrapClass(message: wasmKit) == expected)
    }
}

struct MemoryComparisonTests {
    /// An unaligned f32 NaN stored with different payloads differs only in NaN bytes; any other byte does not.
    @Test func nanBytesAreTheOnlyAllowedDifference() {
        var a = [UInt8](repeating: 0, count: 32)
        var b = a
        a.replaceSubrange(5..<9, with: [0x00, 0x00, 0xc0, 0x7f])
        b.replaceSubrange(5..<9, with: [0xea, 0xff, 0xff, 0xff])
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                #expect(ModuleRun.firstDifference(x, y) == 5)
                #expect(ModuleRun.differOnlyInNaNs(x, y, from: 5))
            }
        }
        b[20] = 1
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in #expect(!ModuleRun.differOnlyInNaNs(x, y, from: 5)) } }
    }
}
