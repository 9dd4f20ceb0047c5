import CKilnHost

/// Instantiates an artifact: resolves every import by (module, name), checks its type, writes it into the
/// instance, then runs `init` (definitions and segments, in order) and the start function.
public enum Linker {
    public typealias Resolver = (_ module: String, _ name: String) -> ExternalValue?

    public static func instantiate(_ artifact: SharedObject, in store: Store, resolve: Resolver) throws -> Instance {
        let module = artifact.module
        guard let raw = module.alloc(store.ctx) else { throw LinkError(reason: "out of memory allocating the instance") }
        let instance = Instance(artifact: artifact, pointer: raw, store: store)
        do {
            for i in 0..<Int(module.num_imports) {
                try link(module.imports[i], of: artifact, into: raw, store: store, resolve: resolve)
            }
        } catch {
            instance.free()
            throw error
        }
        // From here on the instance may have written into imported memories and tables; it is kept alive
        // by the store even when init or start traps, as the spec keeps those effects.
        store.instances.append(instance)
        var code = kiln_invoke_init(store.ctx, module.`init`, raw)
        if code == 0, let start = module.start { code = kiln_invoke_init(store.ctx, start, raw) }
        if code == Int32(KILN_TRAP_INSTANTIATION.rawValue) {
            throw InstantiationError(reason: store.ctx.pointee.trap_detail.map { String(cString: $0) } ?? "out of memory")
        }
        if code != 0 { throw Trap(code: code) }
        return instance
    }

    static func name(_ pointer: UnsafePointer<CChar>, _ length: UInt32) -> String {
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(length)), as: UTF8.self)
    }

    static func link(_ entry: kiln_import, of artifact: SharedObject, into raw: UnsafeMutablePointer<kiln_instance>, store: Store, resolve: Resolver) throws {
        let moduleName = name(entry.module, entry.module_length)
        let fieldName = name(entry.name, entry.name_length)
        let expected = describe(entry, artifact)
        guard let value = resolve(moduleName, fieldName) else {
            throw LinkError.unknownImport(moduleName, fieldName, expected: expected)
        }
        func incompatible(_ found: String) -> LinkError {
            LinkError.incompatible(moduleName, fieldName, expected: expected, found: found)
        }
        switch (Int(entry.kind), value) {
        case (Int(KILN_EXTERN_FUNC.rawValue), .function(let funcref, let params, let results)):
            let type = artifact.type(entry.type_index)
            guard type.params == params, type.results == results else { throw incompatible("func \(params)->\(results)") }
            raw.pointee.funcs[Int(entry.index)] = funcref
        case (Int(KILN_EXTERN_FUNC.rawValue), .hostFunction(let host)):
            let type = artifact.type(entry.type_index)
            guard type.params == host.params, type.results == host.results else {
                throw incompatible("func \(host.params)->\(host.results)")
            }
            let record = UnsafeMutablePointer<kiln_host_func>.allocate(capacity: 1)
            record.initialize(to: kiln_host_func(ctx: store.ctx, call: hostFunctionEntry, userdata: Unmanaged.passRetained(host).toOpaque()))
            store.hostFunctions.append(record)
            let adapter = artifact.module.host_adapters[Int(entry.type_index)]
            raw.pointee.funcs[Int(entry.index)] = kiln_funcref(
                type: artifact.module.types.advanced(by: Int(entry.type_index)), fn: adapter,
                instance: UnsafeMutableRawPointer(record).assumingMemoryBound(to: kiln_instance.self), tail: nil)
        case (Int(KILN_EXTERN_TABLE.rawValue), .table(let table)):
            let t = table.pointee
            guard t.elem_type == entry.value_type, t.is64 == entry.is64,
                limitsMatch(min: UInt64(t.size), max: t.max == UInt32.max ? nil : UInt64(t.max), entry)
            else { throw incompatible("table \(t.size)..\(t.max)") }
            raw.pointee.tables[Int(entry.index)] = table
        case (Int(KILN_EXTERN_MEMORY.rawValue), .memory(let memory)):
            let m = memory.pointee
            guard m.is64 == entry.is64,
                limitsMatch(min: m.pages, max: m.has_max == 0 ? nil : m.max_pages, entry)
            else {
                throw incompatible("memory \(m.pages)..\(m.max_pages)")
            }
            raw.pointee.memories[Int(entry.index)] = memory
        case (Int(KILN_EXTERN_GLOBAL.rawValue), .global(let global)):
            guard global.pointee.type == entry.value_type, global.pointee.is_mutable == entry.is_mutable else {
                throw incompatible("global \(global.pointee.is_mutable != 0 ? "mut " : "")\(Character(UnicodeScalar(global.pointee.type)))")
            }
            raw.pointee.globals[Int(entry.index)] = global
        default:
            throw incompatible(value.kindName)
        }
    }

    /// Import subtyping of limits: at least the minimum, and within the maximum if the import has one.
    static func limitsMatch(min: UInt64, max: UInt64?, _ entry: kiln_import) -> Bool {
        guard min >= entry.min else { return false }
        if entry.has_max != 0 {
            guard let max, max <= entry.max else { return false }
        }
        return true
    }

    static func describe(_ entry: kiln_import, _ artifact: SharedObject) -> String {
        switch Int(entry.kind) {
        case Int(KILN_EXTERN_FUNC.rawValue):
            let type = artifact.type(entry.type_index)
            return "func \(type.params)->\(type.results)"
        case Int(KILN_EXTERN_TABLE.rawValue): return "table"
        case Int(KILN_EXTERN_MEMORY.rawValue): return "memory"
        default: return "global"
        }
    }
}
