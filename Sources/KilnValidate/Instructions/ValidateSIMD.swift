import KilnModel

/// SIMD (v128) typing: every operation's shape, lane indices and the alignment of lane accesses.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#vector-instructions>
extension FunctionValidator {
    /// `relaxed`: a relaxed SIMD operation (Wasm 3.0) taking `arity` v128 operands to one v128.
    enum SIMDShape { case splat(ValueType), test, shift, ternary, unary, binary, relaxed(arity: Int) }

    static func shape(_ op: Instruction.Simd) -> SIMDShape {
        switch op {
        case .i8x16Splat, .i16x8Splat, .i32x4Splat:
            .splat(.i32)
        case .i64x2Splat:
            .splat(.i64)
        case .f32x4Splat:
            .splat(.f32)
        case .f64x2Splat:
            .splat(.f64)
        case .i8x16AllTrue, .i8x16Bitmask, .i16x8AllTrue, .i16x8Bitmask, .i32x4AllTrue, .i32x4Bitmask,
            .i64x2Bitmask, .v128AnyTrue, .i64x2AllTrue:
            .test
        case .i8x16Shl, .i8x16ShrS, .i8x16ShrU, .i16x8Shl, .i16x8ShrS, .i16x8ShrU, .i32x4Shl, .i32x4ShrS,
            .i32x4ShrU, .i64x2Shl, .i64x2ShrS, .i64x2ShrU:
            .shift
        case .v128Bitselect:
            .ternary
        case .v128Not, .i8x16Abs, .i8x16Neg, .i16x8Abs, .i16x8Neg, .i16x8ExtendLowI8X16S, .i16x8ExtendHighI8X16S,
            .i16x8ExtendLowI8X16U, .i16x8ExtendHighI8X16U, .i32x4Abs, .i32x4Neg, .i32x4ExtendLowI16X8S,
            .i32x4ExtendHighI16X8S, .i32x4ExtendLowI16X8U, .i32x4ExtendHighI16X8U, .i64x2Abs, .i64x2Neg,
            .i64x2ExtendLowI32X4S, .i64x2ExtendHighI32X4S, .i64x2ExtendLowI32X4U, .i64x2ExtendHighI32X4U,
            .f32x4Ceil, .f32x4Floor, .f32x4Trunc, .f32x4Nearest, .f64x2Ceil, .f64x2Floor, .f64x2Trunc,
            .f64x2Nearest, .f32x4Abs, .f32x4Neg, .f32x4Sqrt, .f64x2Abs, .f64x2Neg, .f64x2Sqrt,
            .i32x4TruncSatF32X4S, .i32x4TruncSatF32X4U, .f32x4ConvertI32X4S, .f32x4ConvertI32X4U,
            .f64x2ConvertLowI32X4S, .f64x2ConvertLowI32X4U, .i32x4TruncSatF64X2SZero, .i32x4TruncSatF64X2UZero,
            .f32x4DemoteF64X2Zero, .f64x2PromoteLowF32X4, .i8x16Popcnt, .i16x8ExtaddPairwiseI8X16S,
            .i16x8ExtaddPairwiseI8X16U, .i32x4ExtaddPairwiseI16X8S, .i32x4ExtaddPairwiseI16X8U:
            .unary
        case .i8x16Swizzle, .i8x16Eq, .i8x16Ne, .i8x16LtS, .i8x16LtU, .i8x16GtS, .i8x16GtU, .i8x16LeS, .i8x16LeU,
            .i8x16GeS, .i8x16GeU, .i16x8Eq, .i16x8Ne, .i16x8LtS, .i16x8LtU, .i16x8GtS, .i16x8GtU, .i16x8LeS,
            .i16x8LeU, .i16x8GeS, .i16x8GeU, .i32x4Eq, .i32x4Ne, .i32x4LtS, .i32x4LtU, .i32x4GtS, .i32x4GtU,
            .i32x4LeS, .i32x4LeU, .i32x4GeS, .i32x4GeU, .f32x4Eq, .f32x4Ne, .f32x4Lt, .f32x4Gt, .f32x4Le, .f32x4Ge,
            .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Gt, .f64x2Le, .f64x2Ge, .v128And, .v128Andnot, .v128Or, .v128Xor,
            .i8x16NarrowI16X8S, .i8x16NarrowI16X8U, .i8x16Add, .i8x16AddSatS, .i8x16AddSatU, .i8x16Sub,
            .i8x16SubSatS, .i8x16SubSatU, .i8x16MinS, .i8x16MinU, .i8x16MaxS, .i8x16MaxU, .i8x16AvgrU,
            .i16x8NarrowI32X4S, .i16x8NarrowI32X4U, .i16x8Add, .i16x8AddSatS, .i16x8AddSatU, .i16x8Sub,
            .i16x8SubSatS, .i16x8SubSatU, .i16x8Mul, .i16x8MinS, .i16x8MinU, .i16x8MaxS, .i16x8MaxU, .i16x8AvgrU,
            .i32x4Add, .i32x4Sub, .i32x4Mul, .i32x4MinS, .i32x4MinU, .i32x4MaxS, .i32x4MaxU, .i32x4DotI16X8S,
            .i64x2Add, .i64x2Sub, .i64x2Mul, .f32x4Add, .f32x4Sub, .f32x4Mul, .f32x4Div, .f32x4Min, .f32x4Max,
            .f32x4Pmin, .f32x4Pmax, .f64x2Add, .f64x2Sub, .f64x2Mul, .f64x2Div, .f64x2Min, .f64x2Max, .f64x2Pmin,
            .f64x2Pmax, .i16x8ExtmulLowI8X16S, .i16x8ExtmulHighI8X16S, .i16x8ExtmulLowI8X16U,
            .i16x8ExtmulHighI8X16U, .i32x4ExtmulLowI16X8S, .i32x4ExtmulHighI16X8S, .i32x4ExtmulLowI16X8U,
            .i32x4ExtmulHighI16X8U, .i64x2ExtmulLowI32X4S, .i64x2ExtmulHighI32X4S, .i64x2ExtmulLowI32X4U,
            .i64x2ExtmulHighI32X4U, .i16x8Q15MulrSatS, .i64x2Eq, .i64x2Ne, .i64x2LtS, .i64x2GtS, .i64x2LeS,
            .i64x2GeS:
            .binary
        case .i32x4RelaxedTruncF32X4S, .i32x4RelaxedTruncF32X4U, .i32x4RelaxedTruncF64X2SZero,
            .i32x4RelaxedTruncF64X2UZero:
            .relaxed(arity: 1)
        case .i8x16RelaxedSwizzle, .f32x4RelaxedMin, .f32x4RelaxedMax, .f64x2RelaxedMin, .f64x2RelaxedMax,
            .i16x8RelaxedQ15MulrS, .i16x8RelaxedDotI8X16I7X16S:
            .relaxed(arity: 2)
        case .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd, .i8x16RelaxedLaneselect,
            .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect, .i32x4RelaxedDotI8X16I7X16AddS:
            .relaxed(arity: 3)
        }
    }

