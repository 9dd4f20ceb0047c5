import Foundation
import Testing

/// `kiln bench`: no report when the engines disagree, every sample in the JSON, no ratio with one engine.
/// These check behaviour, not speed: the runs are the smallest sizes of the corpus, nothing is timed.
@Suite struct BenchCommandTests {
    static let crc32 = KilnProcess.fixture("bench/wasm/crc32.wasm")

    /// An executable shell script standing in for kiln-interp.
    static func fakeInterpreter(in directory: TemporaryDirectory, _ body: String) throws -> String {
        let path = try directory.write("fake-interp", text: "#!/bin/sh\n" + body)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func differentOutputIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fake = try Self.fakeInterpreter(in: directory, "echo 'checksum: not the one'\n")
        let json = directory.url.appendingPathComponent("bench.json").path
        let result = try KilnProcess.run([
            "bench", "--opt", "0", "--runs", "2", "--warmup", "1", "--interp", fake, "--json", json, Self.crc32, "1", "1",
        ])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(!FileManager.default.fileExists(atPath: json))
        let lines = result.stderrLines
        try #require(lines.count >= 4, "\(result.stderr)")
        #expect(lines[0] == "error: \(Self.crc32): outputs differ, so there is no report: interp warm-up 1 of 1 differs from aot warm-up 1 of 1")
        #expect(lines[1] == "  stdout line 1:")
        #expect(lines[2].hasPrefix("    aot:    \""))
        #expect(lines[3] == "    interp: \"checksum: not the one\"")
        #expect(!result.stderr.contains("exit status"))
    }

    @Test func differentExitStatusIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The fake prints exactly what the module prints, then exits 3: only the status differs.
        let run = try KilnProcess.run(["run", "--opt", "0", Self.crc32, "--", "1", "1"])
        try #require(run.status == 0 && run.stdout.hasSuffix("\n"), "\(run.stderr)")
        let fake = try Self.fakeInterpreter(in: directory, "cat <<'KILN_END'\n\(run.stdout)KILN_END\nexit 3\n")
        let json = directory.url.appendingPathComponent("bench.json").path
        let result = try KilnProcess.run(
            ["bench", "--opt", "0", "--runs", "1", "--warmup", "0", "--json", json, Self.crc32, "1", "1"],
            environment: ["KILN_INTERP": fake])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(!FileManager.default.fileExists(atPath: json))
        #expect(
            result.stderrLines == [
                "error: \(Self.crc32): outputs differ, so there is no report: interp run 1 of 1 differs from aot run 1 of 1",
                "  exit status: aot 0, interp 3",
            ])
    }

    @Test func jsonHoldsEverySample() throws {
        let kiln = try #require(KilnProcess.executable)
        let interpreter = kiln.deletingLastPathComponent().appendingPathComponent("kiln-interp").path
        try #require(FileManager.default.isExecutableFile(atPath: interpreter), "kiln-interp is not built next to kiln")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("bench.json").path
        let result = try KilnProcess.run([
            "bench", "--opt", "0", "--runs", "3", "--warmup", "1", "--json", json, Self.crc32, "--", "1", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("aot / interp: "))
        #expect(result.stdoutLines.last?.hasPrefix("output: identical (stdout ") == true)

        let data = try #require(FileManager.default.contents(atPath: json))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["module"] as? String == Self.crc32)
        #expect(document["args"] as? [String] == ["1", "1"])
        #expect(document["runs"] as? Int == 3)
        #expect(document["warmup"] as? Int == 1)
        #expect(document["opt"] as? Int == 0)
        #expect(document["engine_order"] as? [String] == ["aot", "interp"])
        #expect((document["compile_seconds"] as? Double ?? -1) >= 0)
        #expect((document["aot_over_interp"] as? Double ?? 0) > 0)
        let output = try #require(document["output"] as? [String: Any])
        #expect(output["identical"] as? Bool == true)
        #expect(output["exit"] as? Int == 0)
        let engines = try #require(document["engines"] as? [String: [String: Any]])
        #expect(Set(engines.keys) == ["aot", "interp"])
        for (name, engine) in engines {
            let samples = try #require(engine["samples"] as? [[String: Any]], "\(name)")
            #expect(samples.map { $0["run"] as? Int } == [0, 1, 2], "\(name)")
            let warmups = try #require(engine["warmup_samples"] as? [[String: Any]], "\(name)")
            #expect(warmups.map { $0["run"] as? Int } == [0], "\(name)")
            for sample in samples + warmups {
                #expect((sample["wall_seconds"] as? Double ?? 0) > 0, "\(name)")
                #expect((sample["max_rss_bytes"] as? Int ?? 0) > 0, "\(name)")
                #expect(sample["exit"] as? Int == 0, "\(name)")
            }
            let times = samples.compactMap { $0["wall_seconds"] as? Double }
            #expect(engine["min_seconds"] as? Double == times.min(), "\(name)")
            #expect(engine["max_seconds"] as? Double == times.max(), "\(name)")
            #expect(engine["median_seconds"] as? Double == times.sorted()[1], "\(name)")
        }
    }

    /// `--dir` and `--env` reach the guest under both engines: wasi_demo exits with its STATUS argument only
    /// when it could read its preopened directory (else 100), and prints the variable, which must agree.
    @Test func directoriesAndVariablesReachBothEngines() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data("bench input\n".utf8).write(to: data.appendingPathComponent("input.txt"))
        let json = directory.url.appendingPathComponent("bench.json").path
        let result = try KilnProcess.run([
            "bench", "--opt", "0", "--runs", "1", "--warmup", "0", "--json", json,
            "--dir", data.path + "::/data", "--env", "KILN_DEMO_GREETING=from bench", "--env", "KILN_DEMO_EMPTY",
            KilnProcess.fixture("wasm/wasi_demo.wasm"), "/data", "3",
        ], environment: ["KILN_DEMO_EMPTY": ""])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect((report["output"] as? [String: Any])?["exit"] as? Int == 3, "\(report)")
    }

    @Test func oneEngineHasNoRatio() throws {
        // Options before the module, the guest's arguments after it, as with `kiln run`.
        let result = try KilnProcess.run(["bench", "--engines", "aot", "--opt", "0", "--runs", "1", "--warmup", "0", Self.crc32, "1", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutLines
        try #require(lines.count == 5, "\(result.stdout)")
        #expect(lines[0] == "crc32.wasm 1 1 — 1 run after no warm-up")
        #expect(lines[1].hasPrefix("compile (aot, --opt 0): "))
        #expect(lines[2].hasPrefix("engine "))
        #expect(lines[3].hasPrefix("aot "))
        #expect(lines[4].hasPrefix("output: identical (stdout "))
        #expect(!result.stdout.contains("interp"))
    }

    @Test func aMissingInterpreterIsNamed() throws {
        let result = try KilnProcess.run(["bench", "--interp", "/nonexistent/kiln-interp", Self.crc32, "1", "1"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: --interp /nonexistent/kiln-interp: not an executable file\n")
    }

    @Test func unknownEnginesAreRefused() throws {
        let result = try KilnProcess.run(["bench", "--engines", "aot,jit", Self.crc32])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--engines: unknown engine \"jit\" (the engines are aot and interp)"))
    }
}
