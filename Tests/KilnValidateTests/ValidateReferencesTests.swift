import KilnModel
import KilnValidate
import Testing

/// ref.null, ref.is_null and ref.func, whose function must be declared outside function bodies (C.refs).
struct ValidateReferencesTests {
    @Test func refFuncOfAnUndeclaredFunction() throws {
        let bytes = try Validation.wasm("(module (func $f) (func $g (result funcref) ref.func $f))", names: true)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason == "undeclared function reference: ref.func 0 is not declared by an element segment, export or global")
        // ref.func 0 is 0xd2 0x00, then the final end.
        let refFunc = try #require(Validation.offset(of: [0xd2, 0x00, 0x0b], in: bytes))
        #expect(error.location == ErrorLocation(function: 1, functionName: "g", offset: refFunc))
        #expect(!error.isMalformed)
    }

    @Test(arguments: [
        "(elem declare func $f)",
        "(export \"f\" (func $f))",
        "(global funcref (ref.func $f))",
        "(table 1 funcref) (elem (i32.const 0) $f)",
        "(table 1 funcref) (elem (i32.const 0) funcref (ref.func $f))",
        "(elem funcref (ref.func $f))",
    ])
    func refFuncOfADeclaredFunction(_ declaration: String) throws {
        let text = "(module (func $f) \(declaration) (func (result funcref) ref.func $f))"
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func declaringAnotherFunctionIsNotEnough() throws {
        let text = "(module (func $f) (func $g) (elem declare func $g) (func (result funcref) ref.func $f))"
        #expect(try Validation.outcome(text) == "undeclared function reference: ref.func 0 is not declared by an element segment, export or global")
    }

    @Test func refFuncOfAnUnknownFunction() throws {
        // ref.func 7 (0xd2 0x07), drop
        let error = try Validation.rejection(bytes: Binary.function([0xd2, 0x07, 0x1a, 0x0b]))
        #expect(error.reason == "unknown function 7: the module has 1")
    }

    @Test func refFuncInAGlobalInitializerDeclaresItself() throws {
        // The global's own ref.func is allowed, and counts as the declaration.
        #expect(try Validation.outcome("(module (func $f) (global funcref (ref.func $f)))") == "valid")
        // global section: one immutable funcref global initialized with ref.func 3, in a module without functions.
        let globals = Binary.section(6, [0x01, 0x70, 0x00, 0xd2, 0x03, 0x0b])
        let error = try Validation.rejection(bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + globals)
        #expect(error.reason == "unknown function 3: the module has 0")
        #expect(error.location.context == "global 0")
    }

    @Test func refIsNullTakesAnyReference() throws {
        #expect(try Validation.outcome("(module (func (result i32) (ref.is_null (ref.null extern))))") == "valid")
        #expect(try Validation.outcome("(module (func (param funcref) (result i32) (ref.is_null (local.get 0))))") == "valid")
        #expect(try Validation.outcome("(module (func (result i32) (ref.is_null (i32.const 0))))") == "type mismatch: expected a reference, found i32")
    }

    @Test func refNullHasItsHeapType() throws {
        #expect(try Validation.outcome("(module (func (result externref) (ref.null extern)))") == "valid")
        #expect(try Validation.outcome("(module (func (result externref) (ref.null func)))") == "type mismatch: expected externref, found funcref")
    }
}
