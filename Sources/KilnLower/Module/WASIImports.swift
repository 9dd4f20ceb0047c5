import KilnModel

/// A module's imports of the WASI functions the runtime implements (`WASIPreview1`) are bound inside the
/// artifact to `kiln_wasi_<name>`, so a compiled program needs no host code to run.
enum WASIImports {
    static let namespace = WASIPreview1.namespace
    static let signatures = WASIPreview1.signatures
}

extension WASIImports {
    /// The WASI function an import binds to, when its name and type are one the runtime implements.
    static func binding(_ entry: Import, type: FunctionType?) -> String? {
        guard entry.module == namespace, let type, let signature = signatures[entry.name],
            CTypes.signature(type.parameters) == signature.params, CTypes.signature(type.results) == signature.results
        else { return nil }
        return entry.name
    }

    /// Function indices of the module's imports that bind to the runtime's WASI, with the WASI name.
    static func bound(_ context: LoweringContext) -> [(index: Int, name: String)] {
        var out: [(Int, String)] = []
        var function = 0
        for entry in context.module.imports {
            guard case .function(let typeIndex) = entry.descriptor else { continue }
            if let name = binding(entry, type: context.space.type(typeIndex)) { out.append((function, name)) }
            function += 1
        }
        return out
    }

    /// A function with the import's C signature that calls the runtime with the ctx and memory 0.
    static func shim(_ index: Int, _ name: String, _ context: LoweringContext) -> String {
        guard let type = context.space.functionType(UInt32(index)) else { return "" }
        let params = (["kiln_instance* self"] + type.parameters.enumerated().map { "\(CTypes.cType($0.element)) p\($0.offset)" })
        let arguments = (["self->ctx", "inst->memories[0]"] + type.parameters.indices.map { "p\($0)" }).joined(separator: ", ")
        let call = "kiln_wasi_\(name)(\(arguments))"
        return """
        static \(CTypes.returnType(type)) kiln_import_\(index)_\(name)(\(params.joined(separator: ", "))) {
          Instance* const inst = (Instance*)self;
          \(type.results.isEmpty ? "" : "return ")\(call);
        }
        """
    }
}
