import KilnModel

/// `return_call` and `return_call_indirect` (tail calls): the callee's results must be the caller's, its
/// parameters are popped, and the rest of the block is unreachable, as after `return`.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-return-call-x>
extension FunctionValidator {
    mutating func validateReturnCall(_ function: UInt32) throws(ValidationError) {
        let callee = try context.functionType(function)
        try checkTailCallResults(callee)
        try state.popOperands(callee.parameters)
        endTailCall()
    }

    mutating func validateReturnCallIndirect(_ typeIndex: UInt32, table: UInt32) throws(ValidationError) {
        let tableType = try context.table(table)
        guard state.identities.isSubtype(tableType.elementType, of: .funcRef) else {
            throw .typeMismatch("return_call_indirect needs a funcref table, table \(table) holds \(tableType.elementType.name)")
        }
        let callee = try context.type(typeIndex)
        try checkTailCallResults(callee)
        try state.pop(tableType.limits.addressType)
        try state.popOperands(callee.parameters)
        endTailCall()
    }

    func checkTailCallResults(_ callee: FunctionType) throws(ValidationError) {
        guard state.identities.areSubtypes(callee.results, of: type.results) else {
            throw .typeMismatch(
                expected: "[\(type.results.map(\.name).joined(separator: " "))]",
                found: "a callee returning [\(callee.results.map(\.name).joined(separator: " "))]")
        }
    }

    mutating func endTailCall() {
        base = state.height
        state.markUnreachable()
    }
}
