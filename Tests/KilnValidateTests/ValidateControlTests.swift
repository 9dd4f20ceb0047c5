import KilnModel
import KilnValidate
import Testing

/// Blocks, branches and the polymorphic stack after unreachable code.
struct ValidateControlTests {
    // MARK: Unreachable code

    @Test(arguments: [
        "(func (result i32) unreachable i32.add)",
        "(func (result i32) unreachable)",
        "(func (result i32 i64) unreachable)",
        "(func (result i32) unreachable i32.const 1 i32.add)",
        "(func (result i32) (block (result i32) (br 0 (i32.const 1)) i32.add))",
        "(func (result f64) (return (f64.const 1)) drop drop f64.const 2)",
        "(func unreachable select drop)",
        "(func unreachable br_if 0 drop)",
        "(func (result i32) unreachable ref.is_null)",
    ])
    func polymorphicStackAccepts(_ function: String) throws {
        #expect(try Validation.outcome("(module \(function))") == "valid")
    }

    @Test(arguments: [
        ("(func (result i32) unreachable i64.const 0 i32.add)", "type mismatch: expected i32, found i64"),
        ("(func (result i32) unreachable i64.const 0)", "type mismatch: expected i32, found i64"),
        ("(func unreachable i32.const 0 i64.const 0 i64.add drop)", "type mismatch: expected i64, found i32"),
        ("(func (result i32) (block (result i64) unreachable) i32.const 0 i32.add)", "type mismatch: expected i32, found i64"),
        // The polymorphic stack ends with its block: the `end` pushes the block's results.
        ("(func (block unreachable) i32.add drop)", "type mismatch: expected i32, found an empty stack"),
        ("(func (result i32) unreachable i32.const 1 i32.const 2)", "type mismatch: 1 value left on the stack at the end of the block, which returns [i32]"),
    ])
    func unreachableCodeIsStillTyped(_ function: String, _ reason: String) throws {
        #expect(try Validation.outcome("(module \(function))") == reason)
    }

