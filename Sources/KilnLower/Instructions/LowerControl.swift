import KilnModel
import KilnValidate

/// block, loop, if/else/end, br, br_if, br_table, return.
///
/// A block's results and a loop's parameters live in the slots just above the frame's height, so falling
/// through needs no copy; a branch copies the top values into those slots, then jumps.
extension FunctionLowerer {
    mutating func lowerEnter(_ instruction: Instruction, _ state: borrowing FunctionState) {
        let live = typing.reachable && (frames.last?.live ?? true)
        guard let frame = typing.frame else { return }
        frames.append(Frame(label: frame.label, kind: frame.kind, live: live, entryBounds: bounds))
        guard live else { return }
        switch frame.kind {
        case .loop:
            enterLoopBounds()
            labelLines["L\(frame.label)"] = writer.label("L\(frame.label)", "loop \(comment)")
            // Bounds mode "guard": no access is checked, so clang could vectorize the loop and merge the
            // stores of several iterations, losing those before a faulting one. A barrier per iteration
            // keeps them in order (a versioned loop's unchecked copy starts after this line, without it).
            if context.boundsGuard { writer.raw("  KILN_ORDER();") }
            enterInterruptionRegion()
            if typing.reachable, let line = labelLines["L\(frame.label)"] { startLoopRecording(frame, labelLine: line) }
        case .if:
            let condition = operand(typing.heightBefore - 1, .i32)
            targeted.insert("E\(frame.label)")
            emit("if (!\(condition)) goto E\(frame.label);", "if")
        case .tryTable:
            if case .tryTable(_, let catches) = instruction { lowerTryTableEntry(catches, label: frame.label, state) }
        default:
            writer.line("/* block B\(frame.label) \(comment) */")
        }
    }

    mutating func lowerElse() {
        guard var frame = frames.popLast() else { return }
        frame.sawElse = true
        frames.append(frame)
        guard frame.live else { return }
        if typing.reachable { branchBounds(to: frame.label) }
        bounds = frame.entryBounds
        if typing.reachable {
            targeted.insert("B\(frame.label)")
            emit("goto B\(frame.label);", "else")
        }
        _ = writer.label("E\(frame.label)", "else")
    }

    mutating func lowerEnd() {
        guard let frame = frames.popLast() else { return }
        guard frame.live else { return }
        if frame.kind == .loop {
            finishLoopRecording(label: frame.label)
            leaveInterruptionRegion()
        }
        if frame.kind == .if, !frame.sawElse { _ = writer.label("E\(frame.label)") }
        if frame.kind == .function {
            if typing.reachable { lowerReturn(from: typing.heightAfter, "end") }
            return
        }
        if frame.kind == .tryTable, typing.reachable {
            // Falling out of the body; branches to the end took the handler off on their way.
            emit("ctx->handler = \(Self.handlerName(frame.label)).prev;", "end of try_table")
        }
        if [.legacyTry, .legacyCatch, .legacyCatchAll].contains(frame.kind) { lowerLegacyEnd(frame) }
        if frame.kind != .loop {
            labelLines["B\(frame.label)"] = writer.label("B\(frame.label)", "end \(comment)")
            // The code after `end`: what held on every path reaching it (the fall-through, the branches, and
            // an if's missing else).
            var exit = frame.exitBounds
            if typing.reachable { exit = exit.map { $0.meet(bounds) } ?? bounds }
            if frame.kind == .if, !frame.sawElse { exit = exit.map { $0.meet(frame.entryBounds) } ?? frame.entryBounds }
            bounds = exit ?? ProvenBounds()
        }
    }

    /// Copies the `count` values below `top` into the target's slots and jumps (a branch to the
    /// function's frame is a return).
    mutating func branch(to target: ControlFrame, top: Int) -> String {
        if target.kind == .function { return returnStatement(from: top) }
        let types = target.labelTypes
        var parts: [String] = []
        for (i, type) in types.enumerated() {
            let source = top - types.count + i
            let destination = target.height + i
            if source != destination || isPending(source) { parts.append("\(slot(destination, type)) = \(operand(source, type));") }
        }
        let name = (target.kind == .loop ? "L" : "B") + "\(target.label)"
        targeted.insert(name)
        branchBounds(to: target.label)
        // A loop's label is its start, inside it: only the try_tables within the loop are left.
        if let index = frameIndex(label: target.label), let exit = handlerExit(toFrameAt: target.kind == .loop ? index + 1 : index) {
            parts.append(exit)
        }
        parts.append("goto \(name);")
        return parts.joined(separator: " ")
    }

    mutating func lowerBr() {
        guard let target = typing.frame else { return }
        emit(branch(to: target, top: typing.heightBefore), "br")
        if loop != nil { loop?.backEdgeLine = writer.lines.count - 1 }
    }

    mutating func lowerBrIf() {
        guard let target = typing.frame else { return }
        let condition = operand(typing.heightBefore - 1, .i32)
        emit("if (\(condition)) { \(branch(to: target, top: typing.heightBefore - 1)) }", "br_if")
        if loop != nil {
            loop?.backEdgeLine = writer.lines.count - 1
            loop?.lastBrIfLine = writer.lines.count - 1
        }
    }

    mutating func lowerBrTable(_ table: BrTable, _ state: borrowing FunctionState) {
        let index = operand(typing.heightBefore - 1, .i32)
        let top = typing.heightBefore - 1
        writer.statement("switch (\(index)) {", "br_table \(comment)")
        // Cases with the same target share one branch.
        var order: [UInt32] = []
        var cases: [UInt32: [Int]] = [:]
        for (value, depth) in table.labelIndices.enumerated() where depth != table.defaultIndex {
            if cases[depth] == nil { order.append(depth) }
            cases[depth, default: []].append(value)
        }
        for depth in order {
            guard let target = state.target(relativeDepth: depth), let values = cases[depth] else { continue }
            writer.line("  " + values.map { "case \($0)u:" }.joined(separator: " ") + " \(branch(to: target, top: top))")
        }
        if let target = state.target(relativeDepth: table.defaultIndex) {
            writer.line("  default: \(branch(to: target, top: top))")
        }
        writer.line("}")
    }

    func returnStatementText(_ values: [String]) -> String {
        // A return from inside try_tables takes their handlers off the chain.
        let exit = handlerExit(toFrameAt: 0).map { $0 + " " } ?? ""
        if tailForm { return exit + tailReturnText(values) }
        let statement = switch values.count {
        case 0: "return;"
        case 1: "return \(values[0]);"
        default: "return (\(CTypes.resultStruct(type.results))){\(values.joined(separator: ", "))};"
        }
        return exit + statement
    }

    /// A tail call from inside try_tables leaves them: their handlers come off the chain first.
    mutating func emitHandlerExitForTailCall() {
        if let exit = handlerExit(toFrameAt: 0) { emit(exit, "leaving try_table for a tail call") }
    }

    mutating func returnStatement(from top: Int) -> String {
        let results = type.results
        var values: [String] = []
        for (i, result) in results.enumerated() { values.append(operand(top - results.count + i, result)) }
        return returnStatementText(values)
    }

    mutating func lowerReturn(from top: Int, _ name: String) {
        emit(returnStatement(from: top), name)
    }
}
