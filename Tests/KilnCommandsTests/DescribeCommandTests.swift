import Foundation
import Kiln
import KilnDecode
import Testing

/// `kiln describe`: the module's imports, exports and functions, after validating it.
struct DescribeCommandTests {
    @Test func sortFixtureListsItsExports() throws {
        let path = KilnProcess.fixture("wasm/sort.wasm")
        let result = try KilnProcess.run(["describe", path])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let lines = result.stdoutLines
        #expect(lines.first.map(String.init) == "\(path): valid")
        #expect(lines.contains("exports (6):"))
        #expect(lines.contains("  \"sort_checksum\": func 1 ($sort_checksum) [i32 i32] -> [i32]"))
        #expect(lines.contains("  \"memory\": memory 0"))
        #expect(lines.contains("functions (9 defined):"))
        #expect(lines.contains { $0.hasPrefix("  func 2 ($quick_sort): [i32 i32 i32] -> [], 8 locals, body at 0x") })
    }

    @Test func invalidModuleIsNotDescribed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("bad.wat", text: "(module (func $f (result i32) (i64.const 0)))")
        let result = try KilnProcess.run(["describe", path])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("\(path): invalid module: func 0 ($f) at offset 0x"))
        #expect(result.stderr.hasSuffix(": type mismatch: expected i32, found i64\n"))
    }

    /// The whole description of a small module, in process.
    @Test func descriptionOfASmallModule() throws {
        let text = """
            (module $demo
              (import "env" "log" (func $log (param i32)))
              (import "env" "mem" (memory 1 2))
              (import "env" "g" (global (mut i64)))
              (table 3 funcref)
              (func $main (export "main") (local i32 i32) (call $log (i32.const 1)))
              (func $helper (param f32) (result f64) (f64.promote_f32 (local.get 0)))
              (global (export "counter") (mut i32) (i32.const 0))
              (start $main)
              (elem (i32.const 0) $main)
              (data (i32.const 0) "hi"))
            """
        let validated = try Kiln.validate(.text(text))
        #expect(ModuleDescription.describe(validated) == """
            module $demo
            types: 3, functions: 3 (1 imported), tables: 1, memories: 1, globals: 2
            imports (3):
              "env" "log": func [i32] -> []
              "env" "mem": memory 1..2
              "env" "g": global mut i64
            exports (2):
              "main": func 1 ($main) [] -> []
              "counter": global 1
            functions (2 defined):
              func 1 ($main): [] -> [], 2 locals, body at 0x\(String(validated.module.bodies[0].bodyOffset, radix: 16))
              func 2 ($helper): [f32] -> [f64], 0 locals, body at 0x\(String(validated.module.bodies[1].bodyOffset, radix: 16))
            start: func 1 ($main)
            segments: 1 elem, 1 data
            """)
    }
}
