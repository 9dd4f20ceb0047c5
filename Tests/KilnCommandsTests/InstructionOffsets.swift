import Kiln
import KilnDecode
import WasmParser

/// Where instructions are in a module, read by the decoder: what a backtrace's code offsets must match.
enum InstructionOffsets {
    /// The module offsets of the instructions of the `index`th function body (the function index less the
    /// imported functions) that `matches` picks, in order.
    static func of(_ binary: [UInt8], body index: Int, _ matches: (Instruction) -> Bool) throws -> [Int] {
        let validated = try Kiln.validate(.binary(binary))
        var reader = FunctionBodyReader(validated.module.bodies[index])
        var offsets: [Int] = []
        while let decoded = try reader.next() {
            if let instruction = decoded.instruction, matches(instruction) { offsets.append(decoded.offset) }
        }
        return offsets
    }

    /// The offset of the `index`th body's only instruction that `matches` picks.
    static func only(_ binary: [UInt8], body index: Int, _ matches: (Instruction) -> Bool) throws -> Int {
        let offsets = try of(binary, body: index, matches)
        guard offsets.count == 1 else { throw OffsetError(found: offsets.count) }
        return offsets[0]
    }

    static func isCall(_ instruction: Instruction) -> Bool {
        if case .call = instruction { true } else { false }
    }

    static func isLoad(_ instruction: Instruction) -> Bool {
        if case .load = instruction { true } else { false }
    }

    static func isBinary(_ instruction: Instruction) -> Bool {
        if case .binary = instruction { true } else { false }
    }

    /// `at offset 0x2a` for the `index`th body's only instruction that `matches` picks.
    static func at(_ binary: [UInt8], body index: Int, _ matches: (Instruction) -> Bool) throws -> String {
        "at offset " + hex(try only(binary, body: index, matches))
    }

    struct OffsetError: Error { let found: Int }

    static func hex(_ offset: Int) -> String { "0x" + String(offset, radix: 16) }
}
