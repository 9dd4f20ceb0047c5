import KilnDecode
import KilnModel
import Testing

/// Instructions pulled one at a time with their offsets, and the malformed encodings Kiln catches itself.
struct FunctionBodyReaderTests {
    /// Decodes a one-function module and reads its body to the end.
    static func read(_ expression: [UInt8], memory: Bool = false) throws(DecodeError) -> (instructions: [Instruction], offsets: [Int], start: Int) {
        let module = try ModuleDecoder.decode(WasmBytes.function(memory: memory, expression))
        let body = module.bodies[0]
        var reader = FunctionBodyReader(body)
        var instructions: [Instruction] = []
        var offsets: [Int] = []
        while let decoded = try reader.next() {
            guard let instruction = decoded.instruction else { continue }
            instructions.append(instruction)
            offsets.append(decoded.offset)
        }
        return (instructions, offsets, body.expressionOffset)
    }

    /// Every operation of a one-function module's body, legacy exception handling included.
    static func operations(_ expression: [UInt8]) throws(DecodeError) -> (operations: [FunctionBodyReader.Decoded.Operation], offsets: [Int], start: Int, copied: Int) {
        let module = try ModuleDecoder.decode(WasmBytes.function(expression))
        var reader = FunctionBodyReader(module.bodies[0])
        var operations: [FunctionBodyReader.Decoded.Operation] = []
        var offsets: [Int] = []
        while let decoded = try reader.next() {
            operations.append(decoded.operation)
            offsets.append(decoded.offset)
        }
        return (operations, offsets, module.bodies[0].expressionOffset, reader.bytesCopied)
    }

