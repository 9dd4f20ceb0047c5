import KilnLoad
import KilnModel
import WAT

/// Script values to host values, and results against expectations (including `nan:canonical` and
/// `nan:arithmetic`). Externref `n` of the scripts is the host pointer value n + 1, so that
/// `ref.extern 0` is not null.
enum Expectation {
    static func value(_ constant: WASTConstValue) -> Value {
        switch constant {
        case .i32(let v): .i32(v)
        case .i64(let v): .i64(v)
        case .f32(let v): .f32(Float(bitPattern: v))
        case .f64(let v): .f64(Double(bitPattern: v))
        case .v128(let v): .v128(v.bytes)
        case .refNull(let heap): heap == .externRef ? .externref(nil) : .funcref(nil)
        case .refFunc: .funcref(nil)
        case .refExtern(let v), .refHost(let v): .externref(UInt(v) + 1)
        }
    }

    static func check(_ actual: [Value], _ expected: [WASTExpectValue]) -> Outcome {
        guard actual.count == expected.count else {
            return .failed("returned \(actual.count) values, expected \(expected.count)")
        }
        for (value, expectation) in zip(actual, expected) where !matches(value, expectation) {
            return .failed("returned \(actual.map(\.description).joined(separator: ", ")), expected \(expected.map(describe).joined(separator: ", "))")
        }
        return .passed
    }

    static func matches(_ value: Value, _ expected: WASTExpectValue) -> Bool {
        switch (value, expected) {
        case (.i32(let a), .i32(let b)): return a == b
        case (.i64(let a), .i64(let b)): return a == b
        case (.f32(let a), .f32(let b)): return a.bitPattern == b
        case (.f64(let a), .f64(let b)): return a.bitPattern == b
        case (.f32(let a), .f32CanonicalNaN): return a.bitPattern & 0x7fff_ffff == 0x7fc0_0000
        case (.f32(let a), .f32ArithmeticNaN): return a.bitPattern & 0x7fc0_0000 == 0x7fc0_0000
        case (.f64(let a), .f64CanonicalNaN): return a.bitPattern & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000
        case (.f64(let a), .f64ArithmeticNaN): return a.bitPattern & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
        case (.v128(let a), .v128(let b)): return a == b.bytes
        case (.v128(let a), .v128Pattern(let pattern)): return matchesPattern(a, pattern)
        case (.funcref(let p), .refNull), (.externref(let p), .refNull): return p == nil
        case (.funcref(let p), .refFunc): return p != nil
        case (.externref(let p), .refExtern(let v)): return v.map { p == UInt($0) + 1 } ?? (p != nil)
        case (_, .either(let options)): return options.contains { matches(value, $0) }
        default: return false
        }
    }

    /// Lanes of a v128 against an expectation whose float lanes may be NaN patterns.
    static func matchesPattern(_ bytes: [UInt8], _ pattern: V128Expectation) -> Bool {
        guard let shape = pattern.shape else { return bytes == pattern.bytes }
        let width = shape == .f32x4 ? 4 : 8
        for lane in 0..<(16 / width) {
            let range = (lane * width)..<((lane + 1) * width)
            if pattern.nanLaneMask & (1 << lane) != 0 {
                let lane = bytes[range].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let isNaN = width == 4 ? Float(bitPattern: UInt32(lane)).isNaN : Double(bitPattern: lane).isNaN
                if !isNaN { return false }
            } else if Array(bytes[range]) != Array(pattern.bytes[range]) {
                return false
            }
        }
        return true
    }

    static func describe(_ expected: WASTExpectValue) -> String {
        switch expected {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): "f32:\(Float(bitPattern: v)) (0x\(String(v, radix: 16)))"
        case .f64(let v): "f64:\(Double(bitPattern: v)) (0x\(String(v, radix: 16)))"
        default: "\(expected)"
        }
    }
}
