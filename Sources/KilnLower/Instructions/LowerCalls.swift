import KilnModel

/// call and call_indirect. Calls between defined functions are plain C calls clang can inline; imported
/// functions and table entries go through their `kiln_funcref` with the signature's pointer type.
extension FunctionLowerer {
    /// `call` (an expression) with its results stored in the output slots; `prefix` runs first, in the
    /// same block (call_indirect's lookup).
    mutating func emitCall(_ call: String, results: [ValueType], prefix: String = "", name: String) {
        let statement = callStatement(call, results: results)
        emit(prefix.isEmpty ? statement : "{ \(prefix) \(statement) }", name)
        refreshMemoryView()
    }

    mutating func lowerCall(_ function: UInt32) {
        guard let calleeType = context.space.functionType(function) else { return }
        emitCall(directCall(function, calleeType), results: calleeType.results, name: "call \(function)")
    }

    mutating func lowerCallIndirect(_ typeIndex: UInt32, table: UInt32) {
        guard let calleeType = context.space.type(typeIndex) else { return }
        let element = operand(typing.heightBefore - 1, context.tableIndexType(table))
        let lookup = "const kiln_funcref* c = kiln_funcref_for_call(ctx, inst->tables[\(table)], \(element), &kiln_types[\(typeIndex)]);"
        let arguments = (["c->instance"] + (0..<calleeType.parameters.count).map { input($0) }).joined(separator: ", ")
        let call = "((\(CTypes.functionPointer(calleeType)))c->fn)(\(arguments))"
        let name = "call_indirect (type \(typeIndex)) table \(table)"
        if let entries = context.sealedTables[table], lowerSealedCall(entries, calleeType, element, lookup: lookup, call: call, name: name) {
            return
        }
        emitCall(call, results: calleeType.results, prefix: lookup, name: name)
    }

    /// A switch over a sealed table's entries of the right type, each a direct call; false when there are
    /// too many distinct callees for a switch to pay.
    mutating func lowerSealedCall(_ entries: [UInt32?], _ type: FunctionType, _ element: String, lookup: String, call: String, name: String) -> Bool {
        var order: [UInt32] = []
        var slots: [UInt32: [Int]] = [:]
        for (i, entry) in entries.enumerated() {
            guard let function = entry, context.space.functionType(function) == type else { continue }
            if slots[function] == nil { order.append(function) }
            slots[function, default: []].append(i)
        }
        guard order.count <= 64 else { return false }
        writer.statement("switch (\(element)) {", "\(name) \(comment): the table never changes, direct calls")
        for function in order {
            let cases = slots[function]!.map { "case \($0)u:" }.joined(separator: " ")
            writer.line("  \(cases) \(callStatement(directCall(function, type), results: type.results)) break;")
        }
        writer.line("  default: { \(lookup) \(callStatement(call, results: type.results)) }")
        writer.line("}")
        refreshMemoryView()
        return true
    }

    /// The call of function `function` (defined: a plain C call; imported: through its funcref).
    mutating func directCall(_ function: UInt32, _ type: FunctionType) -> String {
        let arguments = (0..<type.parameters.count).map { input($0) }
        if context.isImportedFunction(function) {
            let pointer = "((\(CTypes.functionPointer(type)))inst->funcs[\(function)].fn)"
            return "\(pointer)(\((["inst->funcs[\(function)].instance"] + arguments).joined(separator: ", ")))"
        }
        return "\(context.names.function(function))(\((["self"] + arguments).joined(separator: ", ")))"
    }

    /// A call's results stored in the output slots.
    mutating func callStatement(_ call: String, results: [ValueType]) -> String {
        switch results.count {
        case 0: return "\(call);"
        case 1: return "\(output(0)) = \(call);"
        default:
            let copies = (0..<results.count).map { "\(output($0)) = r.r\($0);" }.joined(separator: " ")
            return "{ \(CTypes.resultStruct(results)) r = \(call); \(copies) }"
        }
    }
}
