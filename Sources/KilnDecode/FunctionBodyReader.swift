import KilnModel
import WasmParser

/// Pulls a function body's instructions one at a time, with their byte offsets in the original module.
///
/// Wraps WasmParser's `ExpressionParser` and adds what it lacks: the checks it lets through for Wasm 2.0
/// (read as 2.0): the reserved memory-index immediates of `memory.size`, `memory.grow`, `memory.init`,
/// `memory.copy` and `memory.fill` must be a single zero byte (binary.wast: "zero byte expected"); over-long
/// sub-opcodes; and the legacy exception-handling instructions, which Kiln decodes itself (`LegacyException`).
/// At the last two WasmParser cannot go on, so the reader resumes it after them (`resume(at:after:)`).
public struct FunctionBodyReader {
    public struct Decoded {
        public enum Operation: Equatable {
            case instruction(Instruction)
            case legacyException(LegacyException)
        }
        public let operation: Operation
        /// Offset of the opcode in the module.
        public let offset: Int

        /// The instruction, unless this is a legacy exception-handling one.
        public var instruction: Instruction? {
            if case .instruction(let instruction) = operation { instruction } else { nil }
        }
    }

    private var parser: ExpressionParser
    private var code: Code
    /// What to add to a parser offset to get the offset in the original module.
    private var delta: Int
    /// What to add to a parser offset to get the index of its byte in `code.expression`.
    private var indexShift = 0
    private var collector = Collector()
    private let features: WasmFeatureSet
    private let version: WasmVersion
    /// Offset to report for the next instruction when it was re-encoded (see `reencodeOverlongOpcode`).
    private var offsetOverride: Int?
    /// `parser.offset` at the expression's first byte. WasmParser reports errors inside an expression
    /// relative to that byte, not in the module's coordinates that `parser.offset` uses.
    private var expressionBase: Int
    /// The rest of the body, copied once at the first resumption, that later resumptions write their
    /// synthetic module header into (see `resume(at:after:)`).
    private var scratch: [UInt8] = []
    /// Whether `code.expression` is a slice of `scratch`.
    private var readingScratch = false
    /// Bytes copied into `scratch` so far, by the reader or by copy-on-write: at most the body's size plus
    /// `scratchRoom`, however often the reader resumes (a copy per resumption let a 3.6 MB body of over-long
    /// opcodes take 108 s).
    public private(set) var bytesCopied = 0

    public init(_ body: FunctionBody) {
        self.parser = ExpressionParser(code: body.code)
        self.code = body.code
        self.delta = body.offsetDelta
        self.features = ModuleDecoder.features(body.version)
        self.version = body.version
        self.expressionBase = parser.offset
        self.indexShift = body.code.expression.startIndex - parser.offset
    }

    /// Where the next instruction starts, in the original module.
    public var offset: Int { parser.offset + delta }

    /// The next instruction, or nil after the body's final `end`.
    public mutating func next() throws(DecodeError) -> Decoded? {
        let start = parser.offset
        let index = start + indexShift
        // No local copy of `code.expression` may live across a resumption: `scratch` would be copied.
        if index < code.expression.endIndex {
            let opcode = code.expression[index]
            if version == .v3, let legacy = try legacyException(opcode, at: index) { return legacy }
            // A later proposal's opcode is named whether or not WasmParser decodes it (it decodes some ungated).
            if let unsupported = UnsupportedFeature.opcode(opcode, at: start + delta, version: version) {
                throw unsupported
            }
        }
        collector.instruction = nil
        let visit: ExpressionParser.Visit?
        do {
            visit = try parser.parse()
            guard let visit else { return nil }
            try visit(visitor: &collector)
        } catch {
            if reencodeOverlongOpcode(at: start) { return try next() }
            let (reason, relative) = WasmParserErrorText.split(error)
            let offset = relative.map { expressionBase + $0 } ?? start
            if let unsupported = UnsupportedFeature.fromParser(reason, at: offset + delta) { throw unsupported }
            throw .malformed(reason == "unexpected end" ? "unexpected end of section or function" : reason, at: offset + delta)
        }
        guard let instruction = collector.instruction else {
            throw .malformed("illegal opcode", at: start + delta)
        }
        try checkReservedBytes(instruction, from: start, to: parser.offset)
        let offset = offsetOverride ?? start + delta
        offsetOverride = nil
        return Decoded(operation: .instruction(instruction), offset: offset)
    }

