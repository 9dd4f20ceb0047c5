import Foundation
import Kiln
import Testing

/// `Fixtures/wasm/simd_scan.wasm` (v128) and `simd_scan_scalar.wasm` (the same source without simd128)
/// under WasmKit's interpreter and under `kiln run`.
struct SimdScanTests {
    static let builds = ["wasm/simd_scan.wasm", "wasm/simd_scan_scalar.wasm"]

    /// Small enough for the interpreter; odd so that the byte and float tails are exercised.
    static func command(_ fixture: String, size: Int = 65_539, passes: Int = 3) -> Command {
        Command(fixture: fixture, arguments: [String(size), String(passes)])
    }

    @Test(arguments: builds)
    func kilnAcceptsTheFixture(_ fixture: String) throws {
        _ = try Kiln.validate(path: Fixtures.path(fixture))
    }

    @Test(arguments: builds)
    func sameOutputUnderBothEngines(_ fixture: String) throws {
        let reference = try WasmKitEngine.run(Self.command(fixture))
        let kiln = try KilnEngine.run(Self.command(fixture), opt: 2)
        #expect(reference.status == 0, "WasmKit: \(reference)")
        #expect(reference.stdout.contains("checksum: "), "WasmKit: \(reference)")
        #expect(kiln.status == reference.status, "kiln: \(kiln)")
        #expect(kiln.stdout == reference.stdout, "kiln: \(kiln)\nWasmKit: \(reference)")
    }

    /// The scalar path mirrors the vector lanes, so the two builds differ only in the word naming the path.
    @Test(arguments: [(16, 1), (31, 2), (4_099, 5)])
    func simdAndScalarBuildsAgree(size: Int, passes: Int) throws {
        let simd = try WasmKitEngine.run(Self.command(Self.builds[0], size: size, passes: passes))
        let scalar = try WasmKitEngine.run(Self.command(Self.builds[1], size: size, passes: passes))
        #expect(simd.status == 0 && scalar.status == 0)
        #expect(simd.stdout.contains(", simd128\n"))
        #expect(simd.stdout.replacingOccurrences(of: ", simd128\n", with: ", scalar\n") == scalar.stdout)
    }
}
