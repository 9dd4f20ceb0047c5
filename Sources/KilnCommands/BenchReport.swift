import Foundation

/// What `kiln bench` measured: every sample of every engine, their statistics, and the report printed from
/// them (a table on stdout, and the same data with every raw sample as `--json`).
struct BenchReport {
    /// One run of one engine.
    struct Sample: Codable, Equatable {
        /// The run's index among the timed runs (or among the warm-ups), from 0.
        let run: Int
        let wallSeconds: Double
        let maxRSSBytes: Int
        let exit: Int32

        enum CodingKeys: String, CodingKey {
            case run, exit
            case wallSeconds = "wall_seconds"
            case maxRSSBytes = "max_rss_bytes"
        }
    }

    /// Median, min and max of the timed runs' wall times, and the largest peak RSS among them.
    struct Statistics: Equatable {
        let median: Double
        let min: Double
        let max: Double
        let maxRSSBytes: Int

        /// Nil without samples. The median of an even count is the mean of the middle two.
        init?(_ samples: [Sample]) {
            let times = samples.map(\.wallSeconds).sorted()
            guard let first = times.first, let last = times.last else { return nil }
            let middle = times.count / 2
            median = times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
            min = first
            max = last
            maxRSSBytes = samples.map(\.maxRSSBytes).max() ?? 0
        }
    }

    struct EngineRuns {
        let engine: BenchEngine
        var warmup: [Sample] = []
        var timed: [Sample] = []
    }

    /// The module as given on the command line, its SHA-256, and the guest's arguments.
    let modulePath: String
    let moduleSHA256: String
    let arguments: [String]
    let runs: Int
    let warmup: Int
    let optimization: Int
    /// Seconds spent compiling into the artifact cache (nil without the aot engine), and whether the
    /// artifact was already there so that the time is only the lookup's.
    let compileSeconds: Double?
    let compileWasCached: Bool
    /// The output every run produced.
    let stdoutBytes: Int
    let stdoutSHA256: String
    let exit: Int32
    /// What the first run wrote on stderr: not part of the comparison (timings and warnings may differ), but
    /// worth showing when every run failed alike.
    let firstStderr: [UInt8]
    /// In the order they alternated.
    let engines: [EngineRuns]

    /// The median AOT time over the median interpreter time, when both engines ran.
    var aotOverInterp: Double? {
        guard let aot = engines.first(where: { $0.engine == .aot }).flatMap({ Statistics($0.timed) }),
            let interp = engines.first(where: { $0.engine == .interp }).flatMap({ Statistics($0.timed) }),
            interp.median > 0
        else { return nil }
        return aot.median / interp.median
    }

    // MARK: - Text

    var text: String {
        let name = URL(fileURLWithPath: modulePath).lastPathComponent
        let runCount = runs == 1 ? "1 run" : "\(runs) runs"
        let warmupCount = warmup == 0 ? "no warm-up" : warmup == 1 ? "1 warm-up" : "\(warmup) warm-ups"
        var lines = [([name] + arguments).joined(separator: " ") + " — \(runCount) after \(warmupCount)"
            + (engines.count > 1 ? ", engines alternated" : "")]
        if let compileSeconds {
            lines.append(
                "compile (aot, --opt \(optimization)): "
                    + (compileWasCached ? "already in the artifact cache (\(Self.seconds(compileSeconds)) to look up)" : Self.seconds(compileSeconds)))
        }
        lines.append(Self.row("engine", "median", "min", "max", "peak RSS"))
        for runs in engines {
            guard let statistics = Statistics(runs.timed) else { continue }
            lines.append(
                Self.row(
                    runs.engine.rawValue, Self.seconds(statistics.median), Self.seconds(statistics.min), Self.seconds(statistics.max),
                    Self.mebibytes(statistics.maxRSSBytes)))
        }
        if let ratio = aotOverInterp {
            lines.append(String(format: "aot / interp: %.3f (interp / aot: %.2f×)", ratio, 1 / ratio))
        }
        lines.append("output: identical (stdout \(stdoutBytes) byte\(stdoutBytes == 1 ? "" : "s"), exit \(exit)) on every run")
        return lines.joined(separator: "\n") + "\n"
    }

