import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// Global initializers and segment offsets: constants, ref.null, ref.func, and global.get of an imported
/// immutable global, leaving exactly one value of the expected type.
struct ConstantExpressionTests {
    @Test(arguments: [
        "(global i32 (i32.const 7))",
        "(global i64 (i64.const 7))",
        "(global f32 (f32.const 7))",
        "(global f64 (f64.const 7))",
        "(global v128 (v128.const i32x4 1 2 3 4))",
        "(global funcref (ref.null func))",
        "(global externref (ref.null extern))",
        "(import \"env\" \"g\" (global i32)) (global i32 (global.get 0))",
        "(import \"env\" \"g\" (global i32)) (memory 1) (data (global.get 0) \"x\")",
        "(import \"env\" \"g\" (global i32)) (table 1 funcref) (elem (global.get 0) func)",
    ])
    func constantExpressionsAreAccepted(_ definitions: String) throws {
        #expect(try Validation.outcome("(module \(definitions))") == "valid")
    }

    @Test func nonConstantInstructionIsRejected() throws {
        let bytes = try Validation.wasm("(module (global i32 (i32.const 0)) (global i32 (i32.add (i32.const 1) (i32.const 2))))")
        let module = try ModuleDecoder.decode(bytes)
        let error = try Validation.rejection(bytes: bytes)
        #expect(error.reason.hasPrefix("constant expression required: "))
        #expect(error.reason.hasSuffix(" is not constant"))
        #expect(error.location == ErrorLocation(offset: module.sectionOffset(6), context: "global 1"))
    }

    @Test func globalGetOfAMutableImportIsNotConstant() throws {
        let text = "(module (import \"env\" \"g\" (global (mut i32))) (global i32 (global.get 0)))"
        #expect(try Validation.outcome(text) == "constant expression required: global.get 0 reads a mutable global")
    }

    @Test func globalGetOfADefinedGlobalIsUnknownInWasm2() throws {
        let text = "(module (global i32 (i32.const 0)) (global i32 (global.get 0)))"
        #expect(try Validation.outcome(text) == "unknown global 0: the module has 0")
    }

    @Test(arguments: [
        ("(global i32 (i64.const 0))", "type mismatch: expected i32, found [i64]"),
        ("(global funcref (ref.null extern))", "type mismatch: expected funcref, found [externref]"),
        ("(global i32 (i32.const 0) (i32.const 1))", "type mismatch: expected i32, found [i32 i32]"),
        ("(memory 1) (data (i64.const 0) \"x\")", "type mismatch: expected i32, found [i64]"),
        ("(table 1 funcref) (elem (f32.const 0) func)", "type mismatch: expected i32, found [f32]"),
    ])
    func resultMustBeExactlyOneValueOfTheType(_ definitions: String, _ reason: String) throws {
        #expect(try Validation.outcome("(module \(definitions))") == reason)
    }

    @Test func emptyInitializer() throws {
        // global section: one immutable i32 global whose initializer is just `end`.
        let globals = Binary.section(6, [0x01, 0x7f, 0x00, 0x0b])
        let error = try Validation.rejection(bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + globals)
        #expect(error.reason == "type mismatch: expected i32, found nothing")
        #expect(error.location == ErrorLocation(offset: 8, context: "global 0"))
    }
}
