import KilnModel

/// memory.init, data.drop, memory.copy, memory.fill.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions>
extension FunctionValidator {
    mutating func validateMemoryInit(_ data: UInt32, memory: UInt32) throws(ValidationError) {
        _ = try context.memory(memory)
        try context.dataSegment(data)
        try apply([.i32, .i32, .i32], [])
    }

    mutating func validateDataDrop(_ data: UInt32) throws(ValidationError) {
        try context.dataSegment(data)
        base = state.height
    }

    mutating func validateMemoryCopy(_ dst: UInt32, _ src: UInt32) throws(ValidationError) {
        _ = try context.memory(dst)
        _ = try context.memory(src)
        try apply([.i32, .i32, .i32], [])
    }

    mutating func validateMemoryFill(_ memory: UInt32) throws(ValidationError) {
        _ = try context.memory(memory)
        try apply([.i32, .i32, .i32], [])
    }
}
