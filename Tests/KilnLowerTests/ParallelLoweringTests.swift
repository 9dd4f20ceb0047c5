import Foundation
import KilnDecode
import KilnLower
import KilnValidate
import Testing

/// Functions lowered on several threads give the same C as on one.
struct ParallelLoweringTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func lower(_ relativePath: String, jobs: Int, splitThreshold: Int = 32 * 1024) throws -> [String: String] {
        let data = try Data(contentsOf: Self.root.appendingPathComponent(relativePath))
        let source: ModuleSource = relativePath.hasSuffix(".wat") ? .text(String(decoding: data, as: UTF8.self)) : .binary([UInt8](data))
        let validated = try ModuleValidator.validate(try source.decode())
        return try ModuleLowerer.lower(validated, options: .init(name: "m", kilnVersion: "0.1.0", splitThreshold: splitThreshold, jobs: jobs)).files
    }

    @Test(arguments: ["Fixtures/wat/features.wat", "Fixtures/wat/loops.wat", "Fixtures/wasm/wasi_demo.wasm"])
    func sameCForAnyThreadCount(path: String) throws {
        let one = try lower(path, jobs: 1)
        #expect(try lower(path, jobs: 2) == one)
        #expect(try lower(path, jobs: 5) == one)
        // Split into units, too: the order of functions in every unit is the same.
        #expect(try lower(path, jobs: 3, splitThreshold: 0) == lower(path, jobs: 1, splitThreshold: 0))
    }
}
