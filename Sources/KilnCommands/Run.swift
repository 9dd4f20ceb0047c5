import ArgumentParser
import Foundation
import Kiln
import KilnBuild
import KilnCache
import KilnLoad
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

    @Option(help: "The most 64 KiB pages any memory may grow to.")
    var maxMemoryPages: UInt64 = 65536

    @OptionGroup var build: BuildOptions

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
        let store = Store(maxMemoryPages: maxMemoryPages)
        let instance: Instance
        do {
            let name = URL(fileURLWithPath: module).lastPathComponent
            let artifact: SharedObject
            if Kiln.isArtifact(path: module) {
                artifact = try Kiln.openArtifact(path: module)
            } else {
                let (binary, validated) = try Kiln.read(path: module)
                names = validated.module.names
                let progress = ProgressBar(stage: "compiling \(name)")
                defer { progress.finish() }
                let plan = try build.plan()
                // While compilers run, SIGINT and SIGTERM kill them too; the guest later gets the default actions.
                CompilerProcesses.installSignalHandlers()
                defer { CompilerProcesses.uninstallSignalHandlers() }
                let cache = noCache ? nil : ArtifactCache.open()
                let key = try Kiln.cacheKey(binary: binary, plan: plan)
                artifact = try Kiln.loadArtifact(
                    binary: binary, validated: validated, name: name, plan: plan, cache: cache, key: key, progress: progress.report)
                // A record is only an optimisation: nothing about it may fail the run.
                if let launchRecord, let cache, export == nil {
                    writeLaunchRecord(launchRecord, cache: cache, key: key, plan: plan, artifact: artifact.path, module: validated.module)
                }
            }
            if export == nil {
                // The guest's words and variables byte for byte, not as ArgumentParser repaired them.
                let words = RawArguments.words
                let options = words.dropFirst().dropLast(min(passthrough.count, max(0, words.count - 1)))
                try store.setUpWASI(
                    arguments: [Array((wasi.argv0 ?? name).utf8)] + RawArguments.trailing(arguments, of: words),
                    environment: wasi.rawEnvironment(words: options), preopens: wasi.preopens(words: options))
            }
            instance = try Linker.instantiate(artifact, in: store) { _, _ in nil }
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
            do {
                _ = try instance.invoke("_start", [])
            } catch let trap as Trap {
                throw exit(for: trap, store: store, function: "_start", instance: instance, names: names)
            }
        }
    }

    func callExport(_ instance: Instance, _ name: String, store: Store, names: Names?) throws {
        guard let params = instance.parameterTypes(name) else {
            printStandardError("\(module): no exported function \"\(name)\"")
            throw ExitCode(1)
        }
        guard params.count == arguments.count else {
            printStandardError("\(module): \"\(name)\" takes \(params.count) argument\(params.count == 1 ? "" : "s"), given \(arguments.count)")
            throw ExitCode(1)
        }
        var values: [Value] = []
        for (text, type) in zip(arguments, params) {
            guard let value = ValueParser.parse(text, type: type) else {
                printStandardError("\(module): cannot read \"\(text)\" as \(ValueParser.typeName(type))")
                throw ExitCode(1)
            }
            values.append(value)
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
    func writeLaunchRecord(_ name: String, cache: ArtifactCache, key: CacheKey, plan: BuildPlan, artifact: String, module: Module) {
        let start = module.exports.first { $0.name == "_start" }
        guard artifact.hasPrefix(cache.directory.path + "/" + key.digest + "/"), case .function(let index)? = start?.descriptor,
            let record = Kiln.launchRecord(entry: key, place: Self.place("_start", index: index, names: module.names), plan: plan)
        else { return }
        cache.writeLaunchRecord(record, name: name)
    }

    /// How a trap in export `function` is located: `export "_start" (func $main)`.
    static func place(_ function: String, index: UInt32, names: Names?) -> String {
        "export \"\(function)\" (func \(names?.displayName(function: index) ?? "\(index)"))"
    }

    /// proc_exit becomes the process's exit status; a trap prints its message and exits 134 (as wasmtime).
    func exit(for trap: Trap, store: Store, function: String, instance: Instance? = nil, names: Names? = nil) -> ExitCode {
        if trap.isExit { return ExitCode(store.exitCode) }
        var place = "\"\(function)\""
        if let index = instance?.exportedFunctionIndex(function) { place = Self.place(function, index: index, names: names) }
        printStandardError("error: \(trap.kind): \(trap.message)\n  while running \(place) of \(module)")
        return ExitCode(134)
    }
}