    /// The legacy instruction at `index` of `code.expression`, read with its immediates; decoding resumes after it.
    private mutating func legacyException(_ opcode: UInt8, at index: Int) throws(DecodeError) -> Decoded? {
        switch opcode {
        case 0x06, 0x07, 0x09, 0x18, 0x19: break
        default: return nil  // every other instruction, on the decoder's hot path: no array built
        }
        let moduleOffset = index - indexShift + delta
        let (instruction, next) = try Self.legacyImmediates(opcode, code.expression, at: index + 1, version: version, delta: delta - indexShift)
        let end = next - indexShift + delta
        guard resume(at: end, after: []) else { throw .malformed("cannot decode the rest of the body", at: end) }
        return Decoded(operation: .legacyException(instruction), offset: moduleOffset)
    }

    /// The instruction and the index after its immediates; errors at module offsets (index + `delta`).
    private static func legacyImmediates(
        _ opcode: UInt8, _ bytes: ArraySlice<UInt8>, at index: Int, version: WasmVersion, delta: Int
    ) throws(DecodeError) -> (LegacyException, Int) {
        var reader = ByteReader(bytes, from: index)
        do throws(DecodeError) {
            let instruction: LegacyException = switch opcode {
            case 0x06: .try(try blockType(&reader, version: version))
            case 0x07: .catch(tag: try reader.u32())
            case 0x09: .rethrow(relativeDepth: try reader.u32())
            case 0x18: .delegate(relativeDepth: try reader.u32())
            default: .catchAll
            }
            return (instruction, reader.offset)
        } catch {
            throw DecodeError(error.category, error.reason, offset: (error.location.offset ?? index) + delta)
        }
    }

    /// A block type: empty (0x40), one value type, or a type index as a non-negative s33.
    /// > Note: <https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions>
    private static func blockType(_ reader: inout ByteReader, version: WasmVersion) throws(DecodeError) -> BlockType {
        guard reader.offset < reader.end else { throw .unexpectedEnd(at: reader.offset) }
        let first = reader.bytes[reader.offset]
        if first == 0x40 {
            reader.offset += 1
            return .empty
        }
        // One-byte negative s33 values are the value types (0x40...0x7f); a type index has bit 6 clear.
        if first & 0xc0 == 0x40 { return .type(try CodeSectionReader.valueType(&reader, version: version)) }
        return .funcType(try reader.typeIndexS33())
    }

    /// WasmParser reads the sub-opcode after the 0xFC, 0xFD and 0xFE prefixes as fixed bytes, but the binary
    /// format makes it a u32 LEB128 that may be over-long (`0xFC 0x80 0x00` is i32.trunc_sat_f32_s;
    /// binary-leb128.wast). On a decoding error at such a prefix, continue with a copy of the rest of the
    /// body in which that LEB128 is written minimally.
    private mutating func reencodeOverlongOpcode(at start: Int) -> Bool {
        let first = start + indexShift
        guard let (minimal, index) = Self.minimalPrefixedOpcode(code.expression, at: first) else { return false }
        let instructionOffset = start + delta
        guard resume(at: index - indexShift + delta, after: minimal) else { return false }
        offsetOverride = instructionOffset
        return true
    }

    /// The 0xFC/0xFD/0xFE opcode at `first` with its sub-opcode LEB128 written minimally, and the index after the
    /// original LEB128; nil unless it was over-long.
    private static func minimalPrefixedOpcode(_ bytes: ArraySlice<UInt8>, at first: Int) -> ([UInt8], Int)? {
        guard first < bytes.endIndex, [0xfc, 0xfd, 0xfe].contains(bytes[first]) else { return nil }
        var value: UInt32 = 0
        var shift: UInt32 = 0
        var index = first + 1
        while true {
            guard index < bytes.endIndex, shift <= 28 else { return nil }
            let b = bytes[index]
            value |= UInt32(b & 0x7f) << shift
            index += 1
            if b & 0x80 == 0 { break }
            shift += 7
        }
        var minimal: [UInt8] = [bytes[first]]
        CodeSectionReader.appendLEB(&minimal, value)
        return minimal.count < index - first ? (minimal, index) : nil
    }

    /// Bytes kept free before the rest of the body in `scratch`: a synthetic module header (magic, version,
    /// code section id and size, one body, its size, no locals: 21 bytes) and a re-encoded opcode (at most 6).
    private static let scratchRoom = 32

