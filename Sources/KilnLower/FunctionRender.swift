import KilnModel

/// The text of a lowered function: header comment, signature, prologue, declarations, body.
extension FunctionLowerer {
    static func header(_ context: LoweringContext, _ index: UInt32, _ type: FunctionType, bodyOffset: Int?) -> String {
        let name = context.module.names.functions[index].map { " $\(commentSafe($0))" } ?? ""
        let typeIndex = context.space.functionTypeIndices[Int(index)]
        let at = bodyOffset.map { ", body at 0x\(String($0, radix: 16))" } ?? ""
        return "/* func \(index)\(name): \(type.signature), type \(typeIndex)\(at) */"
    }

    /// `parameterPrefix`: what the parameters are called instead of `l0`, `l1` … (a function with a try_table
    /// copies them into `volatile` locals of those names).
    static func prototype(_ context: LoweringContext, _ index: UInt32, _ type: FunctionType, name: String? = nil, linkage: String? = nil,
                          parameterPrefix: String? = nil) -> String {
        let params = (["kiln_instance* self"] + type.parameters.enumerated().map { i, parameter in
            "\(CTypes.cType(parameter)) \(parameterPrefix.map { "\($0)\(i)" } ?? CNames.local(UInt32(i)))"
        })
        return "\(linkage ?? context.linkage)\(CTypes.returnType(type)) \(name ?? context.names.function(index))(\(params.joined(separator: ", ")))"
    }

    /// The body of a function with a large frame (only one function index can have this prefix).
    var bodyName: String { context.names.function(index) + "_body" }

    /// The function's own name: checks that the body's whole frame fits above the stack limit, then calls it.
    func largeFrameWrapper(_ bytes: Int) -> [String] {
        let arguments = (["self"] + type.parameters.indices.map { CNames.local(UInt32($0)) }).joined(separator: ", ")
        let call = "\(bodyName)(\(arguments));"
        return [
            Self.prototype(context, index, type, name: bodyName, linkage: "static ") + ";",
            Self.prototype(context, index, type) + " {",
            "  KILN_ENTER_FRAME(self->ctx, \(bytes)u); /* a frame of up to \(bytes) bytes must fit above the limit */",
            type.results.isEmpty ? "  \(call)" : "  return \(call)",
            "}",
        ]
    }

