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
    /// Objects of units compiled before (the artifact cache), reused when a unit's inputs are the same; nil
    /// compiles every unit.
    public var unitObjects: (any UnitObjectStore)?

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
        let units = try compileUnits(program, in: directory, progress: progress)
        let output = directory + "/module.so"
        var link = compiler.command + ["-shared", "-o", output] + units.objects + runtimeObjects
        if flags.sanitize { link += ["-fsanitize=undefined,address", "-shared-libsan"] }
        try linkObjects(link, units, in: directory)
        return output
    }

    /// Like `buildSharedObject`, but links a standalone executable: the module, the runtime, WASI, the
    /// setjmp boundary (Runtime/host/invoke.c) and a main (Runtime/exe/exe_main.c) that runs `_start`.
    public func buildExecutable(_ program: CProgram, in directory: String, output: String, progress: Progress? = nil) throws(BuildError) -> String {
        let runtimeObjects = try runtimeObjectFiles()
        let units = try compileUnits(program, in: directory, progress: progress)
        var mainObjects: [String] = []
        let hostSources = ["host/invoke.c", "host/command.c", "host/threads.c", "host/backtrace.c", "host/line_table.c", "exe/exe_main.c"]
        for source in hostSources.map({ runtime.root + "/" + $0 }) {
            let object = directory + "/" + URL(fileURLWithPath: source).lastPathComponent + ".o"
            try compile(source, to: object, flags: flags.runtime)
            mainObjects.append(object)
        }
        var link = compiler.command + ["-o", output] + units.objects + mainObjects + runtimeObjects + ["-lm", "-pthread"]
        if flags.sanitize { link += ["-fsanitize=undefined,address"] }
        try linkObjects(link, units, in: directory)
        return output
    }

    /// Runs the link, then keeps the objects just compiled in `unitObjects`: only objects that linked are
    /// kept, so one a compiler wrote wrong does not fail later builds of its unit. When the link fails and some
    /// objects came from `unitObjects` (kept by an older build), those units are compiled again and linked once
    /// more; the second failure is the error.
    func linkObjects(_ command: [String], _ units: CompiledUnits, in directory: String) throws(BuildError) {
        let fetched = units.stored.filter(\.fetched)
        var relinked = false
        do {
            try run(command)
        } catch where !fetched.isEmpty {
            for unit in fetched {
                // The fetched object may be a link to the cache's file: never written through.
                unlink(directory + "/" + unit.name + ".o")
                unitObjects?.discard(unit.inputs)
                try compileUnit(unit.name, in: directory)
            }
            try run(command)
            relinked = true
        }
        let kept = units.stored.filter { relinked || !$0.fetched }
        guard let store = unitObjects, !kept.isEmpty else { return }
        let queue = WorkQueue(Array(kept.indices))
        DispatchQueue.concurrentPerform(iterations: min(jobs, kept.count)) { _ in
            while let index = queue.take() {
                let object = directory + "/" + kept[index].name + ".o"
                // A compiler that reported success may have written anything that still links (nothing here
                // calls into it yet): at least it must look like an object.
                if UnitInputs.isObjectFile(object) { store.keep(object, for: kept[index].inputs) }
            }
        }
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

    /// The objects of a program's units, in unit order, and the units `unitObjects` keeps: their inputs, and
    /// whether their objects came from it (else they are kept there once they link).
    struct CompiledUnits {
        var objects: [String]
        var stored: [(name: String, inputs: UnitInputs, fetched: Bool)]
    }

    /// Writes every file, then compiles the `.c` units `jobs` at a time, largest first (at -O0 a few at a time
    /// through `batch_N.c` files that include them; see `UnitSchedule`), or takes their objects from
    /// `unitObjects`.
    func compileUnits(_ program: CProgram, in directory: String, progress: Progress?) throws(BuildError) -> CompiledUnits {
        var files = program.files
        var units = program.units
        var sizes = units.map { files[$0]?.utf8.count ?? 0 }
        // instance.c, which every change to the module changes, is compiled on its own: in a batch it would
        // change that batch's C, and the batch's object could never be reused.
        let functionUnits = units.filter { $0 != "instance.c" }
        if flags.optimization == 0, functionUnits.count > jobs {
            let functionSizes = functionUnits.map { files[$0]?.utf8.count ?? 0 }
            // With unit objects kept, a few batches a job: a module with one function changed then compiles a
            // fraction of itself again, not half (Lua at -O0: 1.4 s against 3.0 s), for a little more header
            // parsing in its first build.
            let batchJobs = unitObjects == nil ? jobs : jobs * Self.batchesPerJob
            let batches = UnitSchedule.batches(functionSizes, jobs: batchJobs, maxBytes: Self.batchBytes)
            if batches.count < functionUnits.count {
                units = batches.indices.map { "batch_\($0).c" }
                for (name, batch) in zip(units, batches) {
                    files[name] = batch.map { "#include \"\(functionUnits[$0])\"\n" }.joined()
                }
                sizes = batches.map { $0.reduce(0) { $0 + functionSizes[$1] } }
                if files["instance.c"] != nil {
                    units.append("instance.c")
                    sizes.append(files["instance.c"]?.utf8.count ?? 0)
                }
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
        let written = files
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while results.firstError == nil, let index = queue.take() {
                do throws(BuildError) {
                    if let (inputs, fetched) = try compileOrFetchUnit(sources[index], of: written, in: directory) {
                        results.note(index, inputs, fetched: fetched)
                    }
                    results.set(index, nil)
                } catch {
                    results.set(index, error)
                }
                progress?(results.done, sources.count)
            }
        }
        if let failure = results.firstError { throw failure }
        return CompiledUnits(objects: sources.map { directory + "/" + $0 + ".o" },
                             stored: results.noted.map { (sources[$0.index], $0.inputs, $0.fetched) })
    }

    /// The most C one -O0 batch holds (clang needs about 20 bytes of memory per byte of this C at -O0).
    static let batchBytes = 8 << 20
    /// -O0 batches for each job when unit objects are kept.
    static let batchesPerJob = 2

    /// A unit's object from `unitObjects` when its inputs were compiled before, else compiled. Returns the
    /// unit's inputs and whether its object was fetched; nil when the unit is not one `unitObjects` keeps.
    func compileOrFetchUnit(_ name: String, of files: [String: String], in directory: String) throws(BuildError) -> (UnitInputs, Bool)? {
        guard let store = unitObjects, UnitInputs.kept(name, of: files) else {
            try compileUnit(name, in: directory)
            return nil
        }
        let inputs = UnitInputs(name, of: files, arguments: unitArguments(name))
        if store.fetch(inputs, to: directory + "/" + name + ".o") { return (inputs, true) }
        try compileUnit(name, in: directory)
        return (inputs, false)
    }

    /// The flags a unit is compiled with.
    func unitArguments(_ name: String) -> [String] {
        var unitFlags = flags
        // A split module's instance.c (instantiation and the export trampolines) runs once or at the host
        // boundary; -O2's scheduler spent 0.88 s on Lua's for nothing when kiln_init had one store per function
        // (now a table and a loop: 0.1 s at -O1).
        if name == "instance.c" { unitFlags.optimization = min(unitFlags.optimization, 1) }
        return unitFlags.arguments + ["-I", runtime.include]
    }

    /// A unit, compiled inside the work directory by its relative name, with the directory mapped to "." in
    /// its debug information: the command and the object then name no temporary path, so a compiler cache
    /// (`--cc "ccache clang"`) serves the same C from another build's work directory, and the artifact's
    /// line tables say nothing about where it was built. With absolute paths ccache missed every unit.
    func compileUnit(_ name: String, in directory: String) throws(BuildError) {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0
        // A word of the compiler given as a relative path (`--cc ./cc.sh`) names a file from kiln's directory.
        let command = compiler.command.map { $0.contains("/") ? URL(fileURLWithPath: $0).standardizedFileURL.path : $0 }
        try run(command + unitArguments(name) + ["-fdebug-prefix-map=\(directory)=.", "-c", name, "-o", name + ".o"],
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

    /// Units `unitObjects` keeps: their inputs, and whether their objects came from it.
    private var units: [(index: Int, inputs: UnitInputs, fetched: Bool)] = []
    func note(_ index: Int, _ inputs: UnitInputs, fetched: Bool) { lock.withLock { units.append((index, inputs, fetched)) } }
    var noted: [(index: Int, inputs: UnitInputs, fetched: Bool)] { lock.withLock { units.sorted { $0.index < $1.index } } }
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
