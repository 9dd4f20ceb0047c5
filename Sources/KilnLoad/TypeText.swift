/// Types as Wasm text, for messages: `(func (param i32 i32) (result i32))`, `(global (mut i64))`,
/// `(memory 1 16)`, never the runtime's signature characters. A reference that is not funcref or externref
/// (typed references, exnref) shares funcref's character, and is written `ref`.
enum TypeText {
    static func value(_ character: Character) -> String {
        switch character {
        case "i": "i32"
        case "j": "i64"
        case "f": "f32"
        case "d": "f64"
        case "v": "v128"
        case "e": "externref"
        default: "funcref"
        }
    }

    static func function(params: String, results: String, typed: Bool = false) -> String {
        let word: (Character) -> String = { typed && $0 == "r" ? "ref" : value($0) }
        var text = "(func"
        if !params.isEmpty { text += " (param " + params.map(word).joined(separator: " ") + ")" }
        if !results.isEmpty { text += " (result " + results.map(word).joined(separator: " ") + ")" }
        return text + ")"
    }

    static func tag(params: String) -> String {
        params.isEmpty ? "(tag)" : "(tag (param " + params.map(value).joined(separator: " ") + "))"
    }

    static func global(_ character: Character, mutable: Bool) -> String {
        mutable ? "(global (mut \(value(character))))" : "(global \(value(character)))"
    }

    static func limits(_ kind: String, min: UInt64, max: UInt64?, is64: Bool, shared: Bool = false, element: String? = nil) -> String {
        var text = "(\(kind)\(is64 ? " i64" : "") \(min)"
        if let max { text += " \(max)" }
        if shared { text += " shared" }
        if let element { text += " \(element)" }
        return text + ")"
    }
}
