import Foundation

/// A Wasm value as both engines can produce it, so their results, logs and globals compare directly.
/// References compare by null-ness only: the engines' pointers and addresses mean nothing to each other.
enum Val: Equatable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128([UInt8])
    case ref(isNull: Bool)

    var description: String {
        switch self {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): "f32:\(Float(bitPattern: v))(0x\(String(v, radix: 16)))"
        case .f64(let v): "f64:\(Double(bitPattern: v))(0x\(String(v, radix: 16)))"
        case .v128(let b): "v128:" + b.map { String(format: "%02x", $0) }.joined()
        case .ref(let isNull): isNull ? "ref:null" : "ref:nonnull"
        }
    }

    /// Whether two values agree up to NaN payloads: the spec leaves a NaN result's payload (and, for
    /// arithmetic NaNs, its sign) to the implementation, so any NaN equals any NaN. A v128 agrees when
    /// its bytes do, or when it agrees as four f32 lanes or as two f64 lanes (the vector's lane
    /// interpretation is not known here; NaN lanes then match NaN lanes).
    ///
    /// An i32 or i64 that is a NaN's bit pattern in both (as f32, as f64) also matches: binaryen's modules
    /// reinterpret float results (`i32.reinterpret_f32 (f32.max (nan:0x7fffea) …)` is -nan:0x7fffea under
    /// Kiln and the canonical NaN under WasmKit, both allowed), and an integer bug that maps one NaN
    /// pattern onto another is unlikely enough to accept the blind spot.
    func matches(_ other: Val) -> Bool {
        switch (self, other) {
        case (.i32(let a), .i32(let b)): return a == b || (Val.isNaN32(a) && Val.isNaN32(b))
        case (.i64(let a), .i64(let b)): return a == b || (Val.isNaN64(a) && Val.isNaN64(b))
        case (.f32(let a), .f32(let b)): return a == b || (Val.isNaN32(a) && Val.isNaN32(b))
        case (.f64(let a), .f64(let b)): return a == b || (Val.isNaN64(a) && Val.isNaN64(b))
        case (.v128(let a), .v128(let b)):
            if a == b { return true }
            guard a.count == 16, b.count == 16 else { return false }
            let as32 = (0..<4).allSatisfy { lane in
                let x = Val.word32(a, lane * 4), y = Val.word32(b, lane * 4)
                return x == y || (Val.isNaN32(x) && Val.isNaN32(y))
            }
            let as64 = (0..<2).allSatisfy { lane in
                let x = Val.word64(a, lane * 8), y = Val.word64(b, lane * 8)
                return x == y || (Val.isNaN64(x) && Val.isNaN64(y))
            }
            return as32 || as64
        default: return self == other
        }
    }

    static func isNaN32(_ bits: UInt32) -> Bool { bits & 0x7f80_0000 == 0x7f80_0000 && bits & 0x007f_ffff != 0 }
    static func isNaN64(_ bits: UInt64) -> Bool {
        bits & 0x7ff0_0000_0000_0000 == 0x7ff0_0000_0000_0000 && bits & 0x000f_ffff_ffff_ffff != 0
    }

    static func word32(_ bytes: some Collection<UInt8>, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for (i, b) in bytes.dropFirst(at).prefix(4).enumerated() { value |= UInt32(b) << (8 * UInt32(i)) }
        return value
    }

    static func word64(_ bytes: some Collection<UInt8>, _ at: Int) -> UInt64 {
        var value: UInt64 = 0
        for (i, b) in bytes.dropFirst(at).prefix(8).enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        return value
    }
}

/// How a call ended, with traps reduced to a class both engines' messages map onto.
enum Outcome: Equatable, CustomStringConvertible {
    case values([Val])
    case trap(TrapClass)

    var description: String {
        switch self {
        case .values(let vs): "returned [\(vs.map(\.description).joined(separator: ", "))]"
        case .trap(let c): "trapped (\(c.rawValue))"
        }
    }

    func matches(_ other: Outcome) -> Bool {
        switch (self, other) {
        case (.values(let a), .values(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        case (.trap(let a), .trap(let b)): a == b
        default: false
        }
    }
}

/// A trap by what went wrong. Kiln and WasmKit word some traps differently (WasmKit reports an
/// out-of-range call_indirect index and a table.get past the end alike), so each engine's message is
/// mapped onto these classes and the classes are compared.
enum TrapClass: String {
    case unreachable, memory, table, uninitialized, signature, divideByZero = "divide-by-zero", overflow
    case conversion, stack, nullReference = "null-reference", exception, host, other
    case unalignedAtomic = "unaligned-atomic", unsharedWait = "unshared-wait"
    /// Not a trap: the reference failed to run the function at all (an error of its own, not a Wasm trap).
    case referenceFailure = "reference-failure"

    init(message: String) {
        let m = message.lowercased()
        if m.contains("unreachable") { self = .unreachable }
        else if m.contains("call stack exhausted") || m.contains("stack overflow") { self = .stack }
        else if m.contains("unaligned atomic") || m.contains("unalignedatomic") { self = .unalignedAtomic }
        else if m.contains("shared memory") || m.contains("unsharedmemory") { self = .unsharedWait }
        else if m.contains("memory") { self = .memory }
        else if m.contains("uninitialized") || m.contains("null element") { self = .uninitialized }
        else if m.contains("type mismatch") { self = .signature }
        else if m.contains("table") || m.contains("undefined element") { self = .table }
        else if m.contains("divide by zero") { self = .divideByZero }
        else if m.contains("integer overflow") { self = .overflow }
        else if m.contains("invalid conversion") { self = .conversion }
        else if m.contains("exception"), !m.contains("null") { self = .exception }
        else if m.contains("null") { self = .nullReference }
        else if m.contains("host") { self = .host }
        else { self = .other }
    }
}
