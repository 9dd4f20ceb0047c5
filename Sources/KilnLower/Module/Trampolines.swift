import KilnModel

/// Per type: a trampoline the host calls exports through (arguments and results as `kiln_value`s), and
/// an adapter with the type's C signature that forwards a call to a host function.
///
/// These replace libffi: every signature a module can call or be called with is known when it is
/// lowered, and v128 arguments have no libffi type.
enum Trampolines {
    static func render(_ types: [FunctionType]) -> String {
        var out: [String] = []
        for (index, type) in types.enumerated() {
            out.append(trampoline(index, type))
            out.append(adapter(index, type))
        }
        return out.joined(separator: "\n\n")
    }

    static func trampoline(_ index: Int, _ type: FunctionType) -> String {
        let arguments = (["f->instance"] + type.parameters.enumerated().map { "args[\($0.offset)].\(CTypes.valueMember($0.element))" })
        let call = "((\(CTypes.functionPointer(type)))f->fn)(\(arguments.joined(separator: ", ")))"
        var lines = ["static void kiln_trampoline_\(index)(const kiln_funcref* f, const kiln_value* args, kiln_value* results) {"]
        lines.append("  (void)args; (void)results;")
        switch type.results.count {
        case 0: lines.append("  \(call);")
        case 1: lines.append("  results[0].\(CTypes.valueMember(type.results[0])) = \(call);")
        default:
            lines.append("  \(CTypes.resultStruct(type.results)) r = \(call);")
            for (i, result) in type.results.enumerated() { lines.append("  results[\(i)].\(CTypes.valueMember(result)) = r.r\(i);") }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    static func adapter(_ index: Int, _ type: FunctionType) -> String {
        let params = (["kiln_instance* self"] + type.parameters.enumerated().map { "\(CTypes.cType($0.element)) p\($0.offset)" })
        var lines = ["static \(CTypes.returnType(type)) kiln_adapter_\(index)(\(params.joined(separator: ", "))) {"]
        lines.append("  kiln_host_func* const host = (kiln_host_func*)(void*)self;")
        lines.append("  kiln_value args[\(max(1, type.parameters.count))] = {{0}};")
        lines.append("  kiln_value results[\(max(1, type.results.count))] = {{0}};")
        for (i, param) in type.parameters.enumerated() { lines.append("  args[\(i)].\(CTypes.valueMember(param)) = p\(i);") }
        lines.append("  host->call(host, args, results);")
        // A host function throws a Wasm exception, or fails, by leaving it here; thrown once the host's frames
        // are gone (a longjmp must not cross them).
        lines.append("  if (KILN_UNLIKELY(host->ctx->host_exception != NULL || host->ctx->host_trap)) kiln_host_throw(host->ctx);")
        switch type.results.count {
        case 0: lines.append("  (void)results;")
        case 1: lines.append("  return results[0].\(CTypes.valueMember(type.results[0]));")
        default:
            let values = type.results.enumerated().map { "results[\($0.offset)].\(CTypes.valueMember($0.element))" }
            lines.append("  return (\(CTypes.resultStruct(type.results))){\(values.joined(separator: ", "))};")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
