/// Table instructions: runtime helpers in Runtime/include/kiln_table.h that trap "out of bounds table
/// access" with no partial effect.
extension FunctionLowerer {
    mutating func lowerTableGet(_ table: UInt32) {
        emit("\(output(0)) = kiln_table_get(ctx, inst->tables[\(table)], \(input(0)));", "table.get \(table)")
    }

    mutating func lowerTableSet(_ table: UInt32) {
        emit("kiln_table_set(ctx, inst->tables[\(table)], \(input(0)), \(input(1)));", "table.set \(table)")
    }

    mutating func lowerTableSize(_ table: UInt32) {
        let size = context.tableIndexType(table) == .i64 ? "kiln_table_size64" : "kiln_table_size"
        emit("\(output(0)) = \(size)(inst->tables[\(table)]);", "table.size \(table)")
    }

    mutating func lowerTableGrow(_ table: UInt32) {
        let grow = context.tableIndexType(table) == .i64 ? "kiln_table_grow64" : "kiln_table_grow"
        emit("\(output(0)) = \(grow)(ctx, inst->tables[\(table)], \(input(0)), \(input(1)));", "table.grow \(table)")
    }

    mutating func lowerTableFill(_ table: UInt32) {
        emit("kiln_table_fill(ctx, inst->tables[\(table)], \(input(0)), \(input(1)), \(input(2)));", "table.fill \(table)")
    }

    mutating func lowerTableCopy(_ dst: UInt32, _ src: UInt32) {
        emit("kiln_table_copy(ctx, inst->tables[\(dst)], inst->tables[\(src)], \(input(0)), \(input(1)), \(input(2)));", "table.copy \(dst) \(src)")
    }

    mutating func lowerTableInit(_ element: UInt32, table: UInt32) {
        emit("kiln_table_init(ctx, inst->tables[\(table)], inst->elem\(element), inst->elem_size[\(element)], \(input(0)), \(input(1)), \(input(2)));", "table.init \(element) \(table)")
    }
}
