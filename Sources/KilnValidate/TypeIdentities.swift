import KilnModel

/// When two type indices denote the same type, and when one reference type is a subtype of another.
///
/// Without GC's struct and array types, every defined type is a final function type without declared
/// supertypes, alone in its recursion group or in a group of several (`rec`). Two types are the same when
/// their groups are structurally equal, every reference to a type outside the group replaced by that type's
/// identity and every reference into the group kept as a position in it, and they sit at the same position
/// (iso-recursive equivalence); between two function types subtyping is then equality. A type may refer only
/// to the types of its group and to those before it, so one pass over the groups in order numbers them all.
/// > Note: <https://webassembly.github.io/spec/core/valid/conventions.html#defined-types>,
/// > <https://webassembly.github.io/spec/core/valid/matching.html#reference-types>
public struct TypeIdentities: Sendable {
    /// Equal numbers for equal types, by type index.
    public let ids: [Int]

    /// `groups`: every recursion group as a range of type indices, in order (`Module.allRecursionGroups`).
    public init(_ types: [FunctionType], groups: [Range<Int>]? = nil) {
        var canonical: [[Int]: Int] = [:]
        var ids: [Int] = []
        ids.reserveCapacity(types.count)
        // Types in a group of several are the same as others only when their whole groups are, position
        // for position: a group's shape refers to its own types by position.
        for group in groups ?? types.indices.map({ $0..<($0 + 1) }) {
            var groupShape: [Int] = [group.count]
            for index in group {
                let type = types[index]
                groupShape.append(type.parameters.count)
                for value in type.parameters + type.results {
                    groupShape += Self.shape(value, group: group, ids: ids)
                }
            }
            for position in 0..<group.count {
                let shape = groupShape + [position]
                if let id = canonical[shape] {
                    ids.append(id)
                } else {
                    canonical[shape] = canonical.count
                    ids.append(canonical.count - 1)
                }
            }
        }
        self.ids = ids
    }

    /// Two numbers per value type: its kind, and for a reference what it refers to.
    private static func shape(_ type: ValueType, group: Range<Int>, ids: [Int]) -> [Int] {
        switch type {
        case .i32: return [0, 0]
        case .i64: return [1, 0]
        case .f32: return [2, 0]
        case .f64: return [3, 0]
        case .v128: return [4, 0]
        case .ref(let ref):
            let kind = ref.isNullable ? 5 : 6
            switch ref.heapType {
            case .abstract(let abstract): return [kind, -1 - Int(abstract.rawValue)]
            case .concrete(let index) where group.contains(Int(index)): return [kind, Int.min + Int(index) - group.lowerBound]
            case .concrete(let index) where Int(index) < group.lowerBound: return [kind, ids[Int(index)]]
            // A forward reference is invalid (the module validator says so); keep it distinct meanwhile.
            case .concrete(let index): return [kind, Int.min / 2 + Int(index)]
            }
        }
    }

    public func same(_ a: UInt32, _ b: UInt32) -> Bool {
        a == b || (Int(a) < ids.count && Int(b) < ids.count && ids[Int(a)] == ids[Int(b)])
    }

    /// Whether a value of type `a` may stand where `b` is expected.
    public func isSubtype(_ a: ValueType, of b: ValueType) -> Bool {
        guard case .ref(let x) = a, case .ref(let y) = b else { return a == b }
        return isSubtype(x, of: y)
    }

    public func isSubtype(_ a: ReferenceType, of b: ReferenceType) -> Bool {
        (!a.isNullable || b.isNullable) && isSubtype(a.heapType, of: b.heapType)
    }

    public func isSubtype(_ a: HeapType, of b: HeapType) -> Bool {
        switch (a, b) {
        case (.concrete(let i), .concrete(let j)): same(i, j)
        // Every defined type is a function type.
        case (.concrete, .abstract(.funcRef)): true
        default: a == b
        }
    }

    /// Element-wise: `a` can be passed or returned where `b` is expected.
    public func areSubtypes(_ a: [ValueType], of b: [ValueType]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { isSubtype($0, of: $1) }
    }
}
