import Foundation
import KilnBuild
import KilnCache
import KilnLoad
import KilnValidate

/// From a module file to a loaded artifact, through the artifact cache: `kiln run app.wasm` compiles once
/// and every later run with the same module, options, compiler and runtime starts from the cached artifact.
extension Kiln {
    /// The cache key of a module built with `plan`: the module's bytes, Kiln's version, the options that
    /// change code, the C compiler's identity and the runtime sources.
    public static func cacheKey(binary: [UInt8], plan: BuildPlan) throws -> CacheKey {
        let identity = try CompilerIdentity.of(plan.compiler)
        return try CacheKey(
            module: binary, kilnVersion: version, options: plan.flags.codeOptions,
            compilerIdentity: identity.fingerprint, runtimeFiles: plan.runtime.fingerprintFiles)
    }

    /// Runs `body` with `plan` set to use the runtime compiled once into the artifact cache (keyed by the
    /// compiler, the flags and the runtime sources), or compiled for this process when there is no cache, and
    /// to keep and reuse unit objects in the cache (`CachedUnitObjects`).
    public static func withCachedRuntime<R>(_ plan: BuildPlan, cache: ArtifactCache?, _ body: (BuildPlan) throws -> R) throws -> R {
        guard let cache else { return try body(plan) }
        let identity = try CompilerIdentity.of(plan.compiler)
        let key = try CacheKey(
            module: Array("kiln runtime".utf8), kilnVersion: version, options: plan.flags.runtime.arguments,
            compilerIdentity: identity.fingerprint, runtimeFiles: plan.runtime.fingerprintFiles)
        return try ArtifactCache.withArtifact(in: cache, for: key) { directory in
            URL(fileURLWithPath: try plan.buildRuntimeObject(in: directory.path))
        } use: { object in
            var withRuntime = plan
            withRuntime.runtimeObject = object.path
            withRuntime.unitObjects = CachedUnitObjects(cache: cache, compilerIdentity: identity.fingerprint, runtimeSHA256: key.runtimeSHA256)
            return try body(withRuntime)
        }
    }

    /// Loads the artifact of `validated` (whose binary form is `binary`) from `cache`, building and
    /// publishing it first when missing or corrupt; with a nil cache, builds into a temporary directory.
    /// Pass `key` when the caller already has `cacheKey(binary:plan:)`, so the runtime is not hashed twice.
    public static func loadArtifact(
        binary: [UInt8], validated: ValidatedModule, name: String, plan: BuildPlan, cache: ArtifactCache?,
        key known: CacheKey? = nil, progress: BuildPlan.Progress? = nil
    ) throws -> SharedObject {
        let key = try known ?? cacheKey(binary: binary, plan: plan)
        return try ArtifactCache.withArtifact(in: cache, for: key) { directory in
            try buildArtifact(validated, name: name, key: key, plan: plan, cache: cache, directory: directory, progress: progress)
        } use: { url in
            try SharedObject(path: url.path)
        }
    }

    /// Publishes the artifact of `validated` in `cache`, building it only when missing or corrupt; returns
    /// whether it was built. Unlike `loadArtifact`, a cache that cannot keep the artifact is an error rather
    /// than a warning: `kiln bench` calls this so that every timed `kiln run` after it starts from the cache.
    public static func compileIntoCache(
        binary: [UInt8], validated: ValidatedModule, name: String, plan: BuildPlan, cache: ArtifactCache,
        progress: BuildPlan.Progress? = nil
    ) throws -> Bool {
        let key = try cacheKey(binary: binary, plan: plan)
        var built = false
        _ = try cache.artifact(for: key) { directory in
            built = true
            return try buildArtifact(validated, name: name, key: key, plan: plan, cache: cache, directory: directory, progress: progress)
        }
        return built
    }

    /// Builds the shared object for `key` into `directory`, with the runtime from `cache` when there is one.
    public static func buildArtifact(
        _ validated: ValidatedModule, name: String, key: CacheKey, plan: BuildPlan, cache: ArtifactCache?, directory: URL,
        progress: BuildPlan.Progress?
    ) throws -> URL {
        // Only the build directory itself: its parent may be the system's temporary directory (no cache).
        CompilerProcesses.removeOnInterrupt(directory.path)
        defer { CompilerProcesses.forget(directory.path) }
        let path = try withCachedRuntime(plan, cache: cache) { plan in
            try buildSharedObject(
                validated, name: name, moduleSHA256: key.moduleSHA256, plan: plan, directory: directory.path, progress: progress)
        }
        return URL(fileURLWithPath: path)
    }
}
