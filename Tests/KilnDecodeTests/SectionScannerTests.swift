import Testing

@testable import KilnDecode

/// The module header and section framing: magic, version, order, lengths and LEB128 sizes.
struct SectionScannerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let reason: String
        let offset: Int
        var testDescription: String { name }
    }

    static let headerCases: [Case] = [
        Case(name: "empty", bytes: [], reason: "unexpected end: magic header not detected", offset: 0),
        Case(name: "three magic bytes", bytes: [0x00, 0x61, 0x73], reason: "unexpected end: magic header not detected", offset: 0),
        Case(name: "wrong magic", bytes: [0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00], reason: "magic header not detected", offset: 0),
        Case(name: "text instead of binary", bytes: Array("(module)".utf8), reason: "magic header not detected", offset: 0),
        Case(name: "magic only", bytes: [0x00, 0x61, 0x73, 0x6d], reason: "unexpected end: unknown binary version", offset: 4),
        Case(name: "short version", bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00], reason: "unexpected end: unknown binary version", offset: 4),
        Case(name: "version 2", bytes: [0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00], reason: "unknown binary version", offset: 4),
        // A component (version 0x0d, layer 1) is named as such: UnsupportedFeatureTests.
        Case(name: "version 0x0d, layer 0", bytes: [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x00, 0x00], reason: "unknown binary version", offset: 4),
    ]

    @Test(arguments: headerCases)
    func headerIsChecked(_ c: Case) throws {
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(c.bytes) }
        #expect(error.reason == c.reason)
        #expect(error.location.offset == c.offset)
        #expect(error.category == .malformed)
        #expect(error.kind == "malformed module")
    }

    @Test func headerAloneIsAnEmptyModule() throws {
        let module = try ModuleDecoder.decode(WasmBytes.header)
        #expect(module.types.isEmpty)
        #expect(module.bodies.isEmpty)
        #expect(module.sectionOffsets.isEmpty)
    }

    static let framingCases: [Case] = [
        Case(
            name: "type section after function section",
            bytes: WasmBytes.module(WasmBytes.functions(0), WasmBytes.voidType),
            reason: "unexpected content after last section: section 1 is out of order or repeated", offset: 11),
        Case(
            name: "repeated type section",
            bytes: WasmBytes.module(WasmBytes.voidType, WasmBytes.voidType),
            reason: "unexpected content after last section: section 1 is out of order or repeated", offset: 14),
        Case(
            name: "data count after code",
            bytes: WasmBytes.module(WasmBytes.section(10, [0x00]), WasmBytes.section(12, [0x00])),
            reason: "unexpected content after last section: section 12 is out of order or repeated", offset: 11),
        Case(
            name: "unknown section id",
            bytes: WasmBytes.module(WasmBytes.section(14, [])),
            reason: "malformed section id: 14", offset: 8),
        Case(
            name: "unknown section id with content",
            bytes: WasmBytes.module(WasmBytes.section(14, [0x00])),
            reason: "malformed section id: 14", offset: 8),
        Case(
            name: "section longer than the file",
            bytes: WasmBytes.header + [0x01] + WasmBytes.leb(0x8000_0000),
            reason: "length out of bounds: section 1 declares 2147483648 bytes, 0 remain", offset: 8),
        Case(
            name: "section one byte longer than the file",
            bytes: WasmBytes.header + [0x01, 0x05, 0x01, 0x60, 0x00, 0x00],
            reason: "length out of bounds: section 1 declares 5 bytes, 4 remain", offset: 8),
        Case(
            name: "over-long section size",
            bytes: WasmBytes.header + [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            reason: "integer representation too long", offset: 9),
        Case(
            name: "section size above 2^32-1",
            bytes: WasmBytes.header + [0x01, 0xff, 0xff, 0xff, 0xff, 0x7f],
            reason: "integer too large", offset: 9),
        Case(
            name: "section id without a size",
            bytes: WasmBytes.header + [0x01],
            reason: "unexpected end", offset: 9),
        Case(
            name: "section size cut short",
            bytes: WasmBytes.header + [0x01, 0x80],
            reason: "unexpected end", offset: 10),
    ]

    @Test(arguments: framingCases)
    func framingErrorsAreReportedAtTheSection(_ c: Case) throws {
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(c.bytes) }
        #expect(error.reason == c.reason)
        #expect(error.location.offset == c.offset)
        #expect(error.category == .malformed)
    }

    @Test func nonMinimalSectionSizeWithinFiveBytesIsAccepted() throws {
        // Size 4 written in five bytes: over-long but within ceil(32/7), so well-formed.
        let bytes = WasmBytes.header + [0x01, 0x84, 0x80, 0x80, 0x80, 0x00, 0x01, 0x60, 0x00, 0x00]
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.types.count == 1)
        #expect(module.types.first?.parameters == [])
    }

    @Test func customSectionsMayAppearBetweenAnySections() throws {
        let custom = WasmBytes.section(0, [0x03] + Array("abc".utf8) + [0xde, 0xad])
        let bytes = WasmBytes.module(custom, WasmBytes.voidType, custom, WasmBytes.functions(1), WasmBytes.code(WasmBytes.body([0x0b])), custom)
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.bodies.count == 1)
        #expect(module.customSections.map(\.name) == ["abc", "abc", "abc"])
        #expect(module.customSections.map(\.size) == [2, 2, 2])
    }

    @Test func sectionOffsetsPointAtTheIdByte() throws {
        let type = WasmBytes.voidType
        let function = WasmBytes.functions(1)
        let bytes = WasmBytes.module(type, function, WasmBytes.memory, WasmBytes.code(WasmBytes.body([0x0b])))
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.sectionOffset(1) == 8)
        #expect(module.sectionOffset(3) == 8 + type.count)
        #expect(module.sectionOffset(5) == 8 + type.count + function.count)
        #expect(module.sectionOffset(10) == 8 + type.count + function.count + WasmBytes.memory.count)
        #expect(module.sectionOffset(2) == nil)
        for id in [1, 3, 5, 10] as [UInt8] {
            #expect(bytes[module.sectionOffset(id)!] == id)
        }
    }

    @Test func scanReportsEachSectionsContentRange() throws {
        let custom = WasmBytes.section(0, [0x01, 0x78])
        let bytes = WasmBytes.module(WasmBytes.voidType, custom, WasmBytes.functions(2))
        let sections = try SectionScanner.scan(bytes)
        #expect(sections.map(\.id) == [1, 0, 3])
        #expect(sections.map(\.offset) == [8, 14, 18])
        #expect(sections.map(\.contentStart) == [10, 16, 20])
        #expect(sections.map(\.contentEnd) == [14, 18, 23])
    }
}
