import KilnDecode
import KilnModel
import Testing

/// The decoder's module-level results: every section in index order, and the cross-section checks.
struct ModuleDecoderTests {
    @Test func sectionsEndUpInTheModule() throws {
        let text = """
            (module
              (type $v (func))
              (import "env" "g" (global $g i32))
              (import "env" "f" (func $f (param i64)))
              (table 2 funcref)
              (memory 1 2)
              (global $h (mut f32) (f32.const 1))
              (func $a (export "a") (type $v))
              (func $b (param i32) (result i32) local.get 0)
              (export "mem" (memory 0))
              (start $a)
              (elem (i32.const 0) $a $b)
              (data (i32.const 8) "hi"))
            """
        let module = try ModuleDecoder.decode(WasmBytes.wasm(text))
        #expect(module.imports.map(\.name) == ["g", "f"])
        #expect(module.functions.count == 2)
        #expect(module.bodies.count == 2)
        #expect(module.tables.count == 1)
        #expect(module.memories == [Limits(min: 1, max: 2)])
        #expect(module.globals.count == 1)
        #expect(module.globals.first?.type.valueType == .f32)
        #expect(module.exports.map(\.name) == ["a", "mem"])
        #expect(module.start == 1)  // after the imported function
        #expect(module.elements.count == 1)
        #expect(module.data.count == 1)
        let space = IndexSpace(module)
        #expect(space.importedFunctionCount == 1)
        #expect(space.functionType(0)?.signature == "[i64] -> []")
        #expect(space.functionType(2)?.signature == "[i32] -> [i32]")
        #expect(space.functionType(3) == nil)
        #expect(space.global(0)?.valueType == .i32)
        #expect(space.global(1)?.mutability == .variable)
        #expect(space.global(2) == nil)
    }

    @Test func dataCountMustMatchTheDataSection() throws {
        let dataCount = WasmBytes.section(12, [0x02])
        let data = WasmBytes.section(11, [0x01, 0x01, 0x00])  // one passive segment of zero bytes
        let bytes = WasmBytes.module(WasmBytes.memory, dataCount, data)
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "data count and data section have inconsistent lengths: data count 2, 1 segments")
        #expect(error.location.offset == 8 + WasmBytes.memory.count + dataCount.count)
    }

    @Test func matchingDataCountIsKept() throws {
        let bytes = WasmBytes.module(WasmBytes.memory, WasmBytes.section(12, [0x01]), WasmBytes.section(11, [0x01, 0x01, 0x00]))
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.dataCount == 1)
        #expect(module.data.count == 1)
    }

    /// WasmParser reads the sections after the code section; its offsets must still be the file's.
    @Test func errorsAfterTheCodeSectionHaveOffsetsInTheFile() throws {
        let prefix = WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(1), WasmBytes.memory, WasmBytes.code(WasmBytes.body([0x0b])))
        // A data section whose only segment is cut short after its flags.
        let bytes = prefix + WasmBytes.section(11, [0x01, 0x00])
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.category == .malformed)
        #expect(error.reason.hasPrefix("unexpected end"))
        let offset = try #require(error.location.offset)
        #expect(offset >= prefix.count && offset <= bytes.count, "offset \(offset) is outside the data section \(prefix.count)..<\(bytes.count)")
    }

    @Test func malformedTypeFormIsMalformed() throws {
        let bytes = WasmBytes.module(WasmBytes.section(1, [0x01, 0x40, 0x00, 0x00]))
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.category == .malformed)
        #expect(error.description.hasPrefix("malformed module: at offset 0x"))
    }

    @Test func decodeErrorDescriptionNamesTheOffsetInHex() throws {
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(WasmBytes.header + [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) }
        #expect(error.description == "malformed module: at offset 0x9: integer representation too long")
    }
}
