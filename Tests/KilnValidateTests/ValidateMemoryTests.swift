import KilnModel
import KilnValidate
import Testing

/// Loads, stores, memory.size and memory.grow: the memory must exist, alignment must not exceed natural.
struct ValidateMemoryTests {
    @Test(arguments: [
        ("i32.load align=8", "2^3 > 4"),
        ("i64.load align=16", "2^4 > 8"),
        ("i32.load8_u align=2", "2^1 > 1"),
        ("i64.load32_s align=8", "2^3 > 4"),
        ("f64.load align=16", "2^4 > 8"),
        ("v128.load align=32", "2^5 > 16"),
        ("v128.load8_splat align=2", "2^1 > 1"),
    ])
    func loadAlignmentLargerThanNatural(_ load: String, _ detail: String) throws {
        let text = "(module (memory 1) (func (drop (\(load) (i32.const 0)))))"
        #expect(try Validation.outcome(text) == "alignment must not be larger than natural: \(detail)")
    }

    @Test(arguments: [
        ("i32.store16 align=4", "i32.const 0", "2^2 > 2"),
        ("i64.store8 align=2", "i64.const 0", "2^1 > 1"),
        ("f32.store align=8", "f32.const 0", "2^3 > 4"),
    ])
    func storeAlignmentLargerThanNatural(_ store: String, _ value: String, _ detail: String) throws {
        let text = "(module (memory 1) (func (\(store) (i32.const 0) (\(value)))))"
        #expect(try Validation.outcome(text) == "alignment must not be larger than natural: \(detail)")
    }

    @Test(arguments: ["i32.load align=4", "i32.load align=1", "i64.load align=8", "i32.load16_s align=2", "v128.load align=16"])
    func naturalOrSmallerAlignmentIsValid(_ load: String) throws {
        #expect(try Validation.outcome("(module (memory 1) (func (drop (\(load) (i32.const 0)))))") == "valid")
    }

    @Test func alignmentExponentOf32IsRejectedWithoutOverflow() throws {
        // i32.const 0, i32.load align=2^32 offset=0, drop
        let memory = Binary.section(5, [0x01, 0x00, 0x01])
        let bytes = Binary.function([0x41, 0x00, 0x28, 0x20, 0x00, 0x1a, 0x0b], between: memory)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason == "alignment must not be larger than natural: 2^32 > 4")
    }

    @Test func alignmentErrorIsReportedAtTheLoad() throws {
        let bytes = try Validation.wasm("(module (memory 1) (func $f (drop (i64.load offset=3 align=16 (i32.const 0)))))", names: true)
        let error = try Validation.rejection(bytes: bytes)
        // i32.const 0 (0x41 0x00), i64.load (0x29) align 4 offset 3
        let load = try #require(Validation.offset(of: [0x41, 0x00, 0x29, 0x04, 0x03], in: bytes)) + 2
        #expect(error.location == ErrorLocation(function: 0, functionName: "f", offset: load))
    }

    @Test(arguments: [
        [0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x0b],  // i32.load
        [0x41, 0x00, 0x41, 0x00, 0x36, 0x02, 0x00, 0x0b],  // i32.store
        [0x3f, 0x00, 0x1a, 0x0b],  // memory.size
        [0x41, 0x00, 0x40, 0x00, 0x1a, 0x0b],  // memory.grow
        [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00, 0x0b],  // memory.fill
        [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x00, 0x00, 0x0b],  // memory.copy
    ] as [[UInt8]])
    func memoryInstructionsNeedAMemory(_ expression: [UInt8]) throws {
        let error = try Validation.rejection(bytes: Binary.function(expression))
        #expect(error.reason == "unknown memory 0: the module has 0")
    }

    @Test func loadAndStoreTypes() throws {
        #expect(try Validation.outcome("(module (memory 1) (func (result i64) (i64.load32_u (i32.const 0))))") == "valid")
        #expect(try Validation.outcome("(module (memory 1) (func (result i32) (i64.load32_u (i32.const 0))))") == "type mismatch: expected i32, found i64")
        #expect(try Validation.outcome("(module (memory 1) (func (f32.store (i64.const 0) (f32.const 0))))") == "type mismatch: expected i32, found i64")
        #expect(try Validation.outcome("(module (memory 1) (func (result i32) (memory.grow (i64.const 1))))") == "type mismatch: expected i32, found i64")
    }
}
