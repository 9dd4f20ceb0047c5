import KilnDecode
import KilnModel
import Testing

/// A module that needs a later proposal says which, at the offset of what needs it, instead of
/// `malformed section id: 13` or `malformed limits flags: 3`; what the Wasm 2.0 suite asserts keeps its reason.
struct UnsupportedFeatureTests {
    static func decodeError(_ bytes: [UInt8], version: WasmVersion = .v3) -> DecodeError? {
        #expect(throws: DecodeError.self) { try ModuleDecoder.decode(bytes, version: version) }
    }

    /// The error from reading the one function's body to its end.
    static func bodyError(_ expression: [UInt8], version: WasmVersion = .v3) throws -> DecodeError? {
        let module = try ModuleDecoder.decode(WasmBytes.function(expression), version: version)
        var reader = FunctionBodyReader(module.bodies[0])
        return #expect(throws: DecodeError.self) { while try reader.next() != nil {} }
    }

    @Test func aComponentIsNamed() {
        let error = Self.decodeError([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00])
        #expect(error?.description == "unsupported feature: at offset 0x4: a component (component model proposal) is not supported yet: Kiln compiles core modules")
        // Version 0x0d of layer 0 is just an unknown version (binary.wast).
        #expect(Self.decodeError([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x00, 0x00])?.reason == "unknown binary version")
    }

