import KilnModel

/// ref.null, ref.is_null, ref.func.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#reference-instructions>
extension FunctionValidator {
    mutating func validateRefNull(_ heapType: HeapType) throws(ValidationError) {
        try context.validate(heapType)
        try apply([], [.ref(ReferenceType(isNullable: true, heapType: heapType))])
    }

    mutating func validateRefIsNull() throws(ValidationError) {
        _ = try state.popReference()
        base = state.height
        state.push(.i32)
    }

    /// The function must be declared outside function bodies (C.refs), so that an engine knows from the
    /// module's header which functions may escape as references.
    mutating func validateRefFunc(_ function: UInt32) throws(ValidationError) {
        let type = try context.functionReferenceType(function)
        guard context.declaredReferences.contains(function) else { throw .undeclaredFunctionReference(function) }
        try apply([], [type])
    }
}
