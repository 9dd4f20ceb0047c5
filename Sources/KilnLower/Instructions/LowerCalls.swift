import KilnModel

/// call and call_indirect. Calls between defined functions are plain C calls clang can inline; imported
/// functions and table entries go through their `kiln_funcref` with the signature's pointer type.
extension FunctionLowerer {
    mutating func callStatement(_ callee: String, _ calleeType: FunctionType, instance: String, name: String) {
        let arguments = ([instance] + (0..<calleeType.parameters.count).map { input($0) }).joined(separator: ", ")
        let call = "\(callee)(\(arguments))"
        switch calleeType.results.count {
        case 0: emit("\(call);", name)
        case 1: emit("\(output(0)) = \(call);", name)
        default:
            let copies = (0..<calleeType.results.count).map { "\(output($0)) = r.r\($0);" }.joined(separator: " ")
            emit("{ \(CTypes.resultStruct(calleeType.results)) r = \(call); \(copies) }", name)
        }
    }

    mutating func lowerCall(_ function: UInt32) {
        guard let calleeType = context.space.functionType(function) else { return }
        if context.isImportedFunction(function) {
            let pointer = "((\(CTypes.functionPointer(calleeType)))inst->funcs[\(function)].fn)"
            callStatement(pointer, calleeType, instance: "inst->funcs[\(function)].instance", name: "call \(function)")
        } else {
            callStatement(context.names.function(function), calleeType, instance: "self", name: "call \(function)")
        }
    }

    mutating func lowerCallIndirect(_ typeIndex: UInt32, table: UInt32) {
        guard let calleeType = context.space.type(typeIndex) else { return }
        let element = slot(typing.heightBefore - 1, .i32)
        let lookup = "const kiln_funcref* c = kiln_funcref_for_call(ctx, inst->tables[\(table)], \(element), &kiln_types[\(typeIndex)]);"
        let arguments = (["c->instance"] + (0..<calleeType.parameters.count).map { input($0) }).joined(separator: ", ")
        let call = "((\(CTypes.functionPointer(calleeType)))c->fn)(\(arguments))"
        let name = "call_indirect (type \(typeIndex)) table \(table)"
        switch calleeType.results.count {
        case 0: emit("{ \(lookup) \(call); }", name)
        case 1: emit("{ \(lookup) \(output(0)) = \(call); }", name)
        default:
            let copies = (0..<calleeType.results.count).map { "\(output($0)) = r.r\($0);" }.joined(separator: " ")
            emit("{ \(lookup) \(CTypes.resultStruct(calleeType.results)) r = \(call); \(copies) }", name)
        }
    }
}
