import KilnDecode
import KilnModel
import KilnValidate

/// The pipeline's stages connected, step by step, for the CLI and tools that want each stage's output (the
/// validated module, its C, a shared object). Embedders want `Engine`, `Module`, `Linker` and `Store` instead.
///
/// Every error thrown conforms to `KilnError` (a `DecodeError` or a `ValidationError`), so a caller can
/// print `error.message(module: name)`.
public enum Kiln {
    /// Decodes and validates a module from its source.
    public static func validate(_ source: ModuleSource, version: WasmVersion = .v3) throws -> ValidatedModule {
        try ModuleValidator.validate(source.decode(version: version))
    }

    /// Reads, decodes and validates the module at `path`.
    public static func validate(path: String) throws -> ValidatedModule {
        try validate(ModuleFile.read(path))
    }
}
