import Foundation
import Testing

/// `--cc "ccache clang"`: a module built again with an empty artifact cache (another machine's kiln, or a
/// pruned cache) is compiled by ccache from its own cache, because the C of the units and of the runtime has
/// nothing volatile in it; and the artifact runs.
@Suite struct CcacheTests {
    @Test func aRebuildIsServedByCcache() throws {
        let installed = ["/usr/bin/ccache", "/usr/local/bin/ccache"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let ccache = try #require(installed, "ccache is not installed (`make test` installs Debian's)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let shared = ["CCACHE_DIR": directory.url.appendingPathComponent("ccache").path]
        for build in 1...2 {
            let environment = shared.merging(["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache-\(build)").path]) { $1 }
            let artifact = directory.url.appendingPathComponent("fac-\(build).so").path
            let compile = try KilnProcess.run(["compile", "--cc", "ccache clang", KilnProcess.fixture("wat/fac.wat"), "-o", artifact],
                                              environment: environment)
            #expect(compile.status == 0, "\(compile.stderr)")
            let run = try KilnProcess.run(["run", artifact, "--invoke", "fac", "5"], environment: environment)
            #expect(run.stdout == "120\n", "\(run.stderr)")
        }
        let stats = try KilnProcess.launch(URL(fileURLWithPath: ccache), ["--print-stats"], environment: shared)
        let hits = stats.stdoutLines.first { $0.hasPrefix("direct_cache_hit\t") }.flatMap { Int($0.split(separator: "\t")[1]) }
        // The second build's compiles: the runtime's sources and the module's C.
        #expect((hits ?? 0) >= 2, "\(stats.stdout)")
    }
}
