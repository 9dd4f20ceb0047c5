/// memory.init, memory.copy, memory.fill (data.drop is one assignment in FunctionLowerer's switch).
/// The spec's bounds rules live in Runtime/src/memory.c.
extension FunctionLowerer {
    mutating func lowerMemoryInit(_ data: UInt32, memory index: UInt32) {
        emit("kiln_memory_init(ctx, \(context.memoryPointer(index)), kiln_data\(data), inst->data_size[\(data)], \(input(0)), \(input(1)), \(input(2)));", "memory.init \(data)")
    }

    mutating func lowerMemoryCopy(_ destination: UInt32, _ source: UInt32) {
        let name = destination == 0 && source == 0 ? "memory.copy" : "memory.copy \(destination) \(source)"
        emit("kiln_memory_copy(ctx, \(context.memoryPointer(destination)), \(context.memoryPointer(source)), \(input(0)), \(input(1)), \(input(2)));", name)
    }

    mutating func lowerMemoryFill(_ index: UInt32) {
        emit("kiln_memory_fill(ctx, \(context.memoryPointer(index)), \(input(0)), \(input(1)), \(input(2)));", index == 0 ? "memory.fill" : "memory.fill \(index)")
    }
}
