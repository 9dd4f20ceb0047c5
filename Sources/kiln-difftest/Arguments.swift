/// The argument vectors each export is called with: all zeros first (as binaryen's own harness calls
/// every export), then edge cases (0, ±1, the extremes, NaN, ±inf, ±0, the smallest subnormal) mixed
/// with random values, drawn from a generator seeded by the module's bytes, so a run is reproducible.
struct ArgumentSource {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    static let i32Edges: [UInt32] = [0, 1, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 2, 0xff, 0xffff, 0x1_0000]
    static let i64Edges: [UInt64] = [0, 1, ~0, 1 << 63, (1 << 63) - 1, 0xffff_ffff, 0x8000_0000, 0x1_0000_0000]
    static let f32Edges: [UInt32] = [
        0, 0x8000_0000, 0x3f80_0000, 0xbf80_0000, 0x7fc0_0000, 0xffc0_0000, 0x7f80_0000, 0xff80_0000,
        0x7f7f_ffff, 0x0000_0001, 0x4f00_0000, 0xcf00_0000, 0x3f00_0000,
    ]
    static let f64Edges: [UInt64] = [
        0, 1 << 63, 0x3ff0_0000_0000_0000, 0xbff0_0000_0000_0000, 0x7ff8_0000_0000_0000, 0xfff8_0000_0000_0000,
        0x7ff0_0000_0000_0000, 0xfff0_0000_0000_0000, 0x7fef_ffff_ffff_ffff, 1, 0x41e0_0000_0000_0000,
        0xc3e0_0000_0000_0000, 0x3fe0_0000_0000_0000,
    ]

    /// The `index`th vector for parameters spelled as Kiln signature characters.
    mutating func vector(_ types: [Character], index: Int) -> [Val] {
        types.map { type in
            if index == 0 { return Self.zero(type) }
            let edge = next() % 8 < 5
            let r = next()
            switch type {
            case "i": return .i32(edge ? Self.i32Edges[Int(r % UInt64(Self.i32Edges.count))] : UInt32(truncatingIfNeeded: r))
            case "j": return .i64(edge ? Self.i64Edges[Int(r % UInt64(Self.i64Edges.count))] : r)
            case "f": return .f32(edge ? Self.f32Edges[Int(r % UInt64(Self.f32Edges.count))] : UInt32(truncatingIfNeeded: r))
            case "d": return .f64(edge ? Self.f64Edges[Int(r % UInt64(Self.f64Edges.count))] : r)
            case "v":
                if edge { return .v128([UInt8](repeating: r % 2 == 0 ? 0 : 0xff, count: 16)) }
                let high = next()
                return .v128((0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? r : high) >> (8 * UInt64($0 % 8))) })
            default: return .ref(isNull: true)
            }
        }
    }

    static func zero(_ type: Character) -> Val {
        switch type {
        case "i": .i32(0)
        case "j": .i64(0)
        case "f": .f32(0)
        case "d": .f64(0)
        case "v": .v128([UInt8](repeating: 0, count: 16))
        default: .ref(isNull: true)
        }
    }

    /// FNV-1a of the module, the seed of its arguments.
    static func seed(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }
}
