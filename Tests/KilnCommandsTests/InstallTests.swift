import Foundation
import Testing

/// An installed Kiln (the layout `make install` makes: `bin/kiln`, `bin/kiln-driver`, the runtime sources in
/// `share/kiln/runtime`) compiles with the runtime installed beside its programs, never the checkout's: a
/// broken copy there fails the build, and a good one runs the module.
@Suite struct InstallTests {
    @Test func anInstalledKilnUsesTheRuntimeInstalledBesideIt() throws {
        let kiln = try #require(KilnProcess.executable)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = FileManager.default
        let bin = directory.url.appendingPathComponent("bin")
        let runtime = directory.url.appendingPathComponent("share/kiln/runtime")
        try files.createDirectory(at: bin, withIntermediateDirectories: true)
        try files.createDirectory(at: runtime, withIntermediateDirectories: true)
        // Copies, not links: a program finds its runtime from its own real path.
        for program in ["kiln", "kiln-driver"] {
            try files.copyItem(at: kiln.deletingLastPathComponent().appendingPathComponent(program), to: bin.appendingPathComponent(program))
        }
        for folder in ["include", "src", "host", "exe"] {
            try files.copyItem(at: KilnProcess.packageRoot.appendingPathComponent("Runtime/" + folder), to: runtime.appendingPathComponent(folder))
        }
        let module = try directory.write("hello.wat", text: """
            (module (func (export "answer") (result i32) (i32.const 42)))
            """)
        let installed = bin.appendingPathComponent("kiln")
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
        // The copies were open for writing, and a process other tests fork meanwhile holds those descriptors
        // until it execs, so exec'ing a copy can fail with ETXTBSY for a moment (a CI run under load did).
        func launch() throws -> KilnProcess.Result {
            var result = try KilnProcess.launch(installed, ["run", "--opt", "0", module, "--invoke", "answer"], environment: environment,
                                                unset: ["KILN_RUNTIME_DIR"])
            for _ in 0..<50 where result.stderr.contains("Text file busy") {
                usleep(100_000)
                result = try KilnProcess.launch(installed, ["run", "--opt", "0", module, "--invoke", "answer"], environment: environment,
                                                unset: ["KILN_RUNTIME_DIR"])
            }
            return result
        }
        let good = try launch()
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "42\n")

        let trap = runtime.appendingPathComponent("src/trap.c")
        let text = try String(contentsOf: trap, encoding: .utf8)
        try (text + "\n#error the installed runtime is the one compiled\n").write(to: trap, atomically: true, encoding: .utf8)
        let broken = try launch()
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("the installed runtime is the one compiled"), "\(broken.stderr)")
    }
}
