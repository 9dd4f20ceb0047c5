import Foundation
import Kiln
import KilnDecode
import KilnModel
import Testing

/// `Kiln.validate(path:)`: files are read here, text or binary told apart by content, and unreadable
/// paths reported as `cannot read module` rather than as malformed modules.
struct ModuleFileTests {
    @Test func sortFixtureValidatesFromItsPath() throws {
        let validated = try Kiln.validate(path: KilnProcess.fixture("wasm/sort.wasm"))
        #expect(validated.module.bodies.count == 9)
        #expect(validated.module.names.functions[1] == "sort_checksum")
    }

    @Test func textInAFileNamedWasmIsStillText() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("text.wasm", text: "(module (func $only (export \"only\")))")
        let validated = try Kiln.validate(path: path)
        #expect(validated.module.names.functions == [0: "only"])
    }

    @Test(arguments: [
        ("missing.wasm", "no such file"),
        ("", "is a directory"),
        ("empty.wasm", "the file is empty"),
    ])
    func unreadablePaths(_ name: String, _ reason: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        if name == "empty.wasm" { _ = try directory.write(name, []) }
        let path = name.isEmpty ? directory.url.path : directory.url.appendingPathComponent(name).path
        let error = try #require(throws: DecodeError.self) { try Kiln.validate(path: path) }
        #expect(error.category == .unreadable)
        #expect(error.reason == reason)
        #expect(error.message(module: path) == "\(path): cannot read module: \(reason)")
    }

    /// Past the cap the read stops with an error instead of growing (1 GiB by default; 16 bytes here).
    @Test func aFileOverTheSizeCapIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("big.wasm", Array(repeating: 0, count: 17))
        let error = try #require(throws: DecodeError.self) { try ModuleFile.read(path, maxBytes: 16) }
        #expect(error.description == "cannot read module: the file is larger than 16 bytes, the most Kiln reads")
        #expect(throws: Never.self) { try ModuleFile.read(path, maxBytes: 17) }
    }

    @Test func aCharacterDeviceIsNotRead() throws {
        let error = try #require(throws: DecodeError.self) { try ModuleFile.read("/dev/zero") }
        #expect(error.description == "cannot read module: not a regular file")
    }

    @Test func invalidFileThrowsAValidationError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("bad.wat", text: "(module (func $f (result i32) (f64.const 1)))")
        #expect(throws: (any Error).self) { try Kiln.validate(path: path) }
        do {
            _ = try Kiln.validate(path: path)
        } catch let error as any KilnError {
            #expect(error.kind == "invalid module")
            #expect(error.location.functionName == "f")
            #expect(error.reason == "type mismatch: expected i32, found f64")
        }
    }
}
