import KilnModel

/// `kiln_module_descriptor`: the artifact's only exported symbol. It carries the ABI version, the import
/// and export tables with their types, and the entry points the loader calls.
enum Descriptor {
    static let declaration = "__attribute__((visibility(\"default\"))) extern const kiln_module kiln_module_descriptor;"

    /// The ELF section holding the metadata record: `magic[8]`, the ABI version and the text's length (u32,
    /// the target's byte order), then the text and a NUL.
    static let sectionName = ".kiln_metadata"
    static let sectionMagic = "KILNMETA"

    static func render(_ context: LoweringContext, options: ModuleLowerer.Options) -> String {
        let module = context.module
        let space = context.space
        var lines: [String] = []
        let funcTypes = space.functionTypeIndices.map { "\($0)u" }
        lines.append("static const u32 kiln_func_types[\(max(1, funcTypes.count))] = {\(funcTypes.isEmpty ? "0" : funcTypes.joined(separator: ", "))};")

        var counters = [0, 0, 0, 0, 0]
        var imports: [String] = []
        // WASI imports are bound inside the artifact (kiln_init), so the linker never sees them.
        let bound = Set(WASIImports.bound(context).map(\.index))
        for entry in module.imports {
            if case .function = entry.descriptor, bound.contains(counters[0]) {
                counters[0] += 1
                continue
            }
            let moduleName = Array(entry.module.utf8)
            let fieldName = Array(entry.name.utf8)
            let names = "\(cStringLiteral(moduleName)), \(cStringLiteral(fieldName))"
            let lengths = "\(moduleName.count)u, \(fieldName.count)u"
            switch entry.descriptor {
            case .function(let type):
                imports.append("{\(names), KILN_EXTERN_FUNC, \(counters[0])u, \(type)u, 0, 0, 0, 0, 0, \(lengths), 0, NULL, 0}")
                counters[0] += 1
            case .table(let table):
                let kind = table.elementType == .externRef ? "KILN_EXTERNREF" : "KILN_FUNCREF"
                imports.append("{\(names), KILN_EXTERN_TABLE, \(counters[1])u, 0, \(kind), 0, \(table.limits.max == nil ? 0 : 1), \(table.limits.min)u, \(table.limits.max ?? 0)u, \(lengths), \(table.limits.isMemory64 ? 1 : 0), \(context.typeKeys.refTypeLiteral(.ref(table.elementType))), 0}")
                counters[1] += 1
            case .memory(let memory):
                imports.append("{\(names), KILN_EXTERN_MEMORY, \(counters[2])u, 0, 0, 0, \(memory.max == nil ? 0 : 1), \(memory.min)u, \(memory.max ?? 0)u, \(lengths), \(memory.isMemory64 ? 1 : 0), NULL, \(memory.shared ? 1 : 0)}")
                counters[2] += 1
            case .global(let global):
                let char = CTypes.signatureChar(global.valueType)
                imports.append("{\(names), KILN_EXTERN_GLOBAL, \(counters[3])u, 0, '\(char)', \(global.mutability == .variable ? 1 : 0), 0, 0, 0, \(lengths), 0, \(context.typeKeys.refTypeLiteral(global.valueType)), 0}")
                counters[3] += 1
            case .tag(let type):
                imports.append("{\(names), KILN_EXTERN_TAG, \(counters[4])u, \(type)u, 0, 0, 0, 0, 0, \(lengths), 0, NULL, 0}")
                counters[4] += 1
            }
        }
        lines.append("static const kiln_import kiln_imports[\(max(1, imports.count))] = {\n  \(imports.isEmpty ? "{0}" : imports.joined(separator: ",\n  "))\n};")

        var exports: [String] = []
        for entry in module.exports {
            let name = Array(entry.name.utf8)
            let (kind, index): (String, UInt32)
            switch entry.descriptor {
            case .function(let i): (kind, index) = ("KILN_EXTERN_FUNC", i)
            case .table(let i): (kind, index) = ("KILN_EXTERN_TABLE", i)
            case .memory(let i): (kind, index) = ("KILN_EXTERN_MEMORY", i)
            case .global(let i): (kind, index) = ("KILN_EXTERN_GLOBAL", i)
            case .tag(let i): (kind, index) = ("KILN_EXTERN_TAG", i)
            }
            exports.append("{\(cStringLiteral(name)), \(kind), \(index)u, \(name.count)u}")
        }
        lines.append("static const kiln_export kiln_exports[\(max(1, exports.count))] = {\n  \(exports.isEmpty ? "{0}" : exports.joined(separator: ",\n  "))\n};")

        let typeCount = module.types.count
        let trampolines = (0..<typeCount).map { "kiln_trampoline_\($0)" }
        let adapters = (0..<typeCount).map { "(void*)kiln_adapter_\($0)" }
        lines.append("static const kiln_trampoline kiln_trampolines[\(max(1, typeCount))] = {\(trampolines.isEmpty ? "0" : trampolines.joined(separator: ", "))};")
        lines.append("static void* const kiln_host_adapters[\(max(1, typeCount))] = {\(adapters.isEmpty ? "0" : adapters.joined(separator: ", "))};")

        // The metadata record lives in a section of its own, behind a magic word and the ABI version, so that
        // `kiln run app.so` can check an artifact by reading the file before `dlopen` runs any of its code
        // (KilnLoad/ArtifactFile.swift reads it); the descriptor points at the same bytes.
        let metadata = Array(options.metadata.utf8)
        lines.append("""
        /* The metadata record, read from the file (section \(sectionName)) before the artifact is loaded. */
        __attribute__((used, section("\(sectionName)"), aligned(8))) static const struct {
          char magic[8];
          u32 abi_version;
          u32 length;
          char text[\(metadata.count + 1)];
        } kiln_metadata_record = {{\(sectionMagic.map { "'\($0)'" }.joined(separator: ", "))}, KILN_ABI_VERSION, \(metadata.count)u, \(cStringLiteral(metadata))};
        """)
        // Backtraces name each frame's function as the name section does.
        let names = (0..<UInt32(space.functionTypeIndices.count)).map { index in
            module.names.functions[index].map { cStringLiteral(Array($0.utf8)) } ?? "NULL"
        }
        lines.append("static const char* const kiln_function_names[\(max(1, names.count))] = {\(names.isEmpty ? "NULL" : names.joined(separator: ", "))};")
        // A frame's line is an offset from its function's body (LineDirectives): where each body starts, in hex
        // as the functions' `body at 0x…` comments give it.
        let bodyOffsets = (0..<space.functionTypeIndices.count).map { index in
            index < space.importedFunctionCount ? "0" : "0x" + String(module.bodies[index - space.importedFunctionCount].bodyOffset, radix: 16)
        }
        lines.append("static const u32 kiln_function_body_offsets[\(max(1, bodyOffsets.count))] = {\(bodyOffsets.isEmpty ? "0" : bodyOffsets.joined(separator: ", "))};")
        lines.append("""
        const kiln_module kiln_module_descriptor = {
          .abi_version = KILN_ABI_VERSION,
          .kiln_version = \(cStringLiteral(Array(options.kilnVersion.utf8))),
          .name = \(cStringLiteral(Array(options.name.utf8))),
          .num_types = \(typeCount)u,
          .types = kiln_types,
          .num_funcs = \(space.functionTypeIndices.count)u,
          .num_imported_funcs = \(space.importedFunctionCount)u,
          .func_types = kiln_func_types,
          .num_memories = \(space.memories.count)u,
          .num_tables = \(space.tables.count)u,
          .num_globals = \(space.globals.count)u,
          .num_imports = \(imports.count)u,
          .imports = kiln_imports,
          .num_exports = \(exports.count)u,
          .exports = kiln_exports,
          .trampolines = kiln_trampolines,
          .host_adapters = kiln_host_adapters,
          .alloc = kiln_alloc,
          .init = kiln_init,
          .start = \(module.start == nil ? "NULL" : "kiln_start"),
          .free = kiln_free,
          .num_tags = \(space.tagTypeIndices.count)u,
          .interruption = \(context.interruption.descriptorFlags),
          .function_names = kiln_function_names,
          .function_body_offsets = kiln_function_body_offsets,
          .metadata = kiln_metadata_record.text,
        };
        """)
        return lines.joined(separator: "\n")
    }
}
