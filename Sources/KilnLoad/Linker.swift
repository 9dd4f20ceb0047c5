import CKilnHost
import KilnModel

/// Instantiates an artifact: resolves every import by (module, name), checks its type, writes it into the
/// instance, then runs `init` (definitions and segments, in order) and the start function.
///
/// A `Linker` holds what imports resolve to: host functions, memories, tables and globals by module and name,
/// whole instances' exports, and WASI (LinkerDefinitions.swift). The static `instantiate(_:in:resolve:)`
/// takes a resolver of the caller's instead.
public final class Linker: @unchecked Sendable {
    public typealias Resolver = (_ module: String, _ name: String) -> ExternalValue?

    var definitions: [Key: ExternalValue] = [:]
    var wasi: WASIConfiguration?

    public init() {}

    /// Adds WASI preview1 (`wasi_snapshot_preview1`): instances this linker makes run with `configuration`'s
    /// arguments, environment, preopens and stdio, in a store that has no WASI state yet.
    public func addWASI(_ configuration: WASIConfiguration = WASIConfiguration()) {
        wasi = configuration
    }

    public static func instantiate(_ artifact: SharedObject, in store: Store, resolve: Resolver) throws -> Instance {
        let module = artifact.module
        if let limit = store.maxInstances, store.instances.count >= limit {
            throw InstantiationError(reason: "the store already holds \(store.instances.count) instance\(store.instances.count == 1 ? "" : "s"), its limit (maxInstances \(limit))")
        }
        guard let raw = module.alloc(store.ctx) else { throw LinkError(reason: "out of memory allocating the instance") }
        let instance = Instance(artifact: artifact, pointer: raw, store: store)
        do {
            for i in 0..<Int(module.num_imports) {
                try link(module.imports[i], of: artifact, into: instance, store: store, resolve: resolve)
            }
        } catch {
            module.free(raw)
            throw error
        }
        // From here on the instance may have written into imported memories and tables; it is kept alive
        // by the store even when init or start traps, as the spec keeps those effects.
        store.instances.append((artifact, raw))
        var code = kiln_invoke_init(store.ctx, module.`init`, raw)
        if code == 0, let start = module.start { code = kiln_invoke_init(store.ctx, start, raw) }
        if code == Int32(KILN_TRAP_INSTANTIATION.rawValue) {
            throw InstantiationError(reason: store.ctx.pointee.trap_detail.map { String(cString: $0) } ?? "out of memory")
        }
        if code != 0 { throw store.failure(code: code, instance: raw) }
        return instance
    }

