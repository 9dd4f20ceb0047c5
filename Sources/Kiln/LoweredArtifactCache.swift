import Foundation
import KilnBuild
import KilnCache
import KilnLoad
import KilnLower
import KilnValidate

/// An artifact cache keyed by a module's generated C rather than by its bytes: for the spec scripts
/// (`kiln wast --cache DIR`), which compile thousands of small modules, many of them twice (the 2.0 and 3.0
/// suites share most files) or more (scripts repeat modules). Lowering costs little next to clang, so every
/// module is still decoded, validated and lowered; only the C compiler is skipped when the same C, flags,
/// compiler and runtime were built before. A change to the lowering changes the C, and so the key: no stale
/// artifact can hide it, as one keyed by the module's bytes and Kiln's version could.
public final class LoweredArtifactCache: Sendable {
    let cache: ArtifactCache
    let runtimeSHA256: String
    let identity: CompilerIdentity

    public init(directory: String, plan: BuildPlan) throws {
        cache = try ArtifactCache(directory: URL(fileURLWithPath: directory))
        runtimeSHA256 = try CacheKey.runtimeSHA256(files: plan.runtime.fingerprintFiles)
        identity = try CompilerIdentity.of(plan.compiler)
    }

    /// The loaded artifact of `validated`, built into the cache first if its C is new.
    public func load(_ validated: ValidatedModule, name: String, plan: BuildPlan) throws -> SharedObject {
        let metadata = ArtifactMetadata(validated: validated, moduleSHA256: "", plan: plan, identity: identity)
        let program = try Kiln.lower(validated, name: name, metadata: metadata.json, boundsGuard: plan.flags.boundsGuard,
                                     interruption: plan.flags.interruption, jobs: plan.jobs, optimized: plan.flags.optimization > 0)
        var text: [UInt8] = []
        for file in program.files.keys.sorted() {
            text += Array("\(file)\u{0}\(program.files[file]!.utf8.count)\u{0}".utf8) + Array(program.files[file]!.utf8)
        }
        let key = CacheKey(moduleSHA256: ContentHash.sha256(of: text), kilnVersion: Kiln.version,
                           options: plan.flags.codeOptions + ["keyed-by=generated-c"], compilerIdentity: identity.fingerprint,
                           runtimeSHA256: runtimeSHA256)
        return try ArtifactCache.withArtifact(in: cache, for: key) { directory in
            let path = try plan.buildSharedObject(program, in: directory.path)
            try Kiln.verifyBuilt(path, compiler: plan.compiler)
            return URL(fileURLWithPath: path)
        } use: { url in
            try SharedObject(path: url.path)
        }
    }
}
