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
    /// `optimized`: the C is for an optimizing build (clang -O1 and up), which may inline across units.
    public static func lower(_ validated: ValidatedModule, name: String, metadata: String = "{}", boundsGuard: Bool = false,
                             interruption: Interruption = .none, jobs: Int = 1, optimized: Bool = true) throws -> CProgram {
        try ModuleLowerer.lower(validated, options: .init(name: name, kilnVersion: version, metadata: metadata, boundsGuard: boundsGuard,
                                                          interruption: interruption, jobs: jobs, copySmallCallees: optimized))
    }

    /// Lowers and builds `validated` into `directory/module.so`, embedding the metadata record; returns the path.
    public static func buildSharedObject(
        _ validated: ValidatedModule, name: String, moduleSHA256: String = "", plan: BuildPlan, directory: String,
        progress: BuildPlan.Progress? = nil
    ) throws -> String {
        let program = try prepare(validated, name: name, moduleSHA256: moduleSHA256, plan: plan, directory: directory)
        let path = try plan.buildSharedObject(program, in: directory, progress: progress)
        try verifyBuilt(path, compiler: plan.compiler)
        return path
    }

    /// Checks what the compiler linked as `kiln run x.so` would, before anyone publishes or copies it: a
    /// compiler that exits 0 but leaves a truncated or garbage file must not put a crash into the cache.
    static func verifyBuilt(_ path: String, compiler: CCompiler) throws(BuildError) {
        do {
            _ = try ArtifactFile.inspect(path: path)
        } catch {
            throw BuildError("the compiler (\(compiler.description)) reported success but produced an invalid shared object: \(path): \(error.reason)")
        }
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
        let program = try lower(validated, name: name, metadata: metadata.json, boundsGuard: plan.flags.boundsGuard,
                                interruption: plan.flags.interruption, jobs: plan.jobs, optimized: plan.flags.optimization > 0)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BuildError("cannot create \(directory): \(error.localizedDescription)")
        }
        return program
    }

    /// Opens a compiled artifact, refusing one built by an incompatible Kiln or for another target.
    public static func openArtifact(path: String) throws -> SharedObject {
        // The metadata is read from the file, and checked, before the file is opened: an artifact for another
        // Kiln or target must not get to run its constructors.
        let file = try ArtifactFile.inspect(path: path)
        guard let metadata = ArtifactMetadata.decode(file.metadata) else {
            throw LoadError(reason: "\(path) has no readable Kiln metadata: recompile it with `kiln compile`")
        }
        if let why = metadata.incompatibility(hostTarget: hostTarget) {
            throw LoadError(reason: "cannot run \(path): \(why)")
        }
        return try SharedObject(path: path)
    }

    /// Whether the file is a native artifact (ELF or Mach-O) rather than a module.
    public static func isArtifact(path: String) -> Bool {
        // Opened without blocking (a FIFO would wait for a writer) and only a regular file is looked at; anything
        // else goes on to ModuleFile.read, which says why it cannot be read.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        var magic = [UInt8](repeating: 0, count: 4)
        guard pread(fd, &magic, 4, 0) == 4 else { return false }
        return magic == [0x7f, 0x45, 0x4c, 0x46] || magic == [0xcf, 0xfa, 0xed, 0xfe]
    }
}
