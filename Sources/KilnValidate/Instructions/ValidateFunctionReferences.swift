import KilnModel

/// Typed function references: `ref.as_non_null`, `br_on_null`, `br_on_non_null`, `call_ref` and
/// `return_call_ref`.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#reference-instructions>
extension FunctionValidator {
    /// [(ref null ht)] -> [(ref ht)]
    mutating func validateRefAsNonNull() throws(ValidationError) {
        let operand = try state.popReference()
        base = state.height
        state.push(operand.map(Self.nonNull))
    }

    /// [t* (ref null ht)] -> [t* (ref ht)], branching to a label of [t*] when the reference is null.
    mutating func validateBrOnNull(_ depth: UInt32) throws(ValidationError) {
        let target = try state.frame(relativeDepth: depth)
        let operand = try state.popReference()
        try state.popOperands(target.labelTypes)
        base = state.height
        frame = target
        state.pushOperands(target.labelTypes)
        state.push(operand.map(Self.nonNull))
    }

    /// [t* (ref null ht)] -> [t*], branching to a label of [t* (ref ht)] when the reference is not null.
    mutating func validateBrOnNonNull(_ depth: UInt32) throws(ValidationError) {
        let target = try state.frame(relativeDepth: depth)
        guard let last = target.labelTypes.last, case .ref = last else {
            throw .typeMismatch("br_on_non_null needs a label whose last value is a reference, label \(depth) takes [\(target.labelTypes.map(\.name).joined(separator: " "))]")
        }
        let operand = try state.popReference()
        if let operand, !state.identities.isSubtype(Self.nonNull(operand), of: last) {
            throw .typeMismatch(expected: last.name, found: Self.nonNull(operand).name)
        }
        let rest = Array(target.labelTypes.dropLast())
        try state.popOperands(rest)
        base = state.height
        frame = target
        state.pushOperands(rest)
    }

    mutating func validateCallRef(_ typeIndex: UInt32) throws(ValidationError) {
        let callee = try context.type(typeIndex)
        try state.pop(Self.reference(to: typeIndex))
        try apply(callee.parameters, callee.results)
    }

    mutating func validateReturnCallRef(_ typeIndex: UInt32) throws(ValidationError) {
        let callee = try context.type(typeIndex)
        try checkTailCallResults(callee)
        try state.pop(Self.reference(to: typeIndex))
        try state.popOperands(callee.parameters)
        endTailCall()
    }

    static func reference(to typeIndex: UInt32) -> ValueType {
        .ref(ReferenceType(isNullable: true, heapType: .concrete(typeIndex: typeIndex)))
    }

    static func nonNull(_ type: ValueType) -> ValueType {
        guard case .ref(let ref) = type else { return type }
        return .ref(ReferenceType(isNullable: false, heapType: ref.heapType))
    }
}
