import KilnModel

/// The validator's stacks for one function body: operands (nil is the spec's `Unknown`, a value of any type
/// in unreachable code) and control frames. Both are arrays, so input nesting costs heap, never native stack.
///
/// > Note: <https://webassembly.github.io/spec/core/appendix/algorithm.html>
public struct FunctionState: ~Copyable {
    public internal(set) var operands: [ValueType?] = []
    public internal(set) var controls: [ControlFrame] = []
    /// The types the current instruction consumed, bottom of the stack first.
    public internal(set) var popped: [ValueType?] = []
    var nextLabel = 0
    /// Subtyping, for operands checked against an expected type.
    let identities: TypeIdentities
    /// Locals without a default value (non-nullable references) that a `local.set` or `local.tee` has
    /// initialized in the current block or an enclosing one, and the order they were set in, so that the end of
    /// a block forgets those it set (the spec's `inits`).
    var initializedLocals: Set<UInt32> = []
    var initializationLog: [UInt32] = []

    init(identities: TypeIdentities = TypeIdentities([])) {
        self.identities = identities
    }

    public var height: Int { operands.count }

    /// The type at stack height `index` (nil if unknown, in unreachable code).
    public func operand(at index: Int) -> ValueType? { operands[index] }

    public var isReachable: Bool { !(controls.last?.unreachable ?? false) }

    mutating func push(_ type: ValueType?) { operands.append(type) }

    mutating func pushOperands(_ types: [ValueType]) {
        for type in types { operands.append(type) }
    }

    /// Pops one operand of any type; `Unknown` when the frame is unreachable and its part of the stack is empty.
    mutating func pop() throws(ValidationError) -> ValueType? {
        let frame = controls[controls.count - 1]
        if operands.count == frame.height {
            if frame.unreachable {
                popped.insert(nil, at: 0)
                return nil
            }
            throw .typeMismatch("expected a value, found an empty stack")
        }
        let type = operands.removeLast()
        popped.insert(type, at: 0)
        return type
    }

    @discardableResult
    mutating func pop(_ expected: ValueType) throws(ValidationError) -> ValueType? {
        let frame = controls[controls.count - 1]
        if operands.count == frame.height {
            if frame.unreachable {
                popped.insert(expected, at: 0)
                return expected
            }
            throw .typeMismatch(expected: expected.name, found: "an empty stack")
        }
        let actual = operands.removeLast()
        popped.insert(actual ?? expected, at: 0)
        if let actual, actual != expected, !identities.isSubtype(actual, of: expected) {
            throw .typeMismatch(expected: expected.name, found: actual.name)
        }
        return actual ?? expected
    }

    mutating func popOperands(_ types: [ValueType]) throws(ValidationError) {
        for type in types.reversed() { try pop(type) }
    }

    /// Pops a reference of any reference type (`ref.is_null`, `table` operands of either kind).
    mutating func popReference() throws(ValidationError) -> ValueType? {
        let type = try pop()
        if let type, case .ref = type { return type }
        if let type { throw .typeMismatch(expected: "a reference", found: type.name) }
        return nil
    }
}
