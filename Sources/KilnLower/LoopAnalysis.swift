import KilnModel

/// An i32 value as an exact integer: `constant + Σ coefficient·local + k·iteration`, where each local is
/// its value when the loop is entered. The Wasm value is this integer mod 2^32 (every operation kept here
/// respects that congruence), which is all loop versioning needs: the runtime check proves the integer lies
/// in [0, 2^32) and so equals the Wasm value.
struct Affine: Equatable {
    var constant: Int64 = 0
    var terms: [UInt32: Int64] = [:]
    var perIteration: Int64 = 0
    /// The part of the per-iteration step that is a multiple of locals the loop never writes (their entry
    /// values): a column walk moves by the row length, `p += n * 8`, with n known only at run time.
    var stepTerms: [UInt32: Int64] = [:]

    static func local(_ index: UInt32, step: Int64 = 0, stepTerms: [UInt32: Int64] = [:]) -> Affine {
        Affine(terms: [index: 1], perIteration: step, stepTerms: stepTerms)
    }

    /// Whether the value changes from one iteration to the next.
    var moves: Bool { perIteration != 0 || !stepTerms.isEmpty }

    /// The step per iteration as an Affine over entry values (for the C expression).
    var step: Affine { Affine(constant: perIteration, terms: stepTerms) }

    /// Magnitudes stay far below 2^63 so that the C, which evaluates in __int128, never overflows.
    static let limit: Int64 = 1 << 40

    func adding(_ other: Affine, sign: Int64 = 1) -> Affine? {
        var result = self
        result.constant += sign * other.constant
        result.perIteration += sign * other.perIteration
        for (local, coefficient) in other.terms { result.terms[local, default: 0] += sign * coefficient }
        for (local, coefficient) in other.stepTerms { result.stepTerms[local, default: 0] += sign * coefficient }
        result.terms = result.terms.filter { $0.value != 0 }
        result.stepTerms = result.stepTerms.filter { $0.value != 0 }
        return result.bounded
    }

    func scaled(_ factor: Int64) -> Affine? {
        guard abs(factor) < Affine.limit else { return nil }
        let (c, o1) = constant.multipliedReportingOverflow(by: factor)
        let (k, o2) = perIteration.multipliedReportingOverflow(by: factor)
        guard !o1, !o2 else { return nil }
        func scale(_ terms: [UInt32: Int64]) -> [UInt32: Int64]? {
            var result: [UInt32: Int64] = [:]
            for (local, coefficient) in terms {
                let (t, o) = coefficient.multipliedReportingOverflow(by: factor)
                guard !o else { return nil }
                if t != 0 { result[local] = t }
            }
            return result
        }
        guard let terms = scale(self.terms), let stepTerms = scale(self.stepTerms) else { return nil }
        return Affine(constant: c, terms: terms, perIteration: k, stepTerms: stepTerms).bounded
    }

    var bounded: Affine? {
        let values = [constant, perIteration] + Array(terms.values) + Array(stepTerms.values)
        return values.allSatisfy({ abs($0) < Affine.limit }) && terms.count <= 8 && stepTerms.count <= 8 ? self : nil
    }

    var isConstant: Bool { terms.isEmpty && !moves }
}

/// What loop versioning found in a loop whose body is straight-line code (exits aside) ending in its back edge.
struct LoopPlan {
    /// The counter compared by the back edge: its value in the first iteration, the bound, the step.
    var tripHelper: String
    var counterFirst: Affine
    var bound: Affine
    var step: Int64
    /// Access number (in body order) → its index expression (memarg offset not included).
    var addresses: [Int: Affine]
}

/// One instruction of a candidate loop, with the operand heights the validator reported.
struct LoopStep {
    let instruction: Instruction
    let base: Int
    let heightBefore: Int
    let heightAfter: Int
    /// Whether the instruction produces an i32 (only those are tracked).
    let producesI32: Bool
    /// Whether its first operand is a float or v128 (for `local.set`/`local.tee`: a float local written).
    var writesFloat = false
}

/// Finds the induction variables, the trip count and the affine addresses of a single-block loop by
/// evaluating its body symbolically, twice: first with each local as an unknown start value (to find the
/// locals that only ever move by a constant per iteration), then with those as `start + step·k`.
enum LoopAnalysis {
    enum Value {
        case affine(Affine)
        case compare(Instruction.Cmp, Affine, Affine)
        case unknown
    }

