import KilnModel
import KilnValidate

/// A person-readable summary of a validated module: imports, exports and functions with their types.
public enum ModuleDescription {
    public static func describe(_ validated: ValidatedModule) -> String {
        let module = validated.module
        let space = validated.context.space
        var lines: [String] = []
        if let name = module.names.module { lines.append("module $\(name)") }
        lines.append("types: \(module.types.count), functions: \(space.functionTypeIndices.count) (\(space.importedFunctionCount) imported), tables: \(space.tables.count), memories: \(space.memories.count), globals: \(space.globals.count)")
        lines.append("imports (\(module.imports.count)):")
        for entry in module.imports {
            lines.append("  \"\(entry.module)\" \"\(entry.name)\": \(describe(entry.descriptor, space))")
        }
        lines.append("exports (\(module.exports.count)):")
        for entry in module.exports {
            lines.append("  \"\(entry.name)\": \(describe(entry.descriptor, space, names: module.names))")
        }
        lines.append("functions (\(module.bodies.count) defined):")
        for (i, body) in module.bodies.enumerated() {
            let index = UInt32(space.importedFunctionCount + i)
            let type = space.functionType(index).map(\.signature) ?? "?"
            lines.append("  func \(module.names.displayName(function: index)): \(type), \(body.localCount) locals, body at 0x\(String(body.bodyOffset, radix: 16))")
        }
        if let start = module.start { lines.append("start: func \(module.names.displayName(function: start))") }
        lines.append("segments: \(module.elements.count) elem, \(module.data.count) data")
        return lines.joined(separator: "\n")
    }

    static func describe(_ descriptor: ImportDescriptor, _ space: IndexSpace) -> String {
        switch descriptor {
        case .function(let type): "func \(space.type(type)?.signature ?? "type \(type)")"
        case .table(let table): "table \(table.elementType.name) \(limits(table.limits))"
        case .memory(let memory): "memory \(limits(memory))"
        case .global(let global): "global \(global.mutability == .variable ? "mut " : "")\(global.valueType.name)"
        case .tag(let type): "tag \(type)"
        }
    }

    static func describe(_ descriptor: ExportDescriptor, _ space: IndexSpace, names: Names) -> String {
        switch descriptor {
        case .function(let index): "func \(names.displayName(function: index)) \(space.functionType(index)?.signature ?? "")"
        case .table(let index): "table \(index)"
        case .memory(let index): "memory \(index)"
        case .global(let index): "global \(index)"
        case .tag(let index): "tag \(index)"
        }
    }

    static func limits(_ limits: Limits) -> String {
        limits.max.map { "\(limits.min)..\($0)" } ?? "\(limits.min).."
    }
}
