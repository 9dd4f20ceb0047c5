import KilnModel
import WasmParser

/// Reads the `name` custom section. A malformed name section is ignored, not fatal: the spec's appendix
/// makes custom sections advisory, and a bad one must not stop a module from running.
/// > Note: <https://webassembly.github.io/spec/core/appendix/custom.html#name-section>
enum NameSection {
    static func read(_ bytes: ArraySlice<UInt8>) -> Names {
        var parser = NameSectionParser(stream: StaticByteStreamSource(bytes: bytes))
        guard let parsed = try? parser.parseAll() else { return Names() }
        var names = Names()
        for entry in parsed {
            switch entry {
            case .moduleName(let name): names.module = name
            case .functions(let map): names.functions = map
            case .locals(let map): names.locals = map
            case .globals(let map): names.globals = map
            default: break
            }
        }
        return names
    }
}
