import KilnModel

/// block, loop, if/else/end, br, br_if, br_table, return, unreachable.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions>
extension FunctionValidator {
    mutating func validateUnreachable() {
        state.markUnreachable()
        base = state.height
    }

    mutating func validateBlock(_ kind: ControlFrame.Kind, _ blockType: BlockType) throws(ValidationError) {
        let (params, results) = try context.blockType(blockType)
        try state.popOperands(params)
        base = state.height
        frame = state.pushControl(kind, start: params, end: results, offset: currentOffset)
    }

    mutating func validateIf(_ blockType: BlockType) throws(ValidationError) {
        let (params, results) = try context.blockType(blockType)
        try state.pop(.i32)
        try state.popOperands(params)
        base = state.height
        frame = state.pushControl(.if, start: params, end: results, offset: currentOffset)
    }

    mutating func validateElse() throws(ValidationError) {
        guard state.controls.last?.kind == .if else { throw .elseWithoutIf }
        let ended = try state.popControl()
        base = ended.height
        frame = ended
        _ = state.pushControl(.else, start: ended.startTypes, end: ended.endTypes, offset: currentOffset, label: ended.label)
    }

    mutating func validateEnd() throws(ValidationError) {
        let ended = try state.popControl()
        if ended.kind == .if, !state.identities.areSubtypes(ended.startTypes, of: ended.endTypes) {
            throw .typeMismatch("if without else must leave its parameters as its results: \(FunctionType(parameters: ended.startTypes, results: ended.endTypes).signature)")
        }
        base = ended.height
        frame = ended
        state.pushOperands(ended.endTypes)
    }

    mutating func validateBr(_ depth: UInt32) throws(ValidationError) {
        let target = try state.frame(relativeDepth: depth)
        try state.popOperands(target.labelTypes)
        base = state.height
        frame = target
        state.markUnreachable()
    }

    mutating func validateBrIf(_ depth: UInt32) throws(ValidationError) {
        let target = try state.frame(relativeDepth: depth)
        try state.pop(.i32)
        try state.popOperands(target.labelTypes)
        base = state.height
        frame = target
        state.pushOperands(target.labelTypes)
    }

    mutating func validateBrTable(_ table: BrTable) throws(ValidationError) {
        try state.pop(.i32)
        let defaultTarget = try state.frame(relativeDepth: table.defaultIndex)
        let arity = defaultTarget.labelTypes.count
        for depth in table.labelIndices {
            let target = try state.frame(relativeDepth: depth)
            guard target.labelTypes.count == arity else {
                throw .typeMismatch("br_table targets differ in arity: label \(depth) takes \(target.labelTypes.count) values, the default label \(table.defaultIndex) takes \(arity)")
            }
            // Check each label's types against the operands without consuming them (the spec's
            // push_vals(pop_vals(...))).
            let savedOperands = state.operands
            let savedPopped = state.popped
            try state.popOperands(target.labelTypes)
            state.operands = savedOperands
            state.popped = savedPopped
        }
        try state.popOperands(defaultTarget.labelTypes)
        base = state.height
        state.markUnreachable()
    }

    mutating func validateReturn() throws(ValidationError) {
        try state.popOperands(type.results)
        base = state.height
        state.markUnreachable()
    }
}
