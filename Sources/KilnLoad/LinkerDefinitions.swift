import CKilnHost

/// What a `Linker` resolves imports with, by module and name. A name is defined once: defining it again is a
/// `LinkError`, as in wasmtime (a shadowed definition is usually a mistake).
extension Linker {
    struct Key: Hashable {
        let module: String
        let name: String
    }

    /// Defines `module` `name` as `value`: another instance's export, or a memory, table or global the store
    /// made.
    public func define(_ module: String, _ name: String, _ value: ExternalValue) throws(LinkError) {
        let key = Key(module: module, name: name)
        guard definitions[key] == nil else { throw LinkError(reason: "\"\(module)\" \"\(name)\" is already defined") }
        definitions[key] = value
    }

    /// Defines a host function of `type` taking and returning `Value`s (HostFunction.swift says how its
    /// results and errors reach the guest).
    public func defineFunction(_ module: String, _ name: String, type: FunctionType,
                               _ body: @escaping (Caller, [Value]) throws -> [Value]) throws(LinkError) {
        try define(module, name, .hostFunction(HostFunction(type, body)))
    }

    /// Defines every export of `instance` under the module name `module`.
    public func define(_ module: String, instance: Instance) throws(LinkError) {
        for name in instance.exportNames {
            if let value = instance.export(name) { try define(module, name, value) }
        }
    }

    /// What an import resolves to, if the linker defines it.
    public func definition(_ module: String, _ name: String) -> ExternalValue? {
        definitions[Key(module: module, name: name)]
    }

    /// Instantiates `artifact` in `store` with this linker's definitions. With WASI added (`addWASI`), a
    /// store without WASI state gets it first; a memory the artifact imports and nothing defines is made to
    /// the import's type when the artifact is a wasi-threads program's (imported `wasi` `thread-spawn`).
    public func instantiate(_ artifact: SharedObject, in store: Store) throws -> Instance {
        if let wasi, !store.hasWASI { try store.setUpWASI(wasi) }
        let memories = store.hasWASI ? store.makeMemories(importedBy: artifact, except: { self.definition($0, $1) != nil }) : [:]
        return try Linker.instantiate(artifact, in: store) { module, name in
            self.definition(module, name) ?? memories[module + "\u{0}" + name]
        }
    }
}
