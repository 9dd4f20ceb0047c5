import KilnModel
import KilnValidate

/// Tables whose contents are fixed for an instance's whole life: defined by the module, not exported, never
/// written by an instruction, and filled only by active element segments with constant offsets and
/// `ref.func`/`ref.null` items. A call_indirect through such a table becomes a `switch` over its entries
/// with direct calls (clang can inline them); the default case keeps the checked lookup, so every trap —
/// out of range, null, wrong type — is the one the spec names.
enum SealedTables {
    /// At most this many entries, so the switch stays small.
    static let maximumEntries = 1024

    /// Table index → the function in each slot (nil: null).
    static func contents(_ validated: ValidatedModule) -> [UInt32: [UInt32?]] {
        let module = validated.module
        let space = validated.context.space
        let imported = space.tables.count - module.tables.count
        let exported = Set(module.exports.compactMap { entry -> UInt32? in
            if case .table(let index) = entry.descriptor { return index }
            return nil
        })
        var sealed: [UInt32: [UInt32?]] = [:]
        for (i, table) in module.tables.enumerated() {
            let index = UInt32(imported + i)
            guard !exported.contains(index), !validated.writtenTables.contains(index), module.tableInitializers[i] == nil,
                table.limits.min <= UInt64(maximumEntries)
            else { continue }
            sealed[index] = Array(repeating: nil, count: Int(table.limits.min))
        }
        for segment in module.elements {
            guard case .active(let table, let offset) = segment.mode, sealed[table] != nil else { continue }
            guard case .i32Const(let start)? = constant(offset), start >= 0,
                Int(start) + segment.initializer.count <= sealed[table]!.count
            else {
                sealed[table] = nil  // unknown offset, or instantiation traps anyway
                continue
            }
            for (k, item) in segment.initializer.enumerated() {
                switch constant(item) {
                case .refFunc(let function): sealed[table]![Int(start) + k] = function
                case .refNull: sealed[table]![Int(start) + k] = nil
                default: sealed[table] = nil
                }
                if sealed[table] == nil { break }
            }
        }
        return sealed
    }

    /// The one instruction of a constant expression (the decoder may keep its closing `end`).
    static func constant(_ expression: ConstExpression) -> Instruction? {
        var instructions = expression[...]
        if case .end? = instructions.last { instructions = instructions.dropLast() }
        return instructions.count == 1 ? instructions.first : nil
    }
}
