import Foundation
import KilnBuild
import KilnDecode
import KilnLoad
import KilnValidate

/// A compiled module: its native artifact, loaded. Made from Wasm bytes, text or a file through the engine's
/// cache (a module compiled before, with the same configuration, compiler and runtime, is loaded, not
/// compiled), or from a precompiled artifact (`kiln compile`, `serialize(to:)`). `Sendable`: instantiate it in
/// any number of stores on any threads.
public final class Module: Sendable {
    public let engine: Engine
    public let artifact: SharedObject
    /// The name messages and backtraces use (the file's name, or "module").
    public let name: String
    /// `.baseline` when `Configuration.tiers` loaded the -O0 artifact while the optimized one is built in the
    /// background; else `.optimized` (the engine's level, or a precompiled artifact's own).
    public let tier: Tier

    init(engine: Engine, artifact: SharedObject, name: String, tier: Tier = .optimized) {
        self.engine = engine
        self.artifact = artifact
        self.name = name
        self.tier = tier
    }

    /// Compiles a module from its binary or text form (told apart by the first bytes). Throws `DecodeError`
    /// (malformed), `ValidationError` (invalid) or `BuildError` (the C compiler failed).
    public convenience init(engine: Engine, bytes: [UInt8], name: String = "module") throws {
        try self.init(engine: engine, source: ModuleSource.detect(bytes), name: name)
    }

    /// Compiles a module from its text form (`(module ...)`).
    public convenience init(engine: Engine, wat: String, name: String = "module.wat") throws {
        try self.init(engine: engine, source: .text(wat), name: name)
    }

    /// Compiles the module in the file at `path` (.wasm or .wat), or loads it when the file is a precompiled
    /// artifact.
    public convenience init(engine: Engine, path: String) throws {
        let name = URL(fileURLWithPath: path).lastPathComponent
        if Kiln.isArtifact(path: path) {
            try self.init(engine: engine, precompiled: path)
        } else {
            try self.init(engine: engine, source: ModuleFile.read(path), name: name)
        }
    }

    /// Loads a precompiled artifact after checking that this Kiln can run it: its ABI, the Kiln that built it
    /// and the target and CPU it was built for (`LoadError` otherwise). The artifact keeps the options it was
    /// built with, whatever the engine's.
    public init(engine: Engine, precompiled path: String) throws {
        self.engine = engine
        do {
            artifact = try Kiln.openArtifact(path: path)
        } catch let error as ArtifactFileError {
            throw LoadError(reason: "\(path): \(error.reason)")
        }
        name = URL(fileURLWithPath: path).lastPathComponent
        tier = .optimized
    }

    private convenience init(engine: Engine, source: ModuleSource, name: String) throws {
        let binary = try source.binary()
        let validated = try ModuleValidator.validate(ModuleDecoder.decode(binary))
        if engine.configuration.tiers, let cache = engine.cache, Kiln.tiers(engine.plan) {
            let key = try Kiln.cacheKey(binary: binary, plan: engine.plan)
            let tiered = try Kiln.loadTiered(binary: binary, validated: validated, name: name, plan: engine.plan, cache: cache, optimizedKey: key) {
                reservation in
                engine.buildInBackground(validated, name: name, key: key, reservation: reservation)
                return getpid()
            }
            self.init(engine: engine, artifact: tiered.artifact, name: name, tier: tiered.tier)
            return
        }
        let artifact = try Kiln.loadArtifact(binary: binary, validated: validated, name: name, plan: engine.plan, cache: engine.cache)
        self.init(engine: engine, artifact: artifact, name: name)
    }

    /// Writes the artifact to `path`, for `Module(engine:precompiled:)` (or `kiln run`) to load later: on a
    /// machine with the same target, CPU features and Kiln. Replaces `path` in one step.
    public func serialize(to path: String) throws {
        let temporary = path + ".kiln-\(getpid())-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.copyItem(atPath: artifact.path, toPath: temporary)
            guard rename(temporary, path) == 0 else { throw LoadError(reason: "cannot write \(path): \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? LoadError { throw error }
            throw LoadError(reason: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The module's imports as `module name: type`, and its exports' names, as its metadata lists them.
    public var imports: [String] { ArtifactMetadata.decode(artifact.file.metadata)?.imports ?? [] }
    public var exports: [String] { ArtifactMetadata.decode(artifact.file.metadata)?.exports ?? [] }
    /// The options the artifact was built with (`opt=2`, `bounds=guard`, `cpu=x86-64-v3`, ...), as its metadata
    /// records them: a precompiled artifact keeps its own, whatever the engine's.
    public var buildOptions: [String] { ArtifactMetadata.decode(artifact.file.metadata)?.options ?? [] }
}

extension Linker {
    /// Instantiates `module` in `store` with this linker's definitions (and WASI, if added).
    public func instantiate(_ module: Module, in store: Store) throws -> Instance {
        try instantiate(module.artifact, in: store)
    }
}

/// The C compiler failed or could not be run: what `Module` throws when a module cannot be compiled.
public typealias CompileError = BuildError
