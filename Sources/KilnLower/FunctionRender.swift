import KilnModel

/// The text of a lowered function: header comment, signature, prologue, declarations, body.
extension FunctionLowerer {
    static func header(_ context: LoweringContext, _ index: UInt32, _ type: FunctionType, bodyOffset: Int?) -> String {
        let name = context.module.names.functions[index].map { " $\(commentSafe($0))" } ?? ""
        let typeIndex = context.space.functionTypeIndices[Int(index)]
        let at = bodyOffset.map { ", body at 0x\(String($0, radix: 16))" } ?? ""
        return "/* func \(index)\(name): \(type.signature), type \(typeIndex)\(at) */"
    }

    static func prototype(_ context: LoweringContext, _ index: UInt32, _ type: FunctionType) -> String {
        let params = (["kiln_instance* self"] + type.parameters.enumerated().map { "\(CTypes.cType($0.element)) \(CNames.local(UInt32($0.offset)))" })
        return "\(context.linkage)\(CTypes.returnType(type)) \(context.names.function(index))(\(params.joined(separator: ", ")))"
    }

    func render() -> String {
        var out: [String] = []
        out.append(Self.header(context, index, type, bodyOffset: body?.bodyOffset))
        out.append(Self.prototype(context, index, type) + " {")
        out.append("  Instance* const inst KILN_UNUSED = (Instance*)self;")
        out.append("  kiln_ctx* const ctx KILN_UNUSED = self->ctx;")
        if usesMemory {
            out.append("  kiln_memory mem0_view = *\(context.memory0); /* memory 0's base and size, kept in registers */")
            out.append("  kiln_memory* const mem0 KILN_UNUSED = &mem0_view;")
        }
        if let body {
            var local = UInt32(type.parameters.count)
            for run in body.locals {
                let names = (0..<run.count).map { CNames.local(local + $0) + " = \(Self.zero(run.type))" }
                out.append("  KILN_UNUSED \(CTypes.cType(run.type)) \(names.joined(separator: ", "));")
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
        if makesCalls || frameValues > Self.leafFrameValues {
            out.append("  KILN_ENTER(ctx);")
        } else {
            out.append("  /* a leaf with a small frame: it fits in the stack reserve below the limit, no stack check */")
        }
        out.append(writer.text)
        if !type.results.isEmpty { out.append("  __builtin_unreachable(); /* every path above returned */") }
        out.append("}")
        return out.joined(separator: "\n")
    }

    /// Locals and slots a leaf may have and still skip KILN_ENTER: at most 16 bytes each, 8 KiB in all, well
    /// inside the 128 KiB kept free below the stack limit (Runtime/host/invoke.c).
    static let leafFrameValues = 512

    var frameValues: Int {
        let locals = body?.locals.reduce(0) { $0 + Int($1.count) } ?? 0
        return type.parameters.count + locals + slotDecls.count
    }

    static func zero(_ type: ValueType) -> String {
        type == .v128 ? "{0}" : "0"
    }
}