    /// Exception handling is part of Wasm 3.0; read as 2.0, a module is told which proposal it needs.
    @Test func theTagSectionIsExceptionHandling() throws {
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.section(13, [0x01, 0x00, 0x00]))
        #expect(try ModuleDecoder.decode(bytes).tags == [0])
        let error = Self.decodeError(bytes, version: .v2)
        #expect(error?.description == "unsupported feature: at offset 0xe: the tag section (exception handling proposal) is not supported yet")
        #expect(Self.decodeError(WasmBytes.module(WasmBytes.section(14, [])))?.reason == "malformed section id: 14")
    }

    /// GC's type forms, and the table forms of typed function references, are named, not "malformed". A
    /// recursion group of function types is read; one with a struct type is named at the group.
    @Test(arguments: [([UInt8(0x5f), 0x00], "a struct type (GC proposal)"), ([0x5e, 0x00], "an array type (GC proposal)"),
                      ([0x4e, 0x01, 0x5f, 0x00], "a recursion group (rec) (GC proposal)"), ([0x50, 0x00], "a subtype (sub) (GC proposal)")])
    func gcTypeFormsAreNamed(_ form: [UInt8], _ what: String) {
        let error = Self.decodeError(WasmBytes.module(WasmBytes.section(1, [0x01] + form)))
        #expect(error?.category == .unsupported)
        #expect(error?.location.offset == 11)
        #expect(error?.reason == "\(what) is not supported yet")
    }

    /// `(rec (type (func)) (type (func (param i32))))` then a lone `(func)`.
    @Test func recursionGroupsOfFunctionTypesAreRead() throws {
        let bytes = WasmBytes.module(WasmBytes.section(1, [0x02, 0x4e, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00]))
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.types.count == 3)
        #expect(module.recursionGroups == [0..<2])
        #expect(module.allRecursionGroups == [0..<2, 2..<3])
        #expect(module.customSections.isEmpty)
    }

    /// Typed function references are part of Wasm 3.0; a module read as 2.0 is told which proposal it needs.
    @Test func aTableWithAnInitializerIsTypedFunctionReferences() throws {
        // table section: 0x40 0x00, then the table type and its initializer
        let bytes = WasmBytes.module(WasmBytes.section(4, [0x01, 0x40, 0x00, 0x70, 0x00, 0x01, 0xd0, 0x70, 0x0b]))
        #expect(try ModuleDecoder.decode(bytes).tableInitializers[0] != nil)
        let error = Self.decodeError(bytes, version: .v2)
        #expect(error?.category == .unsupported)
        #expect(error?.location.offset == 11)
        #expect(error?.reason == "a table with an initializer (typed function references proposal) is not supported yet")
    }

    /// Threads is read in both editions: a shared memory with a maximum decodes.
    @Test(arguments: [(UInt8(0x03), WasmVersion.v2), (0x03, .v3), (0x07, .v3)])
    func sharedMemoryDecodes(_ flags: UInt8, _ version: WasmVersion) throws {
        // memory section: one memory, flags 0x03 (shared, with maximum) or 0x07 (also 64-bit), min 1, max 1
        let memory = try ModuleDecoder.decode(WasmBytes.module(WasmBytes.section(5, [0x01, flags, 0x01, 0x01])), version: version).memories.first
        #expect(memory?.shared == true)
        #expect(memory?.max == 1)
        #expect(memory?.isMemory64 == (flags == 0x07))
    }

    /// A shared table is malformed, in the table section and as an import.
    @Test func sharedTableIsMalformed() {
        #expect(Self.decodeError(WasmBytes.module(WasmBytes.section(4, [0x01, 0x70, 0x03, 0x00, 0x01])))?.category == .malformed)
        // import "" "" (table 0 1 shared funcref)
        let error = Self.decodeError(WasmBytes.module(WasmBytes.section(2, [0x01, 0x00, 0x00, 0x01, 0x70, 0x03, 0x00, 0x01])))
        #expect(error?.reason.hasPrefix("integer too large: malformed limits flags") == true)
    }

    /// Read as Wasm 2.0, 64-bit limits name memory64; read as 3.0 they are a 64-bit memory or table.
    @Test(arguments: [UInt8(0x04), 0x05, 0x06])
    func sixtyFourBitLimitsAreMemory64(_ flags: UInt8) throws {
        let bytes = WasmBytes.module(WasmBytes.section(5, [0x01, flags, 0x01] + (flags & 1 != 0 ? [0x01] : [])))
        if flags != 0x06 { #expect(try ModuleDecoder.decode(bytes).memories.first?.isMemory64 == true) }
        let error = Self.decodeError(bytes, version: .v2)
        #expect(error?.category == .unsupported)
        #expect(error?.location.offset == 11)
        #expect(error?.reason == "64-bit limits (flags 0x0\(flags)) (memory64 proposal) is not supported yet")
    }

    @Test func table64IsMemory64() throws {
        // table section: one funcref table, flags 0x04, min 0
        let bytes = WasmBytes.module(WasmBytes.section(4, [0x01, 0x70, 0x04, 0x00]))
        #expect(try ModuleDecoder.decode(bytes).tables.first?.limits.isMemory64 == true)
        let error = Self.decodeError(bytes, version: .v2)
        #expect(error?.reason == "64-bit limits (flags 0x04) (memory64 proposal) is not supported yet")
    }

    /// binary.wast: memory limits flag 0x02 alone is "integer too large", also under threads (shared needs a
    /// maximum), in a memory section or an import.
    @Test(arguments: [WasmVersion.v2, .v3])
    func flagsTwoStayMalformed(_ version: WasmVersion) {
        let error = Self.decodeError(WasmBytes.module(WasmBytes.section(5, [0x01, 0x02, 0x00])), version: version)
        #expect(error?.category == .malformed)
        #expect(error?.reason.hasPrefix("integer too large") == true)
        let imported = Self.decodeError(WasmBytes.module(WasmBytes.section(2, [0x01, 0x00, 0x00, 0x02, 0x02, 0x00])), version: version)
        #expect(imported?.reason.hasPrefix("integer too large") == true)
    }

    /// Wasm 3.0 has multiple memories; read as 2.0, a second memory is named as the proposal it needs.
    @Test func twoMemoriesAreMultiMemory() throws {
        let bytes = WasmBytes.module(WasmBytes.section(5, [0x02, 0x00, 0x00, 0x00, 0x00]))
        #expect(try ModuleDecoder.decode(bytes).memories.count == 2)
        let error = Self.decodeError(bytes, version: .v2)
        #expect(error?.description == "unsupported feature: at offset 0x8: multiple memories (2 declared) (multi-memory proposal) is not supported yet")
        // memory.wast asserts the prefix.
        #expect(error?.reason.hasPrefix("multiple memories") == true)
    }

    @Test(arguments: [(UInt8(0x63), "a typed reference type (0x63) (typed function references proposal)", WasmVersion.v2),
                      (0x64, "a typed reference type (0x64) (typed function references proposal)", .v2),
                      (0x69, "the exnref type (exception handling proposal)", .v2),
                      (0x6e, "a GC reference type (0x6e) (GC proposal)", .v3)])
    func laterReferenceTypesInLocalsAreNamed(_ byte: UInt8, _ what: String, _ version: WasmVersion) {
        let bytes = WasmBytes.module(
            WasmBytes.voidType, WasmBytes.functions(1), WasmBytes.code(WasmBytes.body(locals: [(1, byte)], [0x0b])))
        let error = Self.decodeError(bytes, version: version)
        #expect(error?.reason == "\(what) is not supported yet")
        #expect(error?.location.offset == WasmBytes.offset(of: [0x01, byte], in: bytes).map { $0 + 1 })
    }

    /// A GC heap type after 0x63 in a local is named; so is the heap type of `ref.null`.
    @Test func gcHeapTypesInLocalsAreNamed() throws {
        let bytes = WasmBytes.module(
            WasmBytes.voidType, WasmBytes.functions(1), WasmBytes.code(WasmBytes.body(locals: [(1, 0x63)], [0x73, 0x0b])))
        #expect(Self.decodeError(bytes)?.reason == "a GC reference type (0x73) (GC proposal) is not supported yet")
        #expect(try Self.bodyError([0xd0, 0x6e, 0x1a, 0x0b])?.reason == "a GC reference type (0x6e) (GC proposal) is not supported yet")
    }

    @Test func laterValueTypesInTheTypeSectionAreNamed() {
        // type [] -> [(ref null 0)]: 0x63 then a concrete type index
        let error = Self.decodeError(WasmBytes.module(WasmBytes.section(1, [0x01, 0x60, 0x00, 0x01, 0x63, 0x00])), version: .v2)
        #expect(error?.category == .unsupported)
        #expect(error?.location.offset == 14)  // the 0x63, not the heap type WasmParser read after it
        #expect(error?.reason.hasPrefix("a typed reference type (0x63)") == true)
    }

    @Test(arguments: [
        ([UInt8(0xfb), 0x00], "GC instructions (prefix 0xfb) (GC proposal)"),
    ])
    func laterOpcodesAreNamedAtTheirOffset(_ instruction: [UInt8], _ what: String) throws {
        try expectNamed(instruction, what, version: .v3)
    }

    @Test(arguments: [
        ([UInt8(0x15), 0x00], "the return_call_ref instruction (typed function references proposal)"),
        ([0x14, 0x00], "the call_ref instruction (typed function references proposal)"),
        ([0xd4], "the ref.as_non_null instruction (typed function references proposal)"),
        ([0x08, 0x00], "the throw instruction (exception handling proposal)"),
        ([0x1f, 0x40, 0x00, 0x0b], "the try_table instruction (exception handling proposal)"),
        ([0x06, 0x40, 0x0b], "the try instruction (exception handling proposal)"),
    ])
    func laterOpcodesAreNamedInA20Module(_ instruction: [UInt8], _ what: String) throws {
        try expectNamed(instruction, what, version: .v2)
    }

    private func expectNamed(_ instruction: [UInt8], _ what: String, version: WasmVersion) throws {
        let expression = [0x01] + instruction + [0x0b]  // nop first, so the offset is not the body's start
        let bytes = WasmBytes.function(expression)
        let error = try Self.bodyError(expression, version: version)
        #expect(error?.description.hasPrefix("unsupported feature: at offset 0x") == true)
        #expect(error?.reason == "\(what) is not supported yet")
        let nop = try #require(WasmBytes.offset(of: [0x01] + instruction, in: bytes))
        #expect(error?.location.offset == nop + 1)
    }
}
