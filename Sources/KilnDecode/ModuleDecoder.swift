import KilnModel
import WasmParser

/// Decodes a binary module into a `Module`, rejecting malformed input with the offset where decoding stopped.
///
/// Kiln reads the section framing and the code section itself (`SectionScanner`, `CodeSectionReader`) and
/// lets WasmParser decode the other sections. WasmParser sees the code section disguised as a custom section
/// of the same length, so every offset it reports is still an offset in the original bytes.
/// > Note: <https://webassembly.github.io/spec/core/binary/modules.html>
public enum ModuleDecoder {
    /// Wasm 2.0 (reference types and SIMD are gated in WasmParser; bulk memory, sign extension, saturating
    /// conversions and multi-value are not) and the parts of 3.0 Kiln compiles: tail calls, multiple memories, 64-bit memories,
    /// typed function references, exception handling (`try_table`; its legacy instructions are refused by name). Extended
    /// constant expressions need no flag (WasmParser reads any instruction in a constant expression).
    /// `.default` would add exception handling. Threads (shared memories, atomic instructions) is in neither
    /// edition; Kiln reads it in both, as wasmtime and wasm2c do.
    public static let features: WasmFeatureSet = [.referenceTypes, .simd, .tailCall, .multiMemory, .memory64, .functionReferences, .exceptionHandling, .threads]

    public static func features(_ version: WasmVersion) -> WasmFeatureSet {
        version == .v2 ? [.referenceTypes, .simd, .threads] : features
    }

    /// `recursionGroups`: read the type section with WasmParser's `.gc`, for its recursion groups and subtypes
    /// (only there: elsewhere GC's heap types and instructions stay refused by name as they are decoded).
    /// Kiln first decodes without, and again with it when WasmParser stops at `rec` or `sub` in that section.
    public static func decode(_ bytes: [UInt8], version: WasmVersion = .v3, recursionGroups: Bool = false) throws(DecodeError) -> Module {
        let features = features(version)
        let sections = try SectionScanner.scan(bytes, version: version)
        var module = Module()
        module.version = version
        var disguised = bytes
        var codeSection: SectionScanner.Section?
        var typeSection: SectionScanner.Section?
        for section in sections where section.id != 0 {
            module.sectionOffsets[section.id] = section.offset
            if section.id == 10 || (section.id == 1 && recursionGroups) {
                guard section.contentEnd > section.contentStart else { throw .unexpectedEnd(at: section.contentStart) }
                if section.id == 10 { codeSection = section } else { typeSection = section }
                disguised[section.offset] = 0  // custom section id
                disguised[section.contentStart] = 0  // with an empty name
            }
        }
        if let typeSection {
            let alone = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + bytes[typeSection.offset..<typeSection.contentEnd]
            var parser = Parser(bytes: alone, features: features.union(.gc))
            guard case .typeSection(let groups)?? = try? parser.parseNext().flatMap({ _ in try parser.parseNext() }) else {
                throw .malformed("malformed type section", at: typeSection.offset)
            }
            try apply(.typeSection(groups), to: &module, sectionStart: typeSection.offset, isCode: false)
        }

        var parser = Parser(bytes: disguised, features: features)
        var sectionStart = 0
        do {
            while true {
                sectionStart = parser.offset
                guard let payload = try parser.parseNext() else { break }
                let isDisguised = sectionStart == codeSection?.offset || sectionStart == typeSection?.offset
                try apply(payload, to: &module, sectionStart: sectionStart, isCode: isDisguised)
            }
        } catch let error as DecodeError {
            throw error
        } catch let error as WasmParserError {
            let (reason, offset) = WasmParserErrorText.split(error)
            let at = offset ?? parser.offset
            // `rec` (0x4e) or `sub` (0x50, 0x4f) where WasmParser without GC wants a function type (0x60).
            if version == .v3, !recursionGroups, sectionStart == module.sectionOffsets[1],
                ["0x4e", "0x50", "0x4f", "78", "80", "79"].contains(where: { reason == "malformed function type: \($0)" }),
                let again = try? decode(bytes, version: version, recursionGroups: true)
            {
                return again
            }
            if let unsupported = UnsupportedFeature.fromParser(reason, at: at, bytes: bytes) { throw unsupported }
            throw .malformed(reason, at: at)
        } catch {
            throw .malformed("\(error)", at: parser.offset)
        }

        let importedMemories = module.imports.filter { if case .memory = $0.descriptor { true } else { false } }.count
        if version == .v2, importedMemories + module.memories.count > 1 {
            throw UnsupportedFeature.multipleMemories(
                importedMemories + module.memories.count, at: module.sectionOffsets[5] ?? module.sectionOffsets[2] ?? 8)
        }
        if let codeSection {
            module.bodies = try CodeSectionReader.read(bytes, section: codeSection, version: version)
        }
        guard module.functions.count == module.bodies.count else {
            throw .malformed(
                "function and code section have inconsistent lengths: \(module.functions.count) functions, \(module.bodies.count) bodies",
                at: codeSection?.offset ?? module.sectionOffsets[3] ?? bytes.count)
        }
        if let count = module.dataCount, count != module.data.count {
            throw .malformed(
                "data count and data section have inconsistent lengths: data count \(count), \(module.data.count) segments",
                at: module.sectionOffsets[11] ?? module.sectionOffsets[12] ?? bytes.count)
        }
        return module
    }

