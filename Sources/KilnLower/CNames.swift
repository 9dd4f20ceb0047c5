import KilnModel

/// C identifiers for a module's functions: `func7_fac` from the name section where present, sanitized;
/// the index prefix keeps them unique whatever the names are.
struct CNames {
    let functions: [UInt32: String]

    init(_ module: Module, functionCount: Int) {
        var map: [UInt32: String] = [:]
        for index in 0..<UInt32(functionCount) {
            if let name = module.names.functions[index] {
                map[index] = "func\(index)_\(Self.sanitize(name))"
            } else {
                map[index] = "func\(index)"
            }
        }
        functions = map
    }

    func function(_ index: UInt32) -> String { functions[index] ?? "func\(index)" }

    /// Letters, digits and underscores, at most 48 characters.
    static func sanitize(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars.prefix(48) {
            let v = scalar.value
            let ok = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5a) || (v >= 0x61 && v <= 0x7a) || v == 0x5f
            out += ok ? String(scalar) : "_"
        }
        return out
    }

    static func slot(_ height: Int, _ type: ValueType) -> String { "s\(height)_\(CTypes.slotSuffix(type))" }
    static func local(_ index: UInt32) -> String { "l\(index)" }
}
