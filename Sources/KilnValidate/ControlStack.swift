import KilnModel

/// One entry of the control stack: a block, loop, if, else, or the function body itself.
///
/// > Note: <https://webassembly.github.io/spec/core/appendix/algorithm.html>
public struct ControlFrame: Sendable {
    /// The legacy try's body is `legacyTry`; each of its catch clauses a frame of its own with the try's label.
    public enum Kind: Sendable, Equatable { case function, block, loop, `if`, `else`, tryTable, legacyTry, legacyCatch, legacyCatchAll }

    public let kind: Kind
    public let startTypes: [ValueType]
    public let endTypes: [ValueType]
    /// Operand stack height when the frame was entered, below its parameters.
    public let height: Int
    /// Set once the rest of the frame is unreachable; the operand stack below it is then polymorphic.
    public internal(set) var unreachable: Bool
    /// Unique within the function, in order of entry: the lowering's `B4:`/`L4:` labels.
    public let label: Int
    /// Offset of the instruction that opened the frame.
    public let offset: Int
    /// `initializationLog.count` when the frame was entered.
    let initializations: Int

    /// A branch to a loop goes to its start and carries its parameters; to anything else, its end and results.
    public var labelTypes: [ValueType] { kind == .loop ? startTypes : endTypes }
}

extension FunctionState {
    var depth: Int { controls.count }

    /// The frame `relativeDepth` levels out, as a branch names it.
    func frame(relativeDepth: UInt32) throws(ValidationError) -> ControlFrame {
        guard relativeDepth < controls.count else { throw .unknownLabel(relativeDepth, count: controls.count) }
        return controls[controls.count - 1 - Int(relativeDepth)]
    }

    /// The frame a branch with `relativeDepth` targets, for consumers (nil when out of range).
    public func target(relativeDepth: UInt32) -> ControlFrame? {
        guard relativeDepth < controls.count else { return nil }
        return controls[controls.count - 1 - Int(relativeDepth)]
    }

    /// Enters a frame; an `else` frame keeps its `if`'s label (`label`), so branches to either name one end.
    mutating func pushControl(_ kind: ControlFrame.Kind, start: [ValueType], end: [ValueType], offset: Int, label: Int? = nil) -> ControlFrame {
        let frame = ControlFrame(
            kind: kind, startTypes: start, endTypes: end, height: operands.count,
            unreachable: false, label: label ?? nextLabel, offset: offset, initializations: initializationLog.count)
        if label == nil { nextLabel += 1 }
        controls.append(frame)
        pushOperands(start)
        return frame
    }

    mutating func popControl() throws(ValidationError) -> ControlFrame {
        guard let frame = controls.last else { throw .unexpectedEnd }
        try popOperands(frame.endTypes)
        guard operands.count == frame.height else {
            throw .typeMismatch("\(operands.count - frame.height) value\(operands.count - frame.height == 1 ? "" : "s") left on the stack at the end of the block, which returns [\(frame.endTypes.map(\.name).joined(separator: " "))]")
        }
        controls.removeLast()
        while initializationLog.count > frame.initializations {
            initializedLocals.remove(initializationLog.removeLast())
        }
        return frame
    }

    /// After `unreachable`, `br`, `br_table` or `return`: drop the frame's operands and make the stack polymorphic.
    mutating func markUnreachable() {
        guard let top = controls.indices.last else { return }
        operands.removeSubrange(controls[top].height...)
        controls[top].unreachable = true
    }
}
