import KilnModel

/// Comparisons, unary and binary operators and conversions. Plain C operators where C and Wasm agree
/// (unsigned wrap-around, IEEE add/sub/mul/div, float comparisons); helpers from
/// Runtime/include/kiln_numeric.h where C would be undefined or different (division, shifts, rotations,
/// clz of 0, min/max, nearest, float-to-int conversions, bit-exact abs/neg/copysign).
extension FunctionLowerer {
    mutating func lowerCmp(_ op: Instruction.Cmp) {
        // `l0 < l0` is -Wtautological-compare's error: store one side first.
        if input(0) == input(1) { materialize(typing.base) }
        let (a, b) = (input(0), input(1))
        let expression: String
        switch op {
        case .i32Eq, .i64Eq, .f32Eq, .f64Eq: expression = "\(a) == \(b)"
        case .i32Ne, .i64Ne, .f32Ne, .f64Ne: expression = "\(a) != \(b)"
        case .i32LtU, .i64LtU, .f32Lt, .f64Lt: expression = "\(a) < \(b)"
        case .i32GtU, .i64GtU, .f32Gt, .f64Gt: expression = "\(a) > \(b)"
        case .i32LeU, .i64LeU, .f32Le, .f64Le: expression = "\(a) <= \(b)"
        case .i32GeU, .i64GeU, .f32Ge, .f64Ge: expression = "\(a) >= \(b)"
        case .i32LtS: expression = "(s32)\(a) < (s32)\(b)"
        case .i32GtS: expression = "(s32)\(a) > (s32)\(b)"
        case .i32LeS: expression = "(s32)\(a) <= (s32)\(b)"
        case .i32GeS: expression = "(s32)\(a) >= (s32)\(b)"
        case .i64LtS: expression = "(s64)\(a) < (s64)\(b)"
        case .i64GtS: expression = "(s64)\(a) > (s64)\(b)"
        case .i64LeS: expression = "(s64)\(a) <= (s64)\(b)"
        case .i64GeS: expression = "(s64)\(a) >= (s64)\(b)"
        }
        emit("\(output(0)) = \(expression);", Self.specName("\(op)"))
    }

    mutating func lowerUnary(_ op: Instruction.Unary) {
        let name = Self.specName("\(op)")
        emit("\(output(0)) = kiln_\(name.replacingDots())(\(input(0)));", name)
    }

    mutating func lowerBinary(_ op: Instruction.Binary) {
        let (a, b) = (input(0), input(1))
        let name = Self.specName("\(op)")
        let expression: String
        switch op {
        case .i32Add, .i64Add, .f32Add, .f64Add: expression = "\(a) + \(b)"
        case .i32Sub, .i64Sub, .f32Sub, .f64Sub: expression = "\(a) - \(b)"
        case .i32Mul, .i64Mul, .f32Mul, .f64Mul: expression = "\(a) * \(b)"
        case .f32Div, .f64Div: expression = "\(a) / \(b)"
        case .i32And, .i64And: expression = "\(a) & \(b)"
        case .i32Or, .i64Or: expression = "\(a) | \(b)"
        case .i32Xor, .i64Xor: expression = "\(a) ^ \(b)"
        case .i32DivS, .i32DivU, .i32RemS, .i32RemU, .i64DivS, .i64DivU, .i64RemS, .i64RemU:
            expression = "kiln_\(name.replacingDots())(ctx, \(a), \(b))"
        case .i32Shl, .i32ShrS, .i32ShrU, .i32Rotl, .i32Rotr, .i64Shl, .i64ShrS, .i64ShrU, .i64Rotl, .i64Rotr,
            .f32Min, .f32Max, .f32Copysign, .f64Min, .f64Max, .f64Copysign:
            expression = "kiln_\(name.replacingDots())(\(a), \(b))"
        }
        emit("\(output(0)) = \(expression);", name)
    }

    mutating func lowerConversion(_ op: Instruction.Conversion) {
        let a = input(0)
        let name = Self.specName("\(op)")
        let expression: String
        switch op {
        case .i32WrapI64: expression = "(u32)\(a)"
        case .i64ExtendI32S: expression = "(u64)(s64)(s32)\(a)"
        case .i64ExtendI32U: expression = "(u64)\(a)"
        case .i32TruncF32S, .i32TruncF32U, .i32TruncF64S, .i32TruncF64U, .i64TruncF32S, .i64TruncF32U,
            .i64TruncF64S, .i64TruncF64U:
            expression = "kiln_\(name.replacingDots())(ctx, \(a))"
        default:
            expression = "kiln_\(name.replacingDots())(\(a))"
        }
        emit("\(output(0)) = \(expression);", name)
    }

    /// `i32TruncSatF32S` → `i32.trunc_sat_f32_s`: the spec's spelling, for comments and helper names.
    static func specName(_ camel: String) -> String {
        var out = ""
        for (i, c) in camel.enumerated() {
            if i == 3 { out += "." }
            if c.isUppercase {
                if !out.hasSuffix(".") { out += "_" }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

extension String {
    /// `i32.trunc_sat_f32_s` → `i32_trunc_sat_f32_s`, the runtime helper's suffix.
    func replacingDots() -> String { String(map { $0 == "." ? "_" : $0 }) }
}
