import ArgumentParser
import Foundation
import Kiln
import KilnBuild
import KilnCache
import KilnLower

/// `kiln compile m.wasm -o m.so [--emit-c DIR]`: lowers a module to C and builds a shared object.
struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compile a module (.wasm or .wat) to a native shared object.")

    @Argument(help: "The module to compile.")
    var module: String

    @Option(name: .shortAndLong, help: "The shared object (or with --exe, the executable) to write (default: beside the module, named after it: app.so, or app).")
    var output: String?

    @Option(help: "Also write the generated C into this directory.")
    var emitC: String?

    @Flag(help: "Do not keep the compiled runtime in the artifact cache.")
    var noCache = false

    @Flag(help: "Link a standalone executable (runtime and WASI included) instead of a shared object.")
    var exe = false

    @Option(help: "C units to compile at once (default: all cores).")
    var jobs: Int?

    @OptionGroup var build: BuildOptions

    func run() throws {
        do {
            let (binary, validated) = try Kiln.read(path: module)
            let name = URL(fileURLWithPath: module).lastPathComponent
            if let emitC {
                // The C of the artifact these options build (without its metadata record, which names the compiler).
                let program = try Kiln.lower(
                    validated, name: name, boundsGuard: build.bounds == "guard",
                    interruption: Interruption(fuel: build.consumeFuel, epochs: build.epochInterruption),
                    optimized: (build.optimization ?? 2) > 0)
                try FileManager.default.createDirectory(atPath: emitC, withIntermediateDirectories: true)
                for (file, text) in program.files { try text.write(toFile: emitC + "/" + file, atomically: true, encoding: .utf8) }
            }
            // Only C was asked for.
            if emitC != nil, output == nil { return }
            let hasStart = validated.module.exports.contains { export in
                if case .function = export.descriptor { export.name == "_start" } else { false }
            }
            if exe, !hasStart {
                throw BuildError("cannot build an executable: the module exports no function \"_start\" (a WASI command's entry point); build a shared object and call its exports with kiln run --invoke")
            }
            let output = output ?? Self.defaultOutput(for: module, exe: exe)
            let announce = self.output == nil
            try Self.checkReplaceable(output)
            CompilerProcesses.installSignalHandlers()
            defer { CompilerProcesses.uninstallSignalHandlers() }
            StaleBuilds.remove(prefix: "kiln-compile-", in: NSTemporaryDirectory())
            let outputURL = URL(fileURLWithPath: output)
            StaleBuilds.remove(prefix: outputURL.lastPathComponent + ".kiln-tmp-", in: outputURL.deletingLastPathComponent().path)
            let directory = NSTemporaryDirectory() + "kiln-compile-\(getpid())"
            CompilerProcesses.removeOnInterrupt(directory)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let progress = ProgressBar(stage: "compiling \(name)")
            defer { progress.finish() }
            let basePlan = try build.plan(jobs: jobs)
            // Build beside the output and rename into place, so a failed build leaves nothing half-written.
            let staging = output + ".kiln-tmp-\(getpid())"
            CompilerProcesses.removeOnInterrupt(staging)
            defer { try? FileManager.default.removeItem(atPath: staging) }
            let sha256 = ContentHash.sha256(of: binary)
            try Kiln.withCachedRuntime(basePlan, cache: noCache ? nil : ArtifactCache.open()) { plan in
                if exe {
                    _ = try Kiln.buildExecutable(
                        validated, name: name, moduleSHA256: sha256, plan: plan, directory: directory, output: staging,
                        progress: progress.report)
                    return
                }
                let built = try Kiln.buildSharedObject(
                    validated, name: name, moduleSHA256: sha256, plan: plan, directory: directory, progress: progress.report)
                do {
                    try FileManager.default.copyItem(atPath: built, toPath: staging)
                } catch {
                    throw BuildError("cannot write \(output): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
                }
            }
            // Again just before the rename, which would replace whatever is there now.
            try Self.checkReplaceable(output)
            guard rename(staging, output) == 0 else { throw BuildError("cannot write \(output): \(String(cString: strerror(errno)))") }
            if announce { print("wrote \(output)") }
        } catch {
            printError(error, module: module)
            throw ExitCode(1)
        }
    }

    /// Beside the module, named after it without its .wasm or .wat: `app.so`, or `app` for an executable
    /// (`app.exe` when the module has no such extension to drop, so as not to write over it).
    static func defaultOutput(for module: String, exe: Bool) -> String {
        let url = URL(fileURLWithPath: module)
        let known = ["wasm", "wat"].contains(url.pathExtension)
        let base = known ? url.deletingPathExtension().path : url.path
        return exe ? (known ? base : base + ".exe") : base + ".so"
    }

    /// The output is replaced by a rename, which would turn a device node or a FIFO (`-o /dev/null` as root) into
    /// a regular file, or replace a symlink rather than write through it: anything there that is not a regular
    /// file is refused (as `lstat` sees it, so a symlink is refused too rather than silently replaced).
    static func checkReplaceable(_ output: String) throws(BuildError) {
        var status = stat()
        guard lstat(output, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFREG else { throw BuildError("\(output) exists and is not a regular file") }
    }
}
