import KilnModel
import KilnValidate
import Testing

/// memory.init and data.drop need the data count section; memory.copy and memory.fill need a memory.
struct ValidateBulkMemoryTests {
    static let memoryInit = "(module (memory 1) (data \"x\") (func $f (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))))"

    @Test func memoryInitWithADataCountSectionIsValid() throws {
        let bytes = try Validation.wasm(Self.memoryInit)
        let module = try Validation.validate(bytes: bytes).module
        #expect(module.dataCount == 1)
    }

    @Test func memoryInitWithoutADataCountSectionIsMalformed() throws {
        let bytes = Validation.removingSection(12, from: try Validation.wasm(Self.memoryInit, names: true))
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.isMalformed)
        #expect(error.kind == "malformed module")
        #expect(error.reason == "data count section required: memory.init and data.drop need it")
        // i32.const 1 (0x41 0x01), memory.init 0 (0xfc 0x08 0x00 0x00)
        let memoryInit = try #require(Validation.offset(of: [0x41, 0x01, 0xfc, 0x08, 0x00, 0x00], in: bytes)) + 2
        #expect(error.location == ErrorLocation(function: 0, functionName: "f", offset: memoryInit))
        #expect(error.description == "malformed module: func 0 ($f) at offset 0x\(String(memoryInit, radix: 16)): data count section required: memory.init and data.drop need it")
    }

    @Test func dataDropWithoutADataCountSectionIsMalformed() throws {
        let bytes = Validation.removingSection(12, from: try Validation.wasm("(module (data \"x\") (func (data.drop 0)))"))
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.isMalformed)
        #expect(error.reason == "data count section required: memory.init and data.drop need it")
    }

    @Test func dataSegmentIndexMustBeBelowTheDataCount() throws {
        var bytes = try Validation.wasm(Self.memoryInit)
        let at = try #require(Validation.offset(of: [0xfc, 0x08, 0x00, 0x00], in: bytes))
        bytes[at + 2] = 0x01  // memory.init 1
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason == "unknown data segment 1: the module has 1")
        #expect(!error.isMalformed)
    }

    @Test func bulkOperandsAreI32() throws {
        let fill = "(module (memory 1) (func (memory.fill (i32.const 0) (i64.const 0) (i32.const 1))))"
        #expect(try Validation.outcome(fill) == "type mismatch: expected i32, found i64")
        let copy = "(module (memory 1) (func (memory.copy (i32.const 0) (i32.const 0) (i32.const 1))))"
        #expect(try Validation.outcome(copy) == "valid")
    }
}
