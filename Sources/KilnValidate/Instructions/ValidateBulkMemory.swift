import KilnModel

/// memory.init, data.drop, memory.copy, memory.fill.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions>
extension FunctionValidator {
    mutating func validateMemoryInit(_ data: UInt32, memory: UInt32) throws(ValidationError) {
        let address = try context.memory(memory).addressType
        try context.dataSegment(data)
        try apply([address, .i32, .i32], [])
    }

    mutating func validateDataDrop(_ data: UInt32) throws(ValidationError) {
        try context.dataSegment(data)
        base = state.height
    }

    /// The length is i64 only when both memories are 64-bit.
    mutating func validateMemoryCopy(_ dst: UInt32, _ src: UInt32) throws(ValidationError) {
        let destination = try context.memory(dst).addressType
        let source = try context.memory(src).addressType
        try apply([destination, source, destination == .i64 && source == .i64 ? .i64 : .i32], [])
    }

    mutating func validateMemoryFill(_ memory: UInt32) throws(ValidationError) {
        let address = try context.memory(memory).addressType
        try apply([address, .i32, address], [])
    }
}
