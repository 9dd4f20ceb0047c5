import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// Where an error points: the function index (imports included), its name-section name, the byte offset
/// of the failing instruction; and how the whole line reads.
struct ValidationErrorTests {
    static let text = """
        (module
          (import "env" "imp" (func $imp))
          (func $ok (result i32) (i32.const 0))
          (func $f (param f64) (result i32) (i32.add (i32.const 1) (local.get 0))))
        """

    /// i32.const 1 (0x41 0x01), local.get 0 (0x20 0x00), i32.add (0x6a)
    static func addOffset(_ bytes: [UInt8]) throws -> Int {
        try #require(Validation.offset(of: [0x41, 0x01, 0x20, 0x00, 0x6a], in: bytes)) + 4
    }

    @Test func locationHasTheFunctionItsNameAndTheOffset() throws {
        let bytes = try Validation.wasm(Self.text, names: true)
        let error = try Validation.rejection(bytes: bytes)
        let add = try Self.addOffset(bytes)
        #expect(error.reason == "type mismatch: expected i32, found f64")
        #expect(error.location.function == 2)  // after one import and $ok
        #expect(error.location.functionName == "f")
        #expect(error.location.offset == add)
        #expect(error.location.context == nil)
        #expect(error.kind == "invalid module")
        #expect(!error.isMalformed)
        #expect(error.description == "invalid module: func 2 ($f) at offset 0x\(String(add, radix: 16)): type mismatch: expected i32, found f64")
        #expect(error.message(module: "m.wasm") == "m.wasm: \(error.description)")
    }

    @Test func withoutANameSectionTheFunctionIsNamedByIndex() throws {
        let bytes = try Validation.wasm(Self.text, names: false)
        let error = try Validation.rejection(bytes: bytes)
        let add = try Self.addOffset(bytes)
        #expect(error.location == ErrorLocation(function: 2, offset: add))
        #expect(error.description == "invalid module: func 2 at offset 0x\(String(add, radix: 16)): type mismatch: expected i32, found f64")
    }

    @Test func offsetPointsAtTheOpcode() throws {
        let bytes = try Validation.wasm(Self.text, names: true)
        let error = try Validation.rejection(bytes: bytes)
        #expect(bytes[try #require(error.location.offset)] == 0x6a)
    }

    @Test(arguments: [
        (ErrorLocation(function: 12, functionName: "fac", offset: 0x1a2), "func 12 ($fac) at offset 0x1a2"),
        (ErrorLocation(function: 3, offset: 42), "func 3 at offset 0x2a"),
        (ErrorLocation(offset: 8, context: "export \"x\""), "export \"x\" at offset 0x8"),
        (ErrorLocation(context: "start function"), "start function"),
        (ErrorLocation(offset: 0), "at offset 0x0"),
        (ErrorLocation(), ""),
    ])
    func locationDescription(_ location: ErrorLocation, _ text: String) {
        #expect(location.description == text)
    }

    @Test func errorWithoutALocationHasNoPlace() {
        let error = ValidationError("type mismatch: something")
        #expect(error.description == "invalid module: type mismatch: something")
        #expect(ValidationError("x", isMalformed: true).description == "malformed module: x")
    }
}
