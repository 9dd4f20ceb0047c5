import KilnModel

/// A read-modify-write atomic instruction (threads): what it does, on which type, and how many bytes.
public struct AtomicRMW: Sendable, Equatable {
    public enum Operation: String, Sendable { case add, sub, and, or, xor, xchg, cmpxchg }
    public let operation: Operation
    /// The operands' and the result's type; a narrower access zero-extends what it read.
    public let type: ValueType
    public let width: Int
    public let memarg: MemArg

    /// Its spec name, `i64.atomic.rmw16.cmpxchg_u`.
    public var name: String {
        let size = width * 8 == (type == .i64 ? 64 : 32) ? "" : "\(width * 8)"
        return "\(type).atomic.rmw\(size).\(operation.rawValue)\(size.isEmpty ? "" : "_u")"
    }

    public static func of(_ instruction: Instruction) -> AtomicRMW? {
        switch instruction {
        case .i32AtomicRmwAdd(let m): AtomicRMW(operation: .add, type: .i32, width: 4, memarg: m)
        case .i64AtomicRmwAdd(let m): AtomicRMW(operation: .add, type: .i64, width: 8, memarg: m)
        case .i32AtomicRmw8AddU(let m): AtomicRMW(operation: .add, type: .i32, width: 1, memarg: m)
        case .i32AtomicRmw16AddU(let m): AtomicRMW(operation: .add, type: .i32, width: 2, memarg: m)
        case .i64AtomicRmw8AddU(let m): AtomicRMW(operation: .add, type: .i64, width: 1, memarg: m)
        case .i64AtomicRmw16AddU(let m): AtomicRMW(operation: .add, type: .i64, width: 2, memarg: m)
        case .i64AtomicRmw32AddU(let m): AtomicRMW(operation: .add, type: .i64, width: 4, memarg: m)
        case .i32AtomicRmwSub(let m): AtomicRMW(operation: .sub, type: .i32, width: 4, memarg: m)
        case .i64AtomicRmwSub(let m): AtomicRMW(operation: .sub, type: .i64, width: 8, memarg: m)
        case .i32AtomicRmw8SubU(let m): AtomicRMW(operation: .sub, type: .i32, width: 1, memarg: m)
        case .i32AtomicRmw16SubU(let m): AtomicRMW(operation: .sub, type: .i32, width: 2, memarg: m)
        case .i64AtomicRmw8SubU(let m): AtomicRMW(operation: .sub, type: .i64, width: 1, memarg: m)
        case .i64AtomicRmw16SubU(let m): AtomicRMW(operation: .sub, type: .i64, width: 2, memarg: m)
        case .i64AtomicRmw32SubU(let m): AtomicRMW(operation: .sub, type: .i64, width: 4, memarg: m)
        case .i32AtomicRmwAnd(let m): AtomicRMW(operation: .and, type: .i32, width: 4, memarg: m)
        case .i64AtomicRmwAnd(let m): AtomicRMW(operation: .and, type: .i64, width: 8, memarg: m)
        case .i32AtomicRmw8AndU(let m): AtomicRMW(operation: .and, type: .i32, width: 1, memarg: m)
        case .i32AtomicRmw16AndU(let m): AtomicRMW(operation: .and, type: .i32, width: 2, memarg: m)
        case .i64AtomicRmw8AndU(let m): AtomicRMW(operation: .and, type: .i64, width: 1, memarg: m)
        case .i64AtomicRmw16AndU(let m): AtomicRMW(operation: .and, type: .i64, width: 2, memarg: m)
        case .i64AtomicRmw32AndU(let m): AtomicRMW(operation: .and, type: .i64, width: 4, memarg: m)
        case .i32AtomicRmwOr(let m): AtomicRMW(operation: .or, type: .i32, width: 4, memarg: m)
        case .i64AtomicRmwOr(let m): AtomicRMW(operation: .or, type: .i64, width: 8, memarg: m)
        case .i32AtomicRmw8OrU(let m): AtomicRMW(operation: .or, type: .i32, width: 1, memarg: m)
        case .i32AtomicRmw16OrU(let m): AtomicRMW(operation: .or, type: .i32, width: 2, memarg: m)
        case .i64AtomicRmw8OrU(let m): AtomicRMW(operation: .or, type: .i64, width: 1, memarg: m)
        case .i64AtomicRmw16OrU(let m): AtomicRMW(operation: .or, type: .i64, width: 2, memarg: m)
        case .i64AtomicRmw32OrU(let m): AtomicRMW(operation: .or, type: .i64, width: 4, memarg: m)
        case .i32AtomicRmwXor(let m): AtomicRMW(operation: .xor, type: .i32, width: 4, memarg: m)
        case .i64AtomicRmwXor(let m): AtomicRMW(operation: .xor, type: .i64, width: 8, memarg: m)
        case .i32AtomicRmw8XorU(let m): AtomicRMW(operation: .xor, type: .i32, width: 1, memarg: m)
        case .i32AtomicRmw16XorU(let m): AtomicRMW(operation: .xor, type: .i32, width: 2, memarg: m)
        case .i64AtomicRmw8XorU(let m): AtomicRMW(operation: .xor, type: .i64, width: 1, memarg: m)
        case .i64AtomicRmw16XorU(let m): AtomicRMW(operation: .xor, type: .i64, width: 2, memarg: m)
        case .i64AtomicRmw32XorU(let m): AtomicRMW(operation: .xor, type: .i64, width: 4, memarg: m)
        case .i32AtomicRmwXchg(let m): AtomicRMW(operation: .xchg, type: .i32, width: 4, memarg: m)
        case .i64AtomicRmwXchg(let m): AtomicRMW(operation: .xchg, type: .i64, width: 8, memarg: m)
        case .i32AtomicRmw8XchgU(let m): AtomicRMW(operation: .xchg, type: .i32, width: 1, memarg: m)
        case .i32AtomicRmw16XchgU(let m): AtomicRMW(operation: .xchg, type: .i32, width: 2, memarg: m)
        case .i64AtomicRmw8XchgU(let m): AtomicRMW(operation: .xchg, type: .i64, width: 1, memarg: m)
        case .i64AtomicRmw16XchgU(let m): AtomicRMW(operation: .xchg, type: .i64, width: 2, memarg: m)
        case .i64AtomicRmw32XchgU(let m): AtomicRMW(operation: .xchg, type: .i64, width: 4, memarg: m)
        case .i32AtomicRmwCmpxchg(let m): AtomicRMW(operation: .cmpxchg, type: .i32, width: 4, memarg: m)
        case .i64AtomicRmwCmpxchg(let m): AtomicRMW(operation: .cmpxchg, type: .i64, width: 8, memarg: m)
        case .i32AtomicRmw8CmpxchgU(let m): AtomicRMW(operation: .cmpxchg, type: .i32, width: 1, memarg: m)
        case .i32AtomicRmw16CmpxchgU(let m): AtomicRMW(operation: .cmpxchg, type: .i32, width: 2, memarg: m)
        case .i64AtomicRmw8CmpxchgU(let m): AtomicRMW(operation: .cmpxchg, type: .i64, width: 1, memarg: m)
        case .i64AtomicRmw16CmpxchgU(let m): AtomicRMW(operation: .cmpxchg, type: .i64, width: 2, memarg: m)
        case .i64AtomicRmw32CmpxchgU(let m): AtomicRMW(operation: .cmpxchg, type: .i64, width: 4, memarg: m)
        default: nil
        }
    }
}

