;; Loops whose memory accesses Kiln checks once before the loop (loop versioning, Runtime/include/kiln_loop.h).
;; A trap must still happen at exactly the access and iteration the spec says, after the earlier
;; iterations' stores, and a fast copy must never run when iterations could depend on each other.

(module
  (memory 1)
  ;; p[i] = i + 1 for i in [0, n): one store per iteration, counter compared with i32.ne.
  (func (export "fill") (param $p i32) (param $n i32)
    (local $i i32)
    (loop $l
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.add (local.get $i) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (local.get $n)))))
  ;; The same, counting down from n-1 to 0 (i32.gt_s against a bound).
  (func (export "fill_down") (param $p i32) (param $n i32)
    (local $i i32)
    (local.set $i (i32.sub (local.get $n) (i32.const 1)))
    (loop $l
      (i32.store8 offset=3 (i32.add (local.get $p) (local.get $i)) (local.get $i))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $i) (i32.const -1)))))
  ;; dst[i] = src[i] + 1, unrolled by two as compilers emit it (two accesses per array per iteration,
  ;; counter compared with i32.lt_u).
  (func (export "add_one") (param $dst i32) (param $src i32) (param $n i32)
    (local $i i32)
    (loop $l
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 1)))
      (i32.store offset=4 (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (i32.load offset=4 (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)

;; In bounds: the checked-once copy runs.
(assert_return (invoke "fill" (i32.const 0) (i32.const 1000)))
(assert_return (invoke "load" (i32.const 0)) (i32.const 1))
(assert_return (invoke "load" (i32.const 3996)) (i32.const 1000))
(assert_return (invoke "load" (i32.const 4000)) (i32.const 0))

;; Iteration 10 is the first out of bounds (65496 + 40 = 65536): iterations 0-9 are stored, then the trap.
(assert_trap (invoke "fill" (i32.const 65496) (i32.const 20)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65496)) (i32.const 1))
(assert_return (invoke "load" (i32.const 65532)) (i32.const 10))

;; An index that wraps past 2^32 after the first iteration: the first access is already out of bounds,
;; and nothing is stored at the wrapped addresses.
(assert_trap (invoke "fill" (i32.const 0xfffffffc) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 0)) (i32.const 1))
(assert_return (invoke "load" (i32.const 4)) (i32.const 2))

;; A trip count that is not a whole number of steps (the counter never equals n before wrapping): the
;; checked loop runs and traps when the store leaves memory.
(assert_trap (invoke "fill" (i32.const 8192) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 14336))

;; Counting down: the highest index comes first, so the first iteration traps and nothing is stored.
(assert_return (invoke "fill_down" (i32.const 100) (i32.const 4)))
(assert_return (invoke "load8" (i32.const 103)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 106)) (i32.const 3))
(assert_trap (invoke "fill_down" (i32.const 65530) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 65534)) (i32.const 0))

;; Overlapping arrays: with dst two words past src each iteration reads what the previous one wrote. The
;; result must be the sequential one (s[8] = 5, s[9] = 6), not what independent iterations would give (8, 9).
(assert_return (invoke "fill" (i32.const 8000) (i32.const 16)))
(assert_return (invoke "add_one" (i32.const 8008) (i32.const 8000) (i32.const 8)))
(assert_return (invoke "load" (i32.const 8032)) (i32.const 5))
(assert_return (invoke "load" (i32.const 8036)) (i32.const 6))
;; Disjoint arrays: the fast copy, same result as a plain loop.
(assert_return (invoke "add_one" (i32.const 12000) (i32.const 8000) (i32.const 16)))
(assert_return (invoke "load" (i32.const 12000)) (i32.const 2))
(assert_return (invoke "load" (i32.const 12060)) (i32.const 17))
;; The last pair of iterations runs off the end of memory: the first word is stored, the second traps.
(assert_trap (invoke "add_one" (i32.const 65528) (i32.const 8000) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65528)) (i32.const 2))
(assert_return (invoke "load" (i32.const 65532)) (i32.const 3))
