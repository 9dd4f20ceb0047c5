import KilnDecode
import KilnLower
import KilnValidate
import Testing

/// The C of a module written as text, as the lowering tests read it.
enum Lowered {
    static func moduleC(_ text: String, guardPages: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let validated = try ModuleValidator.validate(ModuleSource.text(text).decode())
        let program = try ModuleLowerer.lower(validated, options: .init(name: "t.wat", kilnVersion: "0.1.0", boundsGuard: guardPages))
        return try #require(program.files["module.c"], sourceLocation: sourceLocation)
    }
}