    mutating func validateSIMD(_ op: Instruction.Simd) throws(ValidationError) {
        switch Self.shape(op) {
        case .splat(let scalar): try apply(scalar, .v128)
        case .test: try apply(.v128, .i32)
        case .shift: try apply([.v128, .i32], [.v128])
        case .ternary: try apply([.v128, .v128, .v128], [.v128])
        case .unary: try apply(.v128, .v128)
        case .binary: try apply([.v128, .v128], [.v128])
        case .relaxed(let arity):
            guard context.module.version != .v2 else { throw .unsupported("relaxed SIMD \(op)") }
            try apply(Array(repeating: .v128, count: arity), [.v128])
        }
    }

    mutating func validateShuffle(_ mask: V128ShuffleMask) throws(ValidationError) {
        for lane in mask.lanes where lane >= 32 { throw .invalidLane(lane, lanes: 32) }
        try apply([.v128, .v128], [.v128])
    }

    /// (lane count, scalar type, is a replace) of extract_lane and replace_lane.
    static func laneShape(_ op: Instruction.SimdLane) -> (lanes: Int, scalar: ValueType, replace: Bool) {
        switch op {
        case .i8x16ExtractLaneS, .i8x16ExtractLaneU: (16, .i32, false)
        case .i8x16ReplaceLane: (16, .i32, true)
        case .i16x8ExtractLaneS, .i16x8ExtractLaneU: (8, .i32, false)
        case .i16x8ReplaceLane: (8, .i32, true)
        case .i32x4ExtractLane: (4, .i32, false)
        case .i32x4ReplaceLane: (4, .i32, true)
        case .i64x2ExtractLane: (2, .i64, false)
        case .i64x2ReplaceLane: (2, .i64, true)
        case .f32x4ExtractLane: (4, .f32, false)
        case .f32x4ReplaceLane: (4, .f32, true)
        case .f64x2ExtractLane: (2, .f64, false)
        case .f64x2ReplaceLane: (2, .f64, true)
        }
    }

    mutating func validateSIMDLane(_ op: Instruction.SimdLane, lane: UInt8) throws(ValidationError) {
        let (lanes, scalar, replace) = Self.laneShape(op)
        guard Int(lane) < lanes else { throw .invalidLane(lane, lanes: lanes) }
        if replace {
            try apply([.v128, scalar], [.v128])
        } else {
            try apply(.v128, scalar)
        }
    }

    /// (byte width, is a store) of v128.loadN_lane and v128.storeN_lane.
    public static func memLaneShape(_ op: SIMDMemLaneInstruction) -> (width: Int, store: Bool) {
        switch op {
        case .v128Load8Lane: (1, false)
        case .v128Load16Lane: (2, false)
        case .v128Load32Lane: (4, false)
        case .v128Load64Lane: (8, false)
        case .v128Store8Lane: (1, true)
        case .v128Store16Lane: (2, true)
        case .v128Store32Lane: (4, true)
        case .v128Store64Lane: (8, true)
        }
    }

    mutating func validateSIMDMemLane(_ op: Instruction.SimdMemLane, _ memarg: MemArg, lane: UInt8) throws(ValidationError) {
        let (width, store) = Self.memLaneShape(op)
        let address = try checkMemArg(memarg, width: width)
        guard Int(lane) < 16 / width else { throw .invalidLane(lane, lanes: 16 / width) }
        try apply([address, .v128], store ? [] : [.v128])
    }
}
