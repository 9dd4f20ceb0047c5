import ArgumentParser
import Foundation
import Kiln
import KilnCache

/// `kiln bench [--runs N] [--warmup N] [--engines aot,interp] [--json FILE] [--dir D] [--readonly-dir D] [--env E] MODULE [ARGS]`: times a WASI
/// command under Kiln's AOT (`kiln run` from the artifact cache) and WasmKit's interpreter (`kiln-interp`),
/// each run a child process, and reports median, min and max wall time and peak RSS per engine.
///
/// The engines alternate run by run (A B A B …) so that drift on a shared machine (another build, thermal
/// throttling) lands on both rather than on whichever ran last. A report is only worth reading if both
/// engines computed the same thing: every run, warm-ups included, must print the same stdout and exit
/// with the same status as the first, or there is no report at all.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time a WASI command under Kiln's AOT and WasmKit's interpreter.",
        discussion: """
            Compiles MODULE into the artifact cache first (reported as `compile`), then runs each engine \
            --warmup times untimed and --runs times timed, alternating engines, each run a child process: \
            `kiln run --opt N MODULE -- ARGS` and `kiln-interp MODULE ARGS` (found next to kiln, or \
            --interp PATH, or $KILN_INTERP), under kiln-measure (next to kiln), which reads its wall time \
            and peak RSS. Refuses to report, exiting 1, when any run's stdout or exit status differs from \
            the first run's.
            """)

    @Argument(help: "The module (.wasm or .wat), a WASI command.")
    var module: String

    @Option(help: "Timed runs per engine.")
    var runs = 5

    @Option(help: "Untimed runs per engine before the timed ones.")
    var warmup = 1

    @Option(help: "The engines, in the order they alternate: aot, interp or both, comma-separated.")
    var engines = "aot,interp"

    @Option(help: "Also write every sample, warm-ups included, to this file as JSON.")
    var json: String?

    @Option(help: "The kiln-interp executable (default: $KILN_INTERP, else kiln-interp next to kiln).")
    var interp: String?

    @OptionGroup var wasi: WASIOptions

    @OptionGroup var build: BuildOptions

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the guest: everything after the module, as with `kiln run` (options go before it).")
    var passthrough: [String] = []

    /// The guest's arguments, without a leading `--`.
    var arguments: [String] { passthrough.first == "--" ? Array(passthrough.dropFirst()) : passthrough }

    func validate() throws {
        guard runs >= 1 else { throw ArgumentParser.ValidationError("--runs must be at least 1") }
        guard warmup >= 0 else { throw ArgumentParser.ValidationError("--warmup must not be negative") }
        let list: [BenchEngine]
        do {
            list = try BenchEngine.parseList(engines)
        } catch {
            throw ArgumentParser.ValidationError(error.description)
        }
        // WasmKit's WASI, kiln-interp's, has no read-only preopens: a run there could write what aot may not.
        if list.contains(.interp), !wasi.readonlyDirs.isEmpty {
            throw ArgumentParser.ValidationError("--readonly-dir needs --engines aot: the interp engine (WasmKit's WASI) has no read-only preopens")
        }
    }

    func run() throws {
        do {
            let report = try measure()
            if let json {
                do {
                    try report.json().write(to: URL(fileURLWithPath: json))
                } catch {
                    throw BenchError("cannot write \(json): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
                }
            }
            print(report.text, terminator: "")
            if report.exit != 0, let first = report.engines.first?.engine {
                printStandardError(
                    "note: every run of \(module) exited with status \(report.exit)" + Self.stderrExcerpt(report.firstStderr, of: first))
            }
        } catch let error as BenchError {
            printStandardError("error: \(error.description)")
            throw ExitCode(1)
        } catch let error as ChildProcess.Failure {
            printStandardError("error: \(error.description)")
            throw ExitCode(1)
        } catch let error as ArgumentParser.ValidationError {
            throw error
        } catch {
            printError(error, module: module)
            throw ExitCode(1)
        }
    }

    /// Compiles, runs every engine, checks every run's output against the first, and gathers the samples.
    func measure() throws -> BenchReport {
        let engineList = try BenchEngine.parseList(engines)
        let kiln = ChildProcess.kilnCommand
        let launcher = try ChildProcess.locateMeasure(kiln: kiln)
        let interpreter =
            engineList.contains(.interp)
            ? try BenchEngine.locateInterpreter(option: interp, environment: ProcessInfo.processInfo.environment, kiln: kiln) : nil
        let plan = try build.plan()

        let scratch = try ChildProcess.makeScratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (binary, validated) = try Kiln.read(path: module)
        // Both engines run the same binary: a text module is translated once, here.
        var runnable = module
        if FileManager.default.contents(atPath: module).map({ [UInt8]($0) }) != binary {
            runnable = scratch + "/" + URL(fileURLWithPath: module).deletingPathExtension().lastPathComponent + ".wasm"
            try Data(binary).write(to: URL(fileURLWithPath: runnable))
        }

        /// Puts the module's artifact in the cache, where every aot run will find it, and times that.
        func compileIntoCache() throws -> (seconds: Double, wasCached: Bool) {
            // Without the cache every timed `kiln run` would compile again and time clang, not the module.
            guard let cache = ArtifactCache.open() else {
                throw BenchError("kiln bench needs the artifact cache (see the warning above), or every aot run would compile the module again")
            }
            let name = URL(fileURLWithPath: runnable).lastPathComponent
            let progress = ProgressBar(stage: "compiling \(name)")
            defer { progress.finish() }
            let start = Date()
            let built = try Kiln.compileIntoCache(
                binary: binary, validated: validated, name: name, plan: plan, cache: cache, progress: progress.report)
            return (Date().timeIntervalSince(start), !built)
        }
        let compile = engineList.contains(.aot) ? try compileIntoCache() : nil
        // The words before the guest's arguments, for the order of --dir and --readonly-dir (WASIOptions).
        let words = RawArguments.words
        let wasiArguments = wasi.arguments(words: words.dropFirst().dropLast(min(passthrough.count, max(0, words.count - 1))))
        let commands = engineList.map { engine in
            switch engine {
            case .aot: [kiln, "run"] + runOptions(optimization: plan.flags.optimization) + wasiArguments + [runnable, "--"] + arguments
            case .interp: [interpreter ?? "kiln-interp"] + wasiArguments + [runnable] + arguments
            }
        }
        let child = ChildProcess(launcher: launcher, scratch: scratch)
        var results = engineList.map { BenchReport.EngineRuns(engine: $0) }
        var reference: (engine: String, label: String, outcome: ChildProcess.Outcome)?
        for index in 0..<(warmup + runs) {
            for (position, engine) in engineList.enumerated() {
                let isWarmup = index < warmup
                let label =
                    "\(engine.rawValue) " + (isWarmup ? "warm-up \(index + 1) of \(warmup)" : "run \(index - warmup + 1) of \(runs)")
                let outcome = try child.run(commands[position][0], Array(commands[position].dropFirst()))
                guard case .exit(let status) = outcome.termination else {
                    throw BenchError("\(module): \(label) was \(outcome.termination)" + Self.stderrExcerpt(outcome.stderr, of: engine))
                }
                if let reference {
                    if let difference = BenchOutputCheck.difference(reference.outcome, outcome, names: (reference.engine, engine.rawValue)) {
                        throw BenchError(
                            "\(module): outputs differ, so there is no report: \(label) differs from \(reference.label)\n"
                                + difference.map { "  " + $0 }.joined(separator: "\n")
                                + Self.stderrExcerpt(outcome.stderr, of: engine))
                    }
                } else {
                    reference = (engine.rawValue, label, outcome)
                }
                let sample = BenchReport.Sample(
                    run: isWarmup ? index : index - warmup, wallSeconds: outcome.wallSeconds, maxRSSBytes: outcome.maxRSSBytes, exit: status)
                if isWarmup { results[position].warmup.append(sample) } else { results[position].timed.append(sample) }
            }
        }
        let output = reference?.outcome
        let exit: Int32 = if case .exit(let status)? = output?.termination { status } else { 0 }
        return BenchReport(
            modulePath: module, moduleSHA256: ContentHash.sha256(of: binary), arguments: arguments, runs: runs, warmup: warmup,
            optimization: plan.flags.optimization, compileSeconds: compile?.seconds, compileWasCached: compile?.wasCached ?? false,
            stdoutBytes: output?.stdout.count ?? 0, stdoutSHA256: ContentHash.sha256(of: output?.stdout ?? []), exit: exit,
            firstStderr: output?.stderr ?? [], engines: results)
    }

    /// The build options as `kiln run` takes them, so that its cache key is the one compiled above.
    func runOptions(optimization: Int) -> [String] {
        var options = ["--opt", "\(optimization)"]
        if let cc = build.cc { options += ["--cc", cc] }
        if build.sanitize { options.append("--sanitize") }
        if build.warningsAsErrors { options.append("--warnings-as-errors") }
        if build.bounds != "explicit" { options += ["--bounds", build.bounds] }
        if let cpu = build.targetCPU { options += ["--target-cpu", cpu] }
        return options
    }

    /// The last lines a failing run wrote on stderr, indented, for the error message.
    static func stderrExcerpt(_ bytes: [UInt8], of engine: BenchEngine, limit: Int = 20) -> String {
        guard !bytes.isEmpty else { return "" }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast(bytes.last == UInt8(ascii: "\n") ? 1 : 0)
        guard !lines.isEmpty else { return "" }
        return "\n  \(engine.rawValue)'s stderr:\n" + lines.suffix(limit).map { "    " + $0 }.joined(separator: "\n")
    }
}
