import KilnModel
import Testing

@testable import KilnDecode

/// Binary or text: `detect` tells them apart, text goes through `wat2wasm` (with names), and an empty
/// binary is unreadable rather than malformed.
struct ModuleSourceTests {
    static func isText(_ source: KilnDecode.ModuleSource) -> Bool {
        if case .text = source { return true }
        return false
    }

    @Test func binaryMagicMeansBinary() {
        let bytes = WasmBytes.header + WasmBytes.voidType
        guard case .binary(let detected) = KilnDecode.ModuleSource.detect(bytes) else {
            Issue.record("detected as text")
            return
        }
        #expect(detected == bytes)
    }

    @Test func watTextMeansText() {
        let source = KilnDecode.ModuleSource.detect(Array("  (module (func))\n".utf8))
        guard case .text(let text) = source else {
            Issue.record("detected as binary")
            return
        }
        #expect(text == "  (module (func))\n")
    }

    @Test(arguments: [
        [0xff, 0xfe, 0x28, 0x00],  // not UTF-8
        Array("no parenthesis here".utf8),
        Array("(module)".utf8) + [0x00],  // a NUL byte
        [0x00, 0x61, 0x73],  // a truncated magic
    ] as [[UInt8]])
    func anythingElseIsBinary(_ bytes: [UInt8]) {
        #expect(!Self.isText(KilnDecode.ModuleSource.detect(bytes)))
    }

    @Test func emptyBinaryIsUnreadable() throws {
        let error = try #require(throws: DecodeError.self) { try KilnDecode.ModuleSource.binary([]).decode() }
        #expect(error.category == .unreadable)
        #expect(error.kind == "cannot read module")
        #expect(error.reason == "the file is empty")
        #expect(error.description == "cannot read module: the file is empty")
        #expect(error.message(module: "m.wasm") == "m.wasm: cannot read module: the file is empty")
    }

    @Test func textDecodesWithItsNames() throws {
        let module = try KilnDecode.ModuleSource.text("(module (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))").decode()
        #expect(module.bodies.count == 1)
        #expect(module.types.first?.signature == "[i32 i32] -> [i32]")
        #expect(module.names.functions == [0: "add"])
    }

    @Test func malformedTextNamesLineAndColumn() throws {
        let error = try #require(throws: DecodeError.self) {
            try KilnDecode.ModuleSource.text("(module\n  (func (result i32)\n    i32.bogus))").decode()
        }
        #expect(error.category == .text)
        #expect(error.kind == "malformed text")
        // Line and column first; WatParserError's own " at <location>" suffix is dropped.
        #expect(error.reason == "3:14: unknown instruction i32.bogus")
    }

    @Test func binaryBytesRoundTrip() throws {
        let bytes = WasmBytes.function([0x0b])
        #expect(try KilnDecode.ModuleSource.binary(bytes).binary() == bytes)
    }

    @Test func rangeOfLast() {
        let text = "a at b at c"
        let range = text.range(ofLast: " at ")
        #expect(range.map { String(text[..<$0.lowerBound]) } == "a at b")
        #expect("abc".range(ofLast: " at ") == nil)
    }
}
