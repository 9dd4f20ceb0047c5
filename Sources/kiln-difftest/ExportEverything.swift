/// Rewrites a module so that every global and its memory are exported under names of our own: neither
/// engine lets a host read a global or a memory the module keeps to itself, and the comparison needs
/// both after every call. Exports change no behaviour, so the rewritten module runs as the original does.
///
/// Only the section framing, the import section and the counts of the memory and global sections are
/// parsed; everything else is copied byte for byte.
/// > Note: <https://webassembly.github.io/spec/core/binary/modules.html>
enum ExportEverything {
    struct Result {
        var binary: [UInt8]
        /// The export name of every global, in index order (imported ones first).
        var globals: [String]
        /// The export name of memory 0, if the module has a memory.
        var memory: String?
    }

    static func rewrite(_ bytes: [UInt8]) throws(DiffError) -> Result {
        var reader = ByteReader(bytes: bytes, offset: 8)
        guard bytes.count >= 8, bytes[0..<4].elementsEqual([0, 0x61, 0x73, 0x6d]) else { throw DiffError("not a binary module") }
        var sections: [(id: UInt8, body: ArraySlice<UInt8>)] = []
        var globalCount = 0
        var memoryCount = 0
        var exports: [(name: [UInt8], kind: UInt8, index: UInt32)] = []
        while !reader.atEnd {
            let id = try reader.byte()
            let size = Int(try reader.u32())
            let start = reader.offset
            guard size <= bytes.count - start else { throw DiffError("section \(id) runs past the end") }
            let body = bytes[start..<(start + size)]
            sections.append((id, body))
            var inner = ByteReader(bytes: bytes, offset: start)
            switch id {
            case 2:
                for _ in 0..<(try inner.u32()) {
                    try inner.skipName()
                    try inner.skipName()
                    switch try inner.byte() {
                    case 0: _ = try inner.u32()
                    case 1: _ = try inner.byte(); try inner.skipLimits()
                    case 2: try inner.skipLimits(); memoryCount += 1
                    case 3: _ = try inner.byte(); _ = try inner.byte(); globalCount += 1
                    case 4: _ = try inner.byte(); _ = try inner.u32()  // a tag: attribute, type
                    default: throw DiffError("unknown import kind")
                    }
                }
            case 5: memoryCount += Int(try inner.u32())
            case 6: globalCount += Int(try inner.u32())
            case 7:
                for _ in 0..<(try inner.u32()) {
                    let length = Int(try inner.u32())
                    let name = try inner.bytes(length)
                    exports.append((name, try inner.byte(), try inner.u32()))
                }
            default: break
            }
            reader.offset = start + size
        }
        var result = Result(binary: [], globals: [], memory: nil)
        for index in 0..<globalCount {
            let name = "__difftest_global_\(index)"
            exports.append((Array(name.utf8), 3, UInt32(index)))
            result.globals.append(name)
        }
        if memoryCount > 0 {
            result.memory = "__difftest_memory"
            exports.append((Array("__difftest_memory".utf8), 2, 0))
        }
        var exportBody: [UInt8] = []
        appendLEB(UInt64(exports.count), to: &exportBody)
        for entry in exports {
            appendLEB(UInt64(entry.name.count), to: &exportBody)
            exportBody += entry.name
            exportBody.append(entry.kind)
            appendLEB(UInt64(entry.index), to: &exportBody)
        }
        // The export section goes where the existing one was, or before the first section that must follow it.
        var out = Array(bytes[0..<8])
        var placed = false
        func emit(_ id: UInt8, _ body: some Collection<UInt8>) {
            out.append(id)
            appendLEB(UInt64(body.count), to: &out)
            out += body
        }
        for section in sections {
            if section.id == 7 {
                if !placed { emit(7, exportBody); placed = true }
                continue
            }
            if !placed, section.id != 0, rank(section.id) > 7 {
                emit(7, exportBody)
                placed = true
            }
            emit(section.id, section.body)
        }
        if !placed { emit(7, exportBody) }
        result.binary = out
        return result
    }

    /// The order sections must appear in (the data count section sits between elements and code, the tag
    /// section between memory and global).
    static func rank(_ id: UInt8) -> Double {
        switch id {
        case 12: 9.5
        case 13: 5.5
        default: Double(id)
        }
    }

    static func appendLEB(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        repeat {
            var byte = UInt8(value & 0x7f)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
    }
}

/// A cursor over a module's bytes that throws instead of reading past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    var atEnd: Bool { offset >= bytes.count }

    mutating func byte() throws(DiffError) -> UInt8 {
        guard offset < bytes.count else { throw DiffError("unexpected end of module at offset \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() throws(DiffError) -> UInt32 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            guard shift < 35 else { throw DiffError("LEB128 too long at offset \(offset)") }
        }
        guard result <= UInt64(UInt32.max) else { throw DiffError("LEB128 out of range at offset \(offset)") }
        return UInt32(result)
    }

    mutating func bytes(_ count: Int) throws(DiffError) -> [UInt8] {
        guard count <= bytes.count - offset else { throw DiffError("unexpected end of module at offset \(offset)") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func skipName() throws(DiffError) {
        _ = try bytes(Int(try u32()))
    }

    mutating func skipLimits() throws(DiffError) {
        let flags = try byte()
        _ = try u32()
        if flags & 1 != 0 { _ = try u32() }
    }
}

/// Why a module could not be compared (not a divergence: the module or the tool is at fault).
struct DiffError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
