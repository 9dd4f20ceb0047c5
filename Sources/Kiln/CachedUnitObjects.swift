import Foundation
import KilnBuild
import KilnCache

/// Unit objects kept in the artifact cache, one entry each (listed as tier `unit`, pruned like any entry):
/// the key is the unit's inputs (its C and what it includes, and the compile arguments) with the compiler's
/// identity and the runtime sources, as an artifact's is. Every build that has a cache uses it
/// (`withCachedRuntime`), so `kiln compile`, `kiln run` and both tiers share the objects of unchanged units.
struct CachedUnitObjects: UnitObjectStore {
    let cache: ArtifactCache
    let compilerIdentity: String
    let runtimeSHA256: String

    func key(_ inputs: UnitInputs) -> CacheKey {
        CacheKey(moduleSHA256: ContentHash.sha256(of: inputs.bytes), kilnVersion: Kiln.version,
                 options: [CacheKey.unitObjectOption] + inputs.arguments, compilerIdentity: compilerIdentity,
                 runtimeSHA256: runtimeSHA256)
    }

    func fetch(_ inputs: UnitInputs, to destination: String) -> Bool {
        guard let stored = cache.storedArtifact(for: key(inputs)) else { return false }
        return Self.place(stored.path, at: destination)
    }

    func keep(_ object: String, for inputs: UnitInputs) {
        // Under the key's lock and published whole, like an artifact; a full or read-only cache only means the
        // next build compiles the unit again.
        // A copy, not a link: the entry must not share its file with a build directory.
        _ = try? cache.artifact(for: key(inputs)) { directory in
            let copy = directory.path + "/unit.o"
            try FileManager.default.copyItem(atPath: object, toPath: copy)
            return URL(fileURLWithPath: copy)
        }
    }

    func discard(_ inputs: UnitInputs) {
        cache.discard(key(inputs))
    }

    /// A hard link to the entry's file where the build directory is on the cache's file system (the file is
    /// read-only, and the build only reads it: the linker's input), else a copy.
    static func place(_ source: String, at destination: String) -> Bool {
        unlink(destination)
        if link(source, destination) == 0 { return true }
        return (try? FileManager.default.copyItem(atPath: source, toPath: destination)) != nil
    }
}
