import KilnModel
import WasmParser

/// Pulls a function body's instructions one at a time, with their byte offsets in the original module.
///
/// Wraps WasmParser's `ExpressionParser` and adds the checks it lets through for Wasm 2.0 (read as 2.0): the reserved
/// memory-index immediates of `memory.size`, `memory.grow`, `memory.init`, `memory.copy` and `memory.fill`
/// must be a single zero byte (binary.wast: "zero byte expected").
public struct FunctionBodyReader {
    public struct Decoded {
        public let instruction: Instruction
        /// Offset of the opcode in the module.
        public let offset: Int
    }

    private var parser: ExpressionParser
    private var code: Code
    private var delta: Int
    private var collector = Collector()
    private let features: WasmFeatureSet
    private let version: WasmVersion
    /// Offset to report for the next instruction when it was re-encoded (see `reencodeOverlongOpcode`).
    private var offsetOverride: Int?
    /// `parser.offset` at the expression's first byte. WasmParser reports errors inside an expression
    /// relative to that byte, not in the module's coordinates that `parser.offset` uses.
    private var expressionBase: Int

    public init(_ body: FunctionBody) {
        self.parser = ExpressionParser(code: body.code)
        self.code = body.code
        self.delta = body.offsetDelta
        self.features = ModuleDecoder.features(body.version)
        self.version = body.version
        self.expressionBase = parser.offset
    }

    /// Where the next instruction starts, in the original module.
    public var offset: Int { parser.offset + delta }

    /// The next instruction, or nil after the body's final `end`.
    public mutating func next() throws(DecodeError) -> Decoded? {
        let start = parser.offset
        // A later proposal's opcode is named whether or not WasmParser decodes it (it decodes some ungated).
        if start < code.expression.endIndex, let unsupported = UnsupportedFeature.opcode(code.expression[start], at: start + delta, version: version) {
            throw unsupported
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
        return Decoded(instruction: instruction, offset: offset)
    }

    /// WasmParser reads the sub-opcode after the 0xFC and 0xFD prefixes as fixed bytes, but the binary
    /// format makes it a u32 LEB128 that may be over-long (`0xFC 0x80 0x00` is i32.trunc_sat_f32_s;
    /// binary-leb128.wast). On a decoding error at such a prefix, continue with a copy of the rest of the
    /// body in which that LEB128 is written minimally.
    private mutating func reencodeOverlongOpcode(at start: Int) -> Bool {
        let bytes = code.expression
        guard start < bytes.endIndex, bytes[start] == 0xfc || bytes[start] == 0xfd else { return false }
        var value: UInt32 = 0
        var shift: UInt32 = 0
        var index = start + 1
        while true {
            guard index < bytes.endIndex, shift <= 28 else { return false }
            let b = bytes[index]
            value |= UInt32(b & 0x7f) << shift
            index += 1
            if b & 0x80 == 0 { break }
            shift += 7
        }
        var minimal: [UInt8] = [bytes[start]]
        CodeSectionReader.appendLEB(&minimal, value)
        guard minimal.count < index - start else { return false }
        let rest = ArraySlice(minimal + bytes[index...])
        guard let (newCode, newStart) = CodeSectionReader.codes(for: [rest], features: features)?.first else { return false }
        let originalRest = index + delta  // where the bytes after the LEB sit in the module
        offsetOverride = start + delta
        delta = originalRest - (newStart + minimal.count)
        code = newCode
        parser = ExpressionParser(code: newCode)
        expressionBase = parser.offset
        return true
    }

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
