import Foundation
import Testing

@testable import KilnBuild

/// What Kiln learns of its C compiler: the target triple comes from `-dumpmachine`'s stdout alone, and a
/// compiler that names no target is an error, never a triple made of its complaints.
@Suite struct CompilerIdentityTests {
    /// A `--cc` script: `--version` and `-###` answer plainly; `-dumpmachine` runs `dumpmachine`.
    static func fakeCompiler(dumpmachine: String) throws -> (CCompiler, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-identity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = directory + "/cc"
        let text = """
            #!/bin/sh
            case "$1" in
              --version) echo "fake clang 1.0" ;;
              -dumpmachine) \(dumpmachine) ;;
            esac
            """
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        // Run by sh, not executed itself: a file just written can be "busy" to exec while another test's
        // spawn holds a descriptor of it (ETXTBSY), which failed this test once under parallel runs.
        return (CCompiler("sh " + script), directory)
    }

    /// distcc without its state directory complains on stderr and still answers on stdout: the complaints
    /// were once taken into the triple, and every artifact it built was refused as built for another machine.
    @Test func theTargetIsStdoutsLastLineAlone() throws {
        let (compiler, directory) = try Self.fakeCompiler(
            dumpmachine: "echo \"distcc[1] (dcc_mkdir) ERROR: mkdir '/x/lock' failed\" >&2; echo x86_64-pc-linux-gnu")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CompilerIdentity.of(compiler).target == "x86_64-pc-linux-gnu")
    }

    @Test(arguments: ["exit 1", "echo 'no target here'", "true"])
    func aCompilerThatNamesNoTargetIsAnError(dumpmachine: String) throws {
        let (compiler, directory) = try Self.fakeCompiler(dumpmachine: dumpmachine)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = #expect(throws: BuildError.self) { try CompilerIdentity.of(compiler) }
        #expect(error?.reason.contains("-dumpmachine did not name a target") == true, "\(String(describing: error?.reason))")
    }

    @Test func discardingErrorsKeepsStdoutOnly() throws {
        let result = try Subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], discardingErrors: true)
        #expect(result.status == 3)
        #expect(result.output == "out\n")
    }
}
