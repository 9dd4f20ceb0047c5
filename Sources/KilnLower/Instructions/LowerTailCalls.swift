import KilnModel
import KilnValidate

/// Tail calls: `return_call` and `return_call_indirect`, with a constant stack at every optimization level.
///
/// clang's `musttail` guarantees the jump even at -O0 but only between identical C prototypes, and Wasm
/// tail calls go between any two signatures with the same results. So every function of a module that makes
/// tail calls gets a tail entry of the one prototype `void fN_tail(kiln_instance*)`, which takes its
/// arguments from the store's buffer `ctx->tail` and leaves its results there (kiln_abi.h):
/// - a function that makes tail calls is compiled as its tail entry; its ordinary entry `fN(self, ...)`
///   stores the arguments, calls the tail entry and reads the results back;
/// - any other function keeps its ordinary body, and its tail entry is a wrapper calling it (a frame that
///   is gone once the callee returns, so chains of tail calls stay flat).
/// A tail call stores the callee's arguments in the buffer and `musttail`-jumps to its tail entry. A callee
/// without one (a host function, a function of a module without tail calls, more than `KILN_TAIL_SLOTS`
/// parameters or results) is called and returned from: correct, though not constant in stack.
extension LoweringContext {
    /// KILN_TAIL_SLOTS in Runtime/include/kiln_abi.h, the size of `kiln_ctx.tail` (Wasm3LoweringTests checks they agree).
    static let tailSlots = 128

    func fitsTailBuffer(_ type: FunctionType) -> Bool {
        type.parameters.count <= Self.tailSlots && type.results.count <= Self.tailSlots
    }

    /// Whether defined function `index` has a tail entry.
    func hasTailEntry(_ index: UInt32) -> Bool {
        guard validated.usesTailCalls, !isImportedFunction(index), let type = space.functionType(index) else { return false }
        return fitsTailBuffer(type)
    }

    /// Whether defined function `index` is compiled as its tail entry (it makes tail calls).
    func isTailForm(_ index: UInt32) -> Bool { validated.tailCallers.contains(index) && hasTailEntry(index) }

    func tailEntryName(_ index: UInt32) -> String { names.function(index) + "_tail" }
}

extension FunctionLowerer {
    mutating func lowerReturnCall(_ function: UInt32) {
        guard let calleeType = context.space.functionType(function) else { return }
        let arguments = (0..<calleeType.parameters.count).map { input($0) }
        let name = "return_call \(function)"
        if function == index, let body, BodyFacts.selfTailCallIsLoop(localCount: body.localCount) {
            emit(selfLoop(arguments, body), name + " (to itself: a jump to its start)")
            return
        }
        if tailForm, context.hasTailEntry(function) {
            let stores = Self.tailStores(arguments, calleeType.parameters, buffer: "ctx->tail")
            emit("{ \(stores)__attribute__((musttail)) return \(context.tailEntryName(function))(self); }", name)
            return
        }
        if tailForm, context.isImportedFunction(function) {
            let funcref = "const kiln_funcref* c = &inst->funcs[\(function)];"
            emit("{ \(funcref) \(dynamicTailCall(calleeType, arguments)) }", name)
            return
        }
        emit(callAndReturn(directCall(function, calleeType), calleeType), name)
    }

    mutating func lowerReturnCallIndirect(_ typeIndex: UInt32, table: UInt32) {
        guard let calleeType = context.space.type(typeIndex) else { return }
        let element = operand(typing.heightBefore - 1, context.tableIndexType(table))
        let arguments = (0..<calleeType.parameters.count).map { input($0) }
        let lookup = "const kiln_funcref* c = kiln_funcref_for_call(ctx, inst->tables[\(table)], \(element), &kiln_types[\(typeIndex)]);"
        let name = "return_call_indirect (type \(typeIndex)) table \(table)"
        if tailForm {
            emit("{ \(lookup) \(dynamicTailCall(calleeType, arguments)) }", name)
        } else {
            emit("{ \(lookup) \(callAndReturn(Self.funcrefCall("c", calleeType, arguments), calleeType)) }", name)
        }
    }

    /// A tail call to the function itself: the arguments (through temporaries, as they may read the
    /// parameters), fresh zeroes in the locals, and a jump to the first instruction. The stack check ran once.
    mutating func selfLoop(_ arguments: [String], _ body: FunctionBody) -> String {
        selfLoopTargeted = true
        var parts = zip(type.parameters, arguments).enumerated().map { i, pair in "\(CTypes.cType(pair.0)) a\(i) = \(pair.1);" }
        parts += type.parameters.indices.map { "\(CNames.local(UInt32($0))) = a\($0);" }
        var local = UInt32(type.parameters.count)
        for run in body.locals {
            for _ in 0..<run.count {
                parts.append("\(CNames.local(local)) = \(run.type == .v128 ? "(kiln_v128){0}" : "0");")
                local += 1
            }
        }
        parts.append("goto T0;")
        return "{ " + parts.joined(separator: " ") + " }"
    }

