import KilnModel

/// Exception handling: `throw`, `throw_ref` and `try_table`.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-try-table-xref-syntax-instructions-syntax-blocktype-mathit-blocktype-xref-syntax-instructions-syntax-catch-mathit-catch-ast-xref-syntax-instructions-syntax-instr-mathit-instr-ast-xref-syntax-instructions-syntax-instr-control-mathsf-end>
extension FunctionValidator {
    static var exnref: ValueType { .ref(.exnRef) }
    /// What catch_ref and catch_all_ref give: a reference to the exception caught, never null.
    static var caughtExnref: ValueType { .ref(ReferenceType(isNullable: false, heapType: .exnRef)) }

    /// [t* (payload)] -> [t'*], stack-polymorphic after it.
    mutating func validateThrow(_ tag: UInt32) throws(ValidationError) {
        let type = try context.tag(tag)
        try state.popOperands(type.parameters)
        base = state.height
        state.markUnreachable()
    }

    mutating func validateThrowRef() throws(ValidationError) {
        try state.pop(Self.exnref)
        base = state.height
        state.markUnreachable()
    }

    /// A block whose catch clauses branch, from outside it, to labels that take what each clause gives: the
    /// tag's payload (`catch`), then a `(ref exn)` (`catch_ref`), nothing (`catch_all`) or a `(ref exn)`
    /// alone (`catch_all_ref`).
    mutating func validateTryTable(_ blockType: BlockType, _ tryCatch: TryCatch) throws(ValidationError) {
        for clause in tryCatch.catches {
            let (given, depth): ([ValueType], UInt32) = switch clause {
            case .catch(let tag, let label): (try context.tag(tag).parameters, label)
            case .catchRef(let tag, let label): (try context.tag(tag).parameters + [Self.caughtExnref], label)
            case .catchAll(let label): ([], label)
            case .catchAllRef(let label): ([Self.caughtExnref], label)
            }
            let target = try state.frame(relativeDepth: depth)
            guard state.identities.areSubtypes(given, of: target.labelTypes) else {
                throw .typeMismatch("a catch clause gives [\(given.map(\.name).joined(separator: " "))] to label \(depth), which takes [\(target.labelTypes.map(\.name).joined(separator: " "))]")
            }
        }
        try validateBlock(.tryTable, blockType)
    }
}
