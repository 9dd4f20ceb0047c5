import KilnModel
import KilnValidate

/// A loop being lowered that may be versioned: an innermost loop with no parameters or results whose
/// body is straight-line code ending in its back edge (no calls or memory.grow, so memory 0 keeps its size):
/// `br_if 0`, or `br 0` right after the `br_if` out of the loop that counts (LoopAnalysis.plan), the shape
/// clang gives a loop whose test is at its end but leaves through a branch.
struct LoopRecording {
    let label: Int
    let labelLine: Int
    let offset: Int
    var steps: [LoopStep] = []
    /// Per memory access in body order: its step, its line, and its unchecked form with `\0` for the index.
    var accessSteps: [Int] = []
    var accessLines: [Int] = []
    var accessFast: [FastAccess?] = []
    /// Whether the body touches memory other than through a plain load or store (lane accesses, bulk
    /// operations): its iterations are then never declared independent.
    var otherMemoryAccess = false
    /// Whether an iteration leaves state for the next one that `assume_safety` would mishandle: a global or
    /// table written (state in memory outside the loop's checked accesses). Float reductions are found by
    /// LoopAnalysis.hasFloatReduction.
    var carriesState = false
    /// The line of the `br_if 0` or `br 0` that closes the body: the counted copy drops it, so nothing may
    /// follow it.
    var backEdgeLine: Int?
    /// The line of the body's last `br_if` (with a `br 0` back edge: the counter exit).
    var lastBrIfLine: Int?
}

/// The unchecked form of one access: its statement with `\0` for the index, and the bytes it touches.
extension String {
    /// An unchecked access's text with its pointer in place of `\0`.
    func withPointer(_ pointer: String) -> String { split(separator: "\0", omittingEmptySubsequences: false).joined(separator: pointer) }
}

struct FastAccess {
    let statement: String
    let offset: UInt64
    let size: UInt64
    let isStore: Bool
    var extent: UInt64 { offset + size }
}

extension FunctionLowerer {
    mutating func startLoopRecording(_ frame: ControlFrame, labelLine: Int) {
        let plain = frame.startTypes.isEmpty && frame.endTypes.isEmpty
        let memory0 = context.space.memories.first
        loop = plain && memory0 != nil && memory0?.isMemory64 == false ? LoopRecording(label: frame.label, labelLine: labelLine, offset: frame.offset) : nil
    }

    /// Called for every instruction before it is lowered.
    mutating func recordLoopStep(_ instruction: Instruction) {
        guard loop != nil else { return }
        // Atomics order memory for other threads, and a shared memory has no view to version against.
        if Self.isAtomic(instruction) || context.isShared(0) { loop = nil; return }
        switch instruction {
        case .end: return
        // `br 0` can only be the back edge: code after it is unreachable (and ends the recording below).
        case .br(let depth) where depth != 0: loop = nil; return
        case .block, .loop, .if, .else, .brTable, .return, .unreachable, .call, .callIndirect, .memoryGrow,
            .returnCall, .returnCallIndirect, .callRef, .returnCallRef, .brOnNull, .brOnNonNull,
            .tryTable, .throw, .throwRef:
            loop = nil
            return
        case .load(_, let memarg), .store(_, let memarg):
            // Versioning reasons about memory 0 only.
            if memarg.memory != 0 { loop = nil; return }
        case .simdMemLane, .memoryCopy, .memoryFill, .memoryInit: loop?.otherMemoryAccess = true
        case .globalSet, .tableSet, .tableFill, .tableCopy, .tableInit, .tableGrow: loop?.carriesState = true
        default: break
        }
        guard typing.reachable else { loop = nil; return }
        loop?.steps.append(LoopStep(
            instruction: instruction, base: typing.base, heightBefore: typing.heightBefore, heightAfter: typing.heightAfter,
            producesI32: outputTypes == [.i32], writesFloat: inputTypes.first.map { [.f32, .f64, .v128].contains($0) } ?? false))
    }

    /// Called right after a load or store emitted its checked statement.
    mutating func noteLoopAccess(_ fast: (String, UInt64)?, _ memarg: MemArg, isStore: Bool) {
        guard loop != nil, let step = loop?.steps.indices.last else { return }
        loop?.accessSteps.append(step)
        loop?.accessLines.append(writer.lines.count - 1)
        loop?.accessFast.append(fast.map { FastAccess(statement: $0.0, offset: memarg.offset, size: $0.1, isStore: isStore) })
    }

