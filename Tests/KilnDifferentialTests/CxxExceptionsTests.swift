import Foundation
import Testing

/// A C++ program that throws (Fixtures/bench/real/exceptions_bench.cpp: exceptions through many frames with
/// destructors to run, rethrown, replaced, thrown again from copies), built for wasm with LLVM's default
/// legacy exception handling and natively with clang++ from the same source: Kiln's output must be native's.
/// WasmKit cannot run legacy exception handling, so native is the reference.
@Suite(.serialized) struct CxxExceptionsTests {
    static func native(_ arguments: [String], in directory: TemporaryDirectory) throws -> EngineResult {
        let source = Fixtures.packageRoot.appendingPathComponent("Fixtures/bench/real/exceptions_bench.cpp").path
        let executable = directory.url.appendingPathComponent("exceptions_bench").path
        if !FileManager.default.fileExists(atPath: executable) {
            let build = Process()
            build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            build.arguments = ["clang++", "-O2", "-std=c++17", "-o", executable, source]
            try build.run()
            build.waitUntilExit()
            try #require(build.terminationStatus == 0, "clang++ failed")
        }
        let run = Process()
        run.executableURL = URL(fileURLWithPath: executable)
        run.arguments = arguments
        let out = directory.url.appendingPathComponent("out")
        let err = directory.url.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        run.standardOutput = try FileHandle(forWritingTo: out)
        run.standardError = try FileHandle(forWritingTo: err)
        try run.run()
        run.waitUntilExit()
        return EngineResult(status: run.terminationStatus, stdout: try readText(out.path), stderr: try readText(err.path))
    }

    @Test(arguments: [["300", "3"], ["throws", "3000"]], [0, 2])
    func theProgramPrintsWhatItPrintsNatively(_ arguments: [String], opt: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reference = try Self.native(arguments, in: directory)
        #expect(reference.status == 0)
        #expect(reference.stdout.contains(arguments[0] == "throws" ? "guards live 0" : "checksum: "), "\(reference)")
        let kiln = try KilnEngine.run(Command(fixture: "bench/real/wasm/exceptions.wasm", arguments: arguments), opt: opt)
        #expect(kiln == reference, "kiln: \(kiln)\nnative: \(reference)")
    }
}
