import Foundation
import KilnBuild
import KilnDecode
import KilnLoad
import KilnLower
import KilnModel
import KilnValidate

/// Lowering and building: a validated module to C, and C to a shared object with its metadata record.
extension Kiln {
    public static let version = "0.1.0"

    /// The target triple this kiln runs on, as clang spells it (`clang -dumpmachine`).
    public static var hostTarget: String {
        #if arch(x86_64) && os(Linux)
            "x86_64-unknown-linux-gnu"
        #elseif arch(arm64) && os(Linux)
            "aarch64-unknown-linux-gnu"
        #elseif arch(arm64) && os(macOS)
            "arm64-apple-darwin"
        #else
            "unknown"
        #endif
    }

    /// Reads, decodes and validates a module; also returns its binary form (text is translated).
    public static func read(path: String) throws -> (binary: [UInt8], validated: ValidatedModule) {
        let binary = try ModuleFile.read(path).binary()
        return (binary, try ModuleValidator.validate(ModuleDecoder.decode(binary)))
    }

    /// The module's C, as Kiln emits it.
    public static func lower(_ validated: ValidatedModule, name: String, metadata: String = "{}", boundsGuard: Bool = false, jobs: Int = 1) throws -> CProgram {
        try ModuleLowerer.lower(validated, options: .init(name: name, kilnVersion: version, metadata: metadata, boundsGuard: boundsGuard, jobs: jobs))
    }

    /// Lowers and builds `validated` into `directory/module.so`, embedding the metadata record; returns the path.
    public static func buildSharedObject(
        _ validated: ValidatedModule, name: String, moduleSHA256: String = "", plan: BuildPlan, directory: String,
        progress: BuildPlan.Progress? = nil
    ) throws -> String {
        let program = try prepare(validated, name: name, moduleSHA256: moduleSHA256, plan: plan, directory: directory)
        return try plan.buildSharedObject(program, in: directory, progress: progress)
    }

    /// Lowers and links a standalone executable at `output` that runs the module's `_start` with WASI.
    public static func buildExecutable(
        _ validated: ValidatedModule, name: String, moduleSHA256: String = "", plan: BuildPlan, directory: String,
        output: String, progress: BuildPlan.Progress? = nil
    ) throws -> String {
        let program = try prepare(validated, name: name, moduleSHA256: moduleSHA256, plan: plan, directory: directory)
        return try plan.buildExecutable(program, in: directory, output: output, progress: progress)
    }

    /// The module's C with its metadata record, and the directory to build it in.
    static func prepare(
        _ validated: ValidatedModule, name: String, moduleSHA256: String, plan: BuildPlan, directory: String
    ) throws -> CProgram {
        let identity = try CompilerIdentity.of(plan.compiler)
        let metadata = ArtifactMetadata(validated: validated, moduleSHA256: moduleSHA256, plan: plan, identity: identity)
        let program = try lower(validated, name: name, metadata: metadata.json, boundsGuard: plan.flags.boundsGuard, jobs: plan.jobs)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BuildError("cannot create \(directory): \(error.localizedDescription)")
        }
        return program
    }

    /// Opens a compiled artifact, refusing one built by an incompatible Kiln or for another target.
    public static func openArtifact(path: String) throws -> SharedObject {
        let artifact = try SharedObject(path: path)
        let text = artifact.module.metadata.map { String(cString: $0) } ?? ""
        guard let metadata = ArtifactMetadata.decode(text) else {
            throw LoadError(reason: "\(path) has no readable Kiln metadata: recompile it with `kiln compile`")
        }
        if let why = metadata.incompatibility(hostTarget: hostTarget) {
            throw LoadError(reason: "cannot run \(path): \(why)")
        }
        return artifact
    }

    /// Whether the file is a native artifact (ELF or Mach-O) rather than a module.
    public static func isArtifact(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        // The throwing read: the old `readData(ofLength:)` crashes on a directory (EISDIR).
        guard let data = try? handle.read(upToCount: 4) else { return false }
        let magic = [UInt8](data)
        return magic == [0x7f, 0x45, 0x4c, 0x46] || magic == [0xcf, 0xfa, 0xed, 0xfe]
    }
}