    /// The tail call through funcref `c`: a jump to its tail entry when it has one, else call and return.
    /// The arguments go to the callee's store's buffer (`c->instance->ctx`), where its entry reads them.
    mutating func dynamicTailCall(_ type: FunctionType, _ arguments: [String]) -> String {
        let stores = Self.tailStores(arguments, type.parameters, buffer: "t")
        let jump = "if (c->tail) { kiln_value* const t KILN_UNUSED = c->instance->ctx->tail; \(stores)__attribute__((musttail)) return c->tail(c->instance); }"
        return "\(jump) \(callAndReturn(Self.funcrefCall("c", type, arguments), type))"
    }

    static func funcrefCall(_ funcref: String, _ type: FunctionType, _ arguments: [String]) -> String {
        "((\(CTypes.functionPointer(type)))\(funcref)->fn)(\(([funcref + "->instance"] + arguments).joined(separator: ", ")))"
    }

    /// An ordinary call whose results this function returns.
    func callAndReturn(_ call: String, _ type: FunctionType) -> String {
        switch type.results.count {
        case 0: return "\(call); \(returnStatementText([]))"
        case 1: return "{ \(CTypes.cType(type.results[0])) r = \(call); \(returnStatementText(["r"])) }"
        default:
            let values = type.results.indices.map { "r.r\($0)" }
            return "{ \(CTypes.resultStruct(type.results)) r = \(call); \(returnStatementText(values)) }"
        }
    }

    /// Slot `i` of a tail-call buffer, as the member of `kiln_value` that holds a `type`.
    static func tailSlot(_ i: Int, _ type: ValueType, buffer: String = "ctx->tail") -> String {
        "\(buffer)[\(i)].\(CTypes.valueMember(type))"
    }

    /// `buffer[i].member = value; ` for each value.
    static func tailStores(_ values: [String], _ types: [ValueType], buffer: String) -> String {
        zip(values, types).enumerated().map { i, pair in "\(tailSlot(i, pair.1, buffer: buffer)) = \(pair.0); " }.joined()
    }

    /// A tail entry's return: the results into the buffer.
    func tailReturnText(_ values: [String]) -> String {
        "{ \(Self.tailStores(values, type.results, buffer: "ctx->tail"))return; }"
    }
}

/// The C around tail entries: prototypes and the two kinds of wrapper.
enum TailEntries {
    static func prototype(_ context: LoweringContext, _ index: UInt32, name: String? = nil, linkage: String? = nil) -> String {
        "\(linkage ?? context.linkage)void \(name ?? context.tailEntryName(index))(kiln_instance* self)"
    }

    /// The ordinary entry of a function compiled as its tail entry.
    static func ordinaryEntry(_ context: LoweringContext, _ index: UInt32, _ type: FunctionType) -> [String] {
        let parameters = type.parameters.indices.map { CNames.local(UInt32($0)) }
        var lines = [FunctionLowerer.prototype(context, index, type) + " {"]
        lines.append("  kiln_ctx* const ctx KILN_UNUSED = self->ctx;")
        lines.append("  " + FunctionLowerer.tailStores(parameters, type.parameters, buffer: "ctx->tail"))
        lines.append("  \(context.tailEntryName(index))(self);")
        let values = type.results.enumerated().map { FunctionLowerer.tailSlot($0.offset, $0.element) }
        switch values.count {
        case 0: break
        case 1: lines.append("  return \(values[0]);")
        default: lines.append("  return (\(CTypes.resultStruct(type.results))){\(values.joined(separator: ", "))};")
        }
        lines.append("}")
        return lines
    }

    /// The tail entry of a function that keeps its ordinary body.
    static func wrapper(_ context: LoweringContext, _ index: UInt32, _ type: FunctionType) -> [String] {
        let arguments = ["self"] + type.parameters.enumerated().map { FunctionLowerer.tailSlot($0.offset, $0.element) }
        let call = "\(context.names.function(index))(\(arguments.joined(separator: ", ")))"
        var lines = [prototype(context, index) + " {", "  kiln_ctx* const ctx KILN_UNUSED = self->ctx;"]
        switch type.results.count {
        case 0: lines.append("  \(call);")
        case 1: lines.append("  \(FunctionLowerer.tailSlot(0, type.results[0])) = \(call);")
        default:
            lines.append("  \(CTypes.resultStruct(type.results)) r = \(call);")
            lines.append("  " + FunctionLowerer.tailStores(type.results.indices.map { "r.r\($0)" }, type.results, buffer: "ctx->tail"))
        }
        lines.append("}")
        return lines
    }

    /// The parameters of a function compiled as its tail entry, read from the buffer on entry.
    /// `qualifier`: "volatile " in a function with a try_table (LowerExceptions.swift).
    static func parameterLoads(_ type: FunctionType, qualifier: String = "") -> [String] {
        type.parameters.enumerated().map { i, parameter in
            "  KILN_UNUSED \(qualifier)\(CTypes.cType(parameter)) \(CNames.local(UInt32(i))) = \(FunctionLowerer.tailSlot(i, parameter));"
        }
    }
}
