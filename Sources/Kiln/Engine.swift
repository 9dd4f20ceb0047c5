import Foundation
import KilnBuild
import KilnCache
import KilnLower
import KilnValidate

/// How an `Engine` compiles: the C optimization level, the bounds mode, the CPU the code may use, where
/// artifacts are cached, and which C compiler builds them. The defaults are the CLI's (`kiln run`).
public struct Configuration: Sendable, Hashable {
    /// clang's -O level, 0 to 3 (default 2, as `kiln run`).
    public var optimization: Int
    public var bounds: BoundsMode
    /// A `-march=` name (`x86-64-v3`), or `native` for this machine's CPU; nil for the compiler's portable
    /// baseline. Artifacts record what they need and are refused on a machine that lacks it.
    public var targetCPU: String?
    public var cache: CacheSetting
    /// The C compiler command, possibly with a launcher (`"ccache clang"`); nil for `$KILN_CC` or `clang`.
    public var compiler: String?
    /// Fuel checks in the code, so a store's fuel (`Store.fuel`) can stop a guest.
    public var consumeFuel: Bool
    /// Epoch checks in the code, so a store's deadline (`Store.setEpochDeadline`) can stop a guest.
    public var epochInterruption: Bool
    /// Units compiled at once (default: the processors there are).
    public var jobs: Int?
    /// Tiered compilation, as `kiln run` does it: on a cache miss, `Module(...)` loads a baseline artifact
    /// built at -O0 and builds the optimized one on a background thread at the lowest priority, into the
    /// cache, so that a later `Module` of the same bytes (in this process or another) is the optimized one.
    /// `Module.tier` says which a module is; `Engine.waitForBackgroundBuilds()` waits for the builds. Off by
    /// default: `Module(...)` returns the optimized module (`kiln run --wait-for-optimized`). Needs a cache.
    public var tiers: Bool

    public init(optimization: Int = 2, bounds: BoundsMode = .explicit, targetCPU: String? = nil, cache: CacheSetting = .default,
                compiler: String? = nil, consumeFuel: Bool = false, epochInterruption: Bool = false, jobs: Int? = nil,
                tiers: Bool = false) {
        self.tiers = tiers
        self.optimization = optimization
        self.bounds = bounds
        self.targetCPU = targetCPU
        self.cache = cache
        self.compiler = compiler
        self.consumeFuel = consumeFuel
        self.epochInterruption = epochInterruption
        self.jobs = jobs
    }

    public enum BoundsMode: Sendable, Hashable {
        /// A check before every memory access that needs one (the default).
        case explicit
        /// 8 GiB reservations whose faults become traps: faster code, more address space.
        case guardPages
    }

    public enum CacheSetting: Sendable, Hashable {
        /// `$KILN_CACHE_DIR`, `$XDG_CACHE_HOME/kiln` or `~/.cache/kiln`, shared with the CLI.
        case `default`
        /// A cache directory of the embedder's own.
        case directory(String)
        /// No cache: every module is compiled when it is made.
        case none
    }
}

/// Compiles modules (`Module`) with one `Configuration`, through one artifact cache. Make one and share it:
/// it is `Sendable`, and modules from it may be used from any thread.
public final class Engine: Sendable {
    public let configuration: Configuration
    let plan: BuildPlan
    let cache: ArtifactCache?
    /// The optimized tiers being built on background threads.
    let background = DispatchGroup()

    /// Checks the optimization level (0 to 3), resolves `native` to this machine's CPU name, and finds the
    /// runtime sources and the cache; a CPU name the compiler does not know fails the first compile. A cache
    /// that cannot be used (read-only, someone else's) is a warning on stderr and no cache, as in the CLI.
    public init(_ configuration: Configuration = Configuration()) throws {
        guard (0...3).contains(configuration.optimization) else {
            throw BuildError("optimization level \(configuration.optimization): it must be 0, 1, 2 or 3")
        }
        self.configuration = configuration
        let compiler = CCompiler(configuration.compiler)
        let cpu = try configuration.targetCPU.map { name throws(BuildError) in try TargetCPU.resolve(name, compiler: compiler) }
        let flags = CompileFlags(
            optimization: configuration.optimization, boundsGuard: configuration.bounds == .guardPages, targetCPU: cpu,
            interruption: Interruption(fuel: configuration.consumeFuel, epochs: configuration.epochInterruption))
        plan = BuildPlan(compiler: compiler, flags: flags, runtime: try RuntimeSources(), jobs: configuration.jobs ?? BuildPlan.processorCount)
        switch configuration.cache {
        case .default: cache = ArtifactCache.open()
        case .directory(let path): cache = try ArtifactCache(directory: URL(fileURLWithPath: path))
        case .none: cache = nil
        }
    }

    /// The directory artifacts are cached in, if any.
    public var cacheDirectory: String? { cache?.directory.path }

    /// Waits until the optimized tiers this engine is building in the background (`Configuration.tiers`) are
    /// in the cache, or have failed (then the next `Module` of those bytes builds them again).
    public func waitForBackgroundBuilds() {
        background.wait()
    }

    /// Builds `validated`'s optimized tier (key `key`) into the cache on a thread of its own, holding
    /// `reservation` (the key's lock) until it is published; its compilers run at nice 19.
    func buildInBackground(_ validated: ValidatedModule, name: String, key: CacheKey, reservation: BuildReservation) {
        guard let cache else { return }
        var niced = self.plan
        niced.niceness = 19
        let plan = niced
        background.enter()
        let thread = Thread { [background] in
            defer { background.leave() }
            do {
                _ = try Kiln.buildOptimizedTier(validated, name: name, key: key, plan: plan, cache: cache, reservation: reservation)
            } catch {
                cache.recordFailedBuild(digest: key.digest, reason: "\(error)")
            }
        }
        thread.qualityOfService = .background
        thread.start()
    }
}
