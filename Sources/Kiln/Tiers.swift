import Foundation
import KilnBuild
import KilnCache
import KilnLoad
import KilnValidate

/// Tiered compilation through the artifact cache: on a miss, run a baseline artifact built at -O0 at once
/// and build the optimized one in the background, so that later runs start from it. The cache outlives the
/// process, so the optimized tier needs no code replacement in a running program: the next run simply
/// finds it.
public enum Tier: String, Sendable {
    /// -O0: what a first run is served by while the optimized artifact is built.
    case baseline
    /// The requested level (-O2 by default).
    case optimized
}

extension Kiln {
    /// The plan of the baseline tier of `plan`: the same code options at -O0.
    public static func baselinePlan(_ plan: BuildPlan) -> BuildPlan {
        var flags = plan.flags
        flags.optimization = 0
        return BuildPlan(compiler: plan.compiler, flags: flags, runtime: plan.runtime, jobs: plan.jobs)
    }

    /// Whether a run built with `plan` is worth tiering (given a cache to hand the optimized artifact on
    /// through): a level above the baseline's. A sanitized build is a check, not a run to speed up.
    public static func tiers(_ plan: BuildPlan) -> Bool {
        plan.flags.optimization > 0 && !plan.flags.sanitize
    }

    /// What a tiered load found or started.
    public struct TieredArtifact {
        public let artifact: SharedObject
        public let tier: Tier
        /// The key of the artifact that runs.
        public let key: CacheKey
        /// The optimized tier's key (the same as `key` when that is what runs).
        public let optimizedKey: CacheKey
        /// The process building the optimized tier in the background, if this load started that build (this
        /// process's own id when a thread of it builds).
        public let background: Int32?
    }

    /// Loads the optimized artifact of `validated` (built with `plan`, key `optimizedKey`) when the cache has
    /// it; otherwise the baseline one, built first if need be, and starts the optimized build in the
    /// background through `startOptimizing` unless one is already under way. The reservation it gets is the
    /// optimized key's lock, which the background build must adopt (so no second run starts another);
    /// `startOptimizing` returns the background process's id, or nil when it could not start one (the next
    /// run tries again). The baseline is never served once the optimized artifact exists.
    public static func loadTiered(
        binary: [UInt8], validated: ValidatedModule, name: String, plan: BuildPlan, cache: ArtifactCache, optimizedKey: CacheKey,
        progress: BuildPlan.Progress? = nil, startOptimizing: (BuildReservation) -> Int32?
    ) throws -> TieredArtifact {
        if let stored = cache.storedArtifact(for: optimizedKey) {
            // A stored artifact that does not load is an error, as without tiers: not a reason to run the baseline.
            return TieredArtifact(
                artifact: try SharedObject(path: stored.path), tier: .optimized, key: optimizedKey, optimizedKey: optimizedKey, background: nil)
        }
        let baseline = baselinePlan(plan)
        let baselineKey = try cacheKey(binary: binary, plan: baseline)
        let artifact = try loadArtifact(
            binary: binary, validated: validated, name: name, plan: baseline, cache: cache, key: baselineKey, progress: progress)
        // Only now: while the baseline was built, a concurrent run may have started the optimized build, or
        // finished it. Either way the lock is taken, or the entry exists, and nothing more is started.
        var background: Int32?
        if cache.storedArtifact(for: optimizedKey) == nil, let reservation = try? cache.reserveBuild(for: optimizedKey) {
            // A build that finished between the check and the lock leaves its entry: nothing to do.
            if cache.storedArtifact(for: optimizedKey) == nil { background = startOptimizing(reservation) }
        }
        return TieredArtifact(artifact: artifact, tier: .baseline, key: baselineKey, optimizedKey: optimizedKey, background: background)
    }

    /// Builds and publishes the optimized tier (`key`) of `validated` under `reservation`, the key's lock, as
    /// a background build does (the CLI's detached process and the library's thread); a success removes the
    /// record of an earlier failed build. The caller records a failure (`recordFailedBuild`).
    public static func buildOptimizedTier(
        _ validated: ValidatedModule, name: String, key: CacheKey, plan: BuildPlan, cache: ArtifactCache, reservation: BuildReservation
    ) throws -> URL {
        let artifact = try cache.artifact(for: key, reservation: reservation) { directory in
            try buildArtifact(validated, name: name, key: key, plan: plan, cache: cache, directory: directory, progress: nil)
        }
        cache.clearFailedBuild(key)
        return artifact
    }
}
