// kiln-difftest: runs binaryen `-ttf` modules under WasmKit's interpreter (the reference) and under Kiln
// at each configuration, and prints one line per module:
//
//   BEGIN path                      (before the module, so a driver can tell which one crashed the process)
//   PASS path [allowed: class×n …]
//   FAIL path CLASS detail
//   SKIP path reason                (not comparable: the reference rejects it, or foreign imports)
//
//   kiln-difftest [--configs O0,O2,O2-guard] [--calls N] [--cache DIR] [--jobs N] (FILE.wasm | DIR)…
//
// It is an executable of its own so that WasmKit stays out of every library target (as kiln-interp).
// Tests/README.md ("Differential testing") says what is compared and which divergences are allowed.
import Foundation
import Kiln
import KilnBuild
import KilnCache

struct Options {
    var configurations = Configuration.standard
    var calls = 3
    var cache: String?
    var jobs = 1
    var paths: [String] = []

    static func parse(_ arguments: [String]) throws(DiffError) -> Options {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else {
                options.paths.append(argument)
                continue
            }
            guard let value = rest.popFirst() else { throw DiffError("\(argument) needs a value") }
            switch argument {
            case "--configs":
                options.configurations = try value.split(separator: ",").map { name throws(DiffError) in
                    guard let c = Configuration.all.first(where: { $0.name == name }) else {
                        throw DiffError("unknown configuration \(name) (\(Configuration.all.map(\.name).joined(separator: ", ")))")
                    }
                    return c
                }
            case "--calls": options.calls = max(1, Int(value) ?? 3)
            case "--cache": options.cache = value
            case "--jobs": options.jobs = max(1, Int(value) ?? 1)
            default: throw DiffError("unknown option \(argument)")
            }
        }
        return options
    }

    /// The module files: the files given, and every `.wasm` in a directory given, sorted.
    var modules: [String] {
        paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { $0.hasSuffix(".wasm") && !$0.hasSuffix(".reference.wasm") }.sorted().map { path + "/" + $0 }
        }
    }
}

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func runAll(_ options: Options) throws {
    let cache = try options.cache.map { try ArtifactCache(directory: URL(fileURLWithPath: $0)) }
    let runtime = try RuntimeSources()
    var plans: [String: BuildPlan] = [:]
    for configuration in options.configurations {
        let flags = CompileFlags(optimization: configuration.optimization, boundsGuard: configuration.boundsGuard,
                                 interruption: configuration.interruption)
        let plan = BuildPlan(flags: flags, runtime: runtime, jobs: options.jobs)
        // The runtime compiled once into the cache (or once per process without one); the object stays there.
        plans[configuration.name] = try Kiln.withCachedRuntime(plan, cache: cache) { $0 }
    }
    let scratch = NSTemporaryDirectory() + "kiln-difftest-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    for (index, path) in options.modules.enumerated() {
        emit("BEGIN \(path)")
        // A directory per module: dlopen hands back the already-loaded library for a path it has seen.
        let run = ModuleRun(
            path: path, configurations: options.configurations, plans: plans, callsPerExport: options.calls, scratch: scratch + "/\(index)")
        switch run.run() {
        case .pass(let allowed):
            let notes = allowed.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
            emit("PASS \(path)" + (notes.isEmpty ? "" : " allowed: " + notes.joined(separator: " ")))
        case .fail(let kind, let detail): emit("FAIL \(path) \(kind.rawValue) \(detail.replacingOccurrences(of: "\n", with: " | "))")
        case .skip(let reason): emit("SKIP \(path) \(reason.replacingOccurrences(of: "\n", with: " | "))")
        }
    }
}

/// Parses the options and runs every module on a thread with a 256 MiB stack: guest recursion runs on that
/// thread's stack, and Kiln detects exhaustion against its bounds (as `kiln wast` runs its scripts).
func main() -> Int32 {
    let options: Options
    do {
        options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        FileHandle.standardError.write(Data("kiln-difftest: \(error)\n".utf8))
        return 2
    }
    guard !options.paths.isEmpty else {
        FileHandle.standardError.write(Data("usage: kiln-difftest [--configs O0,O2,O2-guard] [--calls N] [--cache DIR] [--jobs N] (FILE.wasm | DIR)…\n".utf8))
        return 2
    }
    final class Status: @unchecked Sendable { var code: Int32 = 0 }
    let status = Status()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        do { try runAll(options) } catch {
            FileHandle.standardError.write(Data("kiln-difftest: \(error)\n".utf8))
            status.code = 1
        }
        done.signal()
    }
    thread.stackSize = 256 << 20
    thread.start()
    done.wait()
    return status.code
}

exit(main())
