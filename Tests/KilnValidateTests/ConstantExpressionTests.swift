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
        let bytes = try Validation.wasm("(module (global i32 (i32.const 0)) (global i32 (i32.div_s (i32.const 1) (i32.const 2))))")
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

    /// Wasm 3.0: an initializer reads the globals before it, segments read them all; 2.0 only imports.
    @Test func globalGetOfADefinedGlobal() throws {
        let earlier = "(module (global i32 (i32.const 0)) (global i32 (global.get 0)))"
        #expect(try Validation.outcome(earlier) == "valid")
        #expect(try Self.outcome(earlier, version: .v2) == "unknown global 0: a constant expression here reads only globals 0..<0")
        let later = "(module (global i32 (global.get 1)) (global i32 (i32.const 0)))"
        #expect(try Validation.outcome(later) == "unknown global 1: a constant expression here reads only globals 0..<0")
        let segment = "(module (memory 1) (data (global.get 0) \"x\") (global i32 (i32.const 0)))"
        #expect(try Validation.outcome(segment) == "valid")
        #expect(try Self.outcome(segment, version: .v2) == "unknown global 0: a constant expression here reads only globals 0..<0")
        let mutable = "(module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))"
        #expect(try Validation.outcome(mutable) == "constant expression required: global.get 0 reads a mutable global")
    }

    /// Extended constant expressions: i32/i64 add, sub and mul, typed like instructions.
    @Test func extendedArithmetic() throws {
        let valid = "(module (global i64 (i64.mul (i64.const 3) (i64.sub (i64.const 9) (i64.const 2)))) (memory 1) (data (i32.add (i32.const 1) (i32.const 2)) \"x\"))"
        #expect(try Validation.outcome(valid) == "valid")
        #expect(try Self.outcome(valid, version: .v2) == "constant expression required: arithmetic is not constant in Wasm 2.0")
        #expect(try Validation.outcome("(module (global i32 (i32.add (i32.const 1) (i64.const 2))))").hasPrefix("type mismatch"))
        #expect(try Validation.outcome("(module (global i32 (i32.add (i32.const 1))))").hasPrefix("type mismatch"))
    }

    static func outcome(_ text: String, version: WasmVersion) throws -> String {
        do {
            _ = try ModuleValidator.validate(ModuleDecoder.decode(Validation.wasm(text), version: version))
            return "valid"
        } catch let error as ValidationError {
            return error.reason
        }
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