    func render() -> String {
        var out: [String] = []
        out.append(Self.header(context, index, type, bodyOffset: body?.bodyOffset))
        let bytes = frameBytes
        let largeFrame = bytes > Self.reserveFrameBytes
        if tailForm {
            out.append(contentsOf: TailEntries.ordinaryEntry(context, index, type))
            let entry = context.tailEntryName(index)
            if largeFrame {
                out.append(TailEntries.prototype(context, index, name: entry + "_body", linkage: "static ") + ";")
                out.append(TailEntries.prototype(context, index) + " {")
                out.append("  KILN_ENTER_FRAME(self->ctx, \(bytes)u); /* a frame of up to \(bytes) bytes must fit above the limit */")
                out.append("  __attribute__((musttail)) return \(entry)_body(self);")
                out.append("}")
                out.append("static __attribute__((noinline)) " + TailEntries.prototype(context, index, name: entry + "_body", linkage: "") + " {")
            } else {
                out.append(TailEntries.prototype(context, index) + " {")
            }
        } else if largeFrame {
            // The check runs in a small wrapper, before the large frame exists: a check inside the function
            // would run after its prologue moved the stack pointer past the end, and the trap's own call would
            // fault. The body is never inlined into the wrapper, so its frame starts below the checked address.
            out.append(contentsOf: largeFrameWrapper(bytes))
            out.append("static __attribute__((noinline)) " + Self.prototype(context, index, type, name: bodyName, linkage: "",
                                                                             parameterPrefix: usesHandlers ? "p" : nil) + " {")
        } else {
            out.append(Self.prototype(context, index, type, parameterPrefix: usesHandlers && !tailForm ? "p" : nil) + " {")
        }
        // Prologue lines that may trap or call, numbered exactly (LineDirectives): the wrappers and the
        // function's own opening line so far, the stack check and the entry's interruption checks below.
        var exact = Set(out.indices)
        // A longjmp to a try_table's handler restores registers as setjmp saw them: the locals must live in
        // memory (C11 7.13.2.1).
        let qualifier = usesHandlers ? "volatile " : ""
        if usesHandlers, !tailForm {
            for (i, parameter) in type.parameters.enumerated() {
                out.append("  volatile \(CTypes.cType(parameter)) \(CNames.local(UInt32(i))) = p\(i);")
            }
        }
        out.append("  Instance* const inst KILN_UNUSED = (Instance*)self;")
        out.append("  kiln_ctx* const ctx KILN_UNUSED = self->ctx;")
        if largeFrame {
            out.append("  /* the caller checked the whole frame against the stack limit */")
        } else if makesCalls || frameValues > Self.leafFrameValues {
            exact.insert(out.count)
            out.append("  KILN_ENTER(ctx);")
        } else {
            out.append("  /* a leaf with a small frame: it fits in the stack reserve below the limit, no stack check */")
        }
        if tailForm {
            out.append(contentsOf: TailEntries.parameterLoads(type, qualifier: qualifier))
        }
        for handler in handlerDecls { out.append("  kiln_handler \(handler);") }
        for caught in caughtDecls { out.append("  kiln_exception* volatile \(caught) = NULL;") }
        if usesMemory {
            out.append("  kiln_memory mem0_view = *\(context.memory0); /* memory 0's base and size, kept in registers */")
            out.append("  kiln_memory* const mem0 KILN_UNUSED = &mem0_view;")
        }
        if let body {
            var local = UInt32(type.parameters.count)
            for run in body.locals {
                let names = (0..<run.count).map { CNames.local(local + $0) + " = \(Self.zero(run.type))" }
                out.append("  KILN_UNUSED \(qualifier)\(CTypes.cType(run.type)) \(names.joined(separator: ", "));")
                local += run.count
            }
        }
        var byType: [(type: String, names: [String])] = []
        for declaration in slotDecls {
            let zero = declaration.type == "kiln_v128" ? "{0}" : "0"
            if let i = byType.firstIndex(where: { $0.type == declaration.type }) {
                byType[i].names.append("\(declaration.name) = \(zero)")
            } else {
                byType.append((declaration.type, ["\(declaration.name) = \(zero)"]))
            }
        }
        for group in byType { out.append("  KILN_UNUSED \(group.type) \(group.names.joined(separator: ", "));") }
        out.append(contentsOf: epochDeclarations(qualifier: qualifier))
        if selfLoopTargeted { out.append("T0:; /* a tail call to this function comes back here */") }
        // After T0: a function that tail-calls itself forever is a loop too.
        let checks = entryInterruptionChecks
        exact.formUnion(out.count..<out.count + checks.count)
        out.append(contentsOf: checks)
        var epilogue: [(String, Bool)] = []
        if !type.results.isEmpty { epilogue.append(("  __builtin_unreachable(); /* every path above returned */", false)) }
        epilogue.append(("}", false))
        if !tailForm, context.hasTailEntry(index) { epilogue += TailEntries.wrapper(context, index, type).map { ($0, true) } }
        guard let bodyOffset = body?.bodyOffset else {
            return resolveFuelCosts((out + [writer.text] + epilogue.map(\.0)).joined(separator: "\n"))
        }
        let prologue = out.enumerated().map { ($1, exact.contains($0)) }
        return resolveFuelCosts(LineDirectives.number(prologue: prologue, body: writer.text, epilogue: epilogue, bodyOffset: bodyOffset))
    }

    /// Locals and slots a leaf may have and still skip KILN_ENTER: at most 16 bytes each, 8 KiB in all, well
    /// inside the 128 KiB kept free below the stack limit (Runtime/host/invoke.c).
    static let leafFrameValues = 512

    /// Frames estimated above this check that the whole frame fits above the limit (KILN_ENTER_FRAME); smaller
    /// ones only that the frame address is above it, leaving the rest to the reserve below the limit.
    static let reserveFrameBytes = 16 * 1024

    /// A bound on the function's stack frame: twice the bytes of its parameters, locals and slots (at -O0
    /// each is a stack slot; at -O2 no more of them can be live, and spilled, at once), plus room for
    /// temporaries and call arguments.
    var frameBytes: Int {
        var bytes = type.parameters.reduce(0) { $0 + Self.size($1) }
        for run in body?.locals ?? [] { bytes += Int(run.count) * Self.size(run.type) }
        for declaration in slotDecls { bytes += declaration.type == "kiln_v128" ? 16 : 8 }
        return 2 * bytes + 4096
    }

    static func size(_ type: ValueType) -> Int {
        switch type {
        case .i32, .f32: 4
        case .v128: 16
        default: 8
        }
    }

    var frameValues: Int {
        let locals = body?.locals.reduce(0) { $0 + Int($1.count) } ?? 0
        return type.parameters.count + locals + slotDecls.count
    }

    static func zero(_ type: ValueType) -> String {
        type == .v128 ? "{0}" : "0"
    }
}
