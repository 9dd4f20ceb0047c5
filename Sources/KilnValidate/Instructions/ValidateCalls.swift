import KilnModel

/// call and call_indirect.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions>
extension FunctionValidator {
    mutating func validateCall(_ function: UInt32) throws(ValidationError) {
        let callee = try context.functionType(function)
        try apply(callee.parameters, callee.results)
    }

    mutating func validateCallIndirect(_ typeIndex: UInt32, table: UInt32) throws(ValidationError) {
        let tableType = try context.table(table)
        guard state.identities.isSubtype(tableType.elementType, of: .funcRef) else {
            throw .typeMismatch("call_indirect needs a funcref table, table \(table) holds \(tableType.elementType.name)")
        }
        let callee = try context.type(typeIndex)
        try state.pop(tableType.limits.addressType)
        try apply(callee.parameters, callee.results)
    }
}
