import Foundation
import KilnLower
import KilnModel

/// Turns a `CProgram` into a shared object: the runtime's objects are compiled once per (compiler, flags,
/// runtime sources) into a directory of their own and reused; the module's units are compiled and linked
/// with them.
public struct BuildPlan: Sendable {
    public let compiler: CCompiler
    public let flags: CompileFlags
    public let runtime: RuntimeSources
    /// Units compiled at once.
    public let jobs: Int
    /// The runtime already compiled into one relocatable object (see `buildRuntimeObject`), typically from
    /// the artifact cache; nil compiles the runtime once per process instead.
    public var runtimeObject: String?
    /// The nice value the C compiler runs at: 19 for a tiered run's background build of the optimized tier,
    /// so that it takes only cores nothing else wants.
    public var niceness: Int32 = 0

    public init(compiler: CCompiler = CCompiler(), flags: CompileFlags = CompileFlags(), runtime: RuntimeSources, jobs: Int = BuildPlan.processorCount) {
        self.compiler = compiler
        self.flags = flags
        self.runtime = runtime
        self.jobs = max(1, jobs)
    }

    public static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// What a build reports as it goes: units compiled of the total.
    public typealias Progress = @Sendable (_ compiled: Int, _ total: Int) -> Void

    /// Writes the program into `directory`, compiles its units in parallel and links `directory/module.so`.
    public func buildSharedObject(_ program: CProgram, in directory: String, progress: Progress? = nil) throws(BuildError) -> String {
        let runtimeObjects = try runtimeObjectFiles()
        let objects = try compileUnits(program, in: directory, progress: progress)
        let output = directory + "/module.so"
        var link = compiler.command + ["-shared", "-o", output] + objects + runtimeObjects
        if flags.sanitize { link += ["-fsanitize=undefined,address", "-shared-libsan"] }
        try run(link)
        return output
    }

    /// Like `buildSharedObject`, but links a standalone executable: the module, the runtime, WASI, the
    /// setjmp boundary (Runtime/host/invoke.c) and a main (Runtime/exe/exe_main.c) that runs `_start`.
    public func buildExecutable(_ program: CProgram, in directory: String, output: String, progress: Progress? = nil) throws(BuildError) -> String {
        let runtimeObjects = try runtimeObjectFiles()
        let objects = try compileUnits(program, in: directory, progress: progress)
        var mainObjects: [String] = []
        let hostSources = ["host/invoke.c", "host/command.c", "host/threads.c", "host/backtrace.c", "host/line_table.c", "exe/exe_main.c"]
        for source in hostSources.map({ runtime.root + "/" + $0 }) {
            let object = directory + "/" + URL(fileURLWithPath: source).lastPathComponent + ".o"
            try compile(source, to: object, flags: flags.runtime)
            mainObjects.append(object)
        }
        var link = compiler.command + ["-o", output] + objects + mainObjects + runtimeObjects + ["-lm", "-pthread"]
        if flags.sanitize { link += ["-fsanitize=undefined,address"] }
        try run(link)
        return output
    }

    func runtimeObjectFiles() throws(BuildError) -> [String] {
        if let runtimeObject { return [runtimeObject] }
        return try RuntimeObjects.shared.objects(for: self)
    }

