import CKilnHost

/// Memories, tables and globals created by the host (as the spectest module's are), owned by the store.
extension Store {
    /// `shared`: a shared memory (threads), which only a shared import matches; it needs a maximum. `is64`: a
    /// 64-bit memory (memory64), explicitly checked, so not guarded.
    public func makeMemory(min: UInt64, max: UInt64?, shared: Bool = false, is64: Bool = false) -> ExternalValue? {
        guard !shared || max != nil else { return nil }
        let memory = UnsafeMutablePointer<kiln_memory>.allocate(capacity: 1)
        memory.initialize(to: kiln_memory())
        let created = is64
            ? kiln_memory_new(memory, min, Swift.min(max ?? UInt64(KILN_MAX_PAGES), UInt64(KILN_MAX_PAGES)), ctx.pointee.max_memory_pages)
            : kiln_memory_new_guarded(ctx, memory, min, max ?? 65536, ctx.pointee.max_memory_pages)
        guard created == 0 else {
            memory.deallocate()
            return nil
        }
        if shared, kiln_memory_make_shared(memory) != 0 {
            kiln_memory_free(memory)
            memory.deallocate()
            return nil
        }
        memory.pointee.has_max = max == nil ? 0 : 1
        memory.pointee.is64 = is64 ? 1 : 0
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

    /// A memory for each memory the artifact imports, made to the import's type (shared when it is), by
    /// "module\0name": what `kiln run` gives a wasi-threads program (its shared `env` `memory`) or any module
    /// built with --import-memory. Resolve with `{ module, name in memories[module + "\u{0}" + name] }`.
    public func makeMemories(importedBy artifact: SharedObject, except defined: (String, String) -> Bool = { _, _ in false }) -> [String: ExternalValue] {
        var memories: [String: ExternalValue] = [:]
        let module = artifact.module
        for i in 0..<Int(module.num_imports) {
            let entry = module.imports[i]
            guard Int(entry.kind) == Int(KILN_EXTERN_MEMORY.rawValue) else { continue }
            let moduleName = Linker.name(entry.module, entry.module_length), name = Linker.name(entry.name, entry.name_length)
            guard !defined(moduleName, name) else { continue }
            let key = moduleName + "\u{0}" + name
            memories[key] = makeMemory(min: entry.min, max: entry.has_max != 0 ? entry.max : nil, shared: entry.shared != 0, is64: entry.is64 != 0)
        }
        return memories
    }
}
