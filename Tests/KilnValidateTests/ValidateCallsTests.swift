import KilnModel
import KilnValidate
import Testing

/// call and call_indirect.
struct ValidateCallsTests {
    @Test func callLeavesTheCalleesResultsInOrder() throws {
        let pair = "(func $pair (param i32 f64) (result i64 f32) (i64.const 0) (f32.const 0))"
        let valid = "(module \(pair) (func (result i64 f32) (call $pair (i32.const 1) (f64.const 2))))"
        #expect(try Validation.outcome(valid) == "valid")
        let swapped = "(module \(pair) (func (result f32 i64) (call $pair (i32.const 1) (f64.const 2))))"
        #expect(try Validation.outcome(swapped) == "type mismatch: expected i64, found f32")
    }

    @Test func callArgumentsAreChecked() throws {
        let text = "(module (func $f (param i32)) (func (call $f (i64.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: expected i32, found i64")
    }

    @Test func callOfAnUnknownFunction() throws {
        let error = try Validation.rejection(bytes: Binary.function([0x10, 0x07, 0x0b]))
        #expect(error.reason == "unknown function 7: the module has 1")
    }

    @Test func callOfAnImportedFunction() throws {
        let text = "(module (import \"env\" \"f\" (func $f (param i32) (result i32))) (func (result i32) (call $f (i32.const 1))))"
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func callIndirectOfAnUnknownTable() throws {
        // i32.const 0, call_indirect type 0 table 0
        let error = try Validation.rejection(bytes: Binary.function([0x41, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b]))
        #expect(error.reason == "unknown table 0: the module has 0")
    }

    @Test func callIndirectOfAnUnknownType() throws {
        let table = Binary.section(4, [0x01, 0x70, 0x00, 0x01])
        let error = try Validation.rejection(bytes: Binary.function([0x41, 0x00, 0x11, 0x05, 0x00, 0x0b], between: table))
        #expect(error.reason == "unknown type 5: the module has 1")
    }

    @Test func callIndirectNeedsAFuncrefTable() throws {
        let table = Binary.section(4, [0x01, 0x6f, 0x00, 0x01])  // externref
        let error = try Validation.rejection(bytes: Binary.function([0x41, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b], between: table))
        #expect(error.reason == "type mismatch: call_indirect needs a funcref table, table 0 holds externref")
    }

    @Test func callIndirectTakesTheIndexLast() throws {
        let text = """
            (module (type $t (func (param f64) (result i32))) (table 1 funcref)
              (func (result i32) (call_indirect (type $t) (f64.const 1) (i32.const 0))))
            """
        #expect(try Validation.outcome(text) == "valid")
        let wrong = """
            (module (type $t (func (param f64) (result i32))) (table 1 funcref)
              (func (result i32) (call_indirect (type $t) (f64.const 1) (i64.const 0))))
            """
        #expect(try Validation.outcome(wrong) == "type mismatch: expected i32, found i64")
    }
}
