import CKilnHost

/// What one store may take (wasmtime's `StoreLimits`): growth past a limit fails as the spec allows
/// (`memory.grow` and `table.grow` return -1), instantiation past one is an `InstantiationError` naming it.
/// Nil is no limit beyond the runtime's own.
extension Store {
    /// The bytes all of the store's memories may hold together.
    public var maxStoreMemoryBytes: UInt64? {
        get { ctx.pointee.max_store_memory_bytes == 0 ? nil : ctx.pointee.max_store_memory_bytes }
        set { ctx.pointee.max_store_memory_bytes = newValue.map { max($0, 1) } ?? 0 }
    }

    /// The bytes the store's memories hold now.
    public var memoryBytes: UInt64 { ctx.pointee.memory_bytes }

    /// The elements any one table may hold.
    public var maxTableElements: UInt64? {
        get { ctx.pointee.max_table_elements == 0 ? nil : ctx.pointee.max_table_elements }
        set { ctx.pointee.max_table_elements = newValue.map { max($0, 1) } ?? 0 }
    }

    /// The native stack guest code may use below its entry from the host, in bytes: recursion past it traps
    /// with `call stack exhausted`. Nil: the thread's whole stack, less a reserve for the host.
    public var maxWasmStack: UInt64? {
        get { ctx.pointee.max_wasm_stack == 0 ? nil : ctx.pointee.max_wasm_stack }
        set { ctx.pointee.max_wasm_stack = newValue.map { max($0, 1) } ?? 0 }
    }
}