    /// At the loop's `end`: if every condition holds, wraps the loop into a checked-once copy and the original.
    mutating func finishLoopRecording(label: Int) {
        guard let record = loop, record.label == label else { return }
        loop = nil
        guard record.backEdgeLine == writer.lines.count - 1, let last = record.steps.last?.instruction else { return }
        // Every `br_if` but a `br_if 0` back edge leaves the loop: one in the middle that continues it would
        // skip the rest of an iteration, which the affine evaluation does not model.
        let branchesIf = record.steps.dropLast().compactMap { step -> UInt32? in
            if case .brIf(let depth) = step.instruction { depth } else { nil }
        }
        guard !branchesIf.contains(0) else { return }
        let counterExit: Bool
        if case .br(0) = last { counterExit = true } else { counterExit = false }
        guard !counterExit || record.lastBrIfLine != nil else { return }
        // No exit the trip count does not know of. Such a loop is counted up to its bound, not to where it
        // leaves (a whitespace skip counts to the end of its buffer and leaves after a character), so its span
        // checks cost more than they save in interpreters and parsers: callgrind, SQLite +1.1% and rapidjson
        // +6.6% instructions, and +2.7% / +3.5% when such loops ran checked for 16 iterations first (against
        // zstd -6.9%, brotli -4.2%, zlib -3.6%, monocypher -2.3%, whose matching loops run long).
        guard branchesIf.count == (counterExit ? 1 : 0) else { return }
        guard var plan = LoopAnalysis.plan(record.steps, accessSteps: record.accessSteps) else { return }
        plan.addresses = plan.addresses.filter { record.accessFast[$0.key] != nil }
        guard !plan.addresses.isEmpty else { return }
        version(record, plan, counterExit: counterExit ? record.lastBrIfLine : nil)
    }

