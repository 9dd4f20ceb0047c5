import KilnModel

/// Unsigned bounds of i32 operand-stack values, for accesses whose address can never leave memory 0's
/// declared minimum: a table indexed by a masked value (`crc = table[(crc ^ b) & 0xff] ^ (crc >> 8)`, a
/// Huffman table, a byte's class) needs no check. Only what one instruction computes from its operands
/// (constants, masks, shifts, byte loads, compares) is known; a local's value is not tracked.
struct ValueRange: Equatable {
    var low: UInt64
    var high: UInt64

    static let unknown = ValueRange(low: 0, high: 0xffff_ffff)

    static func exactly(_ value: UInt64) -> ValueRange { ValueRange(low: value, high: value) }

    var constant: UInt64? { low == high ? low : nil }

    /// nil when the result could wrap (then it is not tracked).
    static func checked(_ low: UInt64, _ high: UInt64) -> ValueRange? { high <= 0xffff_ffff ? ValueRange(low: low, high: high) : nil }

    /// Every value with no bit above the highest one `high` has.
    var bitsBelow: UInt64 { high == 0 ? 0 : (UInt64(1) << (64 - UInt64(high.leadingZeroBitCount))) - 1 }
}

extension FunctionLowerer {
    /// After an instruction: what is known of the values it left on the stack. Every height from its base
    /// up is forgotten first, so a slot that control flow or a branch rewrote is never assumed.
    mutating func updateRanges(_ instruction: Instruction) {
        guard !context.boundsGuard else { return }  // only explicit checks are left out by them
        let inputs = (0..<max(0, typing.heightBefore - typing.base)).map { ranges[typing.base + $0] }
        ranges = ranges.filter { $0.key < typing.base }
        guard typing.heightAfter == typing.base + 1, outputTypes.first == .i32,
            let result = Self.range(of: instruction, inputs)
        else { return }
        ranges[typing.base] = result
    }

    static func range(of instruction: Instruction, _ inputs: [ValueRange?]) -> ValueRange? {
        switch instruction {
        case .i32Const(let value): return .exactly(UInt64(UInt32(bitPattern: value)))
        case .localTee: return inputs.first ?? nil
        case .load(let load, _):
            switch load {
            case .i32Load8U: return ValueRange(low: 0, high: 0xff)
            case .i32Load16U: return ValueRange(low: 0, high: 0xffff)
            default: return nil
            }
        case .cmp, .i32Eqz, .i64Eqz: return ValueRange(low: 0, high: 1)
        case .unary(let op):
            switch op {
            case .i32Clz, .i32Ctz, .i32Popcnt: return ValueRange(low: 0, high: 32)
            default: return nil
            }
        case .select, .typedSelect:
            guard inputs.count == 3, let a = inputs[0], let b = inputs[1] else { return nil }
            return ValueRange(low: min(a.low, b.low), high: max(a.high, b.high))
        case .binary(let op):
            guard inputs.count == 2 else { return nil }
            return binaryRange(op, inputs[0], inputs[1])
        default: return nil
        }
    }

    static func binaryRange(_ op: Instruction.Binary, _ a: ValueRange?, _ b: ValueRange?) -> ValueRange? {
        switch op {
        case .i32And:
            // Never above either operand.
            let high = min(a?.high ?? 0xffff_ffff, b?.high ?? 0xffff_ffff)
            return high < 0xffff_ffff ? ValueRange(low: 0, high: high) : nil
        case .i32Or, .i32Xor:
            guard let a, let b else { return nil }
            return ValueRange(low: 0, high: max(a.bitsBelow, b.bitsBelow))
        case .i32Add:
            guard let a, let b else { return nil }
            return .checked(a.low + b.low, a.high + b.high)
        case .i32Mul:
            guard let a, let b, a.high < 1 << 32, b.high < 1 << 32 else { return nil }
            return .checked(a.low * b.low, a.high * b.high)
        case .i32Shl:
            guard let a, let k = b?.constant.map({ $0 & 31 }) else { return nil }
            return .checked(a.low << k, a.high << k)
        case .i32ShrU:
            guard let k = b?.constant.map({ $0 & 31 }) else { return nil }
            let value = a ?? .unknown
            return ValueRange(low: value.low >> k, high: value.high >> k)
        case .i32RemU:
            guard let divisor = b?.constant, divisor > 0 else { return nil }
            return ValueRange(low: 0, high: min(divisor - 1, a?.high ?? 0xffff_ffff))
        default: return nil
        }
    }
}