    /// Makes WasmParser go on at `moduleOffset` (an instruction boundary of the original module), decoding
    /// `prefix` first. WasmParser's `Code` can only be made by parsing a module, and it cannot skip bytes,
    /// so the rest of the body becomes a one-body code section: the header is written just before the bytes
    /// still to decode, over bytes already decoded, in a copy made once. Each resumption thus costs a
    /// constant, however many a body has.
    private mutating func resume(at moduleOffset: Int, after prefix: [UInt8]) -> Bool {
        let restIndex = moduleOffset - delta + indexShift  // in code.expression
        guard restIndex <= code.expression.endIndex, prefix.count <= 6 else { return false }
        var rest: Int
        if readingScratch {
            rest = restIndex
        } else {
            scratch = [UInt8](repeating: 0, count: Self.scratchRoom) + code.expression[restIndex...]
            bytesCopied += scratch.count
            rest = Self.scratchRoom
            readingScratch = true
        }
        // Drop every reference to `scratch`'s storage so that the writes below do not copy it.
        parser = ExpressionParser(code: Self.emptyCode)
        code = Self.emptyCode
        var header: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0a]
        let bodySize = UInt32(1 + prefix.count + scratch.count - rest)
        header += Self.paddedLEB(1 + 5 + bodySize) + [0x01] + Self.paddedLEB(bodySize) + [0x00]
        let moduleStart = rest - prefix.count - header.count
        guard moduleStart >= 0 else { return false }
        // A write that finds the storage shared copies it first: counted, so that tests see it.
        let storage = scratch.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        let written = scratch.withUnsafeMutableBufferPointer { buffer in
            for (i, b) in (header + prefix).enumerated() { buffer[moduleStart + i] = b }
            return UnsafeRawPointer(buffer.baseAddress)
        }
        if written != storage { bytesCopied += scratch.count }
        var moduleParser = Parser(bytes: scratch[moduleStart...], features: features)
        var parsed: Code?
        do {
            while let payload = try moduleParser.parseNext() {
                if case .codeSection(let codes) = payload { parsed = codes.first }
            }
        } catch {
            return false
        }
        guard let parsed else { return false }
        code = parsed
        parser = ExpressionParser(code: parsed)
        expressionBase = parser.offset
        indexShift = parsed.expression.startIndex - parser.offset
        delta = moduleOffset - (parser.offset + prefix.count)
        return true
    }

    /// A u32 LEB128 in exactly five bytes, so the header's size does not depend on the value.
    private static func paddedLEB(_ value: UInt32) -> [UInt8] {
        (0..<5).map { i in UInt8((value >> (7 * UInt32(i))) & 0x7f) | (i < 4 ? 0x80 : 0) }
    }

    /// The body `end` alone: what the parser holds while `scratch` is written.
    private static let emptyCode: Code = CodeSectionReader.codes(for: [[0x0b]], features: [])![0].code

    private func checkReservedBytes(_ instruction: Instruction, from start: Int, to end: Int) throws(DecodeError) {
        // Multiple memories (3.0) turn the reserved bytes into memory indices, decoded by WasmParser.
        guard !features.contains(.multiMemory) else { return }
        let zeros: Int
        switch instruction {
        case .memorySize, .memoryGrow, .memoryFill, .memoryInit: zeros = 1
        case .memoryCopy: zeros = 2
        default: return
        }
        // The memory indices are the last `zeros` bytes; each must be exactly 0x00, and the opcode before
        // them must be what remains (so that `0x80 0x00` is not read as a two-byte zero).
        let bytes = code.expression
        let start = start + indexShift
        let end = end + indexShift
        let delta = delta - indexShift
        guard end - zeros > start, bytes[(end - zeros)..<end].allSatisfy({ $0 == 0 }) else {
            throw .malformed("zero byte expected", at: start + delta)
        }
        var opcodeEnd = start + 1
        if bytes[start] == 0xfc {
            while opcodeEnd < end, bytes[opcodeEnd] & 0x80 != 0 { opcodeEnd += 1 }
            opcodeEnd += 1
            if case .memoryInit = instruction {
                while opcodeEnd < end, bytes[opcodeEnd] & 0x80 != 0 { opcodeEnd += 1 }
                opcodeEnd += 1
            }
        }
        guard opcodeEnd + zeros == end else { throw .malformed("zero byte expected", at: start + delta) }
    }

    private struct Collector: AnyInstructionVisitor {
        typealias VisitorError = WasmParserError
        var binaryOffset = 0
        var instruction: Instruction?
        mutating func visit(_ instruction: Instruction) throws(WasmParserError) {
            self.instruction = instruction
        }
    }
}
