import Foundation
import KilnDecode
import KilnModel
import Testing

/// Names from the `name` custom section end up in `module.names`; a broken name section is ignored.
struct NameSectionTests {
    @Test func namesFromText() throws {
        let text = """
            (module $m
              (func $imp (import "env" "f"))
              (func $f (param $x i32) (local $y i64))
              (func (result i32) i32.const 0)
              (func $last))
            """
        let module = try ModuleDecoder.decode(WasmBytes.wasm(text, names: true))
        #expect(module.names.module == "m")
        #expect(module.names.functions == [0: "imp", 1: "f", 3: "last"])
        #expect(module.names.locals[1] == [0: "x", 1: "y"])
        #expect(module.names.displayName(function: 1) == "1 ($f)")
        #expect(module.names.displayName(function: 2) == "2")
        #expect(module.customSections.map(\.name) == ["name"])
    }

    @Test func withoutANameSectionThereAreNoNames() throws {
        let module = try ModuleDecoder.decode(WasmBytes.wasm("(module $m (func $f))", names: false))
        #expect(module.names == Names())
        #expect(module.customSections.isEmpty)
    }

    /// A name section with a function subsection (1) and a global subsection (7), written by hand.
    @Test func handWrittenSubsections() throws {
        func name(_ s: String) -> [UInt8] { WasmBytes.leb(UInt64(s.utf8.count)) + Array(s.utf8) }
        let functions = [0x01] + WasmBytes.leb(7) + [0x01, 0x00] + name("alpha")
        let globals = [0x07] + WasmBytes.leb(8) + [0x01, 0x02] + name("gamma")
        let custom = WasmBytes.section(0, name("name") + functions + globals)
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(1), WasmBytes.code(WasmBytes.body([0x0b])), custom)
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.names.functions == [0: "alpha"])
        #expect(module.names.globals == [2: "gamma"])
        #expect(module.names.module == nil)
    }

    @Test func malformedNameSectionIsIgnored() throws {
        // Subsection 1 claims 100 bytes; the section has 3.
        let custom = WasmBytes.section(0, [0x04] + Array("name".utf8) + [0x01, 0x64, 0x01])
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(1), WasmBytes.code(WasmBytes.body([0x0b])), custom)
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.names == Names())
        #expect(module.bodies.count == 1)
        #expect(module.customSections.map(\.name) == ["name"])
        #expect(module.customSections.map(\.size) == [3])
    }

    @Test func sortFixtureKeepsItsFunctionNames() throws {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/wasm/sort.wasm").path
        let data = try #require(FileManager.default.contents(atPath: path))
        let module = try ModuleDecoder.decode([UInt8](data))
        #expect(module.names.functions[1] == "sort_checksum")
        #expect(module.names.functions[2] == "quick_sort")
        #expect(module.names.functions.count == module.bodies.count)
    }
}
