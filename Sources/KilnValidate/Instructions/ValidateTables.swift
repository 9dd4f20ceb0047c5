import KilnModel

/// table.get/set/size/grow/fill/copy/init and elem.drop.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#table-instructions>
extension FunctionValidator {
    func elementType(_ table: UInt32) throws(ValidationError) -> ValueType {
        .ref(try context.table(table).elementType)
    }

    /// i64 for a 64-bit table (table64), else i32: the type of its indices and sizes.
    func indexType(_ table: UInt32) throws(ValidationError) -> ValueType {
        try context.table(table).limits.addressType
    }

    mutating func validateTableGet(_ table: UInt32) throws(ValidationError) {
        try apply(indexType(table), elementType(table))
    }

    mutating func validateTableSet(_ table: UInt32) throws(ValidationError) {
        try apply([indexType(table), elementType(table)], [])
    }

    mutating func validateTableSize(_ table: UInt32) throws(ValidationError) {
        try apply([], [indexType(table)])
    }

    mutating func validateTableGrow(_ table: UInt32) throws(ValidationError) {
        try apply([elementType(table), indexType(table)], [indexType(table)])
    }

    mutating func validateTableFill(_ table: UInt32) throws(ValidationError) {
        try apply([indexType(table), elementType(table), indexType(table)], [])
    }

    mutating func validateTableCopy(_ dst: UInt32, _ src: UInt32) throws(ValidationError) {
        let dstType = try elementType(dst)
        let srcType = try elementType(src)
        guard state.identities.isSubtype(srcType, of: dstType) else {
            throw .typeMismatch("table.copy from a table of \(srcType.name) to a table of \(dstType.name)")
        }
        let (d, s) = (try indexType(dst), try indexType(src))
        try apply([d, s, d == .i64 && s == .i64 ? .i64 : .i32], [])
    }

    mutating func validateTableInit(_ element: UInt32, table: UInt32) throws(ValidationError) {
        let tableType = try elementType(table)
        let segment = try context.element(element)
        guard state.identities.isSubtype(.ref(segment.type), of: tableType) else {
            throw .typeMismatch("table.init of elem segment \(element) (\(segment.type.name)) into a table of \(tableType.name)")
        }
        try apply([indexType(table), .i32, .i32], [])
    }

    mutating func validateElemDrop(_ element: UInt32) throws(ValidationError) {
        _ = try context.element(element)
        base = state.height
    }
}
