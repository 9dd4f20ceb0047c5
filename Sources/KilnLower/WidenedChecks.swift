import KilnModel

/// Several loads through one local in straight-line code share one check (explicit bounds mode).
///
/// A struct's fields are read in whatever order the program wants (`p+2`, `p+3`, `p+0`, `p+4` in zstd's
/// sequence decoder, three such structs at once), so a check that only covers what came before leaves each
/// wider field its own check. When a later access through the same local reaches further, the first load's
/// check is widened to cover it and the later access goes unchecked. That moves a trap earlier, which is
/// unobservable as long as nothing between the two could be seen from outside or trap differently: only
/// loads, local assignments and arithmetic that cannot trap lie between (a store, call, global or table
/// write, branch, label, division or float-to-int truncation ends the stretch), and the trap is the same
/// "out of bounds memory access". A local assigned in between ends its own stretch.
struct OpenCheck {
    /// The line of the checked load, its checked call, and the same load unchecked (its pointer in place).
    let line: Int
    let call: String
    let fast: String
    var end: UInt64
    /// The line's indentation and, once widened, its statement with the load unchecked (the widened check
    /// goes in front of it).
    var widened: (indent: String, statement: String)?
}

extension FunctionLowerer {
    /// Whether an instruction ends the stretch in which a check may move earlier.
    static func endsStraightLine(_ instruction: Instruction) -> Bool {
        switch instruction {
        // A store may still widen an earlier check (it would trap before writing either way); lowerStore ends
        // the stretch after it.
        case .localGet, .localSet, .localTee, .i32Const, .i64Const, .f32Const, .f64Const, .v128Const, .load, .store, .cmp,
            .i32Eqz, .i64Eqz, .unary, .select, .typedSelect, .drop, .globalGet, .memorySize, .nop, .simd, .simdLane,
            .i8x16Shuffle, .refNull, .refIsNull, .refFunc:
            return false
        case .binary(let op):
            return [.i32DivS, .i32DivU, .i32RemS, .i32RemU, .i64DivS, .i64DivU, .i64RemS, .i64RemU].contains(op)
        case .conversion(let op):
            return [.i32TruncF32S, .i32TruncF32U, .i32TruncF64S, .i32TruncF64U,
                    .i64TruncF32S, .i64TruncF32U, .i64TruncF64S, .i64TruncF64U].contains(op)
        default:
            return true
        }
    }

    /// After a checked load through a local: it may be widened by later loads and stores (not in a loop being
    /// recorded for versioning, whose copies rewrite access lines).
    mutating func openCheck(_ memarg: MemArg, size: UInt64, call: String, fast: String) {
        guard loop == nil, let local = addressLocal(), openChecks[local] == nil, let end = accessEnd(memarg, size: size) else { return }
        openChecks[local] = OpenCheck(line: writer.lines.count - 1, call: call, fast: fast.withPointer(uncheckedPointer(memarg)), end: end)
    }

    /// An unchecked pointer for an access through a local with an open check, whose check now covers it too.
    mutating func widenedPointer(_ memarg: MemArg, size: UInt64) -> String? {
        guard loop == nil, let local = addressLocal(), var open = openChecks[local], let end = accessEnd(memarg, size: size)
        else { return nil }
        if end > open.end {
            if open.widened == nil {
                let line = writer.lines[open.line]
                guard let start = line.firstIndex(where: { $0 != " " }) else { return nil }
                var statement = String(line[start...])
                guard let call = statement.range(ofFirst: open.call) else { return nil }
                statement.replaceSubrange(call, with: open.fast)
                open.widened = (String(line[..<start]), statement)
            }
            guard let (indent, statement) = open.widened else { return nil }
            writer.replace(line: open.line, with: indent + "kiln_memory_check(ctx, \(memory), (u64)\(CNames.local(local)), 0u, \(end)u); " + statement)
            open.end = end
            openChecks[local] = open
            bounds.record(local, end: end)
        }
        return uncheckedPointer(memarg)
    }
}
