import KilnModel

/// A cursor over module bytes for the few structures Kiln reads itself (section framing, code bodies).
///
/// LEB128 is decoded strictly: at most ceil(N/7) bytes, and the unused bits of the last byte must match
/// the value's sign (zero for unsigned), as binary-leb128.wast requires.
struct ByteReader {
    let bytes: ArraySlice<UInt8>
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, to end: Int? = nil) {
        self.init(bytes[...], from: offset, to: end)
    }

    /// Offsets are the slice's own indices.
    init(_ bytes: ArraySlice<UInt8>, from offset: Int, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.endIndex
    }

    var isAtEnd: Bool { offset >= end }

    mutating func byte() throws(DecodeError) -> UInt8 {
        guard offset < end else { throw .unexpectedEnd(at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() throws(DecodeError) -> UInt32 {
        let start = offset
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let b = try byte()
            if shift == 28 {
                guard b & 0x80 == 0 else { throw .integerTooLong(at: start) }
                guard b & 0x70 == 0 else { throw .integerTooLarge(at: start) }
            }
            result |= UInt32(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A type index written as the non-negative s33 of a heap type (negative values are the abstract heap types,
    /// which the caller reads first): a `u32` whose last byte, unless it is the fifth, has the sign bit (6) clear.
    mutating func typeIndexS33() throws(DecodeError) -> UInt32 {
        let start = offset
        let value = try u32()
        guard offset - start == 5 || bytes[offset - 1] & 0x40 == 0 else { throw .malformed("malformed heap type", at: start) }
        return value
    }

    mutating func skip(_ count: Int) throws(DecodeError) {
        guard count >= 0, count <= end - offset else { throw .unexpectedEnd(at: offset) }
        offset += count
    }
}