    /// Compiles the runtime (in parallel) and partially links it into `directory/kiln_runtime.o`, one file
    /// an artifact cache can keep: the runtime then costs nothing to later builds with the same compiler,
    /// flags and sources.
    public func buildRuntimeObject(in directory: String) throws(BuildError) -> String {
        let sources = runtime.sources
        let results = UnitResults(count: sources.count)
        let objects = sources.map { source in
            directory + "/" + source.dropFirst(runtime.root.count + "/src/".count).replacingOccurrences(of: "/", with: "_") + ".o"
        }
        let workers = max(1, min(jobs, sources.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            // After a failure the rest is not compiled: the build fails anyway, and a hung compiler would
            // otherwise cost its timeout once per remaining source.
            while index < sources.count, results.firstError == nil {
                do throws(BuildError) {
                    try compile(sources[index], to: objects[index], flags: flags.runtime)
                    results.set(index, nil)
                } catch {
                    results.set(index, error)
                }
                index += workers
            }
        }
        if let failure = results.firstError { throw failure }
        let output = directory + "/kiln_runtime.o"
        try run(compiler.command + ["-r", "-o", output] + objects)
        return output
    }

    /// Writes every file, then compiles the `.c` units `jobs` at a time, largest first (at -O0 a few at a time
    /// through `batch_N.c` files that include them; see `UnitSchedule`); returns the objects in unit order.
    func compileUnits(_ program: CProgram, in directory: String, progress: Progress?) throws(BuildError) -> [String] {
        var files = program.files
        var units = program.units
        var sizes = units.map { files[$0]?.utf8.count ?? 0 }
        if flags.optimization == 0, units.count > jobs {
            let batches = UnitSchedule.batches(sizes, jobs: jobs, maxBytes: Self.batchBytes)
            if batches.count < units.count {
                let unbatched = units
                units = batches.indices.map { "batch_\($0).c" }
                for (name, batch) in zip(units, batches) {
                    files[name] = batch.map { "#include \"\(unbatched[$0])\"\n" }.joined()
                }
                sizes = batches.map { $0.reduce(0) { $0 + sizes[$1] } }
            }
        }
        for (name, text) in files {
            let path = directory + "/" + name
            do {
                try text.write(toFile: path, atomically: false, encoding: .utf8)
            } catch {
                throw BuildError("cannot write \(path): \(error.localizedDescription)")
            }
        }
        let sources = units
        let results = UnitResults(count: sources.count)
        let queue = WorkQueue(UnitSchedule.largestFirst(sizes))
        let workers = min(jobs, sources.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while results.firstError == nil, let index = queue.take() {
                do throws(BuildError) {
                    try compileUnit(sources[index], in: directory)
                    results.set(index, nil)
                } catch {
                    results.set(index, error)
                }
                progress?(results.done, sources.count)
            }
        }
        if let failure = results.firstError { throw failure }
        return sources.map { directory + "/" + $0 + ".o" }
    }

    /// The most C one -O0 batch holds (clang needs about 20 bytes of memory per byte of this C at -O0).
    static let batchBytes = 8 << 20

    /// A unit, compiled inside the work directory by its relative name, with the directory mapped to "." in
    /// its debug information: the command and the object then name no temporary path, so a compiler cache
    /// (`--cc "ccache clang"`) serves the same C from another build's work directory, and the artifact's
    /// line tables say nothing about where it was built. With absolute paths ccache missed every unit.
    func compileUnit(_ name: String, in directory: String) throws(BuildError) {
        var unitFlags = flags
        // A split module's instance.c (instantiation and the export trampolines) runs once or at the host
        // boundary; -O2's scheduler spent 0.88 s on Lua's for nothing when kiln_init had one store per function
        // (now a table and a loop: 0.1 s at -O1).
        if name == "instance.c" { unitFlags.optimization = min(unitFlags.optimization, 1) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0
        // A word of the compiler given as a relative path (`--cc ./cc.sh`) names a file from kiln's directory.
        let command = compiler.command.map { $0.contains("/") ? URL(fileURLWithPath: $0).standardizedFileURL.path : $0 }
        try run(command + unitFlags.arguments + ["-fdebug-prefix-map=\(directory)=.", "-I", runtime.include, "-c", name, "-o", name + ".o"],
                timeout: CompileTimeout.seconds(sourceBytes: bytes), directory: directory)
    }

    /// A runtime source, by its path (stable: the runtime's directory), with `flags`.
    func compile(_ source: String, to object: String, flags: CompileFlags) throws(BuildError) {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: source)[.size] as? Int) ?? 0
        try run(compiler.command + flags.arguments + ["-I", runtime.include, "-c", source, "-o", object],
                timeout: CompileTimeout.seconds(sourceBytes: bytes))
    }

    func run(_ command: [String], timeout: Double = CompileTimeout.seconds(), directory: String? = nil) throws(BuildError) {
        let result = try Subprocess.run(command, timeout: timeout, directory: directory, niceness: niceness)
        guard result.status == 0 else {
            let failure = CompilerFailure(command: command, output: result.output, status: result.status)
            throw BuildError(failure.description)
        }
    }
}

/// Outcomes of units compiled concurrently.
final class UnitResults: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [BuildError?]
    private var finished = 0

    init(count: Int) { errors = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ error: BuildError?) {
        lock.withLock {
            errors[index] = error
            finished += 1
        }
    }

    var done: Int { lock.withLock { finished } }
    var firstError: BuildError? { lock.withLock { errors.compactMap { $0 }.first } }
}

/// The runtime compiled once per build plan and process, in a temporary directory.
final class RuntimeObjects: @unchecked Sendable {
    static let shared = RuntimeObjects()
    private let lock = NSLock()
    private var built: [String: String] = [:]
    private var directories: [String] = []

    /// The runtime as one object built by `BuildPlan.buildRuntimeObject`, once per (compiler, flags,
    /// sources) in this process; its temporary directory is removed when the process exits.
    func objects(for plan: BuildPlan) throws(BuildError) -> [String] {
        let key = "\(plan.compiler.description)|\(plan.flags.runtime.arguments.joined(separator: " "))|\(plan.runtime.root)"
        lock.lock()
        defer { lock.unlock() }
        if let object = built[key] { return [object] }
        let directory = NSTemporaryDirectory() + "kiln-runtime-\(getpid())-\(built.count)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BuildError("cannot create \(directory): \(error.localizedDescription)")
        }
        if directories.isEmpty { atexit { RuntimeObjects.shared.removeDirectories() } }
        directories.append(directory)
        CompilerProcesses.removeOnInterrupt(directory)
        let object = try plan.buildRuntimeObject(in: directory)
        built[key] = object
        return [object]
    }

    private func removeDirectories() {
        for directory in lock.withLock({ directories }) { try? FileManager.default.removeItem(atPath: directory) }
    }
}
