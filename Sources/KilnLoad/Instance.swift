import CKilnHost

/// An instantiated module: its `kiln_instance`, its exports, and calls into them. It keeps its store alive;
/// the store frees the instance when it goes.
public final class Instance: @unchecked Sendable {
    public let artifact: SharedObject
    let pointer: UnsafeMutablePointer<kiln_instance>
    public let store: Store

    init(artifact: SharedObject, pointer: UnsafeMutablePointer<kiln_instance>, store: Store) {
        self.artifact = artifact
        self.pointer = pointer
        self.store = store
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

    /// Calls an exported function with arguments of its parameter types. A trap comes back as `Trap`, and the
    /// instance stays usable; a name that is no exported function, or arguments of the wrong number or types,
    /// as `CallError`.
    public func call(_ name: String, _ arguments: [Value] = []) throws -> [Value] {
        try exportedFunction(name).call(arguments)
    }

    /// The same as `call`.
    public func invoke(_ name: String, _ arguments: [Value]) throws -> [Value] { try call(name, arguments) }

    /// An exported function, to call many times without looking it up again.
    public func exportedFunction(_ name: String) throws(CallError) -> Function {
        guard let (kind, index) = exportEntry(name), kind == UInt8(KILN_EXTERN_FUNC.rawValue) else {
            throw CallError(reason: exportEntry(name) == nil ? "no export \"\(name)\"" : "export \"\(name)\" is not a function")
        }
        let funcref = pointer.pointee.funcs.advanced(by: Int(index))
        // This module's trampoline for the export's type: an imported function re-exported has the same
        // signature, whoever implements it.
        let typeIndex = artifact.module.func_types[Int(index)]
        guard let trampoline = artifact.module.trampolines[Int(typeIndex)] else { throw CallError(reason: "no trampoline for \"\(name)\"") }
        let type = funcref.pointee.type.pointee
        return Function(instance: self, name: name, funcref: funcref, trampoline: trampoline,
                        type: FunctionType(params: String(cString: type.params), results: String(cString: type.results)))
    }

    /// An exported memory.
    public func memory(_ name: String = "memory") -> Memory? {
        guard case .memory(let memory) = export(name) else { return nil }
        return Memory(memory, store: store)
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
