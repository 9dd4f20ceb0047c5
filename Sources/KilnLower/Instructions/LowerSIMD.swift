import KilnModel
import KilnValidate

/// v128 instructions: each becomes a call of its helper in Runtime/include/kiln_simd.h, named after the
/// spec (`i16x8.extadd_pairwise_i8x16_s` → `kiln_i16x8_extadd_pairwise_i8x16_s`), with the operands in
/// stack order; shuffles use `__builtin_shufflevector` with the constant lanes.
extension FunctionLowerer {
    mutating func lowerV128Const(_ value: V128) {
        emit("\(output(0)) = (kiln_v128){\(value.bytes.map { "\($0)" }.joined(separator: ", "))};", "v128.const")
    }

    mutating func lowerShuffle(_ mask: V128ShuffleMask) {
        let lanes = mask.lanes.map { "\($0)" }.joined(separator: ", ")
        emit("\(output(0)) = __builtin_shufflevector(\(input(0)), \(input(1)), \(lanes));", "i8x16.shuffle")
    }

    mutating func lowerSIMD(_ op: Instruction.Simd) {
        let name = SIMDNames.spec("\(op)")
        let arguments = inputTypes.indices.map { input($0) }.joined(separator: ", ")
        emit("\(output(0)) = kiln_\(name.replacingDots())(\(arguments));", name)
    }

    mutating func lowerSIMDLane(_ op: Instruction.SimdLane, lane: UInt8) {
        let name = SIMDNames.spec("\(op)")
        let call = inputTypes.count == 2
            ? "kiln_\(name.replacingDots())(\(input(0)), \(lane), \(input(1)))"
            : "kiln_\(name.replacingDots())(\(input(0)), \(lane))"
        emit("\(output(0)) = \(call);", "\(name) \(lane)")
    }

    mutating func lowerSIMDMemLane(_ op: Instruction.SimdMemLane, _ memarg: MemArg, lane: UInt8) {
        let name = SIMDNames.spec("\(op)")
        let helper = (context.isShared(memarg.memory) ? "kiln_shared_" : "kiln_") + name.replacingDots()
        let call = "\(helper)(ctx, \(memory(memarg.memory)), \(accessArguments(input(0), memarg, width: FunctionValidator<NullSink>.memLaneShape(op).width)), \(input(1)), \(lane))"
        if outputTypes.isEmpty {
            emit("\(call);", "\(name) offset=\(memarg.offset) \(lane)")
        } else {
            emit("\(output(0)) = \(call);", "\(name) offset=\(memarg.offset) \(lane)")
        }
    }
}

/// Spec spellings of SIMD instructions from WasmParser's case names.
enum SIMDNames {
    /// `i16x8ExtendLowI8X16S` → `i16x8.extend_low_i8x16_s`, `v128Load8X8S` → `v128.load8x8_s`.
    static func spec(_ camel: String) -> String {
        let prefixLength = camel.hasPrefix("v128") ? 4 : 5
        let prefix = camel.prefix(prefixLength)
        var tokens: [String] = []
        var current = ""
        for c in camel.dropFirst(prefixLength) {
            if c.isUppercase, !current.isEmpty {
                tokens.append(current)
                current = ""
            }
            current.append(c)
        }
        if !current.isEmpty { tokens.append(current) }
        var words: [String] = []
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            let next = i + 1 < tokens.count ? tokens[i + 1] : ""
            let joinsShape = next.hasPrefix("X") && next.dropFirst().allSatisfy(\.isNumber)
                && (token.first == "I" || token.first == "F" || token.hasPrefix("Load")) && token.last?.isNumber == true
            if joinsShape || (token == "Q15" && next == "Mulr") {
                words.append((token + next).lowercased())
                i += 2
            } else {
                words.append(token.lowercased())
                i += 1
            }
        }
        return prefix + "." + words.joined(separator: "_")
    }
}
