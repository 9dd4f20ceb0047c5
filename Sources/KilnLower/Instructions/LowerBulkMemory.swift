/// memory.init, memory.copy, memory.fill (data.drop is one assignment in FunctionLowerer's switch).
/// The spec's bounds rules live in Runtime/src/memory.c.
extension FunctionLowerer {
    mutating func lowerMemoryInit(_ data: UInt32) {
        emit("kiln_memory_init(ctx, inst->memories[0], kiln_data\(data), inst->data_size[\(data)], \(input(0)), \(input(1)), \(input(2)));", "memory.init \(data)")
    }

    mutating func lowerMemoryCopy() {
        emit("kiln_memory_copy(ctx, inst->memories[0], inst->memories[0], \(input(0)), \(input(1)), \(input(2)));", "memory.copy")
    }

    mutating func lowerMemoryFill() {
        emit("kiln_memory_fill(ctx, inst->memories[0], \(input(0)), \(input(1)), \(input(2)));", "memory.fill")
    }
}
