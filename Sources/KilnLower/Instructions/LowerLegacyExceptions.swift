import KilnModel
import KilnValidate

/// Legacy exception handling: `try`, `catch`, `catch_all`, `delegate`, `rethrow` (LegacyException.swift),
/// on the handlers of try_table (LowerExceptions.swift).
///
/// A try installs its handler `h4` and setjmps, as a try_table does, but its catch clauses come after its
/// body, so a throw jumps forward to `D4:`, written where the first clause starts: it takes the handler off,
/// keeps the exception in `x4`, and falls into the clauses' tests, each of which goes on to the next clause
/// (`C4_1:`, …) on a mismatch; after the last, the exception is thrown on. A clause takes the payload into
/// its slots and lets the exception go, unless a `rethrow` names the clause: then the clause holds it
/// (counted: a clause may catch again what an enclosing one holds) and reuses `h4` as a cleanup handler
/// that lets it go should another exception leave the clause. `delegate` jumps from `D4:` to the handler
/// in force inside the label it names, skipping those in between. The cost where nothing throws is the
/// try_table's: a handler put on and taken off.
extension FunctionLowerer {
    static func caughtName(_ label: Int) -> String { "x\(label)" }

    /// Whether the frame has a handler on the chain while control is inside it.
    func installsHandler(_ frame: Frame) -> Bool {
        frame.live && (frame.kind == .tryTable || frame.kind == .legacyTry || frame.holdsException)
    }

    mutating func lowerLegacy(_ instruction: LegacyException, _ state: borrowing FunctionState) {
        // The instruction whose effect on pending operands, known ranges and loop recording is the same.
        let analogue: Instruction = switch instruction {
        case .try(let blockType): .block(blockType: blockType)
        case .catch, .catchAll: .else
        case .delegate: .end
        case .rethrow: .throwRef
        }
        beginInstruction(analogue)
        defer { endInstruction(analogue) }
        switch instruction {
        case .try: lowerLegacyTry()
        case .catch(let tag): lowerCatchClause(tag: tag, state)
        case .catchAll: lowerCatchClause(tag: nil, state)
        case .delegate(let depth): lowerDelegate(depth, state)
        case .rethrow:
            guard typing.reachable, frames.last?.live ?? true, let clause = typing.frame else { return }
            emit("kiln_throw(ctx, \(Self.caughtName(clause.label)));", "rethrow")
        }
    }

    private mutating func lowerLegacyTry() {
        let live = typing.reachable && (frames.last?.live ?? true)
        guard let frame = typing.frame else { return }
        frames.append(Frame(label: frame.label, kind: .legacyTry, live: live, entryBounds: bounds))
        guard live else { return }
        usesHandlers = true
        let h = Self.handlerName(frame.label)
        if declaredHandlers.insert(h).inserted { handlerDecls.append(h) }
        emit("\(h).prev = ctx->handler; ctx->handler = &\(h);", "try")
        writer.line("if (setjmp(\(h).jmp)) goto D\(frame.label);")
    }