    /// try (result i32) / i32.const 1 / catch 0 / catch_all / i32.const 2 / end; try / rethrow 0 / delegate 1.
    @Test func legacyExceptionInstructionsAreDecodedWithTheirImmediates() throws {
        let expression: [UInt8] = [0x06, 0x7f, 0x41, 0x01, 0x07, 0x00, 0x19, 0x41, 0x02, 0x0b, 0x1a,
                                   0x06, 0x40, 0x09, 0x00, 0x18, 0x81, 0x00, 0x0b]
        let (operations, offsets, start, _) = try Self.operations(expression)
        #expect(operations == [
            .legacyException(.try(.type(.i32))), .instruction(.i32Const(value: 1)), .legacyException(.catch(tag: 0)),
            .legacyException(.catchAll), .instruction(.i32Const(value: 2)), .instruction(.end), .instruction(.drop),
            .legacyException(.try(.empty)), .legacyException(.rethrow(relativeDepth: 0)),
            .legacyException(.delegate(relativeDepth: 1)), .instruction(.end),
        ])
        #expect(offsets == [0, 2, 4, 6, 7, 9, 10, 11, 13, 15, 18].map { start + $0 })
    }

    @Test func legacyTryTakesATypeIndexAsBlockType() throws {
        let (operations, _, _, _) = try Self.operations([0x06, 0x00, 0x0b, 0x0b])
        #expect(operations.first == .legacyException(.try(.funcType(0))))
    }

    @Test func truncatedLegacyImmediateIsMalformedAtItsOffset() throws {
        let error = try #require(throws: DecodeError.self) { try Self.operations([0x01, 0x07, 0x80]) }
        #expect(error.category == .malformed)
        let module = try ModuleDecoder.decode(WasmBytes.function([0x01, 0x07, 0x80, 0x80]))
        let start = module.bodies[0].expressionOffset
        #expect((start + 1...start + 3).contains(error.location.offset ?? -1))
    }

    /// Resuming WasmParser after each of many over-long opcodes or legacy instructions copies the body
    /// once, not once per resumption (which took minutes for a 1 MB body).
    @Test(arguments: [[UInt8(0x43), 0, 0, 0, 0, 0xfc, 0x80, 0x00, 0x1a], [0x06, 0x40, 0x0b]])
    func manyResumptionsCopyTheBodyOnce(_ unit: [UInt8]) throws {
        let count = 5_000
        let expression = Array([[UInt8]](repeating: unit, count: count).joined()) + [0x0b]
        let (operations, offsets, start, copied) = try Self.operations(expression)
        #expect(operations.count == count * (unit.count == 9 ? 3 : 2) + 1)
        #expect(offsets.last == start + expression.count - 1)
        #expect(copied <= expression.count + 32)
    }

    @Test func instructionsComeWithTheirOffsetsInTheModule() throws {
        // i32.const 300 (3 bytes), drop, nop, end
        let (instructions, offsets, start) = try Self.read([0x41, 0xac, 0x02, 0x1a, 0x01, 0x0b])
        #expect(instructions == [.i32Const(value: 300), .drop, .nop, .end])
        #expect(offsets == [start, start + 3, start + 4, start + 5])
    }

    @Test func readerStopsAfterTheFinalEnd() throws {
        let module = try ModuleDecoder.decode(WasmBytes.function([0x02, 0x40, 0x0b, 0x0b]))
        var reader = FunctionBodyReader(module.bodies[0])
        #expect(reader.offset == module.bodies[0].expressionOffset)
        #expect(try reader.next()?.instruction == .block(blockType: .empty))
        #expect(try reader.next()?.instruction == .end)
        #expect(try reader.next()?.instruction == .end)
        #expect(reader.offset == module.bodies[0].expressionOffset + 4)
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    /// `0xFC` sub-opcodes are u32 LEB128s: `0xFC 0x80 0x00` is i32.trunc_sat_f32_s (binary-leb128.wast).
    @Test(arguments: [
        [0x00], [0x80, 0x00], [0x80, 0x80, 0x00], [0x80, 0x80, 0x80, 0x00], [0x80, 0x80, 0x80, 0x80, 0x00],
    ] as [[UInt8]])
    func overLongPrefixedSubOpcodeIsAccepted(_ subOpcode: [UInt8]) throws {
        // f32.const 0, i32.trunc_sat_f32_s, drop, end
        let expression: [UInt8] = [0x43, 0x00, 0x00, 0x00, 0x00, 0xfc] + subOpcode + [0x1a, 0x0b]
        let (instructions, offsets, start) = try Self.read(expression)
        #expect(instructions == [.f32Const(value: .init(bitPattern: 0)), .conversion(.i32TruncSatF32S), .drop, .end])
        // Offsets stay those of the original bytes, after the re-encoded opcode too.
        #expect(offsets == [start, start + 5, start + 6 + subOpcode.count, start + 7 + subOpcode.count])
    }

    @Test func overLongMemoryFillSubOpcodeKeepsItsReservedByte() throws {
        // i32.const 0 ×3, memory.fill written as 0xFC 0x8B 0x00 with its reserved 0x00, end
        let expression: [UInt8] = [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x8b, 0x00, 0x00, 0x0b]
        let (instructions, offsets, start) = try Self.read(expression, memory: true)
        #expect(instructions.last == .end)
        #expect(instructions[3] == .memoryFill(memory: 0))
        #expect(offsets[3] == start + 6)
        #expect(offsets[4] == start + 10)
    }

    @Test func subOpcodeLongerThanFiveBytesIsMalformed() throws {
        let expression: [UInt8] = [0x43, 0x00, 0x00, 0x00, 0x00, 0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b]
        let error = try #require(throws: DecodeError.self) { try Self.read(expression) }
        #expect(error.category == .malformed)
        let module = try ModuleDecoder.decode(WasmBytes.function(expression))
        let start = module.bodies[0].expressionOffset
        #expect((start..<(start + expression.count)).contains(error.location.offset ?? -1))
    }

    struct ReservedCase: Sendable, CustomTestStringConvertible {
        let name: String
        let expression: [UInt8]
        /// Where the failing instruction starts in `expression`, and how many bytes it has.
        let at: Int
        let length: Int
        let reason: String
        var testDescription: String { name }
    }

    static let i32x3: [UInt8] = [0x41, 0x00, 0x41, 0x00, 0x41, 0x00]

    /// binary.wast: the reserved memory index of these instructions must be a single zero byte.
    static let reservedCases: [ReservedCase] = [
        ReservedCase(name: "memory.size 1", expression: [0x3f, 0x01, 0x1a, 0x0b], at: 0, length: 2, reason: "zero byte expected: got 1"),
        ReservedCase(name: "memory.size 0x80 0x00", expression: [0x3f, 0x80, 0x00, 0x1a, 0x0b], at: 0, length: 3, reason: "zero byte expected: got 128"),
        ReservedCase(name: "memory.grow 1", expression: [0x41, 0x00, 0x40, 0x01, 0x1a, 0x0b], at: 2, length: 2, reason: "zero byte expected: got 1"),
        ReservedCase(name: "memory.fill 1", expression: i32x3 + [0xfc, 0x0b, 0x01, 0x0b], at: 6, length: 3, reason: "zero byte expected: got 1"),
        ReservedCase(name: "memory.copy 0 1", expression: i32x3 + [0xfc, 0x0a, 0x00, 0x01, 0x0b], at: 6, length: 4, reason: "zero byte expected: got 1"),
        ReservedCase(name: "memory.copy 1 0", expression: i32x3 + [0xfc, 0x0a, 0x01, 0x00, 0x0b], at: 6, length: 4, reason: "zero byte expected: got 1"),
        ReservedCase(name: "memory.init 0 1", expression: i32x3 + [0xfc, 0x08, 0x00, 0x01, 0x0b], at: 6, length: 4, reason: "zero byte expected: got 1"),
    ]

    /// Read as Wasm 2.0; in 3.0 the byte is a memory index (multiple memories), see below.
    @Test(arguments: reservedCases)
    func reservedMemoryIndexMustBeZero(_ c: ReservedCase) throws {
        let module = try ModuleDecoder.decode(WasmBytes.function(memory: true, c.expression), version: .v2)
        var reader = FunctionBodyReader(module.bodies[0])
        let error = try #require(throws: DecodeError.self) {
            while try reader.next() != nil {}
        }
        #expect(error.reason == c.reason)
        #expect(error.category == .malformed)
        // The offset lies within the failing instruction (or just after its last byte), in module coordinates.
        let instruction = module.bodies[0].expressionOffset + c.at
        let offset = try #require(error.location.offset)
        #expect((instruction...(instruction + c.length)).contains(offset), "offset \(offset), instruction at \(instruction)")
    }

    @Test func theReservedByteIsAMemoryIndexInWasm3() throws {
        let module = try ModuleDecoder.decode(WasmBytes.function(memory: true, [0x3f, 0x01, 0x1a, 0x0b]))
        var reader = FunctionBodyReader(module.bodies[0])
        guard case .memorySize(let memory)? = try reader.next()?.instruction else {
            Issue.record("expected memory.size")
            return
        }
        #expect(memory == 1)
    }

    @Test func illegalOpcode() throws {
        let error = try #require(throws: DecodeError.self) { try Self.read([0xff, 0x0b]) }
        #expect(error.reason.hasPrefix("illegal opcode"))
    }

    @Test func bodyWithoutFinalEnd() throws {
        let error = try #require(throws: DecodeError.self) { try Self.read([0x41, 0x00, 0x1a]) }
        #expect(error.reason.hasPrefix("unexpected end"))
    }
}
