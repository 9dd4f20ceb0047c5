import Foundation
import Testing

/// `--cc "ccache clang"`: a module built again with an empty artifact cache (another machine's kiln, or a
/// pruned cache) is compiled by ccache from its own cache, because the C of the units and of the runtime has
/// nothing volatile in it; and the artifact runs.
@Suite struct CcacheTests {
    @Test func aRebuildIsServedByCcache() throws {
        let ccache = try KilnProcess.debianTool("ccache")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let shared = ["CCACHE_DIR": directory.url.appendingPathComponent("ccache").path]
        var counts: [[String: Int]] = []
        for build in 1...2 {
            let environment = shared.merging(["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache-\(build)").path]) { $1 }
            let artifact = directory.url.appendingPathComponent("fac-\(build).so").path
            let compile = try KilnProcess.run(["compile", "--cc", "ccache clang", KilnProcess.fixture("wat/fac.wat"), "-o", artifact],
                                              environment: environment)
            #expect(compile.status == 0, "\(compile.stderr)")
            let run = try KilnProcess.run(["run", artifact, "--invoke", "fac", "5"], environment: environment)
            #expect(run.stdout == "120\n", "\(run.stderr)")
            let stats = try KilnProcess.launch(URL(fileURLWithPath: ccache), ["--print-stats"], environment: shared)
            counts.append(Dictionary(stats.stdoutLines.compactMap { line in
                let fields = line.split(separator: "\t")
                return fields.count == 2 ? Int(fields[1]).map { (String(fields[0]), $0) } : nil
            }) { $1 })
        }
        // Every compile of the first build (the runtime's sources and the module's unit) missed; the second
        // build found each of them. The unit used to miss: it was compiled by its path in a temporary directory.
        let first = counts[0], second = counts[1]
        let misses = first["cache_miss"] ?? 0
        #expect(misses >= 2)
        #expect(second["cache_miss"] == misses, "\(second)")
        #expect((second["direct_cache_hit"] ?? 0) + (second["preprocessed_cache_hit"] ?? 0) == misses, "\(second)")
    }
}