    /// `catch` (`tag`) or `catch_all` (nil): the end of the body or of the previous clause, then this clause.
    private mutating func lowerCatchClause(tag: UInt32?, _ state: borrowing FunctionState) {
        guard let top = frames.indices.last else { return }
        let previous = frames[top]
        let kind: ControlFrame.Kind = tag == nil ? .legacyCatchAll : .legacyCatch
        frames[top].kind = kind
        frames[top].clauses += 1
        guard previous.live else { return }
        let label = previous.label
        let h = Self.handlerName(label)
        let x = Self.caughtName(label)
        if typing.reachable {
            branchBounds(to: label)
            targeted.insert("B\(label)")
            emit((leaveClause(previous) ?? "") + "goto B\(label);", tag == nil ? "catch_all" : "catch")
        }
        frames[top].holdsException = false
        if previous.kind == .legacyTry {
            if declaredHandlers.insert(x).inserted { caughtDecls.append(x) }
            _ = writer.label("D\(label)", "an exception in the try's body")
            writer.line("\(x) = ctx->exception; ctx->handler = \(h).prev;")
            refreshMemoryView()
        } else {
            _ = writer.label("C\(label)_\(previous.clauses)")
        }
        bounds = ProvenBounds()
        if let tag {
            let next = "C\(label)_\(previous.clauses + 1)"
            targeted.insert(next)
            writer.line("if (\(x)->tag != inst->tags[\(tag)]) goto \(next);")
            if let clause = state.target(relativeDepth: 0), let payload = context.space.tagType(tag)?.parameters {
                for (i, type) in payload.enumerated() {
                    writer.line("\(slot(clause.height + i, type)) = \(x)->values[\(i)].\(CTypes.valueMember(type));")
                }
            }
        }
        if context.validated.rethrownCatches.contains(typing.offset) {
            frames[top].holdsException = true
            writer.line("kiln_exception_hold(\(x)); \(h).prev = ctx->handler; ctx->handler = &\(h);")
            writer.line("if (setjmp(\(h).jmp)) { ctx->handler = \(h).prev; kiln_exception_release(ctx, \(x), ctx->exception); kiln_throw(ctx, ctx->exception); }")
        } else {
            writer.line("kiln_exception_done(ctx, \(x));")
        }
    }

    /// What falling out of a clause (or of the try's body) does: its handler comes off; a holding clause
    /// lets its exception go.
    private func leaveClause(_ frame: Frame) -> String? {
        switch frame.kind {
        case .legacyTry: "ctx->handler = \(Self.handlerName(frame.label)).prev; "
        case .legacyCatch where frame.holdsException, .legacyCatchAll where frame.holdsException:
            "ctx->handler = \(Self.handlerName(frame.label)).prev; kiln_exception_release(ctx, \(Self.caughtName(frame.label)), NULL); "
        default: nil
        }
    }

    /// At the `end` of a try or of its last clause (the frame is no longer in `frames`), before its `B` label.
    mutating func lowerLegacyEnd(_ frame: Frame) {
        let label = frame.label
        if typing.reachable, let leave = leaveClause(frame) { emit(leave, "end") }
        switch frame.kind {
        case .legacyTry:
            // A try without clauses lets every exception through.
            if typing.reachable {
                targeted.insert("B\(label)")
                writer.line("goto B\(label);")
            }
            _ = writer.label("D\(label)", "an exception in the try's body")
            writer.line("ctx->handler = \(Self.handlerName(label)).prev; kiln_throw(ctx, ctx->exception);")
        case .legacyCatch:
            // No clause matched: on to the next handler.
            if typing.reachable {
                targeted.insert("B\(label)")
                writer.line("goto B\(label);")
            }
            _ = writer.label("C\(label)_\(frame.clauses)")
            writer.line("kiln_throw(ctx, \(Self.caughtName(label)));")
        default: break
        }
    }

    /// `delegate`: the try's exceptions go to the handler in force inside the label (counted from outside
    /// the try): that of the outermost frame with a handler between the label and the try, before it was
    /// installed; with none between, the one in force where the try began.
    private mutating func lowerDelegate(_ depth: UInt32, _ state: borrowing FunctionState) {
        guard let frame = frames.last else { return }
        guard frame.live else {
            frames.removeLast()
            return
        }
        let label = frame.label
        let tryIndex = frames.count - 1
        var handler = "\(Self.handlerName(label)).prev"
        if let target = state.target(relativeDepth: depth),
            let targetIndex = frames[..<tryIndex].lastIndex(where: { $0.label == target.label }),
            let outermost = frames[(targetIndex + 1)..<tryIndex].first(where: installsHandler)
        {
            handler = "\(Self.handlerName(outermost.label)).prev"
        }
        if typing.reachable {
            emit("ctx->handler = \(Self.handlerName(label)).prev;", "delegate")
            writer.line("goto B\(label);")
            targeted.insert("B\(label)")
        }
        _ = writer.label("D\(label)", "an exception in the try's body")
        writer.line("ctx->handler = \(handler); kiln_throw(ctx, ctx->exception);")
        // What remains is a block's end: its label, and the bounds that hold after it.
        frames[tryIndex].kind = .block
        lowerEnd()
    }
}
