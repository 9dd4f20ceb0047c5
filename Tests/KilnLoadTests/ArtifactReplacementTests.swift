import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import Testing

/// RELIABILITY.md line 52: an artifact replaced on disk while it is loaded (a rebuild into the same path, or
/// a rename over it, as the cache publishes) leaves the running instance unaffected: its code and data stay
/// the ones it loaded.
@Suite(.serialized) final class ArtifactReplacementTests {
    /// Instances refer to their store without owning it: it must outlive them.
    let store = Store()
    let directory = NSTemporaryDirectory() + "kiln-replace-tests-\(UUID().uuidString)"

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A module whose export "which" returns `value`, and whose data segment holds a long string.
    func build(_ value: Int, into subdirectory: String) throws -> String {
        let filler = String(repeating: "\(value)", count: 4_000)
        let validated = try Kiln.validate(ModuleSource.text("""
            (module
              (memory 1)
              (data (i32.const 0) "\(filler)")
              (func (export "which") (result i32) (i32.add (i32.const \(value)) (i32.load8_u (i32.const 3999)))))
            """))
        return try Kiln.buildSharedObject(validated, name: "m.wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory + "/" + subdirectory)
    }

    @Test func rebuildingIntoTheLoadedPathLeavesTheInstanceUnaffected() throws {
        let path = try build(1, into: "same")
        let instance = try Linker.instantiate(try SharedObject(path: path), in: store) { _, _ in nil }
        let before = try instance.invoke("which", [])
        #expect(before == [.i32(1 + 0x31)])  // "1"
        #expect(try build(2, into: "same") == path)
        #expect(try instance.invoke("which", []) == before)
        // A rename over it (how the cache publishes) as well.
        let other = try build(3, into: "other")
        #expect(rename(other, path) == 0)
        #expect(try instance.invoke("which", []) == before)
    }
}
