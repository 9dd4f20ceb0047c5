import KilnModel

/// How Wasm types appear in C: value types, signature strings, and the typedefs named after them.
///
/// Function-pointer typedefs and multi-value result structs are named by signature (`kiln_fn_ij_f`,
/// `kiln_ret_ij`), not by type index, so that two structurally equal types in different modules have the
/// same C type: calling through a pointer of another type is undefined behaviour (and UBSan says so).
enum CTypes {
    static func cType(_ type: ValueType) -> String {
        switch type {
        case .i32: "u32"
        case .i64: "u64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "kiln_v128"
        case .ref: "kiln_ref"
        }
    }

    /// The suffix of operand-slot variables: `s3_i32`. Both reference types are `void*` in C.
    static func slotSuffix(_ type: ValueType) -> String {
        switch type {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref: "ref"
        }
    }

    /// The `kiln_value` member that holds a value of this type: the same word as the slot suffix.
    static func valueMember(_ type: ValueType) -> String { slotSuffix(type) }

    static func signatureChar(_ type: ValueType) -> Character {
        switch type {
        case .i32: "i"
        case .i64: "j"
        case .f32: "f"
        case .f64: "d"
        case .v128: "v"
        case .ref(let ref): ref.heapType == .externRef ? "e" : "r"
        }
    }

    static func signature(_ types: [ValueType]) -> String {
        String(types.map(signatureChar))
    }

    static func cName(_ types: [ValueType]) -> String {
        let s = signature(types)
        return s.isEmpty ? "0" : s
    }

    /// `kiln_fn_ij_f`: the pointer type of a function with this signature.
    static func functionPointer(_ type: FunctionType) -> String {
        "kiln_fn_\(cName(type.parameters))_\(cName(type.results))"
    }

    static func resultStruct(_ results: [ValueType]) -> String { "kiln_ret_\(cName(results))" }

    /// The C return type: void, the single result's type, or the result struct.
    static func returnType(_ type: FunctionType) -> String {
        switch type.results.count {
        case 0: "void"
        case 1: cType(type.results[0])
        default: resultStruct(type.results)
        }
    }

    /// The typedefs for one signature (the result struct first, when there are several results and
    /// `seen` does not have it yet).
    static func typedefs(_ type: FunctionType, seen: inout Set<String>) -> [String] {
        var out: [String] = []
        if type.results.count > 1, seen.insert(resultStruct(type.results)).inserted {
            let fields = type.results.enumerated().map { "\(cType($0.element)) r\($0.offset);" }.joined(separator: " ")
            out.append("typedef struct \(resultStruct(type.results)) { \(fields) } \(resultStruct(type.results));")
        }
        let params = (["kiln_instance*"] + type.parameters.map(cType)).joined(separator: ", ")
        out.append("typedef \(returnType(type)) (*\(functionPointer(type)))(\(params));")
        return out
    }
}
