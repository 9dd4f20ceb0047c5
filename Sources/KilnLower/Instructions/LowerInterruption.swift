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
        if context.interruption.epochs { lines.append("  KILN_EPOCH(ctx);") }
        return lines
    }

    static func fuelPlaceholder(_ region: Int) -> String { "\(fuelMark)\(region)\(fuelMark)" }

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
