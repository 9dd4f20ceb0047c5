import CKilnHost
import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import Testing

/// wasi-threads through the library: a store with WASI starts the threads a guest spawns, the memory it imports
/// is made to the import's type (`makeMemories(importedBy:)`), and the store waits for the threads before it
/// frees what they use.
@Suite struct WASIThreadsTests {
    @Test func aStoreRunsTheThreadsItsGuestSpawns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Fixtures/threads/spawn.wat"), encoding: .utf8)
        let directory = NSTemporaryDirectory() + "kiln-threads-tests-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let validated = try Kiln.validate(ModuleSource.text(text))
        let artifact = try SharedObject(path: try Kiln.buildSharedObject(
            validated, name: "spawn.wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory))
        for round in 0..<3 {
            let store = Store()
            // One argument (the program name): the threads count; stdout is the test process's own.
            try store.setUpWASI(arguments: ["spawn"], environment: [], preopens: [])
            let memories = store.makeMemories(importedBy: artifact)
            let memory = try #require(memories["env\u{0}memory"], "round \(round)")
            guard case .memory(let shared) = memory else { Issue.record("not a memory"); return }
            #expect(shared.pointee.shared == 1 && shared.pointee.max_pages == 1)
            let instance = try Linker.instantiate(artifact, in: store) { module, name in memories[module + "\u{0}" + name] }
            _ = try instance.invoke("_start", [])
            // 4 threads × 1000 atomic adds at 0; the thread ids' sum at 8 (ids keep counting across stores).
            let words = UnsafeRawPointer(shared.pointee.data!).assumingMemoryBound(to: UInt32.self)
            #expect(words[0] == 4000)
            #expect(words[1] == 4)
            #expect(words[2] >= 10)
        }
    }
}
