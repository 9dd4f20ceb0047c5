import KilnModel
import KilnValidate
import Testing

/// drop, select (with and without a type), locals and globals.
struct ValidateVariablesTests {
    // MARK: select

    @Test(arguments: ["i32", "i64", "f32", "f64", "v128"])
    func untypedSelectTakesNumbersAndVectors(_ type: String) throws {
        let text = "(module (func (param \(type) \(type) i32) (result \(type)) (select (local.get 0) (local.get 1) (local.get 2))))"
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test(arguments: ["funcref", "externref"])
    func untypedSelectOfReferencesIsRejected(_ type: String) throws {
        let text = "(module (func (param \(type) \(type) i32) (result \(type)) (select (local.get 0) (local.get 1) (local.get 2))))"
        #expect(try Validation.outcome(text) == "type mismatch: select without a type takes numbers or vectors, found \(type); use select with a result type")
    }

    @Test(arguments: ["funcref", "externref", "i32", "v128"])
    func typedSelectTakesAnyType(_ type: String) throws {
        let text = "(module (func (param \(type) \(type) i32) (result \(type)) (select (result \(type)) (local.get 0) (local.get 1) (local.get 2))))"
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func untypedSelectOperandsMustAgree() throws {
        let text = "(module (func (result i32) (select (i32.const 1) (i64.const 2) (i32.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: expected i32, found i64")
    }

    @Test func typedSelectOperandsMustHaveItsType() throws {
        let text = "(module (func (result f32) (select (result f32) (f32.const 1) (f64.const 2) (i32.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: expected f32, found f64")
    }

    @Test func selectConditionIsI32() throws {
        let text = "(module (func (result i32) (select (i32.const 1) (i32.const 2) (i64.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: expected i32, found i64")
    }

    @Test func untypedSelectInUnreachableCodeStillRejectsAReference() throws {
        let text = "(module (func unreachable ref.null func i32.const 0 select drop))"
        #expect(try Validation.outcome(text) == "type mismatch: select without a type takes numbers or vectors, found funcref; use select with a result type")
    }

    @Test func untypedSelectInUnreachableCodeTakesTheKnownType() throws {
        // The result is the one known operand's type, i64, so a function returning i32 must fail.
        #expect(try Validation.outcome("(module (func (result i64) unreachable i64.const 0 i32.const 0 select))") == "valid")
        #expect(try Validation.outcome("(module (func (result i32) unreachable i64.const 0 i32.const 0 select))") == "type mismatch: expected i32, found i64")
    }

    // MARK: Locals

    @Test func localsAreParametersThenDeclaredRuns() throws {
        let text = """
            (module (func (param i32 f32) (local i64 i64) (local f64)
              (drop (i32.add (local.get 0) (i32.const 1)))
              (drop (f32.neg (local.get 1)))
              (drop (i64.add (local.get 2) (local.get 3)))
              (local.set 4 (f64.const 1))))
            """
        #expect(try Validation.outcome(text) == "valid")
        let wrong = "(module (func (param i32) (local i64 i64) (local f64) (local.set 3 (i64.const 1))))"
        #expect(try Validation.outcome(wrong) == "type mismatch: expected f64, found i64")
    }

    @Test func localTeeLeavesItsValue() throws {
        #expect(try Validation.outcome("(module (func (param i32) (result i32) (local.tee 0 (i32.const 3))))") == "valid")
        #expect(try Validation.outcome("(module (func (param i32) (result i32) (local.tee 0 (f32.const 3))))") == "type mismatch: expected i32, found f32")
    }

    /// `Binary.function` has one i32 parameter and two i64 locals: indices 0...2.
    @Test(arguments: [
        ([0x20, 0x03, 0x1a, 0x0b], "unknown local 3: the function has 3 (parameters included)"),
        ([0x41, 0x00, 0x21, 0x09, 0x0b], "unknown local 9: the function has 3 (parameters included)"),
        ([0x41, 0x00, 0x22, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x1a, 0x0b], "unknown local 4294967295: the function has 3 (parameters included)"),
        ([0x23, 0x05, 0x1a, 0x0b], "unknown global 5: the module has 0"),
        ([0x41, 0x00, 0x24, 0x00, 0x0b], "unknown global 0: the module has 0"),
    ] as [([UInt8], String)])
    func unknownVariablesNameTheirIndex(_ expression: [UInt8], _ reason: String) throws {
        let error = try Validation.rejection(bytes: Binary.function(expression))
        #expect(error.reason == reason)
        #expect(error.location.function == 0)
    }

    @Test func lastDeclaredLocalIsKnown() throws {
        // local.get 2 (the second i64 local), i64.eqz, drop
        let validated = try Validation.validate(bytes: Binary.function([0x20, 0x02, 0x50, 0x1a, 0x0b]))
        #expect(validated.module.bodies[0].localCount == 2)
    }

    // MARK: Globals

    @Test func globalSetOfAnImmutableGlobal() throws {
        let bytes = try Validation.wasm("(module (global $g i32 (i32.const 0)) (global $h (mut i32) (i32.const 0)) (func $f (global.set $h (i32.const 1)) (global.set $g (i32.const 1))))", names: true)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason == "global is immutable: global.set 0")
        // i32.const 1 (0x41 0x01), global.set 0 (0x24 0x00)
        let set = try #require(Validation.offset(of: [0x41, 0x01, 0x24, 0x00], in: bytes)) + 2
        #expect(error.location == ErrorLocation(function: 0, functionName: "f", offset: set))
    }

    @Test func globalSetOfAnImportedImmutableGlobal() throws {
        let text = "(module (import \"env\" \"g\" (global i64)) (func (global.set 0 (i64.const 1))))"
        #expect(try Validation.outcome(text) == "global is immutable: global.set 0")
    }

    @Test func globalsHaveTheirTypes() throws {
        let text = "(module (import \"env\" \"g\" (global f32)) (global (mut i64) (i64.const 0)) (func (result f32) (global.set 1 (i64.const 2)) (global.get 0)))"
        #expect(try Validation.outcome(text) == "valid")
        let wrong = "(module (global (mut i64) (i64.const 0)) (func (global.set 0 (i32.const 2))))"
        #expect(try Validation.outcome(wrong) == "type mismatch: expected i64, found i32")
    }

    @Test func dropNeedsAValue() throws {
        #expect(try Validation.outcome("(module (func drop))") == "type mismatch: expected a value, found an empty stack")
    }
}
