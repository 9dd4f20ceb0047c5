import KilnModel

/// A module's imports of the WASI functions the runtime implements (`WASIPreview1`) are bound inside the
/// artifact to `kiln_wasi_<name>`, so a compiled program needs no host code to run.
enum WASIImports {
    static let namespace = WASIPreview1.namespace
    static let signatures = WASIPreview1.signatures
}

extension WASIImports {
    /// wasi-threads' one function: `wasi` `thread-spawn` (i32) -> i32, bound like WASI's to the runtime, which
    /// asks the host to start the thread (Runtime/src/wasi/thread_spawn.c).
    /// > Note: <https://github.com/WebAssembly/wasi-threads>
    static let threadSpawn = "thread_spawn"

    /// The WASI function an import binds to, when its name and type are one the runtime implements.
    static func binding(_ entry: Import, type: FunctionType?) -> String? {
        if entry.module == "wasi", entry.name == "thread-spawn", let type, type.parameters == [.i32], type.results == [.i32] {
            return threadSpawn
        }
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

    /// WASI calls that may block (on input, a socket, a clock): in a module with threads they run without the
    /// lock that serialises the others, so one thread waiting for input cannot stop the rest.
    static let blocking: Set<String> = ["fd_read", "fd_pread", "poll_oneoff", "sock_recv", "sock_accept", "sched_yield", "proc_exit"]

    /// A function with the import's C signature that calls the runtime with the ctx and memory 0. In a module
    /// that spawns threads, the WASI state (its fd table) is shared by every thread's instance: a call that
    /// cannot block holds the state's lock.
    static func shim(_ index: Int, _ name: String, _ context: LoweringContext) -> String {
        guard let type = context.space.functionType(UInt32(index)) else { return "" }
        let params = (["kiln_instance* self"] + type.parameters.enumerated().map { "\(CTypes.cType($0.element)) p\($0.offset)" })
        if name == threadSpawn {
            return """
            static u32 kiln_import_\(index)_\(name)(kiln_instance* self, u32 p0) {
              return kiln_wasi_thread_spawn(self->ctx, self, p0);
            }
            """
        }
        let arguments = (["self->ctx", "inst->memories[0]"] + type.parameters.indices.map { "p\($0)" }).joined(separator: ", ")
        let call = "kiln_wasi_\(name)(\(arguments))"
        if bound(context).contains(where: { $0.name == threadSpawn }), !blocking.contains(name) {
            return """
            static \(CTypes.returnType(type)) kiln_import_\(index)_\(name)(\(params.joined(separator: ", "))) {
              Instance* const inst = (Instance*)self;
              kiln_wasi_lock(self->ctx);
              \(type.results.isEmpty ? "" : "\(CTypes.returnType(type)) r = ")\(call);
              kiln_wasi_unlock(self->ctx);
              \(type.results.isEmpty ? "" : "return r;")
            }
            """
        }
        return """
        static \(CTypes.returnType(type)) kiln_import_\(index)_\(name)(\(params.joined(separator: ", "))) {
          Instance* const inst = (Instance*)self;
          \(type.results.isEmpty ? "" : "return ")\(call);
        }
        """
    }
}
