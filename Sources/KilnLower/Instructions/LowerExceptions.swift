import KilnModel
import KilnValidate

/// Exception handling: `try_table`, `throw`, `throw_ref` (Runtime/include/kiln_exception.h).
///
/// A try_table puts its `kiln_handler` (in the function's frame) at the head of the store's chain and
/// `setjmp`s; a throw longjmps to the innermost handler, where the code written at the try_table's entry
/// takes it off the chain and tries the catch clauses in order, each a branch with the payload to its label;
/// with no match it throws on. Every other way out of the body (its end, a branch, a return, a tail call)
/// takes the handlers it leaves off the chain first. A longjmp loses what registers held: a function with a
/// try_table keeps its locals `volatile`, and reloads its memory view after a catch.
extension FunctionLowerer {
    static func handlerName(_ label: Int) -> String { "h\(label)" }

    /// The statements that take off the chain the handlers of every frame a jump from here to the frame at
    /// `targetIndex` of `frames` leaves (the target included: its label is its end), and let go the
    /// exceptions of the legacy catch clauses it leaves; nil when it leaves none.
    func handlerExit(toFrameAt targetIndex: Int, from top: Int? = nil) -> String? {
        let end = top ?? frames.count
        guard targetIndex < end else { return nil }
        let left = frames[targetIndex..<end]
        var parts: [String] = []
        if let outermost = left.first(where: installsHandler) { parts.append("ctx->handler = \(Self.handlerName(outermost.label)).prev;") }
        for frame in left.reversed() where frame.live && frame.holdsException {
            parts.append("kiln_exception_release(ctx, \(Self.caughtName(frame.label)), NULL);")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The index in `frames` of the frame with `label` (the innermost such: an else shares its if's).
    func frameIndex(label: Int) -> Int? { frames.lastIndex { $0.label == label } }

    /// At the try_table's entry (its frame is the last of `frames`): install the handler, and the code a throw
    /// arrives at.
    mutating func lowerTryTableEntry(_ tryCatch: TryCatch, label: Int, _ state: borrowing FunctionState) {
        usesHandlers = true
        let h = Self.handlerName(label)
        if declaredHandlers.insert(h).inserted { handlerDecls.append(h) }
        let e = "e\(label)"
        emit("\(h).prev = ctx->handler; ctx->handler = &\(h);", "try_table")
        writer.line("if (setjmp(\(h).jmp)) {")
        writer.line("  kiln_exception* const \(e) = ctx->exception;")
        writer.line("  ctx->handler = \(h).prev;")
        refreshMemoryView()
        let entryBounds = bounds
        // Nothing proven in the body holds where it threw from.
        bounds = ProvenBounds()
        let tryIndex = frames.count - 1
        for clause in tryCatch.catches {
            let (tag, depth, withReference): (UInt32?, UInt32, Bool) = switch clause {
            case .catch(let tag, let label): (tag, label, false)
            case .catchRef(let tag, let label): (tag, label, true)
            case .catchAll(let label): (nil, label, false)
            case .catchAllRef(let label): (nil, label, true)
            }
            // Catch labels count from outside the try_table.
            guard let target = state.target(relativeDepth: depth + 1), let targetIndex = frameIndex(label: target.label) else { continue }
            var parts: [String] = handlerExit(toFrameAt: targetIndex, from: tryIndex).map { [$0] } ?? []
            var values: [String] = []
            if let tag, let payload = context.space.tagType(tag)?.parameters {
                for (i, type) in payload.enumerated() {
                    values.append("\(e)->values[\(i)].\(CTypes.valueMember(type))")
                }
            }
            if withReference { values.append("kiln_exception_keep(ctx, \(e))") }
            let types = target.labelTypes
            var slots: [String] = []
            for (i, value) in values.enumerated() where i < types.count {
                let slot = slot(target.height + i, types[i])
                parts.append("\(slot) = \(value);")
                slots.append(slot)
            }
            if !withReference { parts.append("kiln_exception_done(ctx, \(e));") }
            if target.kind == .function {
                parts.append(returnStatementText(slots))
            } else {
                let name = (target.kind == .loop ? "L" : "B") + "\(target.label)"
                targeted.insert(name)
                branchBounds(to: target.label)
                parts.append("goto \(name);")
            }
            let test = tag.map { "\(e)->tag == inst->tags[\($0)]" }
            let body = parts.joined(separator: " ")
            writer.line(test.map { "  if (\($0)) { \(body) }" } ?? "  { \(body) }")
        }
        writer.line("  kiln_throw(ctx, \(e)); /* no clause matched: on to the next handler */")
        writer.line("}")
        bounds = entryBounds
    }

    mutating func lowerThrow(_ tag: UInt32) {
        guard let payload = context.space.tagType(tag)?.parameters else { return }
        var parts = ["kiln_exception* const e = kiln_exception_new(ctx, inst->tags[\(tag)], \(payload.count)u);"]
        for (i, type) in payload.enumerated() { parts.append("e->values[\(i)].\(CTypes.valueMember(type)) = \(input(i));") }
        parts.append("kiln_throw(ctx, e);")
        emit("{ " + parts.joined(separator: " ") + " }", "throw \(tag)")
    }

    mutating func lowerThrowRef() {
        emit("kiln_throw_ref(ctx, \(input(0)));", "throw_ref")
    }
}
