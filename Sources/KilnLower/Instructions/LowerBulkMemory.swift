/// memory.init, memory.copy, memory.fill (data.drop is one assignment in FunctionLowerer's switch).
/// The spec's bounds rules live in Runtime/src/memory.c.
extension FunctionLowerer {
    mutating func lowerMemoryInit(_ data: UInt32) {
        emit("kiln_memory_init(ctx, \(memory), kiln_data\(data), inst->data_size[\(data)], \(input(0)), \(input(1)), \(input(2)));", "memory.init \(data)")
    }

    mutating func lowerMemoryCopy() {
        let m = memory
        emit("kiln_memory_copy(ctx, \(m), \(m), \(input(0)), \(input(1)), \(input(2)));", "memory.copy")
    }

    mutating func lowerMemoryFill() {
        emit("kiln_memory_fill(ctx, \(memory), \(input(0)), \(input(1)), \(input(2)));", "memory.fill")
    }
}
