import KilnModel

/// Legacy exception handling: `try`, `catch`, `catch_all`, `delegate`, `rethrow`.
///
/// A `try` is a block; each `catch` ends the body (or the previous clause) the way `else` ends an if, and
/// starts a clause of the same label that begins with the tag's payload; `catch_all` starts one with nothing.
/// `delegate` ends the body as `end` does, its label counted from outside the try. `rethrow`'s label must
/// name a catch clause.
/// > Note: <https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md>
extension FunctionValidator {
    mutating func visitLegacy(_ instruction: LegacyException) throws(ValidationError) {
        switch instruction {
        case .try(let blockType): try validateBlock(.legacyTry, blockType)
        case .catch(let tag): try validateCatch(given: try context.tag(tag).parameters, kind: .legacyCatch)
        case .catchAll: try validateCatch(given: [], kind: .legacyCatchAll)
        case .delegate(let depth): try validateDelegate(depth)
        case .rethrow(let depth): try validateRethrow(depth)
        }
    }

    private mutating func validateCatch(given: [ValueType], kind: ControlFrame.Kind) throws(ValidationError) {
        guard let top = state.controls.last?.kind, top == .legacyTry || top == .legacyCatch else {
            throw ValidationError(kind == .legacyCatch ? "catch without a try, or after catch_all" : "catch_all without a try, or after catch_all", isMalformed: true)
        }
        let ended = try state.popControl()
        base = ended.height
        frame = ended
        _ = state.pushControl(kind, start: given, end: ended.endTypes, offset: currentOffset, label: ended.label)
    }

    private mutating func validateDelegate(_ depth: UInt32) throws(ValidationError) {
        guard state.controls.last?.kind == .legacyTry else { throw ValidationError("delegate without a try", isMalformed: true) }
        let ended = try state.popControl()
        // The label is one of those around the try.
        _ = try state.frame(relativeDepth: depth)
        base = ended.height
        frame = ended
        state.pushOperands(ended.endTypes)
    }

    private mutating func validateRethrow(_ depth: UInt32) throws(ValidationError) {
        let target = try state.frame(relativeDepth: depth)
        guard target.kind == .legacyCatch || target.kind == .legacyCatchAll else { throw ValidationError("invalid rethrow label") }
        base = state.height
        frame = target
        state.markUnreachable()
    }
}
