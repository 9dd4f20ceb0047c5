import CKilnHost

/// Memories, tables and globals created by the host (as the spectest module's are), owned by the store.
extension Store {
    /// `shared`: a shared memory (threads), which only a shared import matches; it needs a maximum.
    public func makeMemory(min: UInt64, max: UInt64?, shared: Bool = false) -> ExternalValue? {
        guard !shared || max != nil else { return nil }
        let memory = UnsafeMutablePointer<kiln_memory>.allocate(capacity: 1)
        memory.initialize(to: kiln_memory())
        guard kiln_memory_new_guarded(ctx, memory, min, max ?? 65536, ctx.pointee.max_memory_pages) == 0 else {
            memory.deallocate()
            return nil
        }
        if shared, kiln_memory_make_shared(memory) != 0 {
            kiln_memory_free(memory)
            memory.deallocate()
            return nil
        }
        memory.pointee.has_max = max == nil ? 0 : 1
        hostObjects.append(.memory(memory))
        return .memory(memory)
    }

    /// `is64`: a 64-bit table (table64), which only a table64 import matches.
    public func makeTable(funcref: Bool, min: UInt32, max: UInt32?, is64: Bool = false) -> ExternalValue? {
        let table = UnsafeMutablePointer<kiln_table>.allocate(capacity: 1)
        table.initialize(to: kiln_table())
        let type = UInt8(funcref ? KILN_FUNCREF : KILN_EXTERNREF)
        guard kiln_table_new(table, type, min, max ?? UInt32.max) == 0 else {
            table.deallocate()
            return nil
        }
        table.pointee.is64 = is64 ? 1 : 0
        hostObjects.append(.table(table))
        return .table(table)
    }

    public func makeGlobal(_ value: Value, mutable: Bool) -> ExternalValue {
        let global = UnsafeMutablePointer<kiln_global>.allocate(capacity: 1)
        global.initialize(to: kiln_global(value: value.raw(), type: UInt8(value.typeCharacter.asciiValue ?? 0), is_mutable: mutable ? 1 : 0, ref_type: nil))
        hostObjects.append(.global(global))
        return .global(global)
    }
}
