/// The module's index spaces: imports first, then definitions. Lookups return nil out of range, never trap.
///
/// > Note: <https://webassembly.github.io/spec/core/syntax/modules.html#indices>
public struct IndexSpace: Sendable {
    /// Type index of every function, imported then defined.
    public let functionTypeIndices: [UInt32]
    public let tables: [TableType]
    public let memories: [Limits]
    public let globals: [GlobalType]
    /// Type index of every exception tag, imported then defined.
    public let tagTypeIndices: [UInt32]
    public let importedTagCount: Int
    public let importedFunctionCount: Int
    public let importedGlobalCount: Int
    public let types: [FunctionType]

    public init(_ module: Module) {
        var functions: [UInt32] = []
        var tables: [TableType] = []
        var memories: [Limits] = []
        var globals: [GlobalType] = []
        var tags: [UInt32] = []
        for entry in module.imports {
            switch entry.descriptor {
            case .function(let type): functions.append(type)
            case .table(let type): tables.append(type)
            case .memory(let type): memories.append(type)
            case .global(let type): globals.append(type)
            case .tag(let type): tags.append(type)
            }
        }
        importedFunctionCount = functions.count
        importedGlobalCount = globals.count
        importedTagCount = tags.count
        self.tagTypeIndices = tags + module.tags
        functions += module.functions
        tables += module.tables
        memories += module.memories
        globals += module.globals.map(\.type)
        self.functionTypeIndices = functions
        self.tables = tables
        self.memories = memories
        self.globals = globals
        self.types = module.types
    }

    public func type(_ index: UInt32) -> FunctionType? {
        index < types.count ? types[Int(index)] : nil
    }

    public func functionType(_ index: UInt32) -> FunctionType? {
        guard index < functionTypeIndices.count else { return nil }
        return type(functionTypeIndices[Int(index)])
    }

    /// The type of tag `index` (its parameters are the payload).
    public func tagType(_ index: UInt32) -> FunctionType? {
        guard index < tagTypeIndices.count else { return nil }
        return type(tagTypeIndices[Int(index)])
    }

    public func table(_ index: UInt32) -> TableType? {
        index < tables.count ? tables[Int(index)] : nil
    }

    public func memory(_ index: UInt32) -> Limits? {
        index < memories.count ? memories[Int(index)] : nil
    }

    public func global(_ index: UInt32) -> GlobalType? {
        index < globals.count ? globals[Int(index)] : nil
    }
}
