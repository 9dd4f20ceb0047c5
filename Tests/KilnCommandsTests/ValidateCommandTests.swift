import Foundation
import KilnCommands
import KilnDecode
import Testing

/// `kiln validate`: `NAME: valid` and exit 0, or one line `<path>: <kind>: <place>: <reason>` and exit 1.
struct ValidateCommandTests {
    @Test func sortFixtureIsValid() throws {
        let result = try KilnProcess.run(["validate", KilnProcess.fixture("wasm/sort.wasm")])
        #expect(result.status == 0)
        #expect(result.stdout == "\(KilnProcess.fixture("wasm/sort.wasm")): valid\n")
        #expect(result.stderr == "")
    }

    @Test func textFixtureIsValid() throws {
        let result = try KilnProcess.run(["validate", KilnProcess.fixture("wat/fac.wat")])
        #expect(result.status == 0)
        #expect(result.stdout == "\(KilnProcess.fixture("wat/fac.wat")): valid\n")
    }

    @Test func invalidTextModuleGetsOneLineWithFunctionNameAndOffset() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = "(module\n  (func $f (result i32)\n    f64.const 1))\n"
        let path = try directory.write("bad.wat", text: text)
        let result = try KilnProcess.run(["validate", path])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderrLines.count == 1)
        let line = try #require(result.stderrLines.first)
        #expect(line.hasPrefix("\(path): invalid module: func 0 ($f) at offset 0x"))
        #expect(line.hasSuffix(": type mismatch: expected i32, found f64"))
        // The offset is that of the function's final `end`, after f64.const 1 (0x44 + 8 bytes).
        let bytes = try KilnDecode.ModuleSource.text(text).binary()
        let end = try #require(Self.offset(of: [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b], in: bytes)) + 9
        #expect(line == "\(path): invalid module: func 0 ($f) at offset 0x\(String(end, radix: 16)): type mismatch: expected i32, found f64")
    }

    @Test func severalModulesAreEachReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = try directory.write("good.wat", text: "(module (func))")
        let bad = try directory.write("bad.wasm", [0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00])
        let result = try KilnProcess.run(["validate", good, bad, good])
        #expect(result.status == 1)
        #expect(result.stdoutLines == ["\(good): valid", "\(good): valid"])
        #expect(result.stderrLines == ["\(bad): malformed module: at offset 0x4: unknown binary version"])
    }

    struct UnusableInput: Sendable, CustomTestStringConvertible {
        let name: String
        /// Creates the input in the directory and returns its path.
        let make: @Sendable (TemporaryDirectory) throws -> String
        let kind: String
        let reason: String?
        var testDescription: String { name }
    }

    static let unusable: [UnusableInput] = [
        UnusableInput(name: "empty file", make: { try $0.write("empty.wasm", []) }, kind: "cannot read module", reason: "the file is empty"),
        UnusableInput(name: "directory", make: { $0.url.path }, kind: "cannot read module", reason: "is a directory"),
        UnusableInput(name: "nonexistent path", make: { $0.url.appendingPathComponent("missing.wasm").path }, kind: "cannot read module", reason: "no such file"),
        UnusableInput(
            name: "truncated sort.wasm",
            make: { try $0.write("truncated.wasm", Array(try KilnProcess.fixtureBytes("wasm/sort.wasm").prefix(1_000))) },
            kind: "malformed module", reason: nil),
        UnusableInput(
            name: "random bytes",
            make: { directory in
                var state: UInt64 = 0x9E37_79B9_7F4A_7C15
                let bytes = (0..<512).map { _ -> UInt8 in
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    return UInt8(truncatingIfNeeded: state) | 0x80  // never "(": not mistaken for text
                }
                return try directory.write("random.bin", bytes)
            },
            kind: "malformed module", reason: "magic header not detected"),
        UnusableInput(
            name: "header then garbage",
            make: { try $0.write("garbage.wasm", [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f]) },
            kind: "malformed module", reason: nil),
    ]

    @Test(arguments: unusable)
    func unusableInputExitsOneAndNamesThePathAndKind(_ input: UnusableInput) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try input.make(directory)
        let result = try KilnProcess.run(["validate", path])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.hasPrefix("\(path): \(input.kind): "))
        if let reason = input.reason {
            #expect(result.stderr.hasSuffix(": \(reason)\n"))
        }
    }

    /// Binary nesting is validated without recursion (see RobustnessTests), but text goes through WasmKit's
    /// WAT parser, which recurses over folded expressions (about 5,000 levels overflow a debug build's
    /// main stack), so Kiln refuses text nested deeper than 1,000 levels with a clear error.
    @Test func deeplyNestedFoldedTextIsRejectedOrValidWithoutCrashing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let depth = 10_000
        let path = try directory.write("deep.wat", text: "(module (func " + String(repeating: "(block ", count: depth) + String(repeating: ")", count: depth) + "))")
        let result = try KilnProcess.run(["validate", path])
        #expect(result.status == 1, "kiln exited with \(result.status)")
        #expect(result.stderr == "\(path): malformed text: nesting too deep: 10002 levels of parentheses, Kiln reads text up to 1000 (binary modules have no limit)\n")
    }

    @Test func deeplyNestedFlatTextIsValid() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let depth = 20_000  // deeper than the folded form survives; the debug WAT parser is slow beyond this
        let path = try directory.write("flat.wat", text: "(module (func " + String(repeating: "block ", count: depth) + String(repeating: "end ", count: depth) + "))")
        let result = try KilnProcess.run(["validate", path])
        #expect(result.status == 0)
        #expect(result.stdout == "\(path): valid\n")
    }

    /// One module or several: the same line for each, so output reads the same either way.
    @Test func oneModuleOrManyPrintTheSameLines() throws {
        let fac = KilnProcess.fixture("wat/fac.wat"), sort = KilnProcess.fixture("wasm/sort.wasm")
        let one = try KilnProcess.run(["validate", fac])
        let many = try KilnProcess.run(["validate", fac, sort])
        #expect(many.stdout == one.stdout + "\(sort): valid\n")
    }

    /// `kiln` with nothing to do: usage on stderr, exit 2 (through the launcher and from the driver itself).
    @Test func noArgumentsIsAUsageError() throws {
        let result = try KilnProcess.run([])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("USAGE: kiln"), "\(result.stderr)")
    }

    @Test func missingArgumentIsAUsageError() throws {
        let result = try KilnProcess.run(["validate"])
        #expect(result.status != 0)
        #expect(result.status != 1)
        #expect(result.stderr.contains("Missing expected argument"))
    }

    @Test func versionIsPrinted() throws {
        let result = try KilnProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "\(KilnVersion.string)\n")
    }

    static func offset(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard pattern.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<(start + pattern.count)]) == pattern {
            return start
        }
        return nil
    }
}