    public static func name(_ pointer: UnsafePointer<CChar>, _ length: UInt32) -> String {
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(length)), as: UTF8.self)
    }

    static func link(_ entry: kiln_import, of artifact: SharedObject, into instance: Instance, store: Store, resolve: Resolver) throws {
        let raw = instance.pointer
        let moduleName = name(entry.module, entry.module_length)
        let fieldName = name(entry.name, entry.name_length)
        let expected = describe(entry, artifact)
        guard let value = resolve(moduleName, fieldName) else {
            // A WASI function the runtime implements, imported with another type, was not bound to it.
            if moduleName == WASIPreview1.namespace, Int(entry.kind) == Int(KILN_EXTERN_FUNC.rawValue),
                let wasi = WASIPreview1.signatures[fieldName]
            {
                throw LinkError(reason: "wrong type for WASI import \"\(moduleName)\" \"\(fieldName)\": the module imports it as \(expected), WASI's is \(TypeText.function(params: wasi.params, results: wasi.results))")
            }
            throw LinkError.unknownImport(moduleName, fieldName, expected: expected)
        }
        func incompatible(_ found: String) -> LinkError {
            LinkError.incompatible(moduleName, fieldName, expected: expected, found: found)
        }
        switch (Int(entry.kind), value) {
        case (Int(KILN_EXTERN_FUNC.rawValue), .function(let funcref, let params, let results)):
            let type = artifact.type(entry.type_index)
            let key = artifact.module.types[Int(entry.type_index)].key.map { String(cString: $0) }
            guard type.params == params, type.results == results, funcref.type.pointee.key.map({ String(cString: $0) }) == key else {
                throw incompatible(TypeText.function(params: params, results: results, typed: funcref.type.pointee.key != nil))
            }
            raw.pointee.funcs[Int(entry.index)] = funcref
        case (Int(KILN_EXTERN_FUNC.rawValue), .hostFunction(let host)):
            let type = artifact.type(entry.type_index)
            // Host functions take and give Wasm 2.0's value types: a typed function type has a key.
            guard type.params == host.params, type.results == host.results, artifact.module.types[Int(entry.type_index)].key == nil else {
                throw incompatible("a host function " + TypeText.function(params: host.params, results: host.results))
            }
            let record = UnsafeMutablePointer<kiln_host_func>.allocate(capacity: 1)
            let binding = HostBinding(function: host, store: store, artifact: artifact, instance: raw)
            record.initialize(to: kiln_host_func(ctx: store.ctx, call: hostFunctionEntry, userdata: Unmanaged.passRetained(binding).toOpaque()))
            store.hostFunctions.append(record)
            let adapter = artifact.module.host_adapters[Int(entry.type_index)]
            raw.pointee.funcs[Int(entry.index)] = kiln_funcref(
                type: artifact.module.types.advanced(by: Int(entry.type_index)), fn: adapter,
                instance: UnsafeMutableRawPointer(record).assumingMemoryBound(to: kiln_instance.self), tail: nil)
        case (Int(KILN_EXTERN_TABLE.rawValue), .table(let table)):
            let t = table.pointee
            // Table types are invariant in their element type.
            let exported = RefType(t.ref_type, t.elem_type), imported = RefType(entry.ref_type, entry.value_type)
            guard t.elem_type == entry.value_type, exported == imported, t.is64 == entry.is64,
                limitsMatch(min: UInt64(t.size), max: t.max == UInt32.max ? nil : UInt64(t.max), entry)
            else { throw incompatible(TypeText.limits("table", min: UInt64(t.size), max: t.max == UInt32.max ? nil : UInt64(t.max), is64: t.is64 != 0, element: TypeText.value(Character(UnicodeScalar(t.elem_type))))) }
            raw.pointee.tables[Int(entry.index)] = table
        case (Int(KILN_EXTERN_MEMORY.rawValue), .memory(let memory)):
            let m = memory.pointee
            guard m.is64 == entry.is64, m.shared == entry.shared,
                limitsMatch(min: m.pages, max: m.has_max == 0 ? nil : m.max_pages, entry)
            else {
                throw incompatible(TypeText.limits("memory", min: m.pages, max: m.has_max == 0 ? nil : m.max_pages, is64: m.is64 != 0, shared: m.shared != 0))
            }
            raw.pointee.memories[Int(entry.index)] = memory
        case (Int(KILN_EXTERN_GLOBAL.rawValue), .global(let global)):
            // A mutable global's type must be the import's; an immutable one's may be a subtype.
            let exported = RefType(global.pointee.ref_type, global.pointee.type), imported = RefType(entry.ref_type, entry.value_type)
            let typeMatches = entry.is_mutable != 0 ? exported == imported : exported.isSubtype(of: imported)
            guard global.pointee.type == entry.value_type, typeMatches, global.pointee.is_mutable == entry.is_mutable else {
                throw incompatible(TypeText.global(Character(UnicodeScalar(global.pointee.type)), mutable: global.pointee.is_mutable != 0))
            }
            raw.pointee.globals[Int(entry.index)] = global
        case (Int(KILN_EXTERN_TAG.rawValue), .tag(let tag)):
            // Tag types must be equal: the payload's types, and their keys where they are typed.
            let expected = artifact.module.types[Int(entry.type_index)]
            let found = tag.pointee.type.pointee
            guard String(cString: found.params) == String(cString: expected.params), String(cString: found.results) == String(cString: expected.results),
                found.key.map({ String(cString: $0) }) == expected.key.map({ String(cString: $0) })
            else { throw incompatible(TypeText.tag(params: String(cString: found.params))) }
            raw.pointee.tags[Int(entry.index)] = tag
        default:
            throw incompatible(value.kindName)
        }
    }

    /// A reference type as the runtime spells it (kiln_import.ref_type): nullability, then `func`, `extern` or
    /// a type's key. Anything else (a number type) is compared by its signature character alone.
    struct RefType: Equatable {
        let nullable: Bool
        let heap: String

        init(_ spelled: UnsafePointer<CChar>?, _ character: UInt8) {
            if let spelled {
                let text = String(cString: spelled)
                nullable = text.first == "?"
                heap = String(text.dropFirst())
            } else {
                nullable = true
                heap = character == UInt8(KILN_EXTERNREF) ? "extern" : character == UInt8(KILN_FUNCREF) ? "func" : "value \(character)"
            }
        }

        /// Every defined type is a function type, so a reference to one is also a `func` reference.
        func isSubtype(of other: RefType) -> Bool {
            guard !nullable || other.nullable else { return false }
            return heap == other.heap || (other.heap == "func" && heap != "extern" && heap.count == 64)
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
            return TypeText.function(params: type.params, results: type.results, typed: artifact.module.types[Int(entry.type_index)].key != nil)
        case Int(KILN_EXTERN_TABLE.rawValue): return "a table"
        case Int(KILN_EXTERN_MEMORY.rawValue): return "a memory"
        case Int(KILN_EXTERN_TAG.rawValue):
            return TypeText.tag(params: artifact.type(entry.type_index).params)
        default: return TypeText.global(Character(UnicodeScalar(entry.value_type)), mutable: entry.is_mutable != 0)
        }
    }
}
