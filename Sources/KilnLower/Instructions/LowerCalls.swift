import KilnModel

/// call and call_indirect. Calls between defined functions are plain C calls clang can inline; imported
/// functions and table entries go through their `kiln_funcref` with the signature's pointer type.
extension FunctionLowerer {
    /// `call` (an expression) with its results stored in the output slots; `prefix` runs first, in the
    /// same block (call_indirect's lookup).
    mutating func emitCall(_ call: String, results: [ValueType], prefix: String = "", name: String) {
        let open = prefix.isEmpty ? "" : "{ \(prefix) "
        let close = prefix.isEmpty ? "" : " }"
        switch results.count {
        case 0: emit("\(open)\(call);\(close)", name)
        case 1: emit("\(open)\(output(0)) = \(call);\(close)", name)
        default:
            let copies = (0..<results.count).map { "\(output($0)) = r.r\($0);" }.joined(separator: " ")
            emit("{ \(prefix.isEmpty ? "" : prefix + " ")\(CTypes.resultStruct(results)) r = \(call); \(copies) }", name)
        }
        refreshMemoryView()
    }

    mutating func lowerCall(_ function: UInt32) {
        guard let calleeType = context.space.functionType(function) else { return }
        let arguments = (0..<calleeType.parameters.count).map { input($0) }
        let call: String
        if context.isImportedFunction(function) {
            let pointer = "((\(CTypes.functionPointer(calleeType)))inst->funcs[\(function)].fn)"
            call = "\(pointer)(\((["inst->funcs[\(function)].instance"] + arguments).joined(separator: ", ")))"
        } else {
            call = "\(context.names.function(function))(\((["self"] + arguments).joined(separator: ", ")))"
        }
        emitCall(call, results: calleeType.results, name: "call \(function)")
    }

    mutating func lowerCallIndirect(_ typeIndex: UInt32, table: UInt32) {
        guard let calleeType = context.space.type(typeIndex) else { return }
        let element = slot(typing.heightBefore - 1, .i32)
        let lookup = "const kiln_funcref* c = kiln_funcref_for_call(ctx, inst->tables[\(table)], \(element), &kiln_types[\(typeIndex)]);"
        let arguments = (["c->instance"] + (0..<calleeType.parameters.count).map { input($0) }).joined(separator: ", ")
        let call = "((\(CTypes.functionPointer(calleeType)))c->fn)(\(arguments))"
        emitCall(call, results: calleeType.results, prefix: lookup, name: "call_indirect (type \(typeIndex)) table \(table)")
    }
}
