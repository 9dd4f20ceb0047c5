import KilnModel

/// Typed function references. A reference is a `kiln_ref` whatever its type, so the typed forms need no
/// conversions: `ref.as_non_null` and the calls check for null (the only thing validation leaves open: the
/// type of a non-null reference is proven, so `call_ref` compares no type), `br_on_null` and
/// `br_on_non_null` are a `br_if` on it.
extension FunctionLowerer {
    mutating func lowerRefAsNonNull() {
        emit("\(output(0)) = kiln_ref_as_non_null(ctx, \(input(0)));", "ref.as_non_null")
    }

    /// The label's values sit below the reference, which stays on the stack when it is not null.
    mutating func lowerBrOnNull() {
        guard let target = typing.frame else { return }
        let reference = operand(typing.heightBefore - 1, .ref(.funcRef))
        emit("if (\(reference) == NULL) { \(branch(to: target, top: typing.heightBefore - 1)) }", "br_on_null")
    }

    /// The reference is the label's last value; it leaves the stack either way.
    mutating func lowerBrOnNonNull() {
        guard let target = typing.frame else { return }
        let reference = operand(typing.heightBefore - 1, .ref(.funcRef))
        emit("if (\(reference) != NULL) { \(branch(to: target, top: typing.heightBefore)) }", "br_on_non_null")
    }

    mutating func lowerCallRef(_ typeIndex: UInt32) {
        guard let calleeType = context.space.type(typeIndex) else { return }
        let lookup = "const kiln_funcref* c = kiln_funcref_for_call_ref(ctx, \(input(calleeType.parameters.count)));"
        let arguments = (0..<calleeType.parameters.count).map { input($0) }
        emitCall(Self.funcrefCall("c", calleeType, arguments), results: calleeType.results, prefix: lookup, name: "call_ref (type \(typeIndex))")
    }

    mutating func lowerReturnCallRef(_ typeIndex: UInt32) {
        guard let calleeType = context.space.type(typeIndex) else { return }
        let lookup = "const kiln_funcref* c = kiln_funcref_for_call_ref(ctx, \(input(calleeType.parameters.count)));"
        let arguments = (0..<calleeType.parameters.count).map { input($0) }
        let name = "return_call_ref (type \(typeIndex))"
        if tailForm {
            emit("{ \(lookup) \(dynamicTailCall(calleeType, arguments)) }", name)
        } else {
            emit("{ \(lookup) \(callAndReturn(Self.funcrefCall("c", calleeType, arguments), calleeType)) }", name)
        }
    }
}
