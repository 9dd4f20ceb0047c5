import KilnModel
import KilnValidate

/// The threads proposal: atomic instructions, and the plain accesses of a shared memory.
///
/// Atomic loads, stores and read-modify-writes call their helper in Runtime/include/kiln_atomic.h
/// (`i32.atomic.rmw8.add_u` -> `kiln_i32_atomic_rmw8_add_u`), which checks bounds and alignment; wait and notify
/// call the runtime's queues. A shared memory's plain loads and stores go through kiln_shared_memory.h
/// (`kiln_shared_i32_load`) on the descriptor itself: another thread may grow it, so no local view of it, and
/// none of the bounds analyses that build on that view (ProvenBounds, WidenedChecks, loop versioning).
extension FunctionLowerer {
    static func atomicLoadHelper(_ load: Instruction.Load) -> String? {
        switch load {
        case .i32AtomicLoad: "kiln_i32_atomic_load"
        case .i64AtomicLoad: "kiln_i64_atomic_load"
        case .i32AtomicLoad8U: "kiln_i32_atomic_load8_u"
        case .i32AtomicLoad16U: "kiln_i32_atomic_load16_u"
        case .i64AtomicLoad8U: "kiln_i64_atomic_load8_u"
        case .i64AtomicLoad16U: "kiln_i64_atomic_load16_u"
        case .i64AtomicLoad32U: "kiln_i64_atomic_load32_u"
        default: nil
        }
    }

    static func atomicStoreHelper(_ store: Instruction.Store) -> String? {
        switch store {
        case .i32AtomicStore: "kiln_i32_atomic_store"
        case .i64AtomicStore: "kiln_i64_atomic_store"
        case .i32AtomicStore8: "kiln_i32_atomic_store8"
        case .i32AtomicStore16: "kiln_i32_atomic_store16"
        case .i64AtomicStore8: "kiln_i64_atomic_store8"
        case .i64AtomicStore16: "kiln_i64_atomic_store16"
        case .i64AtomicStore32: "kiln_i64_atomic_store32"
        default: nil
        }
    }

    /// Whether the instruction is one of the threads proposal's (atomic access, wait, notify, fence).
    static func isAtomic(_ instruction: Instruction) -> Bool {
        switch instruction {
        case .load(let load, _): atomicLoadHelper(load) != nil
        case .store(let store, _): atomicStoreHelper(store) != nil
        case .atomicFence, .memoryAtomicWait32, .memoryAtomicWait64, .memoryAtomicNotify: true
        default: AtomicRMW.of(instruction) != nil
        }
    }

    /// An atomic helper's address arguments: the index and the offset as they are, also for a 64-bit memory, so
    /// that the helper checks the alignment of their sum before the bounds (as the spec's interpreter does).
    mutating func atomicArguments(_ memarg: MemArg) -> String {
        context.isMemory64(memarg.memory) ? "\(input(0)), \(memarg.offset)u" : "(u64)\(input(0)), \(memarg.offset)u"
    }

    /// A plain helper's name for a shared memory: `kiln_i32_load` -> `kiln_shared_i32_load`.
    static func sharedHelper(_ helper: String) -> String { "kiln_shared_" + helper.dropFirst(5) }

    /// An access the shared or atomic way, if the instruction is atomic or its memory shared; false if neither.
    mutating func lowerThreadsAccess(load: Instruction.Load, _ memarg: MemArg) -> Bool {
        let atomic = Self.atomicLoadHelper(load)
        guard atomic != nil || context.isShared(memarg.memory), let helper = atomic ?? Self.loadHelper(load).map(Self.sharedHelper) else { return false }
        let arguments = atomic != nil ? atomicArguments(memarg) : accessArguments(input(0), memarg, width: Self.width(load))
        emit("\(output(0)) = \(helper)(ctx, \(memory(memarg.memory)), \(arguments));", "\(helper.dropFirst(5)) offset=\(memarg.offset)")
        if atomic != nil { openChecks.removeAll() }
        return true
    }

    mutating func lowerThreadsAccess(store: Instruction.Store, _ memarg: MemArg) -> Bool {
        let atomic = Self.atomicStoreHelper(store)
        guard atomic != nil || context.isShared(memarg.memory), let helper = atomic ?? Self.storeHelper(store).map(Self.sharedHelper) else { return false }
        let arguments = atomic != nil ? atomicArguments(memarg) : accessArguments(input(0), memarg, width: Self.width(store))
        emit("\(helper)(ctx, \(memory(memarg.memory)), \(arguments), \(input(1)));", "\(helper.dropFirst(5)) offset=\(memarg.offset)")
        openChecks.removeAll()
        return true
    }

    mutating func lowerAtomicRMW(_ rmw: AtomicRMW) {
        let operands = (1..<inputTypes.count).map { input($0) }.joined(separator: ", ")
        let helper = "kiln_" + rmw.name.replacingDots()
        emit("\(output(0)) = \(helper)(ctx, \(memory(rmw.memarg.memory)), \(atomicArguments(rmw.memarg)), \(operands));", "\(rmw.name) offset=\(rmw.memarg.offset)")
        openChecks.removeAll()
    }

    /// wait and notify: a wait may block until another thread notifies, which can have grown the memory.
    mutating func lowerAtomicWaitNotify(_ instruction: Instruction) {
        let (name, helper, memarg): (String, String, MemArg) = switch instruction {
        case .memoryAtomicWait32(let memarg): ("memory.atomic.wait32", "kiln_memory_atomic_wait32", memarg)
        case .memoryAtomicWait64(let memarg): ("memory.atomic.wait64", "kiln_memory_atomic_wait64", memarg)
        case .memoryAtomicNotify(let memarg): ("memory.atomic.notify", "kiln_memory_atomic_notify", memarg)
        default: preconditionFailure("not wait or notify: \(instruction)")
        }
        let operands = (1..<inputTypes.count).map { input($0) }.joined(separator: ", ")
        emit("\(output(0)) = \(helper)(ctx, \(memory(memarg.memory)), \(atomicArguments(memarg)), \(operands));", "\(name) offset=\(memarg.offset)")
        openChecks.removeAll()
    }
}