    /// `counterExit`: the line of the `br_if` whose condition the trip count comes from, when the back edge is
    /// a `br 0` after it (the counted copy takes it once, after its last iteration).
    private mutating func version(_ record: LoopRecording, _ plan: LoopPlan, counterExit: Int?) {
        let l = record.label
        let trips = "t\(l)", counter = "k\(l)"
        for name in [trips, counter] where declared.insert(name).inserted { slotDecls.append((name, "u64")) }
        let hoisted = plan.addresses.keys.sorted()
        var checks = ["\(trips) != 0"]
        var snapshots: [String] = []
        // Accesses that differ only in their constant share one base variable, so clang sees `base + 8`
        // and `base + 0` as the same array.
        var groups: [AccessGroup] = []
        // The unchecked copy: the body after the label (and after guard mode's barrier and the interruption
        // checks, see lowerEnter).
        let checksAtHeader = interruptionChecks(region: 0).count
        let bodyStart = record.labelLine + (context.boundsGuard ? 2 : 1) + checksAtHeader
        var fastLines = Array(writer.lines[bodyStart...])
        var members: [(number: Int, address: Affine, fast: FastAccess, group: Int)] = []
        for number in hoisted {
            guard let address = plan.addresses[number], let fast = record.accessFast[number] else { continue }
            var variable = address
            variable.constant = 0
            let baseExpression = Self.exact(variable)
            let group: Int
            if let known = groups.firstIndex(where: { $0.expression == baseExpression }) {
                group = known
            } else {
                group = groups.count
                let symbolic = !address.stepTerms.isEmpty
                groups.append(AccessGroup(name: "a\(l)_\(group)", expression: baseExpression,
                                          step: symbolic ? Self.exact(address.step) : "\(address.perIteration)",
                                          constantStep: symbolic ? nil : address.perIteration))
                if declared.insert(groups[group].name).inserted { slotDecls.append((groups[group].name, "kiln_loop_ptr")) }
                if symbolic, declared.insert(groups[group].stepName).inserted { slotDecls.append((groups[group].stepName, "s64")) }
            }
            groups[group].add(Int64(address.constant) + Int64(fast.offset), size: Int64(fast.size), isStore: fast.isStore)
            let check = "kiln_loop_span_ok(mem0, \(Self.exact(address)), \(groups[group].step), \(trips), \(fast.extent)u)"
            if !checks.contains(check) { checks.append(check) }
            members.append((number, address, fast, group))
        }
        // Each group's pointer is the address of its lowest byte in iteration 0, which an access of the group
        // reads or writes, so it lies inside memory (the span checks) and so does every pointer derived from it.
        // Pointers rather than offsets from `data`: fewer values live in the loop (heat-3d's copy kept
        // reloading `data` from the stack in explicit mode).
        // A short loop runs the original (kiln_loop.h, KILN_LOOP_MIN_TRIPS), except one that strides by a step
        // known only at run time (a matrix column): telling clang its copy runs at least that often changed how
        // it strength-reduced those loops' addresses (correlation +13% instructions, gramschmidt +7%).
        if groups.allSatisfy({ $0.constantStep != nil }) { checks[0] = "\(trips) >= KILN_LOOP_MIN_TRIPS" }
        for group in groups {
            snapshots.append("\(group.name) = mem0->data + (u64)(\(group.expression) + \(group.low));")
            // A step known only at run time: |step| * (trips - 1) < 2^32 once the span checks hold, so it fits.
            if group.constantStep == nil { snapshots.append("\(group.stepName) = (s64)\(group.step);") }
        }
        for member in members {
            let group = groups[member.group]
            var terms: [String] = []
            let constant = Int64(member.address.constant) + Int64(member.fast.offset) - group.low
            if constant != 0 { terms.append("\(constant)") }
            if let step = group.constantStep {
                if step != 0 { terms.append("\(step) * (s64)\(counter)") }
            } else {
                terms.append("\(group.stepName) * (s64)\(counter)")
            }
            let pointer = terms.isEmpty ? group.name : "\(group.name) + (" + terms.joined(separator: " + ") + ")"
            let line = record.accessLines[member.number] - bodyStart
            fastLines[line] = "  " + member.fast.statement.withPointer(pointer)
                + " /* checked before the loop */"
        }
        // The back edge becomes the counted loop's own. A counter exit holds exactly after the last counted
        // iteration (the trip helpers are exact), so it moves after the loop; should it not hold, the checked
        // loop carries on from there.
        var afterCounted: [String] = []
        if let exitLine = counterExit {
            afterCounted = [writer.lines[exitLine], "  goto L\(l);"]
            fastLines.removeSubrange((exitLine - bodyStart)...)
        } else {
            fastLines.removeLast()
        }
        // Interruption: the counted loop pays the fuel of all its iterations before it starts (when there is
        // not enough, the checked copy runs and traps where the fuel runs out); epochs, see `counted`.
        if context.interruption.fuel, let region = fuelRegions.last {
            checks.append("kiln_fuel_take(ctx, \(trips), \(Self.fuelPlaceholder(region)))")
        }
        // Iterations are independent when every access is hoisted, no group overlaps itself from one
        // iteration to another, and (checked before the loop) no written group meets another group.
        let independent = hoisted.count == record.accessLines.count && !record.otherMemoryAccess && !record.carriesState
            && !LoopAnalysis.hasFloatReduction(record.steps)
            && groups.allSatisfy(\.selfIndependent)
        var disjoint: [String] = []
        if independent {
            for (i, a) in groups.enumerated() {
                for b in groups[(i + 1)...] where a.writes || b.writes {
                    disjoint.append("kiln_loop_disjoint(\(a.span), \(b.span), \(trips))")
                }
            }
        }

        let first = "(u32)\(Self.exact(plan.counterFirst))", bound = "(u32)\(Self.exact(plan.bound))"
        var out: [String] = []
        out.append("  /* loop L\(l) @0x\(String(record.offset, radix: 16)): \(hoisted.count) of \(record.accessLines.count) accesses checked once for every iteration (kiln_loop.h) */")
        out.append("  \(trips) = \(plan.tripHelper)(\(first), \(bound), \(plan.step));")
        out.append("  if (" + checks.joined(separator: "\n      && ") + ") {")
        out.append(contentsOf: snapshots.map { "    " + $0 })
        // Epochs: a check on every iteration would keep clang from vectorizing the loop (matmul ran 2.5x
        // slower), so the counted loop runs in chunks with a check before each; a chunk of straight-line
        // code without calls ends within microseconds.
        let chunk = "e\(l)"
        if context.interruption.epochs, declared.insert(chunk).inserted { slotDecls.append((chunk, "u64")) }
        func counted(vectorize: Bool) -> [String] {
            let pragma = vectorize ? ["#pragma clang loop vectorize(assume_safety)"] : []
            guard context.interruption.epochs else {
                return pragma + ["  for (\(counter) = 0; \(counter) < \(trips); \(counter)++) {"] + fastLines + ["  }"]
            }
            return ["  for (\(counter) = 0; \(counter) < \(trips);) {", "  \(Self.epochCheck)",
                    "  \(chunk) = \(trips) - \(counter) > KILN_EPOCH_CHUNK ? \(counter) + KILN_EPOCH_CHUNK : \(trips);"]
                + pragma + ["  for (; \(counter) < \(chunk); \(counter)++) {"] + fastLines + ["  }", "  }"]
        }
        if independent && !disjoint.isEmpty {
            // Groups that may meet (floyd-warshall reads path[i][k] in the row it writes) still run
            // unchecked, only without the promise of independent iterations (PERF-LEADS.md, lead 6).
            out.append("  if (" + disjoint.joined(separator: "\n      && ") + ") {")
            out += counted(vectorize: true) + afterCounted + ["  } else {"] + counted(vectorize: false) + afterCounted + ["  }"]
        } else {
            out += counted(vectorize: independent) + afterCounted
        }
        out.append("  } else {")
        let slow = Array(writer.lines[record.labelLine...])
        writer.truncate(to: record.labelLine)
        for line in out { writer.raw(line) }
        labelLines["L\(l)"] = writer.lines.count
        for line in slow { writer.raw(line) }
        writer.raw("  }")
    }

