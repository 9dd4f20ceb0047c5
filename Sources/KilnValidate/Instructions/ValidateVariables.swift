import KilnModel

/// drop, select, local.get/set/tee, global.get/set.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#variable-instructions>
extension FunctionValidator {
    mutating func validateDrop() throws(ValidationError) {
        _ = try state.pop()
        base = state.height
    }

    /// `select` without a type takes two operands of the same numeric or vector type.
    mutating func validateSelect() throws(ValidationError) {
        try state.pop(.i32)
        let second = try state.pop()
        let first = try state.pop()
        for operand in [first, second] {
            if let operand, !operand.isNumericOrVector {
                throw .typeMismatch("select without a type takes numbers or vectors, found \(operand.name); use select with a result type")
            }
        }
        if let first, let second, first != second {
            throw .typeMismatch(expected: first.name, found: second.name)
        }
        base = state.height
        state.push(first ?? second)
    }

    mutating func validateTypedSelect(_ type: ValueType) throws(ValidationError) {
        try context.validate(type)
        try state.pop(.i32)
        try apply([type, type], [type])
    }

    func localType(_ index: UInt32) throws(ValidationError) -> ValueType {
        let params = type.parameters
        if Int(index) < params.count { return params[Int(index)] }
        guard let local = body.localType(at: UInt64(index) - UInt64(params.count)) else {
            throw .unknownLocal(index, count: UInt64(params.count) + body.localCount)
        }
        return local
    }

    /// A local without a default value (a non-nullable reference) is read only where a `local.set` or
    /// `local.tee` in the same block or an enclosing one has given it one.
    mutating func validateLocalGet(_ index: UInt32) throws(ValidationError) {
        let type = try localType(index)
        if isNonDefaultable(index), !state.initializedLocals.contains(index) {
            throw ValidationError("uninitialized local \(index): its type \(type.name) has no default value and no local.set or local.tee before this read sets it")
        }
        try apply([], [type])
    }

    mutating func validateLocalSet(_ index: UInt32) throws(ValidationError) {
        try apply([localType(index)], [])
        initialize(index)
    }

    mutating func validateLocalTee(_ index: UInt32) throws(ValidationError) {
        let type = try localType(index)
        try apply(type, type)
        initialize(index)
    }

    /// A binary search: the ranges are in order, and a body may declare as many runs as it has bytes.
    private func isNonDefaultable(_ index: UInt32) -> Bool {
        let local = UInt64(index)
        var low = 0, high = nonDefaultableLocals.count
        while low < high {
            let middle = (low + high) / 2
            if nonDefaultableLocals[middle].upperBound <= local { low = middle + 1 } else { high = middle }
        }
        return low < nonDefaultableLocals.count && nonDefaultableLocals[low].contains(local)
    }

    private mutating func initialize(_ index: UInt32) {
        guard isNonDefaultable(index), state.initializedLocals.insert(index).inserted else { return }
        state.initializationLog.append(index)
    }

    mutating func validateGlobalGet(_ index: UInt32) throws(ValidationError) {
        try apply([], [context.global(index).valueType])
    }

    mutating func validateGlobalSet(_ index: UInt32) throws(ValidationError) {
        let global = try context.global(index)
        guard global.mutability == .variable else { throw .immutableGlobal(index) }
        try apply([global.valueType], [])
    }
}