    /// The loop's last step is its back edge: `br_if 0`, the loop continuing while its condition holds; or
    /// `br 0` right after a `br_if` out of the loop (the counter exit), the loop continuing while that exit's
    /// condition does not hold (the shape clang gives a loop with several exits).
    static func plan(_ steps: [LoopStep], accessSteps: [Int]) -> LoopPlan? {
        guard let last = steps.last else { return nil }
        let conditionStep: Int
        let exitCondition: Bool
        switch last.instruction {
        case .brIf(0): (conditionStep, exitCondition) = (steps.count - 1, false)
        case .br(0):
            guard steps.count >= 2, case .brIf(let depth) = steps[steps.count - 2].instruction, depth > 0 else { return nil }
            (conditionStep, exitCondition) = (steps.count - 2, true)
        default: return nil
        }
        // Pass 1: which locals are induction variables.
        var start: [UInt32: Value] = [:]
        let first = evaluate(steps, start: { .affine(.local($0)) }, locals: &start)
        // An induction variable moves by a constant, or by a multiple of locals the body never writes.
        var inductions: [UInt32: Affine] = [:]
        let written = Set(first.locals.keys)
        for (local, value) in first.locals {
            guard case .affine(let a) = value, a.terms[local] == 1, !a.moves else { continue }
            var step = a
            step.terms[local] = nil
            if step.terms.keys.allSatisfy({ !written.contains($0) }) { inductions[local] = step }
        }
        // Pass 2: addresses and the back edge's condition in terms of entry values and the iteration.
        var locals: [UInt32: Value] = [:]
        let second = evaluate(steps, start: { local in
            if let step = inductions[local] { return .affine(.local(local, step: step.constant, stepTerms: step.terms)) }
            return written.contains(local) ? .unknown : .affine(.local(local))
        }, locals: &locals)

        let comparison: (Instruction.Cmp, Affine, Affine)
        switch second.values[conditionStep]?.first {
        case .compare(let op, let a, let b)? where !exitCondition: comparison = (op, a, b)
        case .compare(let op, let a, let b)?:
            guard let continuing = negated(op) else { return nil }
            comparison = (continuing, a, b)
        // `br_if` on the counter itself (`local.tee $n (i32.add (local.get $n) (i32.const -1))`): the loop
        // continues while it is not zero, the shape clang gives a loop counting down to zero.
        case .affine(let a)? where a.moves && !exitCondition: comparison = (.i32Ne, a, Affine())
        default: return nil
        }
        // The trip count divides by the counter's step: it must be a constant.
        guard let (helper, counter, bound) = trips(comparison.0, comparison.1, comparison.2), counter.perIteration != 0,
            counter.stepTerms.isEmpty
        else { return nil }
        // The value compared in iteration 0 is the counter's expression with k = 0.
        var counterFirst = counter
        counterFirst.perIteration = 0
        var addresses: [Int: Affine] = [:]
        for (number, stepIndex) in accessSteps.enumerated() {
            if case .affine(let address)? = second.values[stepIndex]?.first { addresses[number] = address }
        }
        guard !addresses.isEmpty else { return nil }
        return LoopPlan(tripHelper: helper, counterFirst: counterFirst, bound: bound, step: counter.perIteration, addresses: addresses)
    }

    /// The comparison that holds exactly when `op` does not, among those `trips` knows.
    static func negated(_ op: Instruction.Cmp) -> Instruction.Cmp? {
        switch op {
        case .i32Eq: return .i32Ne
        case .i32GeU: return .i32LtU
        case .i32GeS: return .i32LtS
        case .i32LeU: return .i32GtU
        case .i32LeS: return .i32GtS
        default: return nil
        }
    }

