import KilnModel

/// When two type indices denote the same type, and when one reference type is a subtype of another.
///
/// Without GC every defined type is a function type alone in its recursion group, final and without declared
/// supertypes. Two such types are the same when their structures are equal once every reference to another
/// defined type is replaced by that type's identity, and a reference to the type itself stays a
/// self-reference (the iso-recursive equivalence of singleton groups); between two function types subtyping
/// is then equality. A type may refer only to itself and to types before it, so one pass in index order
/// numbers them all.
/// > Note: <https://webassembly.github.io/spec/core/valid/conventions.html#defined-types>,
/// > <https://webassembly.github.io/spec/core/valid/matching.html#reference-types>
public struct TypeIdentities: Sendable {
    /// Equal numbers for equal types, by type index.
    public let ids: [Int]

    public init(_ types: [FunctionType]) {
        var canonical: [[Int]: Int] = [:]
        var ids: [Int] = []
        ids.reserveCapacity(types.count)
        for (index, type) in types.enumerated() {
            var shape: [Int] = [type.parameters.count]
            for value in type.parameters + type.results {
                shape += Self.shape(value, owner: index, ids: ids)
            }
            if let id = canonical[shape] {
                ids.append(id)
            } else {
                canonical[shape] = canonical.count
                ids.append(canonical.count - 1)
            }
        }
        self.ids = ids
    }

    /// Two numbers per value type: its kind, and for a reference what it refers to.
    private static func shape(_ type: ValueType, owner: Int, ids: [Int]) -> [Int] {
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
            case .concrete(let index) where Int(index) == owner: return [kind, Int.min]
            case .concrete(let index) where Int(index) < owner: return [kind, ids[Int(index)]]
            // A forward reference is invalid (the module validator says so); keep it distinct meanwhile.
            case .concrete(let index): return [kind, Int.min + 1 + Int(index)]
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
