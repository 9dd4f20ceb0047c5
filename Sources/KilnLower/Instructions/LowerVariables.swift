import KilnModel

/// A statement that stored an instruction's single result in its slot.
struct ResultLine {
    let line: Int
    let height: Int
    let expression: String
    let comment: String
}

/// select, globals and local assignments (local.get is an atom, PendingOperands.swift).
extension FunctionLowerer {
    /// `local.set`/`local.tee`: one assignment, none when the value is the local itself (clang's
    /// -Wself-assign would reject `l0 = l0;`).
    mutating func assignLocal(_ local: UInt32, _ name: String) {
        bounds.forget(local)
        openChecks[local] = nil
        let value = input(0)
        guard value != CNames.local(local) else { return }
        // The previous instruction's statement, still the last line, computed this value into its slot:
        // assign the local instead (not in a loop being recorded, whose copy rewrites accesses by line).
        if let previous = previousResult, loop == nil, previous.line == writer.lines.count - 1,
            previous.height == typing.base, !isPending(typing.base)
        {
            writer.replaceLast("\(CNames.local(local)) = \(previous.expression);", "\(previous.comment), \(name) \(local) \(comment)")
            return
        }
        emit("\(CNames.local(local)) = \(value);", "\(name) \(local)")
    }

    mutating func lowerSelect() {
        emit("\(output(0)) = \(input(2)) ? \(input(0)) : \(input(1));", "select")
    }

    mutating func lowerGlobalGet(_ global: UInt32) {
        guard let type = context.space.global(global) else { return }
        emit("\(output(0)) = \(context.globalValue(global)).\(CTypes.valueMember(type.valueType));", "global.get \(global)")
    }

    mutating func lowerGlobalSet(_ global: UInt32) {
        guard let type = context.space.global(global) else { return }
        emit("\(context.globalValue(global)).\(CTypes.valueMember(type.valueType)) = \(input(0));", "global.set \(global)")
    }
}