    /// The trip-count helper for `a op b` as the back edge's condition, with the counter (the side that
    /// moves) first.
    static func trips(_ op: Instruction.Cmp, _ a: Affine, _ b: Affine) -> (String, Affine, Affine)? {
        let aMoves = a.moves, bMoves = b.moves
        guard aMoves != bMoves else { return nil }
        let (counter, bound) = aMoves ? (a, b) : (b, a)
        switch (op, aMoves) {
        case (.i32Ne, _): return ("kiln_loop_trips_ne", counter, bound)
        case (.i32LtU, true), (.i32GtU, false): return ("kiln_loop_trips_lt_u", counter, bound)
        case (.i32LtS, true), (.i32GtS, false): return ("kiln_loop_trips_lt_s", counter, bound)
        case (.i32GtU, true), (.i32LtU, false): return ("kiln_loop_trips_gt_u", counter, bound)
        case (.i32GtS, true), (.i32LtS, false): return ("kiln_loop_trips_gt_s", counter, bound)
        default: return nil
        }
    }

    /// Symbolic values per step: `values[i]` holds what step i read (its inputs), `locals` the locals'
    /// values at the end of the body (only those written).
    static func evaluate(_ steps: [LoopStep], start: (UInt32) -> Value, locals: inout [UInt32: Value])
        -> (values: [Int: [Value]], locals: [UInt32: Value])
    {
        var stack: [Int: Value] = [:]
        var inputs: [Int: [Value]] = [:]
        func local(_ index: UInt32) -> Value { locals[index] ?? start(index) }
        for (i, step) in steps.enumerated() {
            let read = (step.base..<max(step.base, step.heightBefore)).map { stack[$0] ?? .unknown }
            inputs[i] = read
            var result: Value = .unknown
            switch step.instruction {
            case .i32Const(let value): result = .affine(Affine(constant: Int64(value)))
            case .localGet(let index): result = local(index)
            case .localSet(let index): locals[index] = read.first ?? .unknown
            case .localTee(let index):
                locals[index] = read.first ?? .unknown
                result = read.first ?? .unknown
            case .binary(let op): result = binary(op, read)
            case .cmp(let op):
                if read.count == 2, case .affine(let a) = read[0], case .affine(let b) = read[1] { result = .compare(op, a, b) }
            case .i32Eqz:
                if read.count == 1, case .affine(let a) = read[0] { result = .compare(.i32Eq, a, Affine()) }
            default: break
            }
            for height in step.base..<step.heightAfter { stack[height] = step.producesI32 ? result : .unknown }
        }
        return (inputs, locals)
    }

    /// Whether a float (or v128) local's new value depends on its value from the iteration before: a
    /// reduction such as `sum += a[i] * b[i]`. A loop marked `vectorize(assume_safety)` is force-vectorized,
    /// and LLVM then allows reassociating its float reductions, which changes results (nbody's energy in its
    /// last digits); such a loop only gets the copy without the pragma. A value that is merely carried
    /// (heat-3d keeps the last load for the next iteration) is not a reduction. Every operation's result
    /// depends on all of its operands (an over-approximation).
    static func hasFloatReduction(_ steps: [LoopStep]) -> Bool {
        var stack: [Int: Set<UInt32>] = [:]
        var current: [UInt32: Set<UInt32>] = [:]
        for step in steps {
            let read = (step.base..<max(step.base, step.heightBefore)).reduce(into: Set<UInt32>()) { $0.formUnion(stack[$1] ?? []) }
            var result = read
            switch step.instruction {
            case .localGet(let index): result = current[index] ?? [index]
            case .localSet(let index), .localTee(let index):
                if step.writesFloat && read.contains(index) { return true }
                current[index] = read
            default: break
            }
            for height in step.base..<max(step.base, step.heightAfter) { stack[height] = result }
        }
        return false
    }

    static func binary(_ op: Instruction.Binary, _ read: [Value]) -> Value {
        guard read.count == 2, case .affine(let a) = read[0], case .affine(let b) = read[1] else { return .unknown }
        let result: Affine?
        switch op {
        case .i32Add: result = a.adding(b)
        case .i32Sub: result = a.adding(b, sign: -1)
        case .i32Mul where b.isConstant: result = a.scaled(b.constant)
        case .i32Mul where a.isConstant: result = b.scaled(a.constant)
        case .i32Shl where b.isConstant: result = a.scaled(Int64(1) << (UInt64(bitPattern: b.constant) & 31))
        default: result = nil
        }
        return result.map(Value.affine) ?? .unknown
    }
}