    static func row(_ cells: String...) -> String {
        let widths = [8, 11, 11, 11]
        return zip(cells, widths + [0]).map { cell, width in cell.padding(toLength: Swift.max(width, cell.count), withPad: " ", startingAt: 0) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// `4.210 s`, `812.4 ms`, `3.27 ms`: four significant digits or so, whatever the scale.
    static func seconds(_ value: Double) -> String {
        if value >= 100 { return String(format: "%.1f s", value) }
        if value >= 1 { return String(format: "%.3f s", value) }
        if value >= 0.1 { return String(format: "%.1f ms", value * 1000) }
        return String(format: "%.2f ms", value * 1000)
    }

    static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    // MARK: - JSON

    /// The `--json` document: every sample, warm-ups under their own key, and the statistics of the text.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document(self))
    }

    struct Document: Encodable {
        struct Output: Encodable {
            let identical = true
            let stdoutBytes: Int
            let stdoutSHA256: String
            let exit: Int32
            enum CodingKeys: String, CodingKey {
                case identical, exit
                case stdoutBytes = "stdout_bytes"
                case stdoutSHA256 = "stdout_sha256"
            }
        }

        struct Engine: Encodable {
            let samples: [Sample]
            let warmupSamples: [Sample]
            let medianSeconds: Double
            let minSeconds: Double
            let maxSeconds: Double
            let maxRSSBytes: Int
            enum CodingKeys: String, CodingKey {
                case samples
                case warmupSamples = "warmup_samples"
                case medianSeconds = "median_seconds"
                case minSeconds = "min_seconds"
                case maxSeconds = "max_seconds"
                case maxRSSBytes = "max_rss_bytes"
            }
        }

        let module: String
        let moduleSHA256: String
        let arguments: [String]
        let runs: Int
        let warmup: Int
        let opt: Int
        let compileSeconds: Double?
        let compileCached: Bool?
        let engineOrder: [BenchEngine]
        let engines: [String: Engine]
        let aotOverInterp: Double?
        let output: Output

        enum CodingKeys: String, CodingKey {
            case module, runs, warmup, opt, engines, output
            case arguments = "args"
            case moduleSHA256 = "module_sha256"
            case compileSeconds = "compile_seconds"
            case compileCached = "compile_cached"
            case engineOrder = "engine_order"
            case aotOverInterp = "aot_over_interp"
        }

        init(_ report: BenchReport) {
            module = report.modulePath
            moduleSHA256 = report.moduleSHA256
            arguments = report.arguments
            runs = report.runs
            warmup = report.warmup
            opt = report.optimization
            compileSeconds = report.compileSeconds
            compileCached = report.compileSeconds == nil ? nil : report.compileWasCached
            engineOrder = report.engines.map(\.engine)
            var engines: [String: Engine] = [:]
            for runs in report.engines {
                guard let statistics = Statistics(runs.timed) else { continue }
                engines[runs.engine.rawValue] = Engine(
                    samples: runs.timed, warmupSamples: runs.warmup, medianSeconds: statistics.median, minSeconds: statistics.min,
                    maxSeconds: statistics.max, maxRSSBytes: statistics.maxRSSBytes)
            }
            self.engines = engines
            aotOverInterp = report.aotOverInterp
            output = Output(stdoutBytes: report.stdoutBytes, stdoutSHA256: report.stdoutSHA256, exit: report.exit)
        }

        /// Optional fields are written as null rather than left out, so every document has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(module, forKey: .module)
            try container.encode(moduleSHA256, forKey: .moduleSHA256)
            try container.encode(arguments, forKey: .arguments)
            try container.encode(runs, forKey: .runs)
            try container.encode(warmup, forKey: .warmup)
            try container.encode(opt, forKey: .opt)
            try container.encode(compileSeconds, forKey: .compileSeconds)
            try container.encode(compileCached, forKey: .compileCached)
            try container.encode(engineOrder, forKey: .engineOrder)
            try container.encode(engines, forKey: .engines)
            try container.encode(aotOverInterp, forKey: .aotOverInterp)
            try container.encode(output, forKey: .output)
        }
    }
}
