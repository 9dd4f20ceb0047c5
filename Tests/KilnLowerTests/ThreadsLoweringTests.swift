import Foundation
@testable import KilnLower
import Testing

/// What threads compiles to, where behaviour alone (Fixtures/wast/threads.wast) would not show it: a shared
/// memory's accesses go through its descriptor with atomic size reads, never through memory 0's local view or the
/// bounds analyses built on it (a view would keep a size another thread has since grown past); atomics call their
/// helpers with the index and offset apart; loops with atomics are not versioned.
@Suite struct ThreadsLoweringTests {
    func lower(_ text: String, guardPages: Bool = false) throws -> String { try Lowered.moduleC(text, guardPages: guardPages) }

    @Test func sharedMemoryAccessesUseTheDescriptorNotTheView() throws {
        let c = try lower("""
            (module (memory 1 2 shared)
              (func (export "f") (param i32) (result i32)
                (i32.store offset=4 (local.get 0) (i32.const 7))
                (drop (v128.load32_splat (local.get 0)))
                (drop (memory.grow (i32.const 1)))
                (i32.add (i32.load (local.get 0)) (memory.size))))
            """)
        #expect(c.contains("kiln_shared_i32_store(ctx, (&inst->memory_storage[0]), (u64)l0, 4u, 7u);"))
        #expect(c.contains("kiln_shared_v128_load32_splat(ctx, (&inst->memory_storage[0]), (u64)l0, 0u)"))
        #expect(c.contains("kiln_shared_i32_load(ctx, (&inst->memory_storage[0]), (u64)l0, 0u)"))
        #expect(c.contains("kiln_shared_memory_size((&inst->memory_storage[0]))"))
        #expect(c.contains("kiln_memory_share(ctx, &inst->memory_storage[0], 0u);"))
        #expect(!c.contains("mem0_view"))
    }

    /// In guard mode too: a shared memory is checked explicitly.
    @Test func sharedMemoryIsCheckedInGuardMode() throws {
        let c = try lower("(module (memory 1 2 shared) (func (param i32) (result i32) (i32.load (local.get 0))))", guardPages: true)
        #expect(c.contains("kiln_shared_i32_load(ctx, (&inst->memory_storage[0]), (u64)l0, 0u)"))
    }

    @Test func atomicsCallTheirHelpers() throws {
        let c = try lower("""
            (module (memory 1)
              (func (param i32 i64) (result i64)
                (atomic.fence)
                (drop (memory.atomic.notify offset=8 (local.get 0) (i32.const 1)))
                (drop (memory.atomic.wait64 (local.get 0) (local.get 1) (i64.const -1)))
                (i64.atomic.rmw16.cmpxchg_u offset=2 (local.get 0) (local.get 1) (i64.const 3))))
            """)
        #expect(c.contains("kiln_atomic_fence();"))
        #expect(c.contains("kiln_memory_atomic_notify(ctx, mem0, (u64)l0, 8u, 1u)"))
        #expect(c.contains("kiln_memory_atomic_wait64(ctx, mem0, (u64)l0, 0u, l1, 0xffffffffffffffffull)"))
        #expect(c.contains("kiln_i64_atomic_rmw16_cmpxchg_u(ctx, mem0, (u64)l0, 2u, l1, 3ull)"))
    }

    /// A loop with an atomic is not versioned: its plain accesses keep their checks, in order with the atomic.
    @Test func loopsWithAtomicsAreNotVersioned() throws {
        let c = try lower("""
            (module (memory 1)
              (func (param i32) (local i32)
                (loop $l
                  (i32.store (local.get 1) (i32.const 1))
                  (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 4))) (local.get 0))))))
            """)
        #expect(!c.contains("kiln_loop_span_ok"))
        #expect(c.contains("kiln_i32_atomic_rmw_add(ctx, mem0, (u64)0u, 0u, 1u)"))
    }
}
