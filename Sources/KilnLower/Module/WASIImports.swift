import KilnModel

/// wasi_snapshot_preview1: the functions the runtime implements (Runtime/src/wasi/), with their Wasm
/// signatures (`i` i32, `j` i64). A module's imports from this namespace are bound inside the artifact
/// to `kiln_wasi_<name>`, so a compiled program needs no host code to run.
/// > Note: <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md>
enum WASIImports {
    static let namespace = "wasi_snapshot_preview1"

    static let signatures: [String: (params: String, results: String)] = [
        "args_get": ("ii", "i"),
        "args_sizes_get": ("ii", "i"),
        "environ_get": ("ii", "i"),
        "environ_sizes_get": ("ii", "i"),
        "clock_res_get": ("ii", "i"),
        "clock_time_get": ("iji", "i"),
        "fd_advise": ("ijji", "i"),
        "fd_allocate": ("ijj", "i"),
        "fd_close": ("i", "i"),
        "fd_datasync": ("i", "i"),
        "fd_fdstat_get": ("ii", "i"),
        "fd_fdstat_set_flags": ("ii", "i"),
        "fd_fdstat_set_rights": ("ijj", "i"),
        "fd_filestat_get": ("ii", "i"),
        "fd_filestat_set_size": ("ij", "i"),
        "fd_filestat_set_times": ("ijji", "i"),
        "fd_pread": ("iiiji", "i"),
        "fd_prestat_get": ("ii", "i"),
        "fd_prestat_dir_name": ("iii", "i"),
        "fd_pwrite": ("iiiji", "i"),
        "fd_read": ("iiii", "i"),
        "fd_readdir": ("iiiji", "i"),
        "fd_renumber": ("ii", "i"),
        "fd_seek": ("ijii", "i"),
        "fd_sync": ("i", "i"),
        "fd_tell": ("ii", "i"),
        "fd_write": ("iiii", "i"),
        "path_create_directory": ("iii", "i"),
        "path_filestat_get": ("iiiii", "i"),
        "path_filestat_set_times": ("iiiijji", "i"),
        "path_link": ("iiiiiii", "i"),
        "path_open": ("iiiiijjii", "i"),
        "path_readlink": ("iiiiii", "i"),
        "path_remove_directory": ("iii", "i"),
        "path_rename": ("iiiiii", "i"),
        "path_symlink": ("iiiii", "i"),
        "path_unlink_file": ("iii", "i"),
        "poll_oneoff": ("iiii", "i"),
        "proc_exit": ("i", ""),
        "proc_raise": ("i", "i"),
        "sched_yield": ("", "i"),
        "random_get": ("ii", "i"),
        "sock_accept": ("iii", "i"),
        "sock_recv": ("iiiiii", "i"),
        "sock_send": ("iiiii", "i"),
        "sock_shutdown": ("ii", "i"),
    ]
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
