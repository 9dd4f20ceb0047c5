import Foundation
import Kiln
import Testing

/// A `Module` is `Sendable`: one compiled module, instantiated in a store per thread, runs on all of them at
/// once.
@Suite struct ConcurrencyTests {
    @Test func storesOfOneModuleRunInParallelThreads() async throws {
        let module = try Module(engine: Shared.engine, wat: """
            (module
              (import "env" "tick" (func $tick (param i32)))
              (memory (export "memory") 1)
              (func (export "sum") (param i32) (result i64) (local $i i32) (local $s i64)
                (loop $l
                  (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (local.get $i))))
                  (i32.store (i32.const 0) (local.get $i))
                  (call $tick (local.get $i))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
                (local.get $s)))
            """)
        let results = try await withThrowingTaskGroup(of: (Int64, Int).self) { group in
            for thread in 0..<4 {
                group.addTask {
                    let store = Store()
                    store.data = thread
                    let linker = Linker()
                    final class Ticks: @unchecked Sendable { var count = 0 }
                    let ticks = Ticks()
                    try linker.defineFunction("env", "tick") { (caller: Caller, i: Int32) in
                        // Each store's own memory and data, whatever the other threads do.
                        guard try caller.memory()?.read(Int32.self, at: 0) == i, caller.data(as: Int.self) == thread else { throw CancellationError() }
                        ticks.count += 1
                    }
                    let sum = try linker.instantiate(module, in: store).typedFunction("sum", Int32.self, Int64.self)
                    var total: Int64 = 0
                    for _ in 0..<20 { total += try sum(10_000) }
                    return (total, ticks.count)
                }
            }
            var all: [(Int64, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 4)
        for (total, ticks) in results {
            #expect(total == 20 * 49_995_000)
            #expect(ticks == 200_000)
        }
    }
}
