import ArgumentParser
import CKilnHost
import Foundation
import Kiln
import KilnBuild
import KilnCache
import KilnLoad
import KilnLower
import KilnModel

/// `kiln run [OPTIONS] MODULE [-- ARGS…]`, shaped like `wasmtime run`: compiles the module, instantiates
/// it with WASI, and runs `_start` (or `--invoke NAME` with ARGS as the export's arguments). Exits with
/// the guest's proc_exit code; a trap prints `error: wasm trap: …` and exits 134.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compile and run a WebAssembly module natively.")

    @Option(help: "Call this export instead of _start; ARGS are its arguments.")
    var invoke: String?

    @OptionGroup var wasi: WASIOptions

    @Flag(help: "Compile into a temporary directory instead of the artifact cache.")
    var noCache = false

    @Flag(help: "On a cache miss, build at the requested level before running. Default: run a baseline build (-O0) at once and build the optimized one in the background, for later runs.")
    var waitForOptimized = false

    @Option(help: "The most 64 KiB pages any memory may grow to.")
    var maxMemoryPages: UInt64 = 65536

    @Option(help: "The most bytes all the guest's memories may hold together, e.g. 256M (memory.grow past it returns -1).")
    var maxStoreMemory: String?

    @Option(help: "The most elements any table may hold (table.grow past it returns -1).")
    var maxTableElements: UInt64?

    @Option(help: "The native stack the guest may use, e.g. 512K (deeper recursion traps: call stack exhausted).")
    var maxWasmStack: String?

    @Option(help: "Stop the guest with a trap once it has run about N instructions (built with fuel checks; deterministic).")
    var fuel: UInt64?

    @Option(help: "Stop the guest with a trap after this long, e.g. 2s or 500ms (built with epoch checks).")
    var timeout: String?

    @OptionGroup var build: BuildOptions

    func validate() throws {
        for (name, text) in [("--max-store-memory", maxStoreMemory), ("--max-wasm-stack", maxWasmStack)] {
            guard let text else { continue }
            guard let bytes = try? ByteCount.parse(text), bytes > 0 else {
                throw ArgumentParser.ValidationError("\(name) takes a size in bytes such as 65536, 512K or 1G, not \"\(text)\"")
            }
        }
        if maxTableElements == 0 { throw ArgumentParser.ValidationError("--max-table-elements takes a number above 0") }
        if let timeout, DurationText.seconds(timeout) == nil {
            throw ArgumentParser.ValidationError("--timeout takes a positive duration such as 2s, 500ms or 1.5m, not \"\(timeout)\"")
        }
    }

    /// The checks `--fuel` and `--timeout` need in the code.
    var interruption: Interruption { Interruption(fuel: fuel != nil, epochs: timeout != nil) }

    @Argument(help: "The module (.wasm or .wat).")
    var module: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the guest, or for the invoked export.")
    var passthrough: [String] = []

    /// `--invoke NAME` may also follow the module (`kiln run m.wasm --invoke add 1 2`).
    var export: String? {
        if let invoke { return invoke }
        return passthrough.count >= 2 && passthrough[0] == "--invoke" ? passthrough[1] : nil
    }

    /// What follows the module (and a trailing `--invoke NAME`), without a leading `--`.
    var arguments: [String] {
        var rest = passthrough[...]
        if invoke == nil, rest.count >= 2, rest.first == "--invoke" { rest = rest.dropFirst(2) }
        if rest.first == "--" { rest = rest.dropFirst() }
        return Array(rest)
    }

    func run() throws {
        // The record the C launcher asked for (Sources/kiln-launcher): not for the guest or the compiler.
        let launchRecord = ProcessInfo.processInfo.environment["KILN_LAUNCH_RECORD"]
        unsetenv("KILN_LAUNCH_RECORD")
        // The module's name section, when it is compiled from source (for trap messages).
        var names: Names?
        // A write to a closed pipe must reach the guest as EPIPE, as with wasmtime, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let store = Store(maxMemoryPages: maxMemoryPages, epoch: Epoch())
        store.maxStoreMemoryBytes = maxStoreMemory.flatMap { try? ByteCount.parse($0) }.map { UInt64($0) }
        store.maxTableElements = maxTableElements
        store.maxWasmStack = maxWasmStack.flatMap { try? ByteCount.parse($0) }.map { UInt64($0) }
        let instance: Instance
        do {
            let name = URL(fileURLWithPath: module).lastPathComponent
            let artifact: SharedObject
            if Kiln.isArtifact(path: module) {
                artifact = try Kiln.openArtifact(path: module)
                try Self.checkInterruption(artifact, fuel: fuel != nil, timeout: timeout != nil)
            } else {
                let (binary, validated) = try Kiln.read(path: module)
                names = validated.module.names
                let progress = ProgressBar(stage: "compiling \(name)")
                defer { progress.finish() }
                let plan = try build.plan(interruption: interruption)
                // While compilers run, SIGINT and SIGTERM kill them too; the guest later gets the default actions.
                CompilerProcesses.installSignalHandlers()
                defer { CompilerProcesses.uninstallSignalHandlers() }
                let cache = noCache ? nil : ArtifactCache.open()
                let key = try Kiln.cacheKey(binary: binary, plan: plan)
                // A record is only an optimisation: nothing about it may fail the run.
                // A record is keyed by the build options as words: a run whose checks come from --fuel or
                // --timeout alone would leave a plain run's record pointing at an artifact with checks.
                let recordName = export == nil && fuel == nil && timeout == nil ? launchRecord : nil
                if let cache, !waitForOptimized, Kiln.tiers(plan) {
                    let tiered = try Kiln.loadTiered(
                        binary: binary, validated: validated, name: name, plan: plan, cache: cache, optimizedKey: key,
                        progress: progress.report
                    ) { reservation in
                        BackgroundOptimization.start(
                            module: module, key: key, plan: plan, cc: build.cc, reservation: reservation,
                            record: recordName.flatMap { name in startPlace(validated.module).map { (name, $0) } })
                    }
                    artifact = tiered.artifact
                    Self.debugTier(tiered)
                    // The baseline is never recorded: the launcher would go on serving it after the optimized
                    // artifact exists. The background build records the optimized one.
                    if let recordName, tiered.tier == .optimized {
                        writeLaunchRecord(recordName, cache: cache, key: key, plan: plan, artifact: artifact.path, module: validated.module)
                    }
                } else {
                    artifact = try Kiln.loadArtifact(
                        binary: binary, validated: validated, name: name, plan: plan, cache: cache, key: key, progress: progress.report)
                    if let recordName, let cache {
                        writeLaunchRecord(recordName, cache: cache, key: key, plan: plan, artifact: artifact.path, module: validated.module)
                    }
                }
            }
            // The guest's words and variables byte for byte, not as ArgumentParser repaired them. An invoked
            // export gets WASI too (a reactor prints and reads files like a command), with only its name as
            // argv: the words after the module are the export's arguments.
            let words = RawArguments.words
            let options = words.dropFirst().dropLast(min(passthrough.count, max(0, words.count - 1)))
            let guestArguments = export == nil ? RawArguments.trailing(arguments, of: words) : []
            try store.setUpWASI(
                arguments: [Array((wasi.argv0 ?? name).utf8)] + guestArguments,
                environment: wasi.rawEnvironment(words: options), preopens: wasi.preopens(words: options))
            if let fuel { store.fuel = fuel }
            // The clock starts once the module is compiled: only the guest's own time counts (its start
            // function's too, as in --exe executables).
            if let timeout, let seconds = DurationText.seconds(timeout) { Self.startTimer(seconds, store: store) }
            // A memory the module imports (a wasi-threads program's shared memory, any --import-memory build) is
            // made to the import's type, as the launcher does (Runtime/host/command.c); nothing else is provided.
            let memories = store.makeMemories(importedBy: artifact)
            instance = try Linker.instantiate(artifact, in: store) { module, name in memories[module + "\u{0}" + name] }
        } catch let trap as Trap {
            throw exit(for: trap, store: store, function: "instantiation")
        } catch {
            printError(error, module: module)
            throw ExitCode(1)
        }
        if let export {
            try callExport(instance, export, store: store, names: names)
        } else {
            guard instance.exportNames.contains("_start") else {
                printStandardError("\(module): not a command: no _start export (use --invoke NAME)")
                throw ExitCode(1)
            }
            // The process ends here, without tearing the store down: threads the guest spawned may still run
            // in its instances and memory (wasi-threads: the main thread's end is the program's).
            do {
                _ = try instance.invoke("_start", [])
            } catch let trap as Trap {
                Self.endProcess(exit(for: trap, store: store, function: "_start", instance: instance, names: names).rawValue)
            }
            Self.endProcess(0)
        }
    }

    static func endProcess(_ status: Int32) -> Never {
        fflush(nil)
        Foundation.exit(status)
    }

    func callExport(_ instance: Instance, _ name: String, store: Store, names: Names?) throws {
        guard let params = instance.parameterTypes(name) else {
            printStandardError("\(module): no exported function \"\(name)\"")
            throw ExitCode(1)
        }
        let values: [Value]
        switch ValueParser.parseArguments(arguments, types: params) {
        case .success(let parsed): values = parsed
        case .failure(.count(let given)):
            printStandardError("\(module): \"\(name)\" takes \(params.count) argument\(params.count == 1 ? "" : "s"), given \(given)")
            throw ExitCode(1)
        case .failure(.unreadable(let text, let type)):
            printStandardError("\(module): cannot read \"\(text)\" as \(ValueParser.typeName(type))")
            throw ExitCode(1)
        }
        // A reactor sets itself up (its C constructors, its WASI preopens) in _initialize, which it expects
        // to run once before any other export, as wasmtime calls it.
        if name != "_initialize", instance.parameterTypes("_initialize") == [] {
            do {
                _ = try instance.invoke("_initialize", [])
            } catch let trap as Trap {
                throw exit(for: trap, store: store, function: "_initialize", instance: instance, names: names)
            }
        }
        do {
            for result in try instance.invoke(name, values) { print(ValueParser.format(result)) }
        } catch let trap as Trap {
            throw exit(for: trap, store: store, function: name, instance: instance, names: names)
        }
    }

    /// Lets the launcher run this module from the cache next time, when the artifact that runs now is the
    /// published cache entry (not a private build made because the cache could not keep it) and the module is
    /// a command.
    func writeLaunchRecord(_ name: String, cache: ArtifactCache, key: CacheKey, plan: BuildPlan, artifact: String, module: KilnModel.Module) {
        guard artifact.hasPrefix(cache.directory.path + "/" + key.digest + "/"), let place = startPlace(module),
            let record = Kiln.launchRecord(entry: key, place: place, plan: plan)
        else { return }
        cache.writeLaunchRecord(record, name: name)
    }

    /// Where a trap in `_start` is reported, for a launch record; nil when the module is no command.
    func startPlace(_ module: KilnModel.Module) -> String? {
        guard case .function(let index)? = module.exports.first(where: { $0.name == "_start" })?.descriptor else { return nil }
        return Self.place("_start", index: index, names: module.names)
    }

    /// With `KILN_LAUNCH_DEBUG` set (as the launcher's own lines): which tier runs, and the background build
    /// this run started.
    static func debugTier(_ tiered: Kiln.TieredArtifact) {
        guard let flag = ProcessInfo.processInfo.environment["KILN_LAUNCH_DEBUG"], !flag.isEmpty else { return }
        var line = "kiln: tier: \(tiered.tier.rawValue) \(tiered.key.digest)"
        if tiered.tier == .baseline {
            line += tiered.background.map { "; optimizing \(tiered.optimizedKey.digest) in the background (pid \($0))" }
                ?? "; the optimized build \(tiered.optimizedKey.digest) is under way elsewhere or could not start"
        }
        printStandardError(line)
    }

    /// How a trap in export `function` is located: `export "_start" (func $main)`.
    static func place(_ function: String, index: UInt32, names: Names?) -> String {
        "export \"\(function)\" (func \(names?.displayName(function: index) ?? "\(index)"))"
    }

    /// `--fuel` or `--timeout` on an artifact compiled without the checks they need is an error before it runs,
    /// not a run that silently cannot be stopped.
    static func checkInterruption(_ artifact: SharedObject, fuel: Bool, timeout: Bool) throws {
        let built = artifact.module.interruption
        if fuel, built & UInt32(KILN_INTERRUPT_FUEL) == 0 {
            throw LoadError(reason: "--fuel: \(artifact.path) was compiled without fuel checks (compile it with --consume-fuel)")
        }
        if timeout, built & UInt32(KILN_INTERRUPT_EPOCH) == 0 {
            throw LoadError(reason: "--timeout: \(artifact.path) was compiled without epoch checks (compile it with --epoch-interruption)")
        }
    }

    /// Advances a private epoch once `seconds` have passed: the store's deadline is one tick away.
    static func startTimer(_ seconds: Double, store: Store) {
        store.setEpochDeadline(1)
        let epoch = store.epoch
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            epoch.increment()
        }
        thread.start()
    }

    /// proc_exit becomes the process's exit status; a trap prints its message and exits 134 (as wasmtime).
    func exit(for trap: Trap, store: Store, function: String, instance: Instance? = nil, names: Names? = nil) -> ExitCode {
        if trap.isExit { return ExitCode(store.exitCode) }
        var place = "\"\(function)\""
        if let index = instance?.exportedFunctionIndex(function) { place = Self.place(function, index: index, names: names) }
        var message = trap.message
        if trap.code == Int32(KILN_TRAP_INTERRUPT.rawValue), let timeout { message += " (--timeout \(timeout) reached)" }
        if trap.code == Int32(KILN_TRAP_OUT_OF_FUEL.rawValue), let fuel { message += " (--fuel \(fuel))" }
        printStandardError("error: \(trap.kind): \(message)\n  while running \(place) of \(module)"
            + (trap.backtrace.isEmpty ? "" : "\n" + TrapFrame.text(trap.backtrace).dropLast()))
        return ExitCode(134)
    }
}
