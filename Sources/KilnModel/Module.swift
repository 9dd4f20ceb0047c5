/// A decoded module: everything the binary says, in index order, with the offsets errors need.
///
/// Bodies are kept as byte slices (see `FunctionBody`) and decoded on demand, once by the validator and
/// again by whichever consumer it feeds.
/// > Note: <https://webassembly.github.io/spec/core/syntax/modules.html>
public struct Module: Sendable {
    public struct Global: Sendable {
        public let type: GlobalType
        public let initializer: ConstExpression
        public init(type: GlobalType, initializer: ConstExpression) {
            self.type = type
            self.initializer = initializer
        }
    }

    /// Byte offsets of each non-custom section's id byte, by section id, for module-level error locations.
    public var sectionOffsets: [UInt8: Int] = [:]

    public var types: [FunctionType] = []
    /// The recursion groups of more than one type, as ranges of type indices (GC's `rec`; Kiln takes groups of
    /// final function types). A type outside them is alone in its group.
    public var recursionGroups: [Range<Int>] = []
    public var imports: [Import] = []
    /// Type indices of the functions this module defines (imported functions come first in the index space).
    public var functions: [UInt32] = []
    public var tables: [TableType] = []
    /// The initializer of each defined table that has one (typed function references), by defined-table index;
    /// the others start filled with null.
    public var tableInitializers: [Int: ConstExpression] = [:]
    public var memories: [Limits] = []
    public var globals: [Global] = []
    /// Type indices of the exception tags this module defines (exception handling).
    public var tags: [UInt32] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var elements: [ElementSegment] = []
    public var dataCount: UInt32?
    public var data: [DataSegment] = []
    public var bodies: [FunctionBody] = []
    public var names = Names()
    /// Sizes of the custom sections by name, for `describe`.
    public var customSections: [(name: String, size: Int)] = []
    /// The edition the module was decoded by, and is validated by.
    public var version = WasmVersion.v3

    public init() {}
}

extension Module {
    /// The recursion groups of all types, in order, singletons included.
    public var allRecursionGroups: [Range<Int>] {
        var groups: [Range<Int>] = []
        var next = 0
        for group in recursionGroups {
            groups += (next..<group.lowerBound).map { $0..<($0 + 1) }
            groups.append(group)
            next = group.upperBound
        }
        return groups + (next..<types.count).map { $0..<($0 + 1) }
    }

    /// The offset of section `id` (1 type … 12 data count), if the module has one.
    public func sectionOffset(_ id: UInt8) -> Int? { sectionOffsets[id] }
}
