import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnModel
import WAT

/// Runs `.wast` spec scripts through Kiln, one file per job, files in parallel.
///
/// Scripts are parsed with WasmKit's `parseWAST` directly, so there is no `wast2json` step and no
/// generated files.
public enum WastRunner {
    /// Options of a run: how generated code is built, or nil to validate only.
    public struct Options: Sendable {
        public var plan: BuildPlan?
        /// Where built modules are kept by their generated C (`--cache`), if anywhere.
        public var cache: LoweredArtifactCache?
        public var verbose: Bool
        /// The edition modules are decoded and validated by (the 2.0 suite runs as 2.0).
        public var version: WasmVersion
        /// Directives known to fail, with why (`--expected-failures`).
        public var expectedFailures: ExpectedFailures
        public init(plan: BuildPlan?, cache: LoweredArtifactCache? = nil, verbose: Bool = false, version: WasmVersion = .v3,
                    expectedFailures: ExpectedFailures = ExpectedFailures()) {
            self.plan = plan
            self.cache = cache
            self.verbose = verbose
            self.version = version
            self.expectedFailures = expectedFailures
        }
    }

    public static func run(files: [String], jobs: Int, options: Options, output: @escaping @Sendable (String) -> Void) -> WastSummary {
        let verbose = options.verbose
        let reports = Reports(count: files.count)
        let printer = OrderedPrinter(count: files.count, verbose: verbose, output: output)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, files.count))) { worker in
            var index = worker
            while index < files.count {
                var report = runFileOnLargeStack(files[index], plan: options.plan, cache: options.cache, version: options.version)
                options.expectedFailures.apply(to: &report)
                reports.set(index, report)
                printer.done(index, report)
                index += max(1, min(jobs, files.count))
            }
        }
        return WastSummary(reports.all)
    }

    /// Runs a script on a thread of its own with a 256 MiB stack: guest recursion runs on it, and stack
    /// exhaustion is detected against its bounds.
    public static func runFileOnLargeStack(_ path: String, plan: BuildPlan?, cache: LoweredArtifactCache? = nil, version: WasmVersion = .v3) -> WastReport {
        let box = ReportBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.report = runFile(path, plan: plan, cache: cache, version: version)
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.report ?? WastReport(file: path)
    }

    public static func runFile(_ path: String, plan: BuildPlan? = nil, cache: LoweredArtifactCache? = nil, version: WasmVersion = .v3) -> WastReport {
        let name = (path as NSString).lastPathComponent
        var report = WastReport(file: name)
        report.path = path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            report.failed += 1
            report.failures.append(.init(line: 0, directive: "file", reason: "cannot read \(path)"))
            return report
        }
        if let line = StrayParen.line(in: text) {
            report.failed += 1
            report.failures.append(.init(line: line, directive: "file", reason: "unmatched ')': the directives after it would not run"))
            return report
        }
        // The threads proposal's `thread` and `wait` commands are taken out before WasmKit parses the rest.
        let threads = ScriptThreads(text)
        var script: WAST
        do {
            script = try parseWAST(threads?.mainText(text) ?? text, features: ModuleDecoder.features(version))
        } catch {
            report.failed += 1
            report.failures.append(.init(line: 0, directive: "file", reason: "\(error)"))
            return report
        }
        let directory = NSTemporaryDirectory() + "kiln-wast-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = WastSession(plan: plan, cache: cache, version: version, directory: directory)
        session.script = text
        let running = threads.map { RunningThreads($0, text: text, main: session) }
        runDirectives(&script, text: text, session: session, into: &report, before: running.map { running in { running.reach($0) } })
        running?.finish(into: &report)
        return report
    }

    /// Runs a parsed script's directives in `session`; `before(line)` runs before each one.
    static func runDirectives(_ script: inout WAST, text: String, session: WastSession, into report: inout WastReport,
                              before: ((Int) -> Void)? = nil) {
        while let (result, location) = script.nextDirectiveResult() {
            // A line number costs a scan of the script from its start (WAT's Location offers nothing cheaper):
            // per directive, that made f32.wast's 2,514 directives take 8.8 s, 85% of it counting lines. Only
            // a script's threads (their schedule is by line) and failures need one.
            if let before { before(location.computeLineAndColumn().line) }
            switch result {
            case .success(let directive):
                session.directiveLocation = location
                record(DirectiveRunner.run(directive, session), name: directiveName(directive), location: location, into: &report)
            case .failure(let error):
                // A directive WasmKit could not parse. For assert_malformed that is the expected outcome:
                // its text module is malformed.
                let line = location.computeLineAndColumn().line
                let keyword = Self.keyword(in: text, line: line)
                if keyword == "assert_malformed" {
                    report.passed += 1
                } else {
                    report.failed += 1
                    report.failures.append(.init(line: line, directive: keyword, reason: "cannot parse: \(error.error)"))
                }
            }
        }
    }

    static func record(_ outcome: Outcome, name: String, location: Location, into report: inout WastReport) {
        switch outcome {
        case .passed: report.passed += 1
        case .skipped: report.skipped += 1
        case .failed(let reason):
            report.failed += 1
            report.failures.append(.init(line: location.computeLineAndColumn().line, directive: name, reason: reason))
        case .passedWithDifferentMessage(let reason):
            report.passed += 1
            report.messageMismatches.append(.init(line: location.computeLineAndColumn().line, directive: name, reason: reason))
        }
    }

    static func directiveName(_ directive: WASTDirective) -> String {
        switch directive {
        case .module: "module"
        case .moduleInstance: "module instance"
        case .assertInvalid: "assert_invalid"
        case .assertMalformed: "assert_malformed"
        case .assertReturn: "assert_return"
        case .assertTrap: "assert_trap"
        case .assertExhaustion: "assert_exhaustion"
        case .assertException: "assert_exception"
        case .assertFuel: "assert_fuel"
        case .assertOutOfFuel: "assert_out_of_fuel"
        case .assertUnlinkable: "assert_unlinkable"
        case .register: "register"
        case .invoke: "invoke"
        }
    }

    /// The directive keyword at or after `line` (`assert_malformed`), for directives that failed to parse.
    static func keyword(in text: String, line: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return "directive" }
        for candidate in lines[(line - 1)...].prefix(3) {
            if let open = candidate.firstIndex(of: "(") {
                let word = candidate[candidate.index(after: open)...].prefix { $0.isLetter || $0 == "_" }
                if !word.isEmpty { return String(word) }
            }
        }
        return "directive"
    }
}

final class ReportBox: @unchecked Sendable {
    var report: WastReport?
}

/// Collects reports from concurrent workers.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [WastReport?]
    init(count: Int) { reports = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ report: WastReport) { lock.withLock { reports[index] = report } }
    var all: [WastReport] { lock.withLock { reports.compactMap { $0 } } }
}

/// Prints each file's lines in the order the files were given, as soon as all before it are done.
final class OrderedPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Int: String] = [:]
    private var next = 0
    private let verbose: Bool
    private let output: @Sendable (String) -> Void

    init(count: Int, verbose: Bool, output: @escaping @Sendable (String) -> Void) {
        self.verbose = verbose
        self.output = output
    }

    func done(_ index: Int, _ report: WastReport) {
        lock.withLock {
            pending[index] = report.render(verbose: verbose)
            while let text = pending.removeValue(forKey: next) {
                output(text)
                next += 1
            }
        }
    }
}
