import Crypto
import KilnModel

/// Names for a module's types that are equal in two modules exactly when the types are: the `key` of a
/// `kiln_functype` and the `ref_type` of typed tables, globals and imports (kiln_abi.h).
///
/// A key is the SHA-256 of a type's structure in which each reference to another type is that type's key
/// and a reference to the type itself is `@` (the iso-recursive identity of a type alone in its recursion
/// group; `TypeIdentities` is the same rule within one module; groups of several: `init`). A type may refer
/// only to its group and to types before it, so keys are computed in index order, each in time proportional
/// to its own size: nesting cannot
/// make them grow, as writing the structure out would. A cryptographic hash, because call_indirect trusts
/// an equal key to mean an equal C signature: a collision a module could choose would let it call a function
/// through the wrong type.
struct TypeKeys: Sendable {
    /// By type index, 64 hex digits.
    let keys: [String]
    /// Whether the type mentions a reference type Wasm 2.0 lacks, and so needs its key to be told apart.
    let isTyped: [Bool]

    /// `groups`: every recursion group as a range of type indices, in order (`Module.allRecursionGroups`). A
    /// type of a group of several has the key of its group's structure (references into the group written
    /// `@position`) and its position, and always needs it: `(rec (type (func)) (type (func)))` holds two types
    /// that differ from each other and from a lone `(func)`.
    init(_ types: [FunctionType], groups: [Range<Int>]? = nil) {
        var keys: [String] = []
        var isTyped: [Bool] = []
        for group in groups ?? types.indices.map({ $0..<($0 + 1) }) {
            var text = group.count > 1 ? "rec \(group.count):" : ""
            for index in group {
                let type = types[index]
                for value in type.parameters { text += Self.spell(value, group: group, keys: keys) + "," }
                text += "->"
                for value in type.results { text += Self.spell(value, group: group, keys: keys) + "," }
                text += ";"
            }
            if group.count == 1 {
                let type = types[group.lowerBound]
                keys.append(Self.hex(SHA256.hash(data: Array(text.dropLast().utf8))))
                isTyped.append((type.parameters + type.results).contains { Self.refType($0) != nil })
                continue
            }
            let groupKey = Self.hex(SHA256.hash(data: Array(text.utf8)))
            for position in 0..<group.count {
                keys.append(Self.hex(SHA256.hash(data: Array("\(groupKey)/\(position)".utf8))))
                isTyped.append(true)
            }
        }
        self.keys = keys
        self.isTyped = isTyped
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        for byte in digest { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return out
    }

    private static func spell(_ type: ValueType, group: Range<Int>, keys: [String]) -> String {
        guard case .ref(let ref) = type else { return String(CTypes.signatureChar(type)) }
        let heap: String = switch ref.heapType {
        case .concrete(let index) where group.count == 1 && Int(index) == group.lowerBound: "@"
        case .concrete(let index) where group.contains(Int(index)): "@\(Int(index) - group.lowerBound)"
        case .concrete(let index) where Int(index) < keys.count: keys[Int(index)]
        case .concrete(let index): "#\(index)"  // invalid, never validated
        case .abstract(let abstract): "\(abstract)"
        }
        return (ref.isNullable ? "?" : "!") + heap
    }

    /// The `key` field of type `index`'s `kiln_functype`: a C string literal, or NULL.
    func functypeKey(_ index: Int) -> String { isTyped[index] ? "\"\(keys[index])\"" : "NULL" }

    /// A reference type's `ref_type` spelling (kiln_import.ref_type), or nil for funcref and externref.
    static func refType(_ type: ValueType) -> (nullable: Bool, heap: HeapType)? {
        guard case .ref(let ref) = type, ref != .funcRef, ref != .externRef else { return nil }
        return (ref.isNullable, ref.heapType)
    }

    /// The C literal for a value type's `ref_type` field: NULL, or `"?func"`, `"!extern"`, `"?<key>"`.
    func refTypeLiteral(_ type: ValueType) -> String {
        guard let (nullable, heap) = Self.refType(type) else { return "NULL" }
        let name: String = switch heap {
        case .abstract(.funcRef): "func"
        case .abstract(.externRef): "extern"
        case .abstract(let other): "\(other)"
        case .concrete(let index): Int(index) < keys.count ? keys[Int(index)] : "#\(index)"
        }
        return "\"\(nullable ? "?" : "!")\(name)\""
    }
}
