import KilnModel
import KilnValidate

/// Loads and stores: every access goes through a checked helper in Runtime/include/kiln_memory.h with
/// the effective address computed in 64 bits (`(u64)index + offset`), so no address wraps.
extension FunctionLowerer {
    static func loadHelper(_ load: Instruction.Load) -> String? {
        switch load {
        case .i32Load: "kiln_i32_load"
        case .i64Load: "kiln_i64_load"
        case .f32Load: "kiln_f32_load"
        case .f64Load: "kiln_f64_load"
        case .i32Load8S: "kiln_i32_load8_s"
        case .i32Load8U: "kiln_i32_load8_u"
        case .i32Load16S: "kiln_i32_load16_s"
        case .i32Load16U: "kiln_i32_load16_u"
        case .i64Load8S: "kiln_i64_load8_s"
        case .i64Load8U: "kiln_i64_load8_u"
        case .i64Load16S: "kiln_i64_load16_s"
        case .i64Load16U: "kiln_i64_load16_u"
        case .i64Load32S: "kiln_i64_load32_s"
        case .i64Load32U: "kiln_i64_load32_u"
        case .v128Load: "kiln_v128_load"
        case .v128Load8X8S, .v128Load8X8U, .v128Load16X4S, .v128Load16X4U, .v128Load32X2S, .v128Load32X2U,
            .v128Load8Splat, .v128Load16Splat, .v128Load32Splat, .v128Load64Splat, .v128Load32Zero, .v128Load64Zero:
            "kiln_" + SIMDNames.spec("\(load)").replacingDots()
        default: nil
        }
    }

    static func storeHelper(_ store: Instruction.Store) -> String? {
        switch store {
        case .i32Store: "kiln_i32_store"
        case .i64Store: "kiln_i64_store"
        case .f32Store: "kiln_f32_store"
        case .f64Store: "kiln_f64_store"
        case .i32Store8: "kiln_i32_store8"
        case .i32Store16: "kiln_i32_store16"
        case .i64Store8: "kiln_i64_store8"
        case .i64Store16: "kiln_i64_store16"
        case .i64Store32: "kiln_i64_store32"
        case .v128Store: "kiln_v128_store"
        default: nil
        }
    }

    /// The effective address of an access of `width` bytes. For a 32-bit memory `(u64)index + offset`, which
    /// cannot wrap; for a 64-bit one the sum is checked (it may overflow u64), and so is the range, in every
    /// bounds mode (kiln_address64 in kiln_memory.h).
    mutating func address(_ base: String, _ memarg: MemArg, width: Int) -> String {
        if context.isMemory64(memarg.memory) {
            let check = context.isShared(memarg.memory) ? "kiln_shared_address64" : "kiln_address64"
            return "\(check)(ctx, \(memory(memarg.memory)), \(base), \(memarg.offset)u, \(width)u)"
        }
        return memarg.offset == 0 ? "(u64)\(base)" : "(u64)\(base) + \(memarg.offset)u"
    }

    /// A checked helper's address arguments: the index and the constant offset apart, so the helper's common
    /// check compares the index alone (kiln_memory_ptr). A 64-bit memory's address comes checked, offset 0.
    mutating func accessArguments(_ base: String, _ memarg: MemArg, width: Int) -> String {
        if context.isMemory64(memarg.memory) { return "\(address(base, memarg, width: width)), 0u" }
        return "(u64)\(base), \(memarg.offset)u"
    }

    static func width(_ load: Instruction.Load) -> Int { FunctionValidator<NullSink>.loadShape(load)?.width ?? 1 }
    static func width(_ store: Instruction.Store) -> Int { FunctionValidator<NullSink>.storeShape(store)?.width ?? 1 }

    /// The descriptor an access to memory `index` goes through: memory 0's local view, kept in registers and
    /// known to the bounds analyses (ProvenBounds, WidenedChecks, ValueRanges, loop versioning); any other
    /// memory's descriptor itself, every access checked, and so a shared memory's (LowerAtomics.swift).
    mutating func memory(_ index: UInt32) -> String {
        index == 0 && !context.isShared(0) ? memory : context.memoryPointer(index)
    }

    mutating func lowerLoad(_ load: Instruction.Load, _ memarg: MemArg) throws(LoweringError) {
        if lowerThreadsAccess(load: load, memarg) { return }
        guard let helper = Self.loadHelper(load) else { throw LoweringError("\(load) is not lowered yet") }
        let name = "\(helper.dropFirst(5)) offset=\(memarg.offset)"
        if memarg.memory != 0 {
            emit("\(output(0)) = \(helper)(ctx, \(memory(memarg.memory)), \(accessArguments(input(0), memarg, width: Self.width(load))));", name + " memory=\(memarg.memory)")
            return
        }
        let unchecked = Self.fastLoadExpression(load)
        if let (expression, size) = unchecked, let pointer = provenPointer(memarg, size: size) ?? widenedPointer(memarg, size: size) {
            emit("\(output(0)) = \(expression.withPointer(pointer));", name + " (in bounds)")
        } else {
            let call = "\(helper)(ctx, \(memory), \(accessArguments(input(0), memarg, width: Self.width(load))))"
            emit("\(output(0)) = \(call);", name)
            if let (expression, size) = unchecked {
                noteCheckedAccess(memarg, size: size)
                openCheck(memarg, size: size, call: call, fast: expression)
            }
        }
        if loop != nil { noteLoopAccess(unchecked.map { ("\(output(0)) = \($0.0);", $0.1) }, memarg, isStore: false) }
    }

    mutating func lowerStore(_ store: Instruction.Store, _ memarg: MemArg) throws(LoweringError) {
        if lowerThreadsAccess(store: store, memarg) { return }
        guard let helper = Self.storeHelper(store) else { throw LoweringError("\(store) is not lowered yet") }
        let name = "\(helper.dropFirst(5)) offset=\(memarg.offset)"
        if memarg.memory != 0 {
            emit("\(helper)(ctx, \(memory(memarg.memory)), \(accessArguments(input(0), memarg, width: Self.width(store))), \(input(1)));", name + " memory=\(memarg.memory)")
            openChecks.removeAll()
            return
        }
        let fast = Self.fastStore(store, value: input(1))
        if let fast, let pointer = provenPointer(memarg, size: fast.1) ?? widenedPointer(memarg, size: fast.1) {
            emit(fast.0.withPointer(pointer), name + " (in bounds)")
        } else {
            emit("\(helper)(ctx, \(memory), \(accessArguments(input(0), memarg, width: Self.width(store))), \(input(1)));", name)
            if let fast { noteCheckedAccess(memarg, size: fast.1) }
        }
        // A store is seen: no earlier check may now be moved past it (WidenedChecks.swift).
        openChecks.removeAll()
        if loop != nil { noteLoopAccess(fast, memarg, isStore: true) }
    }
}
