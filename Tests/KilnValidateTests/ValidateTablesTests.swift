import KilnModel
import KilnValidate
import Testing

/// table.get/set/size/grow/fill/copy/init and elem.drop.
struct ValidateTablesTests {
    @Test(arguments: [
        ([0x41, 0x00, 0x25, 0x02, 0x1a, 0x0b], "unknown table 2: the module has 0"),  // table.get 2
        ([0xfc, 0x10, 0x00, 0x1a, 0x0b], "unknown table 0: the module has 0"),  // table.size 0
        ([0xfc, 0x0d, 0x03, 0x0b], "unknown elem segment 3: the module has 0"),  // elem.drop 3
    ] as [([UInt8], String)])
    func unknownTablesAndSegments(_ expression: [UInt8], _ reason: String) throws {
        let error = try Validation.rejection(bytes: Binary.function(expression))
        #expect(error.reason == reason)
    }

    @Test func tableElementTypesAreChecked() throws {
        let text = "(module (table 1 externref) (func (param funcref) (table.set 0 (i32.const 0) (local.get 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: expected externref, found funcref")
        let grow = "(module (table 1 funcref) (func (result i32) (table.grow 0 (ref.null func) (i32.const 1))))"
        #expect(try Validation.outcome(grow) == "valid")
    }

    @Test func tableCopyNeedsEqualElementTypes() throws {
        let text = "(module (table $f 1 funcref) (table $e 1 externref) (func (table.copy $f $e (i32.const 0) (i32.const 0) (i32.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: table.copy from a table of externref to a table of funcref")
    }

    @Test func tableInitNeedsTheSegmentsType() throws {
        let text = "(module (table 1 externref) (elem funcref (ref.null func)) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: table.init of elem segment 0 (funcref) into a table of externref")
    }
}