    @Test func unreachableErrorIsReportedAtTheAdd() throws {
        let bytes = try Validation.wasm("(module (func $f (result i32) unreachable i64.const 0 i32.add))", names: true)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason == "type mismatch: expected i32, found i64")
        // unreachable (0x00), i64.const 0 (0x42 0x00), i32.add (0x6a)
        let add = try #require(Validation.offset(of: [0x00, 0x42, 0x00, 0x6a, 0x0b], in: bytes)) + 3
        #expect(error.location == ErrorLocation(function: 0, functionName: "f", offset: add))
    }

    // MARK: br_table

    @Test func brTableWithSameArityDifferentTypesInReachableCodeIsRejected() throws {
        let text = """
            (module (func (param i32) (result i32)
              (block (result i32)
                (block (result i64)
                  (br_table 0 1 (i32.const 0) (local.get 0)))
                drop
                i32.const 1)))
            """
        #expect(try Validation.outcome(text) == "type mismatch: expected i64, found i32")
    }

    @Test func brTableLabelsOfDifferentTypesButSameArityAreAcceptedInUnreachableCode() throws {
        let text = """
            (module (func (param i32)
              (block (result i32)
                (block (result i64)
                  unreachable
                  (br_table 0 1 (local.get 0)))
                drop
                i32.const 1)
              drop))
            """
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func brTableLabelsOfDifferentArityAreRejectedEvenInUnreachableCode() throws {
        let text = """
            (module (func (param i32)
              (block (result i32)
                (block
                  unreachable
                  (br_table 0 1 (local.get 0)))
                i32.const 1)
              drop))
            """
        #expect(try Validation.outcome(text) == "type mismatch: br_table targets differ in arity: label 0 takes 0 values, the default label 1 takes 1")
    }

    @Test func brTableToLoopCarriesItsParameters() throws {
        let text = """
            (module
              (type $t (func (param i32) (result i32)))
              (func (param i32) (result i32)
                (local.get 0)
                (loop (type $t)
                  (br_table 0 0 (local.get 0)))))
            """
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func brTableNeedsItsIndex() throws {
        #expect(try Validation.outcome("(module (func (block (br_table 0 0))))") == "type mismatch: expected i32, found an empty stack")
    }

    // MARK: Multi-value blocks

    @Test func blockWithParametersThroughATypeIndex() throws {
        let text = """
            (module
              (type $t (func (param i32 i32) (result i64)))
              (func (result i64)
                i32.const 1 i32.const 2
                (block (type $t) i32.add i64.extend_i32_u)))
            """
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func blockParametersMustBeOnTheStack() throws {
        let text = """
            (module
              (type $t (func (param i32 i32) (result i64)))
              (func (result i64)
                i32.const 1
                (block (type $t) i32.add i64.extend_i32_u)))
            """
        #expect(try Validation.outcome(text) == "type mismatch: expected i32, found an empty stack")
    }

    @Test func blockCannotSeeTheStackBelowItsParameters() throws {
        let text = """
            (module
              (type $t (func (param i32) (result i32)))
              (func (result i32)
                i32.const 1 i32.const 2
                (block (type $t) i32.add)))
            """
        #expect(try Validation.outcome(text) == "type mismatch: expected i32, found an empty stack")
    }

    @Test func ifWithoutElseWhoseParametersAreItsResultsIsValid() throws {
        let text = """
            (module
              (type $t (func (param i32) (result i32)))
              (func (result i32)
                i32.const 1 i32.const 1
                (if (type $t) (then i32.const 1 i32.add))))
            """
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func ifWithoutElseMustLeaveItsParametersAsItsResults() throws {
        let text = """
            (module
              (type $t (func (param i32) (result i64)))
              (func (result i64)
                i32.const 1 i32.const 1
                (if (type $t) (then drop i64.const 1))))
            """
        let bytes = try Validation.wasm(text)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason == "type mismatch: if without else must leave its parameters as its results: [i32] -> [i64]")
        // Reported at the `end` of the if: drop (0x1a), i64.const 1 (0x42 0x01), end (0x0b).
        let end = try #require(Validation.offset(of: [0x1a, 0x42, 0x01, 0x0b], in: bytes)) + 3
        #expect(error.location.offset == end)
    }

    @Test func ifWithElseMayChangeTypes() throws {
        let text = """
            (module
              (type $t (func (param i32) (result i64)))
              (func (result i64)
                i32.const 1 i32.const 1
                (if (type $t) (then drop i64.const 1) (else i64.extend_i32_s))))
            """
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func elseBranchIsCheckedAgainstTheResults() throws {
        let text = "(module (func (result i32) i32.const 1 (if (result i32) (then i32.const 1) (else f32.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: expected i32, found f32")
    }

    @Test func loopLabelTakesParametersNotResults() throws {
        let valid = """
            (module (type $t (func (param i32) (result i64)))
              (func (result i64) i32.const 0 (loop (type $t) (br_if 0 (i32.const 1)) drop i64.const 0)))
            """
        #expect(try Validation.outcome(valid) == "valid")
        let invalid = """
            (module (type $t (func (param i32) (result i64)))
              (func (result i64) i32.const 0 (loop (type $t) drop (br 0 (i64.const 1)))))
            """
        #expect(try Validation.outcome(invalid) == "type mismatch: expected i32, found i64")
    }

    @Test func blockTypeIndexMustExist() throws {
        // block with type index 5 (0x02 0x05) in a module with one type.
        let error = try Validation.rejection(bytes: Binary.function([0x02, 0x05, 0x0b, 0x0b]))
        #expect(error.reason == "unknown type 5: the module has 1")
    }

    @Test func branchDepthMustExist() throws {
        // block, br 2, end, end: two frames (the function's and the block's).
        let error = try Validation.rejection(bytes: Binary.function([0x02, 0x40, 0x0c, 0x02, 0x0b, 0x0b]))
        #expect(error.reason == "unknown label 2: 2 enclosing blocks")
    }

    @Test func elseWithoutIf() throws {
        let error = try Validation.rejection(bytes: Binary.function([0x02, 0x40, 0x05, 0x0b, 0x0b]))
        #expect(error.reason == "type mismatch: else without a matching if")
    }

    @Test func returnChecksTheFunctionsResults() throws {
        #expect(try Validation.outcome("(module (func (result i32) (return (i64.const 0))))") == "type mismatch: expected i32, found i64")
        #expect(try Validation.outcome("(module (func (result i32 i64) (return (i32.const 0) (i64.const 0))))") == "valid")
    }

    @Test func instructionsAfterTheFinalEndAreMalformed() throws {
        // end, then nop
        let bytes = Binary.function([0x0b, 0x01])
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.isMalformed)
        #expect(error.reason == "unexpected end of section or function: instructions after the function's final end")
    }

    @Test func missingFinalEndIsMalformed() throws {
        // block, end: the function's own end is missing.
        let error = try Validation.rejection(bytes: Binary.function([0x02, 0x40, 0x0b]))
        #expect(error.isMalformed)
        #expect(error.reason == "unexpected end of section or function: END opcode expected")
    }
}
