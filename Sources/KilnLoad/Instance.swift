import CKilnHost

/// An instantiated module: its `kiln_instance`, its exports, and calls into them.
public final class Instance: @unchecked Sendable {
    public let artifact: SharedObject
    let pointer: UnsafeMutablePointer<kiln_instance>
    unowned let store: Store
    private var freed = false

    init(artifact: SharedObject, pointer: UnsafeMutablePointer<kiln_instance>, store: Store) {
        self.artifact = artifact
        self.pointer = pointer
        self.store = store
    }

    func free() {
        guard !freed else { return }
        freed = true
        artifact.module.free(pointer)
    }

    /// The export's kind and index, by name (names compared as bytes).
    func exportEntry(_ name: String) -> (kind: UInt8, index: UInt32)? {
        let module = artifact.module
        let wanted = Array(name.utf8)
        for i in 0..<Int(module.num_exports) {
            let entry = module.exports[i]
            let bytes = UnsafeRawBufferPointer(start: entry.name, count: Int(entry.name_length))
            if bytes.elementsEqual(wanted) { return (entry.kind, entry.index) }
        }
        return nil
    }

    public var exportNames: [String] {
        let module = artifact.module
        return (0..<Int(module.num_exports)).map {
            let entry = module.exports[$0]
            return String(decoding: UnsafeRawBufferPointer(start: entry.name, count: Int(entry.name_length)), as: UTF8.self)
        }
    }

    /// An export as something another module can import.
    public func export(_ name: String) -> ExternalValue? {
        guard let (kind, index) = exportEntry(name) else { return nil }
        switch kind {
        case UInt8(KILN_EXTERN_FUNC.rawValue):
            let funcref = pointer.pointee.funcs[Int(index)]
            let type = funcref.type.pointee
            return .function(funcref, params: String(cString: type.params), results: String(cString: type.results))
        case UInt8(KILN_EXTERN_TABLE.rawValue): return pointer.pointee.tables[Int(index)].map { .table($0) }
        case UInt8(KILN_EXTERN_MEMORY.rawValue): return pointer.pointee.memories[Int(index)].map { .memory($0) }
        case UInt8(KILN_EXTERN_GLOBAL.rawValue): return pointer.pointee.globals[Int(index)].map { .global($0) }
        case UInt8(KILN_EXTERN_TAG.rawValue): return pointer.pointee.tags[Int(index)].map { .tag($0) }
        default: return nil
        }
    }

    /// Calls an exported function. Traps come back as `Trap`; the instance stays usable.
    public func invoke(_ name: String, _ arguments: [Value]) throws -> [Value] {
        guard let (kind, index) = exportEntry(name), kind == UInt8(KILN_EXTERN_FUNC.rawValue) else {
            throw LinkError(reason: "no exported function \"\(name)\"")
        }
        let funcref = pointer.pointee.funcs.advanced(by: Int(index))
        let type = funcref.pointee.type.pointee
        let params = Array(String(cString: type.params))
        let results = Array(String(cString: type.results))
        guard arguments.count == params.count, zip(arguments, params).allSatisfy({ $0.typeCharacter == $1 }) else {
            let given = arguments.map { "(\(TypeText.value($0.typeCharacter)) \($0.description.split(separator: ":", maxSplits: 1).last ?? ""))" }
            throw LinkError(reason: "\"\(name)\" is \(TypeText.function(params: String(params), results: String(results))), called with [\(given.joined(separator: " "))]")
        }
        // This module's trampoline for the export's type: an imported function re-exported has the same
        // signature, whoever implements it.
        let module = artifact.module
        let typeIndex = module.func_types[Int(index)]
        guard let trampoline = module.trampolines[Int(typeIndex)] else { throw LinkError(reason: "no trampoline for \"\(name)\"") }
        var args = arguments.map { $0.raw() }
        var out = [kiln_value](repeating: kiln_value(), count: max(1, results.count))
        let code = args.withUnsafeMutableBufferPointer { a in
            out.withUnsafeMutableBufferPointer { r in
                kiln_invoke(store.ctx, trampoline, funcref, a.baseAddress, r.baseAddress)
            }
        }
        if code != 0 { throw Trap(code: code, ctx: store.ctx, instance: pointer) }
        return results.enumerated().map { Value(out[$0.offset], type: $0.element) }
    }

    /// The value of an exported global.
    public func global(_ name: String) -> Value? {
        guard case .global(let global) = export(name) else { return nil }
        return Value(global.pointee.value, type: Character(UnicodeScalar(global.pointee.type)))
    }
}

extension Instance {
    /// The function index behind an exported function.
    public func exportedFunctionIndex(_ name: String) -> UInt32? {
        guard let (kind, index) = exportEntry(name), kind == UInt8(KILN_EXTERN_FUNC.rawValue) else { return nil }
        return index
    }

    /// The signature characters of an exported function's parameters.
    public func parameterTypes(_ name: String) -> [Character]? {
        guard let (kind, index) = exportEntry(name), kind == UInt8(KILN_EXTERN_FUNC.rawValue) else { return nil }
        return Array(String(cString: pointer.pointee.funcs[Int(index)].type.pointee.params))
    }
}
