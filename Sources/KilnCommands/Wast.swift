import ArgumentParser
import KilnWast

#if canImport(Glibc)
    import Glibc
#endif

/// `kiln wast FILE… [--jobs N]`: runs spec test scripts; the last line is `N passed, M failed, K skipped`.
struct Wast: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run WebAssembly spec test scripts (.wast).")

    @Argument(help: "Scripts to run.")
    var files: [String]

    @Option(name: [.short, .long], help: "Files to run at once (default: all cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "List every failure, and rejections whose wording differs from the script's.")
    var verbose = false

    func run() throws {
        let jobs = max(1, self.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let summary = WastRunner.run(files: files, jobs: jobs, verbose: verbose) { text in
            print(text)
        }
        print(summary.line)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
