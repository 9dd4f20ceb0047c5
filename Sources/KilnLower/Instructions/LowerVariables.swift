import KilnModel

/// select and globals (locals are one assignment each, in FunctionLowerer's switch).
extension FunctionLowerer {
    mutating func lowerSelect() {
        emit("\(output(0)) = \(input(2)) ? \(input(0)) : \(input(1));", "select")
    }

    mutating func lowerGlobalGet(_ global: UInt32) {
        guard let type = context.space.global(global) else { return }
        emit("\(output(0)) = inst->globals[\(global)]->value.\(CTypes.valueMember(type.valueType));", "global.get \(global)")
    }

    mutating func lowerGlobalSet(_ global: UInt32) {
        guard let type = context.space.global(global) else { return }
        emit("inst->globals[\(global)]->value.\(CTypes.valueMember(type.valueType)) = \(input(0));", "global.set \(global)")
    }
}
