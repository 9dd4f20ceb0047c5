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

    public init(compiler: CCompiler = CCompiler(), flags: CompileFlags = CompileFlags(), runtime: RuntimeSources) {
        self.compiler = compiler
        self.flags = flags
        self.runtime = runtime
    }

    /// Writes the program into `directory` and links `directory/module.so`; returns its path.
    public func buildSharedObject(_ program: CProgram, in directory: String) throws(BuildError) -> String {
        let runtimeObjects = try RuntimeObjects.shared.objects(for: self)
        var objects: [String] = []
        for (name, text) in program.files.sorted(by: { $0.key < $1.key }) {
            let source = directory + "/" + name
            do {
                try text.write(toFile: source, atomically: false, encoding: .utf8)
            } catch {
                throw BuildError("cannot write \(source): \(error.localizedDescription)")
            }
            let object = source + ".o"
            try compile(source, to: object)
            objects.append(object)
        }
        let output = directory + "/module.so"
        var link = compiler.command + ["-shared", "-o", output] + objects + runtimeObjects
        if flags.sanitize { link += ["-fsanitize=undefined,address", "-shared-libsan"] }
        try run(link)
        return output
    }

    func compile(_ source: String, to object: String) throws(BuildError) {
        try run(compiler.command + flags.arguments + ["-I", runtime.include, "-c", source, "-o", object])
    }

    func run(_ command: [String]) throws(BuildError) {
        let result = try Subprocess.run(command)
        guard result.status == 0 else {
            let failure = CompilerFailure(command: command, output: result.output, status: result.status)
            throw BuildError(failure.description)
        }
    }
}

/// The runtime compiled once per build plan and process, in a temporary directory.
final class RuntimeObjects: @unchecked Sendable {
    static let shared = RuntimeObjects()
    private let lock = NSLock()
    private var built: [String: [String]] = [:]

    func objects(for plan: BuildPlan) throws(BuildError) -> [String] {
        let key = "\(plan.compiler.description)|\(plan.flags.arguments.joined(separator: " "))|\(plan.runtime.root)"
        lock.lock()
        defer { lock.unlock() }
        if let objects = built[key] { return objects }
        let directory = NSTemporaryDirectory() + "kiln-runtime-\(getpid())-\(built.count)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BuildError("cannot create \(directory): \(error.localizedDescription)")
        }
        var objects: [String] = []
        for source in plan.runtime.sources {
            // src/wasi/fd_io.c → wasi_fd_io.c.o: the relative path keeps names unique.
            let relative = source.dropFirst(plan.runtime.root.count + "/src/".count).replacingOccurrences(of: "/", with: "_")
            let object = directory + "/" + relative + ".o"
            try plan.compile(source, to: object)
            objects.append(object)
        }
        built[key] = objects
        return objects
    }
}
