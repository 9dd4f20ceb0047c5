;; Threads beyond the proposal's own scripts (../shared/testsuite/threads): wait's results and traps, notify
;; without waiters, narrow cmpxchg's wrapped operands, atomics at the end of memory, a shared memory's growth,
;; plain and SIMD accesses of a shared memory, and import matching of shared memories.

(module
  (memory 1 4 shared)
  (func (export "store32") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32)
    (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait32_offset") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 offset=4 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load offset=1 (local.get 0)))
  (func (export "store64") (param i32 i64) (i64.store offset=1 (local.get 0) (local.get 1)))
  (func (export "atomic_add64") (param i32 i64) (result i64) (i64.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "cmpxchg8") (param i32 i32 i32) (result i32)
    (i32.atomic.rmw8.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
  (func (export "cmpxchg32") (param i32 i64 i64) (result i64)
    (i64.atomic.rmw32.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
  (func (export "xchg16") (param i32 i32) (result i32) (i32.atomic.rmw16.xchg_u (local.get 0) (local.get 1)))
  (func (export "sub8") (param i32 i32) (result i32) (i32.atomic.rmw8.sub_u (local.get 0) (local.get 1)))
  (func (export "fence") (atomic.fence))
  (func (export "splat_sum") (param i32) (result i32)
    (i32x4.extract_lane 3 (v128.load32_splat (local.get 0))))
  (func (export "extend_lane") (param i32) (result i32)
    (i16x8.extract_lane_s 1 (v128.load8x8_s (local.get 0))))
  (func (export "store_lane") (param i32 i32)
    (v128.store32_lane 2 (local.get 0) (i32x4.splat (local.get 1))))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
)

;; Not equal: 1, whatever the timeout (an infinite one included: the value decides before any waiting).
(assert_return (invoke "wait32" (i32.const 0) (i32.const 1) (i64.const -1)) (i32.const 1))
(assert_return (invoke "wait64" (i32.const 8) (i64.const 7) (i64.const -1)) (i32.const 1))
;; Equal, nobody to notify: 2 once the timeout has passed (0 ns, then 1 ms).
(assert_return (invoke "wait32" (i32.const 0) (i32.const 0) (i64.const 0)) (i32.const 2))
(assert_return (invoke "wait64" (i32.const 8) (i64.const 0) (i64.const 1000000)) (i32.const 2))
(invoke "store32" (i32.const 16) (i32.const 0x12345678))
(assert_return (invoke "wait32_offset" (i32.const 12) (i32.const 0x12345678) (i64.const 0)) (i32.const 2))
(assert_return (invoke "wait32_offset" (i32.const 12) (i32.const 0x12345679) (i64.const 0)) (i32.const 1))
;; Misaligned, then out of bounds; the effective address (index + offset) decides both, and misaligned wins
;; (the spec's interpreter checks alignment first).
(assert_trap (invoke "wait32" (i32.const 2) (i32.const 0) (i64.const 0)) "unaligned atomic")
(assert_trap (invoke "wait64" (i32.const 4) (i64.const 0) (i64.const 0)) "unaligned atomic")
(assert_trap (invoke "wait32_offset" (i32.const 2) (i32.const 0) (i64.const 0)) "unaligned atomic")
(assert_trap (invoke "wait32" (i32.const 65536) (i32.const 0) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "wait32_offset" (i32.const 0xfffffffc) (i32.const 0) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "notify" (i32.const 65536) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "notify" (i32.const 1) (i32.const 1)) "unaligned atomic")
(assert_trap (invoke "notify" (i32.const 65537) (i32.const 1)) "unaligned atomic")
(assert_trap (invoke "wait64" (i32.const 0xfffffffc) (i64.const 0) (i64.const 0)) "unaligned atomic")
(assert_trap (invoke "atomic_add64" (i32.const 0xfffffffc) (i64.const 0)) "unaligned atomic")
;; No waiters: 0, for any count.
(assert_return (invoke "notify" (i32.const 0) (i32.const 0)) (i32.const 0))
(assert_return (invoke "notify" (i32.const 0) (i32.const -1)) (i32.const 0))

;; A narrow cmpxchg compares and stores its operands wrapped to its width.
(invoke "store32" (i32.const 32) (i32.const 0x11))
(assert_return (invoke "cmpxchg8" (i32.const 32) (i32.const 0x7711) (i32.const 0xab22)) (i32.const 0x11))
(assert_return (invoke "load8" (i32.const 32)) (i32.const 0x22))
(assert_return (invoke "load8" (i32.const 33)) (i32.const 0))
(assert_return (invoke "cmpxchg8" (i32.const 32) (i32.const 0x11) (i32.const 0x33)) (i32.const 0x22))
(assert_return (invoke "load8" (i32.const 32)) (i32.const 0x22))
(invoke "store32" (i32.const 40) (i32.const 0xcafe))
(assert_return (invoke "cmpxchg32" (i32.const 40) (i64.const 0x1_0000_cafe) (i64.const 0xffff_ffff_0000_beef)) (i64.const 0xcafe))
(assert_return (invoke "load64" (i32.const 39)) (i64.const 0xbeef))
;; Narrow read-modify-writes zero-extend the old value and wrap the result.
(assert_return (invoke "xchg16" (i32.const 40) (i32.const 0x1_2345)) (i32.const 0xbeef))
(assert_return (invoke "sub8" (i32.const 40) (i32.const 0x46)) (i32.const 0x45))
(assert_return (invoke "load8" (i32.const 40)) (i32.const 0xff))
(invoke "fence")

;; Atomics at the last aligned address, and one past it.
(assert_return (invoke "atomic_add64" (i32.const 65528) (i64.const 5)) (i64.const 0))
(assert_return (invoke "atomic_add64" (i32.const 65528) (i64.const 5)) (i64.const 5))
(assert_trap (invoke "atomic_add64" (i32.const 65536) (i64.const 5)) "out of bounds memory access")
;; Plain accesses of a shared memory: misaligned is fine, the end is exact, a trapping store writes nothing.
(invoke "store64" (i32.const 65526) (i64.const 0x0102030405060708))
(assert_return (invoke "load64" (i32.const 65526)) (i64.const 0x0102030405060708))
(assert_trap (invoke "store64" (i32.const 65528) (i64.const -1)) "out of bounds memory access")
(assert_return (invoke "load8" (i32.const 65534)) (i32.const 0x01))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0))
(assert_trap (invoke "load64" (i32.const 65528)) "out of bounds memory access")

;; SIMD accesses of a shared memory: one scalar access and the lane operation.
(invoke "store32" (i32.const 64) (i32.const 0x80ff7f01))
(assert_return (invoke "splat_sum" (i32.const 64)) (i32.const 0x80ff7f01))
(assert_return (invoke "extend_lane" (i32.const 64)) (i32.const 127))
(invoke "store_lane" (i32.const 72) (i32.const -2))
(assert_return (invoke "load8" (i32.const 75)) (i32.const 0xff))
(assert_trap (invoke "splat_sum" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "store_lane" (i32.const 65533) (i32.const 1)) "out of bounds memory access")

;; Bulk operations check against the current size.
(invoke "fill" (i32.const 100) (i32.const 0x5a) (i32.const 4))
(assert_return (invoke "load8" (i32.const 103)) (i32.const 0x5a))
(invoke "copy" (i32.const 200) (i32.const 100) (i32.const 4))
(assert_return (invoke "load8" (i32.const 203)) (i32.const 0x5a))
(assert_trap (invoke "fill" (i32.const 65535) (i32.const 0) (i32.const 2)) "out of bounds memory access")

;; Growth: within the maximum, accesses reach the new pages (no stale view of the old size); past it, -1.
(assert_return (invoke "grow" (i32.const 2)) (i32.const 1))
(assert_return (invoke "size") (i32.const 3))
(assert_return (invoke "atomic_add64" (i32.const 196600) (i64.const 9)) (i64.const 0))
(assert_return (invoke "load64" (i32.const 196599)) (i64.const 9))
(assert_return (invoke "wait32" (i32.const 196604) (i32.const 0) (i64.const 0)) (i32.const 2))
(assert_return (invoke "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 3))
(assert_return (invoke "grow" (i32.const 0)) (i32.const 4))
(assert_trap (invoke "load64" (i32.const 262137)) "out of bounds memory access")

;; An unshared memory: atomics work, notify finds nobody, wait traps.
(module
  (memory 1)
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32)
    (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "or_in_loop") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (drop (i32.atomic.rmw.or (i32.mul (local.get $i) (i32.const 4)) (i32.const 3)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.load (i32.const 12)))
)
(assert_trap (invoke "wait32" (i32.const 0) (i32.const 0) (i64.const 0)) "expected shared memory")
(assert_trap (invoke "wait64" (i32.const 0) (i64.const 1) (i64.const 0)) "expected shared memory")
(assert_return (invoke "notify" (i32.const 0) (i32.const 1)) (i32.const 0))
(assert_return (invoke "add" (i32.const 4) (i32.const 2)) (i32.const 0))
(assert_return (invoke "add" (i32.const 4) (i32.const 2)) (i32.const 2))
(assert_trap (invoke "add" (i32.const 6) (i32.const 2)) "unaligned atomic")
(assert_return (invoke "or_in_loop" (i32.const 4)) (i32.const 3))
(assert_trap (invoke "or_in_loop" (i32.const 16385)) "out of bounds memory access")

;; A shared memory exported, imported as shared (not as unshared, nor the other way round).
(module $owner
  (memory (export "mem") 1 2 shared)
  (memory (export "plain") 1 2)
  (func (export "peek") (param i32) (result i32) (i32.atomic.load (local.get 0))))
(register "owner" $owner)
(module
  (import "owner" "mem" (memory 1 2 shared))
  (func (export "poke") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1))))
(invoke "poke" (i32.const 8) (i32.const 77))
(assert_return (invoke $owner "peek" (i32.const 8)) (i32.const 77))
(assert_unlinkable (module (import "owner" "mem" (memory 1 2))) "incompatible import type")
(assert_unlinkable (module (import "owner" "plain" (memory 1 2 shared))) "incompatible import type")
(module (import "spectest" "shared_memory" (memory 1 2 shared)))

;; Validation: atomics need their natural alignment exactly; a shared memory needs a maximum.
(assert_invalid (module (memory 1 1 shared) (func (drop (i32.atomic.load align=2 (i32.const 0))))) "alignment")
(assert_invalid (module (memory 1 1 shared) (func (drop (i64.atomic.rmw.add align=4 (i32.const 0) (i64.const 0))))) "alignment")
(assert_invalid (module (memory 1 1 shared) (func (drop (memory.atomic.wait64 align=4 (i32.const 0) (i64.const 0) (i64.const 0))))) "alignment")
(assert_invalid (module (memory 1 1 shared) (func (drop (i32.atomic.rmw.cmpxchg (i32.const 0) (i64.const 0) (i32.const 0))))) "type mismatch")
(assert_invalid (module (memory 1 shared)) "shared memory must have maximum")
