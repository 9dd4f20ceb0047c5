import ArgumentParser
import Kiln
import KilnBuild
import KilnLower
import KilnModel
import KilnWast

#if canImport(Glibc)
    import Glibc
#endif

/// `kiln wast FILE… [--jobs N]`: runs spec test scripts through the AOT pipeline; the last line is
/// `N passed, M failed, K skipped`.
struct Wast: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run WebAssembly spec test scripts (.wast).")

    @Argument(help: "Scripts to run.")
    var files: [String]

    @Option(name: [.short, .long], help: "Scripts to run at once (default: all cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "List every failure, and rejections whose wording differs from the script's.")
    var verbose = false

    @Flag(help: "Only decode and validate; count directives that need execution as skipped.")
    var validateOnly = false

    @Option(help: "The Wasm edition modules are read and validated by: 3.0, or 2.0 to keep the rules 3.0 changed (the 2.0 spec suite asserts them).")
    var specVersion: WasmVersion = .v3

    @Option(help: "A file of directives known to fail, one `file.wast:LINE reason` per line: counted as skipped when they fail, as failures when they pass.")
    var expectedFailures: String?

    @Option(help: "Keep built modules in this directory by their generated C, and reuse them: equal modules in other scripts, or in a later run, skip the C compiler. Default: build every module afresh.")
    var cache: String?

    @OptionGroup var build: BuildOptions

    func run() throws {
        var expected = ExpectedFailures()
        if let path = expectedFailures {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ArgumentParser.ValidationError("cannot read --expected-failures file \(path)")
            }
            do { expected = try ExpectedFailures(text: text) } catch { throw ArgumentParser.ValidationError("\(path): \(error)") }
        }
        let jobs = max(1, self.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        // The spec scripts compile hundreds of small modules: -O0 keeps them fast to build.
        let plan = validateOnly ? nil : try build.plan(defaultOptimization: 0, defaultAddressMap: false)
        let cache = try plan.flatMap { plan in try self.cache.map { try LoweredArtifactCache(directory: $0, plan: plan) } }
        let options = WastRunner.Options(plan: plan, cache: cache, verbose: verbose, version: specVersion, expectedFailures: expected)
        let summary = WastRunner.run(files: files, jobs: jobs, options: options) { text in
            print(text)
        }
        print(summary.line)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// How generated C is built: `--cc`, `--opt`, `--sanitize`.
struct BuildOptions: ParsableArguments {
    @Option(help: "The C compiler, possibly with a launcher (\"ccache clang\"); default $KILN_CC or clang.")
    var cc: String?

    @Option(name: .customLong("opt"), help: "C optimization level, 0 to 3 (default: 2; 0 for kiln wast).")
    var optimization: Int?

    @Flag(help: "Build generated code and the runtime with -fsanitize=undefined,address (kiln itself is not instrumented: preload the ASan runtime, LD_PRELOAD=$(clang -print-file-name=libclang_rt.asan-x86_64.so), as `make sanitize` does).")
    var sanitize = false

    @Flag(help: "Compile generated C with -Wall -Wextra -Werror (a check of the lowering).")
    var warningsAsErrors = false

    @Option(help: "The CPU generated code may use (-march=): a name such as x86-64-v3, or native for this machine's (recorded by name in the artifact and cache key). Default: the compiler's portable baseline.")
    var targetCPU: String?

    @Option(help: "How memory accesses are kept in bounds: explicit (a check per access, the default) or guard (8 GiB reservations whose faults become traps).")
    var bounds: String = "explicit"

    @Flag(help: "Build fuel checks into the code, so that `--fuel N` can stop it (kiln run, and --exe executables).")
    var consumeFuel = false

    @Flag(help: "Build epoch checks into the code, so that `--timeout` can stop it (kiln run, and --exe executables).")
    var epochInterruption = false

    @Flag(inversion: .prefixedNo, help: "Build line tables that map code back to Wasm offsets, which trap backtraces show (default: on; off for kiln wast). Without, clang compiles faster.")
    var addressMap: Bool?

    /// The build plan, at `defaultOptimization` unless `--opt` says otherwise; `interruption` adds to the
    /// checks the flags ask for (`kiln run --fuel` needs fuel checks whether or not --consume-fuel was given).
    /// The spec scripts compile hundreds of small modules and print no backtraces: `kiln wast` builds them at
    /// -O0 and without the address map unless asked.
    func plan(defaultOptimization: Int = 2, defaultAddressMap: Bool = true, jobs: Int? = nil, interruption: Interruption = .none) throws -> BuildPlan {
        let optimization = self.optimization ?? defaultOptimization
        guard (0...3).contains(optimization) else { throw ArgumentParser.ValidationError("--opt takes 0, 1, 2 or 3") }
        guard ["explicit", "guard"].contains(bounds) else { throw ArgumentParser.ValidationError("--bounds takes explicit or guard") }
        let compiler = CCompiler(cc)
        let cpu = try targetCPU.map { name throws(BuildError) in try TargetCPU.resolve(name, compiler: compiler) }
        let flags = CompileFlags(
            optimization: optimization, sanitize: sanitize, warningsAsErrors: warningsAsErrors, boundsGuard: bounds == "guard", targetCPU: cpu,
            interruption: Interruption(fuel: consumeFuel || interruption.fuel, epochs: epochInterruption || interruption.epochs),
            addressMap: addressMap ?? defaultAddressMap)
        return BuildPlan(
            compiler: compiler, flags: flags,
            runtime: try RuntimeSources(), jobs: jobs ?? BuildPlan.processorCount)
    }
}

extension WasmVersion: ExpressibleByArgument {}
