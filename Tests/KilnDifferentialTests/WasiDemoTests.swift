import Foundation
import Kiln
import Testing

/// `Fixtures/wasm/wasi_demo.wasm` (files, directory listing, clocks, random, args, environment, exit status)
/// under WasmKit's interpreter and under `kiln run`: the same stdout, status and `output.txt`.
struct WasiDemoTests {
    static let input = """
        The quick brown fox
        jumps over the lazy dog.
        \ttabs, trailing spaces   \n
        last line without a newline
        """

    /// A fresh sandbox per engine: each one writes its own `output.txt`.
    static func sandbox() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("input.txt", text: input)
        try directory.makeDirectory("notes")
        try directory.write("notes/ignored.txt", text: "not listed: the listing is not recursive\n")
        return directory
    }

    static func command(_ sandbox: TemporaryDirectory, status: Int) -> Command {
        Command(
            fixture: "wasm/wasi_demo.wasm",
            arguments: ["/sandbox", String(status), "two words", "", "ünïcödé"],
            environment: [("KILN_DEMO_GREETING", "hello, differential"), ("KILN_DEMO_EMPTY", "")],
            preopens: [Preopen(host: sandbox.path, guest: "/sandbox")])
    }

    @Test func kilnAcceptsTheFixture() throws {
        _ = try Kiln.validate(path: Fixtures.path("wasm/wasi_demo.wasm"))
    }

    @Test(arguments: [0, 7])
    func sameOutputUnderBothEngines(status: Int) throws {
        let referenceSandbox = try Self.sandbox()
        defer { referenceSandbox.remove() }
        let kilnSandbox = try Self.sandbox()
        defer { kilnSandbox.remove() }

        let reference = try WasmKitEngine.run(Self.command(referenceSandbox, status: status))
        let kiln = try KilnEngine.run(Self.command(kilnSandbox, status: status))

        #expect(reference.status == Int32(status), "WasmKit: \(reference)")
        #expect(reference.stdout.contains("failures: 0\n"), "WasmKit: \(reference)")
        #expect(kiln.status == reference.status, "kiln: \(kiln)")
        #expect(kiln.stdout == reference.stdout, "kiln: \(kiln)\nWasmKit: \(reference)")
        let referenceOutput = try readText(referenceSandbox.url.appendingPathComponent("output.txt").path)
        let kilnOutput = try readText(kilnSandbox.url.appendingPathComponent("output.txt").path)
        #expect(!referenceOutput.isEmpty)
        #expect(kilnOutput == referenceOutput)
    }

    /// Pins the reference output's shape, so that an engine that skips a section cannot go unnoticed.
    @Test func referenceOutputCoversEverySection() throws {
        let sandbox = try Self.sandbox()
        defer { sandbox.remove() }
        let result = try WasmKitEngine.run(Self.command(sandbox, status: 0))
        for line in [
            "argc: 6", "argv[0]: \"wasi_demo.wasm\"", "argv[4]: \"\"", "argv[5]: \"ünïcödé\"",
            "env KILN_DEMO_GREETING: \"hello, differential\"", "env KILN_DEMO_EMPTY: \"\"", "env KILN_DEMO_MISSING: (unset)",
            "input.txt first line: The quick brown fox", "stat input.txt: regular file: yes, size matches: yes",
            "output.txt: wrote 41 bytes, read back 41, identical: yes", "directory: 3 entries: input.txt notes output.txt",
            "monotonic clock advances: yes", "realtime after 2020: yes", "random bytes: 32, not all zero: yes",
        ] {
            #expect(result.stdout.contains(line + "\n"), "missing \(line) in \(result)")
        }
    }
}
