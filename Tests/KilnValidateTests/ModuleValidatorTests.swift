import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// Everything outside function bodies: exports, the start function, limits, imports, segments.
struct ModuleValidatorTests {
    @Test func duplicateExportNames() throws {
        let bytes = try Validation.wasm("(module (func $a) (func $b) (export \"x\" (func $a)) (export \"y\" (func $a)) (export \"x\" (func $b)))")
        let module = try ModuleDecoder.decode(bytes)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason == "duplicate export name: \"x\"")
        #expect(error.location == ErrorLocation(offset: module.sectionOffset(7), context: "export \"x\""))
        #expect(error.description == "invalid module: export \"x\" at offset 0x\(String(module.sectionOffset(7) ?? 0, radix: 16)): duplicate export name: \"x\"")
    }

    @Test func exportNamesAreComparedAsBytes() throws {
        // "é" precomposed and decomposed are equal as Swift Strings but different names.
        let text = "(module (func $a) (export \"\u{E9}\" (func $a)) (export \"e\u{301}\" (func $a)))"
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func sameNameForDifferentKindsIsStillADuplicate() throws {
        let text = "(module (memory 1) (func $a) (export \"m\" (memory 0)) (export \"m\" (func $a)))"
        #expect(try Validation.outcome(text) == "duplicate export name: \"m\"")
    }

    @Test(arguments: [
        ("(func $s (param i32))", "start function must have type [] -> [], found [i32] -> []"),
        ("(func $s (result i32) i32.const 0)", "start function must have type [] -> [], found [] -> [i32]"),
        ("(func $s)", "valid"),
        ("(import \"env\" \"s\" (func $s))", "valid"),
    ])
    func startFunctionType(_ function: String, _ outcome: String) throws {
        #expect(try Validation.outcome("(module \(function) (start $s))") == outcome)
    }

    @Test func startFunctionLocation() throws {
        let bytes = try Validation.wasm("(module (func $s (param i64)) (start $s))")
        let module = try ModuleDecoder.decode(bytes)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.location == ErrorLocation(offset: module.sectionOffset(8), context: "start function"))
    }

    @Test func unknownStartFunction() throws {
        // start 3 (section 8) in a module with one function.
        let types = Binary.section(1, [0x01, 0x60, 0x00, 0x00])
        let functions = Binary.section(3, [0x01, 0x00])
        let start = Binary.section(8, [0x03])
        let code = Binary.section(10, [0x01, 0x02, 0x00, 0x0b])
        let error = try Validation.rejection(bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + types + functions + start + code)
        #expect(error.reason == "unknown function 3: the module has 1")
        #expect(error.location.context == "start function")
    }

    @Test(arguments: [
        ("(memory 65536)", "valid"),
        ("(memory 0 65536)", "valid"),
        ("(memory 65537)", "memory size must be at most 65536 pages (4GiB): 65537"),
        ("(memory 1 65537)", "memory size must be at most 65536 pages (4GiB): 65537"),
        ("(memory 4294967295)", "memory size must be at most 65536 pages (4GiB): 4294967295"),
        ("(memory 2 1)", "size minimum must not be greater than maximum: 2 > 1"),
        ("(import \"env\" \"m\" (memory 70000))", "memory size must be at most 65536 pages (4GiB): 70000"),
        ("(table 2 1 funcref)", "size minimum must not be greater than maximum: 2 > 1"),
        ("(table 4294967295 funcref)", "valid"),
    ])
    func limits(_ definition: String, _ outcome: String) throws {
        #expect(try Validation.outcome("(module \(definition))") == outcome)
    }

    @Test func memoryLimitLocationNamesTheMemory() throws {
        let bytes = try Validation.wasm("(module (memory 65537))")
        let module = try ModuleDecoder.decode(bytes)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.location == ErrorLocation(offset: module.sectionOffset(5), context: "memory 0"))
        #expect(error.description == "invalid module: memory 0 at offset 0x8: memory size must be at most 65536 pages (4GiB): 65537")
    }

    @Test func importsAreValidatedWithTheirNames() throws {
        // An imported function of type 4 in a module with one type.
        let types = Binary.section(1, [0x01, 0x60, 0x00, 0x00])
        let imports = Binary.section(2, [0x01, 0x03] + Array("env".utf8) + [0x01] + Array("f".utf8) + [0x00, 0x04])
        let error = try Validation.rejection(bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + types + imports)
        #expect(error.reason == "unknown type 4: the module has 1")
        #expect(error.location == ErrorLocation(offset: 8 + types.count, context: "import 0 \"env\" \"f\""))
    }

    @Test func exportOfAnUnknownGlobal() throws {
        let exports = Binary.section(7, [0x01, 0x01] + Array("g".utf8) + [0x03, 0x02])
        let error = try Validation.rejection(bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + exports)
        #expect(error.reason == "unknown global 2: the module has 0")
        #expect(error.location.context == "export \"g\"")
    }

    @Test func elemSegmentMustMatchItsTable() throws {
        let text = "(module (table 1 externref) (func $f) (elem (table 0) (i32.const 0) func $f))"
        #expect(try Validation.outcome(text) == "type mismatch: elem segment of (ref func) for a table of externref")
    }

    @Test func activeDataNeedsAMemory() throws {
        // data section: one active segment for memory 0 at offset (i32.const 0), no bytes.
        let data = Binary.section(11, [0x01, 0x00, 0x41, 0x00, 0x0b, 0x00])
        let error = try Validation.rejection(bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + data)
        #expect(error.reason == "unknown memory 0: the module has 0")
        #expect(error.location == ErrorLocation(offset: 8, context: "data segment 0"))
    }

    @Test func validatedModuleCarriesItsContext() throws {
        let validated = try Validation.validate("(module (import \"env\" \"f\" (func)) (func $g) (elem declare func $g) (export \"g\" (func $g)))")
        #expect(validated.context.space.importedFunctionCount == 1)
        #expect(validated.context.declaredReferences == [1])
        #expect(validated.module.bodies.count == 1)
    }
}