    private static func apply(_ payload: ParsingPayload, to module: inout Module, sectionStart: Int, isCode: Bool) throws(DecodeError) {
        switch payload {
        case .header: break
        case .customSection(let custom):
            if isCode { return }
            if custom.name == "name" { module.names = NameSection.read(custom.bytes) }
            module.customSections.append((custom.name, custom.bytes.count))
        case .typeSection(let groups):
            for group in groups {
                let start = module.types.count
                for sub in group.types {
                    let type: FunctionType
                    switch sub.body {
                    case .function(let function): type = function
                    case .structType: throw UnsupportedFeature.error("a struct type", "GC", at: sectionStart)
                    case .arrayType: throw UnsupportedFeature.error("an array type", "GC", at: sectionStart)
                    }
                    guard sub.isFinal, sub.supertypes.isEmpty else {
                        throw UnsupportedFeature.error(sub.isFinal ? "a subtype (sub final) with a supertype" : "a subtype (sub)", "GC", at: sectionStart)
                    }
                    module.types.append(type)
                }
                if group.types.count > 1 { module.recursionGroups.append(start..<module.types.count) }
            }
        case .importSection(let imports):
            for entry in imports {
                switch entry.descriptor {
                case .memory(let limits): try checkShared(limits, table: false, at: sectionStart)
                case .table(let table): try checkShared(table.limits, table: true, at: sectionStart)
                default: break
                }
            }
            module.imports = imports
        case .functionSection(let types): module.functions = types
        case .tableSection(let tables):
            for (index, table) in tables.enumerated() {
                if let initializer = table.initializer { module.tableInitializers[index] = initializer }
            }
            for table in tables { try checkShared(table.type.limits, table: true, at: sectionStart) }
            module.tables = tables.map(\.type)
        case .memorySection(let memories):
            for memory in memories { try checkShared(memory.type, table: false, at: sectionStart) }
            module.memories = memories.map(\.type)
        case .globalSection(let globals): module.globals = globals.map { Module.Global(type: $0.type, initializer: $0.initializer) }
        case .tagSection(let tags): module.tags = tags.map(\.type)
        case .exportSection(let exports): module.exports = exports
        case .startSection(let index): module.start = index
        case .elementSection(let elements): module.elements = elements
        case .codeSection: throw .malformed("unexpected code section", at: sectionStart)
        case .dataSection(let data): module.data = data
        case .dataCount(let count): module.dataCount = count
        }
    }

    /// The threads proposal's limits flags are 0x00, 0x01 and 0x03 (shared, with a maximum), 0x04 to 0x07 with
    /// memory64's bit: 0x02 and 0x06 (shared without a maximum) are malformed, as is a shared table (the 2.0 and
    /// 3.0 suites assert "integer too large" and "malformed limits flags" for both). WasmParser, with threads on,
    /// decodes them all.
    /// > Note: <https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md#spec-changes>
    static func checkShared(_ limits: Limits, table: Bool, at offset: Int) throws(DecodeError) {
        guard limits.shared, table || limits.max == nil else { return }
        throw .malformed("integer too large: malformed limits flags: 0x0\((limits.isMemory64 ? 4 : 0) + 2 + (limits.max == nil ? 0 : 1))", at: offset)
    }
}