/// The threads proposal's instructions: atomic loads, stores and read-modify-writes need their natural
/// alignment exactly (the hint is a promise there: a misaligned address traps), and any memory will do, shared
/// or not (wait traps on an unshared one at run time, notify finds no waiter).
/// > Note: <https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md>
extension FunctionValidator {
    /// The value type and byte width of the atomic loads.
    public static func atomicLoadShape(_ load: LoadInstruction) -> (type: ValueType, width: Int)? {
        switch load {
        case .i32AtomicLoad: (.i32, 4)
        case .i64AtomicLoad: (.i64, 8)
        case .i32AtomicLoad8U: (.i32, 1)
        case .i32AtomicLoad16U: (.i32, 2)
        case .i64AtomicLoad8U: (.i64, 1)
        case .i64AtomicLoad16U: (.i64, 2)
        case .i64AtomicLoad32U: (.i64, 4)
        default: nil
        }
    }

    public static func atomicStoreShape(_ store: StoreInstruction) -> (type: ValueType, width: Int)? {
        switch store {
        case .i32AtomicStore: (.i32, 4)
        case .i64AtomicStore: (.i64, 8)
        case .i32AtomicStore8: (.i32, 1)
        case .i32AtomicStore16: (.i32, 2)
        case .i64AtomicStore8: (.i64, 1)
        case .i64AtomicStore16: (.i64, 2)
        case .i64AtomicStore32: (.i64, 4)
        default: nil
        }
    }

    /// An atomic access's memarg: the memory must exist and the alignment be exactly the access's width.
    func checkAtomicMemArg(_ memarg: MemArg, width: Int) throws(ValidationError) -> ValueType {
        let address = try checkMemArg(memarg, width: width)
        guard 1 << Int(memarg.align) == width else { throw .atomicAlignment(memarg.align, natural: width) }
        return address
    }

    mutating func validateAtomicLoad(_ load: Instruction.Load, _ memarg: MemArg) throws(ValidationError) {
        guard let (type, width) = Self.atomicLoadShape(load) else { throw .unsupported("\(load)") }
        try apply(try checkAtomicMemArg(memarg, width: width), type)
    }

    mutating func validateAtomicStore(_ store: Instruction.Store, _ memarg: MemArg) throws(ValidationError) {
        guard let (type, width) = Self.atomicStoreShape(store) else { throw .unsupported("\(store)") }
        try apply([try checkAtomicMemArg(memarg, width: width), type], [])
    }

    mutating func validateAtomicRMW(_ rmw: AtomicRMW) throws(ValidationError) {
        let address = try checkAtomicMemArg(rmw.memarg, width: rmw.width)
        let operands = rmw.operation == .cmpxchg ? [address, rmw.type, rmw.type] : [address, rmw.type]
        try apply(operands, [rmw.type])
    }

    /// memory.atomic.wait32/64: address, expected value, timeout in ns (negative: none) -> 0 woken, 1 not
    /// equal, 2 timed out. memory.atomic.notify: address, count -> waiters woken.
    mutating func validateAtomicWait(_ memarg: MemArg, type: ValueType) throws(ValidationError) {
        let address = try checkAtomicMemArg(memarg, width: type == .i64 ? 8 : 4)
        try apply([address, type, .i64], [.i32])
    }

    mutating func validateAtomicNotify(_ memarg: MemArg) throws(ValidationError) {
        let address = try checkAtomicMemArg(memarg, width: 4)
        try apply([address, .i32], [.i32])
    }
}
