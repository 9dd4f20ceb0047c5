import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import Testing

/// Store limits through the library: instances per store, memory bytes per store (counted across every
/// instance's memories), table elements.
@Suite struct StoreLimitsTests {
    static let text = """
        (module
          (memory (export "memory") 2)
          (table 1 funcref)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "grow_table") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0))))
        """

    static func build() throws -> SharedObject {
        let validated = try Kiln.validate(ModuleSource.text(text))
        let directory = NSTemporaryDirectory() + "kiln-store-limits-\(UUID().uuidString)"
        // Loaded, the object no longer needs its file: the directory goes now, not left in /tmp.
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try SharedObject(path: try Kiln.buildSharedObject(validated, name: "limits.wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory))
    }

    @Test func limitsHoldAcrossTheStoresInstances() throws {
        let artifact = try Self.build()
        let store = Store()
        store.maxInstances = 2
        store.maxStoreMemoryBytes = 5 * 65536
        store.maxTableElements = 3
        let first = try Linker.instantiate(artifact, in: store) { _, _ in nil }
        let second = try Linker.instantiate(artifact, in: store) { _, _ in nil }
        #expect(store.memoryBytes == 4 * 65536)
        #expect(try first.invoke("grow", [.i32(2)]) == [.i32(UInt32.max)])
        #expect(try second.invoke("grow", [.i32(1)]) == [.i32(2)])
        #expect(try first.invoke("grow", [.i32(1)]) == [.i32(UInt32.max)])
        #expect(try first.invoke("grow_table", [.i32(2)]) == [.i32(1)])
        #expect(try first.invoke("grow_table", [.i32(1)]) == [.i32(UInt32.max)])
        do {
            _ = try Linker.instantiate(artifact, in: store) { _, _ in nil }
            Issue.record("a third instance was allowed")
        } catch let error as InstantiationError {
            #expect(error.reason == "the store already holds 2 instances, its limit (maxInstances 2)")
        }
        // A new store's memory limit refuses an instance whose memories do not fit.
        let small = Store()
        small.maxStoreMemoryBytes = 65536
        do {
            _ = try Linker.instantiate(artifact, in: small) { _, _ in nil }
            Issue.record("a 2-page memory fit in 1 page")
        } catch let error as InstantiationError {
            #expect(error.reason.hasPrefix("memory 0 needs 128 KiB at minimum"))
        }
    }
}
