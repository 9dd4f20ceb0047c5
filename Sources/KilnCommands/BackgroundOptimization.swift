import ArgumentParser
import Foundation
import Kiln
import KilnBuild
import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

/// The optimized tier's background build (`Kiln.loadTiered`): `kiln run` starts `kiln-driver
/// optimize-in-background …` as a detached process, which survives the guest's exit. It is spawned holding
/// the optimized key's lock (descriptor 3, taken by the run), runs at the lowest priority, writes nothing to
/// the run's terminal, publishes through the cache as every build does (a temporary directory, one rename),
/// and then leaves the launch record that lets the next `kiln run` start from the optimized artifact. A
/// failure is recorded in the cache (`<key>.failed`, shown by `kiln cache list`) and retried by a later run;
/// it is never an error of the user's run, which has finished or goes on with the baseline.
enum BackgroundOptimization {
    /// glibc's POSIX_SPAWN_SETSID (<spawn.h>, under _GNU_SOURCE, which Swift's Glibc module does not see).
    static let setsid: Int32 = 0x80

    /// The descriptor the lock is passed on as.
    static let lockDescriptor: Int32 = 3

    /// Starts the build of `key` (the optimized tier of `module`, built with `plan`) while `reservation` holds
    /// its lock; returns its process id, or nil when it could not be started. `record`: the launch record the
    /// build should write once it has published, and where a trap in `_start` is reported.
    static func start(
        module: String, key: CacheKey, plan: BuildPlan, cc: String?, reservation: BuildReservation, record: (name: String, place: String)?
    ) -> Int32? {
        guard let driver = Kiln.executablePath() else { return nil }
        let path = URL(fileURLWithPath: module).standardizedFileURL.path
        var arguments = [driver, "optimize-in-background", "--lock-fd", "\(lockDescriptor)", "--key", key.digest]
        if let record { arguments += ["--launch-record", record.name, "--launch-place", record.place] }
        arguments += buildWords(plan.flags, cc: cc) + ["--", path]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Nothing of the build reaches the run's output: the guest's stdout and stderr are the user's.
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        // dup2 onto another number clears close-on-exec: the child inherits the open lock itself.
        posix_spawn_file_actions_adddup2(&actions, reservation.fileDescriptor, lockDescriptor)
        // And nothing else. A descriptor the run inherited without close-on-exec (a pipe whose end its parent
        // waits on: Foundation's Process learns of a child's exit that way) would otherwise stay open for as
        // long as the build runs, and whoever started `kiln run` would wait for the build, not the run.
        if let closeFrom = closeFrom {
            _ = closeFrom(&actions, lockDescriptor + 1)
        } else {
            for fd in openDescriptors() where fd > lockDescriptor { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        // A session of its own: the terminal's ^C and hang-up are the run's, not the build's.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | setsid))
        var environment = ProcessInfo.processInfo.environment
        environment["KILN_LAUNCH_RECORD"] = nil
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for word in argv { free(word) }
            for word in envp { free(word) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, driver, &actions, &attributes, argv, envp) == 0 else { return nil }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not
    /// import.
    static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let everywhere = dlopen(nil, RTLD_NOW), let symbol = dlsym(everywhere, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// This process's open descriptors, from /proc/self/fd (where the C library cannot close a range itself).
    static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// The build options of `flags` as `kiln` words, so the child's plan, and so its key, is the run's.
    static func buildWords(_ flags: CompileFlags, cc: String?) -> [String] {
        var words = ["--opt", "\(flags.optimization)", "--bounds", flags.boundsGuard ? "guard" : "explicit"]
        if let cc { words += ["--cc", cc] }
        if let cpu = flags.targetCPU { words += ["--target-cpu", cpu] }
        if flags.interruption.fuel { words.append("--consume-fuel") }
        if flags.interruption.epochs { words.append("--epoch-interruption") }
        if flags.warningsAsErrors { words.append("--warnings-as-errors") }
        words.append(flags.addressMap ? "--address-map" : "--no-address-map")
        return words
    }
}

/// `kiln-driver optimize-in-background`: the background half of a tiered `kiln run` (not for people).
struct OptimizeInBackground: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize-in-background", abstract: "Build a module's optimized tier into the cache (started by kiln run).",
        shouldDisplay: false)

    @Option(help: "The descriptor holding the key's lock.")
    var lockFd: Int32

    @Option(help: "The cache key the build must have.")
    var key: String

    @Option(help: "The launch record to write once the artifact is published.")
    var launchRecord: String?

    @Option(help: "Where a trap in _start is reported, for the launch record.")
    var launchPlace: String?

    @OptionGroup var build: BuildOptions

    @Argument(help: "The module.")
    var module: String

    /// `KILN_BACKGROUND_NICE`: the nice value of the build, 0 to 19; 19 (the lowest priority) by default. A
    /// machine that runs nothing else, such as a CI job, may want the optimized tier sooner.
    static func niceness(_ text: String?) -> Int32 {
        guard let text, let value = Int32(text), (0...19).contains(value) else { return 19 }
        return value
    }

    func run() throws {
        // The run that started this goes first: a build at the lowest priority takes only idle cores. For the
        // whole process group (this process leads one, spawned with setsid): on Linux a PRIO_PROCESS nice
        // value is one thread's, and a compile started by a thread made before this call was not niced.
        let niceness = Self.niceness(ProcessInfo.processInfo.environment["KILN_BACKGROUND_NICE"])
        _ = setpriority(__priority_which_t(PRIO_PGRP.rawValue), 0, niceness)
        guard let cache = ArtifactCache.open(warn: { _ in }) else { throw ExitCode(1) }
        do {
            let (binary, validated) = try Kiln.read(path: module)
            var plan = try build.plan()
            plan.niceness = niceness
            let computed = try Kiln.cacheKey(binary: binary, plan: plan)
            // The module or the toolchain changed since the run looked: this is not the build it asked for.
            guard computed.digest == key else { throw BuildError("the module or the build inputs changed since the run started this build") }
            guard let reservation = cache.adoptReservation(descriptor: lockFd, for: computed) else {
                throw BuildError("the build's lock was not passed on")
            }
            CompilerProcesses.installSignalHandlers()
            let name = URL(fileURLWithPath: module).lastPathComponent
            let artifact = try Kiln.buildOptimizedTier(validated, name: name, key: computed, plan: plan, cache: cache, reservation: reservation)
            if let launchRecord, let launchPlace, artifact.path.hasPrefix(cache.directory.path + "/" + computed.digest + "/"),
                let record = Kiln.launchRecord(entry: computed, place: launchPlace, plan: plan)
            {
                cache.writeLaunchRecord(record, name: launchRecord)
            }
        } catch {
            cache.recordFailedBuild(digest: key, reason: "\(error)")
            throw ExitCode(1)
        }
    }
}
