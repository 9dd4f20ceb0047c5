import KilnModel

/// The section framing of a binary module, read by Kiln before WasmParser sees it.
///
/// WasmParser parses a section's contents before it compares them with the declared size, and lets a
/// section end past the end of the file be reported as whatever its contents ran into. Reading the framing
/// first gives the spec's reasons (`length out of bounds`, `unexpected content after last section`,
/// `malformed section id`) at the offset of the section itself, and lets the code section be read
/// without expanding its locals (see `CodeSectionReader`).
/// > Note: <https://webassembly.github.io/spec/core/binary/modules.html#binary-module>
struct SectionScanner {
    struct Section {
        let id: UInt8
        /// Offset of the id byte.
        let offset: Int
        let contentStart: Int
        let contentEnd: Int
    }

    /// Position of each known section id in the required order (custom sections, id 0, may appear anywhere).
    /// The tag section (13, exception handling) sits between the memory and global sections.
    private static let order: [UInt8: Int] = [1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13]

    static func scan(_ bytes: [UInt8], version: WasmVersion = .v3) throws(DecodeError) -> [Section] {
        guard bytes.count >= 4 else { throw .malformed("unexpected end: magic header not detected", at: 0) }
        guard bytes[0..<4] == [0x00, 0x61, 0x73, 0x6d] else { throw .malformed("magic header not detected", at: 0) }
        guard bytes.count >= 8 else { throw .malformed("unexpected end: unknown binary version", at: 4) }
        if let component = UnsupportedFeature.header(bytes[4..<8]) { throw component }
        guard bytes[4..<8] == [0x01, 0x00, 0x00, 0x00] else { throw .malformed("unknown binary version", at: 4) }

        var reader = ByteReader(bytes, from: 8)
        var sections: [Section] = []
        var lastOrder = 0
        while !reader.isAtEnd {
            let offset = reader.offset
            let id = try reader.byte()
            if version == .v2, let unsupported = UnsupportedFeature.section(id, at: offset) { throw unsupported }
            guard id == 0 || order[id] != nil else {
                throw .malformed("malformed section id: \(id)", at: offset)
            }
            let size = try reader.u32()
            let contentStart = reader.offset
            guard Int(size) <= bytes.count - contentStart else {
                throw .malformed("length out of bounds: section \(id) declares \(size) bytes, \(bytes.count - contentStart) remain", at: offset)
            }
            if let position = order[id] {
                guard position > lastOrder else {
                    throw .malformed("unexpected content after last section: section \(id) is out of order or repeated", at: offset)
                }
                lastOrder = position
            }
            let contentEnd = contentStart + Int(size)
            sections.append(Section(id: id, offset: offset, contentStart: contentStart, contentEnd: contentEnd))
            reader.offset = contentEnd
        }
        return sections
    }
}
