import KilnModel

/// Fuel and epoch checks (Interruption.swift) at the function's entry and at every loop header.
///
/// A check's fuel cost is the number of instructions whose innermost enclosing loop (or the function, for
/// those in no loop) is the one it heads: each time control passes the header, it pays for the code up to the
/// next header. That is known only when the loop ends, after its header line is written, so the line holds a
/// placeholder that `resolveFuelCosts` replaces once the function is done. The count is static, so the point
/// where a guest runs out is the same on every run and at every -O level.
extension FunctionLowerer {
    /// The marks that enclose a placeholder; no C text contains them.
    static let fuelMark: Character = "\u{1}"

    /// The checks a header makes, as lines (none when the module is built without interruption).
    func interruptionChecks(region: Int) -> [String] {
        var lines: [String] = []
        if context.interruption.fuel { lines.append("  KILN_FUEL(ctx, \(Self.fuelPlaceholder(region)));") }
        if context.interruption.epochs { lines.append("  \(Self.epochCheck)") }
        return lines
    }

    static func fuelPlaceholder(_ region: Int) -> String { "\(fuelMark)\(region)\(fuelMark)" }

    /// An epoch check on the function's copies of the epoch pointer and the deadline (kiln_interrupt.h).
    static let epochCheck = "KILN_EPOCH(ctx, kiln_ep, kiln_edl);"

    /// The copies, declared with the function's locals (`volatile` where a handler's longjmp may return to
    /// code that reads them, as the locals are).
    func epochDeclarations(qualifier: String) -> [String] {
        guard context.interruption.epochs else { return [] }
        return ["  KILN_UNUSED const u64* const kiln_ep = ctx->epoch;", "  KILN_UNUSED \(qualifier)u64 kiln_edl = ctx->epoch_deadline;"]
    }

    /// After a call: the callee may have moved the deadline (a host function, the deadline callback).
    mutating func reloadEpochDeadline() {
        guard context.interruption.epochs else { return }
        writer.line("kiln_edl = ctx->epoch_deadline; /* a callee may have moved the deadline */")
    }

    /// The checks at the function's entry. A function with neither calls nor loops runs a bounded number of
    /// instructions and cannot recurse, so it needs no check of its own: the next check of its caller comes
    /// soon enough. It still pays its fuel, without the branch (the next check traps if that left too little),
    /// and stays small enough to inline: with the checks, bytecode's opcode handlers stopped being inlined
    /// into its dispatch loop and it ran 1.5x slower.
    var entryInterruptionChecks: [String] {
        guard !makesCalls, fuelCosts.count == 1 else { return interruptionChecks(region: 0) }
        return context.interruption.fuel ? ["  KILN_FUEL_CHARGE(ctx, \(Self.fuelPlaceholder(0)));"] : []
    }

    /// A loop header's checks, written after its label; its instructions are counted in a region of their own.
    mutating func enterInterruptionRegion() {
        guard context.interruption.isEnabled else { return }
        fuelCosts.append(0)
        fuelRegions.append(fuelCosts.count - 1)
        for line in interruptionChecks(region: fuelCosts.count - 1) { writer.raw(line) }
    }

    mutating func leaveInterruptionRegion() {
        guard context.interruption.isEnabled, fuelRegions.count > 1 else { return }
        fuelRegions.removeLast()
    }

    /// Counts the instruction in the innermost open region. The structure-only instructions cost nothing,
    /// as in wasmtime's fuel (a legacy exception instruction is counted as its analogue: only rethrow costs).
    mutating func chargeFuel(_ instruction: Instruction) {
        guard context.interruption.fuel, let region = fuelRegions.last else { return }
        switch instruction {
        case .nop, .drop, .block, .loop, .end, .else: return
        default: fuelCosts[region] += 1
        }
    }

    /// The function's text with every placeholder replaced by its region's count.
    func resolveFuelCosts(_ text: String) -> String {
        guard context.interruption.fuel, text.contains(Self.fuelMark) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var parts = text.split(separator: Self.fuelMark, omittingEmptySubsequences: false)[...]
        out += parts.removeFirst()
        while parts.count >= 2 {
            let region = Int(parts.removeFirst())!
            out += "\(fuelCosts[region])u"
            out += parts.removeFirst()
        }
        return out
    }
}
