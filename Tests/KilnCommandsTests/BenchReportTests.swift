import Foundation
import Testing

@testable import KilnCommands

/// `BenchReport`: statistics, the table `kiln bench` prints, and the keys of its JSON.
@Suite struct BenchReportTests {
    static func sample(_ run: Int, _ seconds: Double, rss: Int = 1 << 20) -> BenchReport.Sample {
        .init(run: run, wallSeconds: seconds, maxRSSBytes: rss, exit: 0)
    }

    static let report = BenchReport(
        modulePath: "Fixtures/bench/wasm/crc32.wasm", moduleSHA256: "ab", arguments: ["32", "48"], runs: 3, warmup: 1,
        optimization: 2, compileSeconds: 1.92, compileWasCached: false, stdoutBytes: 123, stdoutSHA256: "cd", exit: 0, firstStderr: [],
        engines: [
            .init(engine: .aot, warmup: [sample(0, 0.9)], timed: [sample(0, 0.812), sample(1, 0.84, rss: 73_505_177), sample(2, 0.801)]),
            .init(engine: .interp, warmup: [sample(0, 4.5)], timed: [sample(0, 4.3), sample(1, 4.21, rss: 78_957_363), sample(2, 4.15)]),
        ])

    @Test func statistics() throws {
        let odd = try #require(BenchReport.Statistics([Self.sample(0, 3), Self.sample(1, 1), Self.sample(2, 2, rss: 5)]))
        #expect([odd.median, odd.min, odd.max] == [2, 1, 3])
        #expect(odd.maxRSSBytes == 1 << 20)
        let even = try #require(BenchReport.Statistics([Self.sample(0, 4), Self.sample(1, 1), Self.sample(2, 2), Self.sample(3, 10)]))
        #expect(even.median == 3)
        #expect(BenchReport.Statistics([]) == nil)
    }

    @Test func text() {
        #expect(
            Self.report.text == """
                crc32.wasm 32 48 — 3 runs after 1 warm-up, engines alternated
                compile (aot, --opt 2): 1.920 s
                engine   median      min         max         peak RSS
                aot      812.0 ms    801.0 ms    840.0 ms    70.1 MiB
                interp   4.210 s     4.150 s     4.300 s     75.3 MiB
                aot / interp: 0.193 (interp / aot: 5.18×)
                output: identical (stdout 123 bytes, exit 0) on every run

                """)
    }

    @Test(arguments: [(0.00327, "3.27 ms"), (0.8124, "812.4 ms"), (4.2101, "4.210 s"), (123.45, "123.5 s")])
    func seconds(_ value: Double, _ text: String) {
        #expect(BenchReport.seconds(value) == text)
    }

    @Test func jsonHasEveryKey() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Self.report.json()) as? [String: Any])
        #expect(
            Set(document.keys) == [
                "module", "module_sha256", "args", "runs", "warmup", "opt", "compile_seconds", "compile_cached", "engine_order",
                "engines", "aot_over_interp", "output",
            ])
        let aot = try #require((document["engines"] as? [String: [String: Any]])?["aot"])
        #expect(aot["median_seconds"] as? Double == 0.812)
        #expect(aot["max_rss_bytes"] as? Int == 73_505_177)
        let samples = try #require(aot["samples"] as? [[String: Any]])
        #expect(samples.count == 3)
        #expect(Set(samples[0].keys) == ["run", "wall_seconds", "max_rss_bytes", "exit"])
        #expect((aot["warmup_samples"] as? [[String: Any]])?.count == 1)
    }
}
