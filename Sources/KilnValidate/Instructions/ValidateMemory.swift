import KilnModel

/// Loads, stores, memory.size and memory.grow: the memory must exist and the alignment hint must not
/// exceed the access's natural alignment.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions>
extension FunctionValidator {
    /// The value type and byte width of every load Wasm 2.0 has (v128 loads included).
    public static func loadShape(_ load: LoadInstruction) -> (type: ValueType, width: Int)? {
        switch load {
        case .i32Load: (.i32, 4)
        case .i64Load: (.i64, 8)
        case .f32Load: (.f32, 4)
        case .f64Load: (.f64, 8)
        case .i32Load8S, .i32Load8U: (.i32, 1)
        case .i32Load16S, .i32Load16U: (.i32, 2)
        case .i64Load8S, .i64Load8U: (.i64, 1)
        case .i64Load16S, .i64Load16U: (.i64, 2)
        case .i64Load32S, .i64Load32U: (.i64, 4)
        case .v128Load: (.v128, 16)
        case .v128Load8X8S, .v128Load8X8U, .v128Load16X4S, .v128Load16X4U, .v128Load32X2S, .v128Load32X2U: (.v128, 8)
        case .v128Load8Splat: (.v128, 1)
        case .v128Load16Splat: (.v128, 2)
        case .v128Load32Splat, .v128Load32Zero: (.v128, 4)
        case .v128Load64Splat, .v128Load64Zero: (.v128, 8)
        case .i32AtomicLoad, .i64AtomicLoad, .i32AtomicLoad8U, .i32AtomicLoad16U, .i64AtomicLoad8U,
            .i64AtomicLoad16U, .i64AtomicLoad32U:
            nil
        }
    }

    public static func storeShape(_ store: StoreInstruction) -> (type: ValueType, width: Int)? {
        switch store {
        case .i32Store: (.i32, 4)
        case .i64Store: (.i64, 8)
        case .f32Store: (.f32, 4)
        case .f64Store: (.f64, 8)
        case .i32Store8: (.i32, 1)
        case .i32Store16: (.i32, 2)
        case .i64Store8: (.i64, 1)
        case .i64Store16: (.i64, 2)
        case .i64Store32: (.i64, 4)
        case .v128Store: (.v128, 16)
        case .i32AtomicStore, .i64AtomicStore, .i32AtomicStore8, .i32AtomicStore16, .i64AtomicStore8,
            .i64AtomicStore16, .i64AtomicStore32:
            nil
        }
    }

    /// Checks the memory index, alignment and offset; returns the memory's address type (i64 for memory64).
    @discardableResult
    func checkMemArg(_ memarg: MemArg, width: Int) throws(ValidationError) -> ValueType {
        let memory = try context.memory(memarg.memory)
        guard memarg.align < 32, (1 << Int(memarg.align)) <= width else {
            throw .alignment(memarg.align, natural: width)
        }
        guard memory.isMemory64 || memarg.offset <= UInt64(UInt32.max) else { throw .offsetOutOfRange(memarg.offset) }
        return memory.addressType
    }

    mutating func validateLoad(_ load: Instruction.Load, _ memarg: MemArg) throws(ValidationError) {
        guard let (type, width) = Self.loadShape(load) else { return try validateAtomicLoad(load, memarg) }
        let address = try checkMemArg(memarg, width: width)
        try apply(address, type)
    }

    mutating func validateStore(_ store: Instruction.Store, _ memarg: MemArg) throws(ValidationError) {
        guard let (type, width) = Self.storeShape(store) else { return try validateAtomicStore(store, memarg) }
        let address = try checkMemArg(memarg, width: width)
        try apply([address, type], [])
    }

    mutating func validateMemorySize(_ memory: UInt32) throws(ValidationError) {
        let address = try context.memory(memory).addressType
        try apply([], [address])
    }

    mutating func validateMemoryGrow(_ memory: UInt32) throws(ValidationError) {
        let address = try context.memory(memory).addressType
        try apply(address, address)
    }
}

extension Limits {
    /// The type of a memory's addresses and sizes: i64 for a 64-bit memory (memory64), else i32.
    public var addressType: ValueType { isMemory64 ? .i64 : .i32 }
}