    /// An affine index as an exact C integer (entry values of locals, no iteration term). Each local is read
    /// by kiln_loop_local: as signed when memory 0 is at most 2 GiB, so that an index counting up from a
    /// negative start (`i = -8000; ...; i += 8` over `base + 8000 + i`) lies in the checked range.
    static func exact(_ a: Affine) -> String {
        var parts = a.terms.sorted { $0.key < $1.key }.map { local, coefficient in
            let value = "kiln_loop_local(mem0, \(CNames.local(local)))"
            return coefficient == 1 ? value : "\(value) * \(coefficient)"
        }
        if a.constant != 0 || parts.isEmpty { parts.append("(kiln_i128)\(a.constant)") }
        return "(" + parts.joined(separator: " + ") + ")"
    }

    /// The unchecked load's value, `\0` standing for its pointer (memarg offset included there), and the
    /// bytes it reads.
    static func fastLoadExpression(_ load: Instruction.Load) -> (String, UInt64)? {
        let (expression, size): (String, UInt64)
        switch load {
        case .i32Load: (expression, size) = ("kiln_i32_load_at(\0)", 4)
        case .i64Load: (expression, size) = ("kiln_i64_load_at(\0)", 8)
        case .f32Load: (expression, size) = ("kiln_f32_load_at(\0)", 4)
        case .f64Load: (expression, size) = ("kiln_f64_load_at(\0)", 8)
        case .v128Load: (expression, size) = ("kiln_v128_load_at(\0)", 16)
        case .i32Load8U: (expression, size) = ("(u32)kiln_u8_load_at(\0)", 1)
        case .i32Load8S: (expression, size) = ("kiln_i32_extend8_s(kiln_u8_load_at(\0))", 1)
        case .i32Load16U: (expression, size) = ("(u32)kiln_u16_load_at(\0)", 2)
        case .i32Load16S: (expression, size) = ("kiln_i32_extend16_s(kiln_u16_load_at(\0))", 2)
        case .i64Load8U: (expression, size) = ("(u64)kiln_u8_load_at(\0)", 1)
        case .i64Load8S: (expression, size) = ("kiln_i64_extend8_s(kiln_u8_load_at(\0))", 1)
        case .i64Load16U: (expression, size) = ("(u64)kiln_u16_load_at(\0)", 2)
        case .i64Load16S: (expression, size) = ("kiln_i64_extend16_s(kiln_u16_load_at(\0))", 2)
        case .i64Load32U: (expression, size) = ("(u64)kiln_i32_load_at(\0)", 4)
        case .i64Load32S: (expression, size) = ("kiln_i64_extend32_s(kiln_i32_load_at(\0))", 4)
        default: return nil
        }
        return (expression, size)
    }

    static func fastStore(_ store: Instruction.Store, value: String) -> (String, UInt64)? {
        switch store {
        case .i32Store: return ("kiln_i32_store_at(\0, \(value));", 4)
        case .i64Store: return ("kiln_i64_store_at(\0, \(value));", 8)
        case .f32Store: return ("kiln_f32_store_at(\0, \(value));", 4)
        case .f64Store: return ("kiln_f64_store_at(\0, \(value));", 8)
        case .v128Store: return ("kiln_v128_store_at(\0, \(value));", 16)
        case .i32Store8, .i64Store8: return ("kiln_u8_store_at(\0, (u8)\(value));", 1)
        case .i32Store16, .i64Store16: return ("kiln_u16_store_at(\0, (u16)\(value));", 2)
        case .i64Store32: return ("kiln_i32_store_at(\0, (u32)\(value));", 4)
        default: return nil
        }
    }
}

/// Accesses of a versioned loop that share a base (the same locals and step, different constants).
struct AccessGroup {
    let name: String
    let expression: String
    /// The step per iteration as a C expression, and as a number when it is a constant.
    let step: String
    let constantStep: Int64?
    var low = Int64.max
    var high = Int64.min
    var writes = false

    mutating func add(_ start: Int64, size: Int64, isStore: Bool) {
        low = min(low, start)
        high = max(high, start + size)
        writes = writes || isStore
    }

    /// A group that is only read cannot conflict with itself; a written one can't when all its bytes of one
    /// iteration fit within one step.
    var selfIndependent: Bool { !writes || constantStep.map { $0 != 0 && high - low <= abs($0) } ?? false }

    /// The step's variable when it is known only at run time.
    var stepName: String { "st" + name.dropFirst() }

    /// Arguments for kiln_loop_disjoint: first and end byte in iteration 0, and the step.
    var span: String { "\(expression) + \(low), \(expression) + \(high), \(step)" }
}
