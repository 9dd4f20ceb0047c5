import Foundation
import Testing

/// `kiln wast --validate-only`: a line per script, then exactly `N passed, M failed, K skipped`; exit 1 on
/// any failure. (Without `--validate-only` every module is compiled with clang; that is KilnWast's to test.)
struct WastCommandTests {
    static let passing = """
        (module (func (export "f") (result i32) (i32.const 1)))
        (assert_return (invoke "f") (i32.const 1))
        (assert_invalid (module (func (result i32) (f64.const 0))) "type mismatch")
        """

    static let failing = """
        (assert_invalid (module (func)) "type mismatch")
        (module (func (result i32) (i32.const 0)))
        """

    @Test func passingScript() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("ok.wast", text: Self.passing)
        let result = try KilnProcess.run(["wast", path, "--jobs", "1", "--validate-only"])
        #expect(result.status == 0)
        #expect(result.stdoutLines == ["ok.wast: 2 passed, 0 failed, 1 skipped", "2 passed, 0 failed, 1 skipped"])
    }

    @Test func failingScriptExitsOneAndTotalsAllScripts() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ok = try directory.write("ok.wast", text: Self.passing)
        let bad = try directory.write("bad.wast", text: Self.failing)
        let result = try KilnProcess.run(["wast", ok, bad, "--jobs", "2", "--validate-only"])
        #expect(result.status == 1)
        #expect(result.stdoutLines.first == "ok.wast: 2 passed, 0 failed, 1 skipped")
        #expect(result.stdoutLines.contains("bad.wast: 1 passed, 1 failed, 0 skipped"))
        #expect(result.stdoutLines.contains("  line 1: assert_invalid: module accepted, expected invalid: \"type mismatch\""))
        #expect(result.stdoutLines.last == "3 passed, 1 failed, 1 skipped")
    }

    /// `--cache DIR`: built modules are kept by their generated C. A module met again, in another script or
    /// another run, is not compiled again; a module whose C differs (here, another constant) gets its own
    /// entry.
    @Test func theCacheKeepsModulesByTheirCAndReusesThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = directory.url.appendingPathComponent("cache").path
        let one = try directory.write("one.wast", text: Self.passing)
        let again = try directory.write("again.wast", text: Self.passing)
        func entries() -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter { $0.count == 64 })
        }
        let first = try KilnProcess.run(["wast", one, again, "--jobs", "1", "--cache", cache])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdoutLines.last == "6 passed, 0 failed, 0 skipped")
        let built = entries()
        #expect(built.count == 1)  // one module, in two scripts
        let second = try KilnProcess.run(["wast", one, "--jobs", "1", "--cache", cache])
        #expect(second.stdoutLines.last == "3 passed, 0 failed, 0 skipped")
        #expect(entries() == built)
        let other = try directory.write("other.wast", text: Self.passing.replacingOccurrences(of: "(i32.const 1)", with: "(i32.const 2)"))
        let third = try KilnProcess.run(["wast", other, "--jobs", "1", "--cache", cache])
        #expect(third.stdoutLines.last == "3 passed, 0 failed, 0 skipped")
        #expect(entries().count == 2)
    }
}
