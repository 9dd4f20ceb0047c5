import KilnModel

/// What a function body may refer to: the module's index spaces, its segments, and the functions that
/// `ref.func` may name (the spec's C.refs).
///
/// > Note: <https://webassembly.github.io/spec/core/valid/modules.html#valid-module>
public struct ModuleContext: Sendable {
    public let module: Module
    public let space: IndexSpace
    /// Functions named outside function bodies: in element segments, global initializers and exports.
    public let declaredReferences: Set<UInt32>
    public let identities: TypeIdentities

    public init(_ module: Module) {
        self.module = module
        self.space = IndexSpace(module)
        self.identities = TypeIdentities(module.types, groups: module.allRecursionGroups)
        var refs = Set<UInt32>()
        func collect(_ expression: ConstExpression) {
            for instruction in expression {
                if case .refFunc(let index) = instruction { refs.insert(index) }
            }
        }
        for segment in module.elements { segment.initializer.forEach(collect) }
        for initializer in module.tableInitializers.values { collect(initializer) }
        for global in module.globals { collect(global.initializer) }
        for entry in module.exports {
            if case .function(let index) = entry.descriptor { refs.insert(index) }
        }
        self.declaredReferences = refs
    }

    /// A value type names defined types only by valid indices (below `typeBound` in the type section, where a
    /// type may refer to itself and the types before it), and of the abstract heap types only func and extern:
    /// the others belong to GC and exception handling.
    func validate(_ type: ValueType, typeBound: Int? = nil) throws(ValidationError) {
        guard case .ref(let ref) = type else { return }
        try validate(ref.heapType, typeBound: typeBound)
    }

    func validate(_ heapType: HeapType, typeBound: Int? = nil) throws(ValidationError) {
        switch heapType {
        case .abstract(.funcRef), .abstract(.externRef): return
        case .abstract(.exnRef) where module.version != .v2: return
        case .abstract(.exnRef): throw .unsupported("the heap type exn (exception handling proposal)")
        case .abstract(.noExn): throw .unsupported("the heap type noexn (GC proposal)")
        case .abstract(let other): throw .unsupported("the heap type \(other) (GC proposal)")
        case .concrete(let index):
            let bound = typeBound ?? module.types.count
            guard Int(index) < bound else { throw .unknown("type", index, count: bound) }
        }
    }

    func type(_ index: UInt32) throws(ValidationError) -> FunctionType {
        guard let type = space.type(index) else { throw .unknown("type", index, count: space.types.count) }
        return type
    }

    func functionType(_ index: UInt32) throws(ValidationError) -> FunctionType {
        guard let type = space.functionType(index) else {
            throw .unknown("function", index, count: space.functionTypeIndices.count)
        }
        return type
    }

    /// What `ref.func` gives: a non-null reference to the function's own type (a 2.0 module reads it as funcref).
    func functionReferenceType(_ index: UInt32) throws(ValidationError) -> ValueType {
        _ = try functionType(index)
        guard module.version != .v2 else { return .ref(.funcRef) }
        return .ref(ReferenceType(isNullable: false, heapType: .concrete(typeIndex: space.functionTypeIndices[Int(index)])))
    }

    /// An exception tag's type: its parameters are the payload.
    func tag(_ index: UInt32) throws(ValidationError) -> FunctionType {
        guard let type = space.tagType(index) else { throw .unknown("tag", index, count: space.tagTypeIndices.count) }
        return type
    }

    func table(_ index: UInt32) throws(ValidationError) -> TableType {
        guard let table = space.table(index) else { throw .unknown("table", index, count: space.tables.count) }
        return table
    }

    func memory(_ index: UInt32) throws(ValidationError) -> Limits {
        guard let memory = space.memory(index) else { throw .unknown("memory", index, count: space.memories.count) }
        return memory
    }

    func global(_ index: UInt32) throws(ValidationError) -> GlobalType {
        guard let global = space.global(index) else { throw .unknown("global", index, count: space.globals.count) }
        return global
    }

    func element(_ index: UInt32) throws(ValidationError) -> ElementSegment {
        guard index < module.elements.count else { throw .unknown("elem segment", index, count: module.elements.count) }
        return module.elements[Int(index)]
    }

    /// `memory.init` and `data.drop` need the data count section, so that a single pass can check them.
    func dataSegment(_ index: UInt32) throws(ValidationError) {
        guard let count = module.dataCount else { throw .dataCountRequired }
        guard index < count else { throw .unknown("data segment", index, count: Int(count)) }
    }

    /// (parameters, results) of a block type.
    func blockType(_ type: BlockType) throws(ValidationError) -> (params: [ValueType], results: [ValueType]) {
        switch type {
        case .empty: return ([], [])
        case .type(let value):
            try validate(value)
            return ([], [value])
        case .funcType(let index):
            let type = try self.type(index)
            return (type.parameters, type.results)
        }
    }
}
