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

;; The shapes real programs added (issue 14), in a fresh memory.
(module
  (memory 1)
  ;; q[i] for i in [-n, 0) with q = p + 4n: the index counts up from a negative start to zero, the shape
  ;; clang gives `for (i = 1; i < n - 1; i++)` once it has rebased the index (i32.ne against 0).
  (func (export "fill_neg") (param $p i32) (param $n i32)
    (local $q i32) (local $i i32)
    (local.set $q (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $i (i32.sub (i32.const 0) (local.get $n)))
    (loop $l
      (i32.store (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.add (local.get $i) (i32.const 100)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (i32.const 0)))))
  ;; p[c-1] = c for c = n down to 1: the back edge tests the counter itself (no compare).
  (func (export "fill_countdown") (param $p i32) (param $n i32)
    (local $c i32)
    (local.set $c (local.get $n))
    (loop $l
      (i32.store (i32.add (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))) (i32.const -4))
                 (local.get $c))
      (br_if $l (local.tee $c (i32.sub (local.get $c) (i32.const 1))))))
  ;; row[j] += row[k] for j in [0, n): row[k] lies in the range written, so each iteration depends on the
  ;; ones before (floyd-warshall's shape); the unchecked copy must keep their order.
  (func (export "add_row") (param $row i32) (param $k i32) (param $n i32)
    (local $j i32) (local $rk i32)
    (local.set $rk (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 2))))
    (loop $l
      (i32.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))
        (i32.add (i32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))
                 (i32.load (local.get $rk))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $n)))))
  ;; s += p[i] over f64s: a float reduction, which must keep its order (a loop clang is told to vectorize
  ;; may reassociate it: [1, 1e16, 1, -1e16] x 4 sums to 0 in order, 8 in two or four partial sums).
  (func (export "sum_f64") (param $p i32) (param $n i32) (result f64)
    (local $i i32) (local $s f64)
    (loop $l
      (local.set $s (f64.add (local.get $s)
        (f64.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  (func (export "store_f64") (param i32 f64) (f64.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
)

;; Negative start: q - 4000 .. q - 4 hold -900 .. 99.
(assert_return (invoke "fill_neg" (i32.const 0) (i32.const 1000)))
(assert_return (invoke "load" (i32.const 0)) (i32.const -900))
(assert_return (invoke "load" (i32.const 3996)) (i32.const 99))
(assert_return (invoke "load" (i32.const 4000)) (i32.const 0))
;; Iteration 10 is the first out of bounds: 80 .. 89 are stored first.
(assert_trap (invoke "fill_neg" (i32.const 65496) (i32.const 20)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65496)) (i32.const 80))
(assert_return (invoke "load" (i32.const 65532)) (i32.const 89))

;; Counting down with the counter as the condition.
(assert_return (invoke "fill_countdown" (i32.const 8000) (i32.const 100)))
(assert_return (invoke "load" (i32.const 8000)) (i32.const 1))
(assert_return (invoke "load" (i32.const 8396)) (i32.const 100))
(assert_return (invoke "load" (i32.const 8400)) (i32.const 0))
;; The first (highest) access is out of bounds: nothing is stored.
(assert_trap (invoke "fill_countdown" (i32.const 65140) (i32.const 100)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65140)) (i32.const 0))
;; n = 0: the counter goes negative and the address walks down past 0, where it wraps and traps.
(assert_trap (invoke "fill_countdown" (i32.const 1000) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 992)) (i32.const -1))
(assert_return (invoke "load" (i32.const 0)) (i32.const -249))

;; Dependent iterations: row = [1..8], row[2] = 3 doubles at j = 2 and later elements add the new 6.
(assert_return (invoke "fill_countdown" (i32.const 2000) (i32.const 8)))
(assert_return (invoke "add_row" (i32.const 2000) (i32.const 2) (i32.const 8)))
(assert_return (invoke "load" (i32.const 2000)) (i32.const 4))
(assert_return (invoke "load" (i32.const 2008)) (i32.const 6))
(assert_return (invoke "load" (i32.const 2012)) (i32.const 10))
(assert_return (invoke "load" (i32.const 2028)) (i32.const 14))
;; The same shape trapping at j = 4, after the stores of j = 0 .. 3 (row[1] = 2 becomes 4 at j = 1).
(assert_return (invoke "fill_countdown" (i32.const 65520) (i32.const 4)))
(assert_trap (invoke "add_row" (i32.const 65520) (i32.const 1) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65520)) (i32.const 3))
(assert_return (invoke "load" (i32.const 65524)) (i32.const 4))
(assert_return (invoke "load" (i32.const 65528)) (i32.const 7))
(assert_return (invoke "load" (i32.const 65532)) (i32.const 8))

;; n = 0 with a negative start of 0: the index counts up through 2^32 trips, so the checked loop runs and
;; traps at the end of memory after filling it.
(assert_trap (invoke "fill_neg" (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 16483))

;; The float reduction in order: 0, not the 8 of partial sums (nbody's energy changed in its last digits).
(assert_return (invoke "store_f64" (i32.const 3000) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3008) (f64.const 1e16)))
(assert_return (invoke "store_f64" (i32.const 3016) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3024) (f64.const -1e16)))
(assert_return (invoke "store_f64" (i32.const 3032) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3040) (f64.const 1e16)))
(assert_return (invoke "store_f64" (i32.const 3048) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3056) (f64.const -1e16)))
(assert_return (invoke "store_f64" (i32.const 3064) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3072) (f64.const 1e16)))
(assert_return (invoke "store_f64" (i32.const 3080) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3088) (f64.const -1e16)))
(assert_return (invoke "store_f64" (i32.const 3096) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3104) (f64.const 1e16)))
(assert_return (invoke "store_f64" (i32.const 3112) (f64.const 1)))
(assert_return (invoke "store_f64" (i32.const 3120) (f64.const -1e16)))
(assert_return (invoke "sum_f64" (i32.const 3000) (i32.const 16)) (f64.const 0))

;; Steps known only at run time: a column walk `p += stride` with the stride in a local the loop never
;; writes (syrk, trmm, lu and cholesky read a matrix column this way).
(module
  (memory 1)
  (func (export "col_fill") (param $p i32) (param $stride i32) (param $n i32) (param $v i32)
    (loop $l
      (i32.store (local.get $p) (local.get $v))
      (local.set $v (i32.add (local.get $v) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (local.get $stride)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; sum of p[0], p[stride], ... and of q[0], q[2*stride], ... (two groups, one step each)
  (func (export "col_sum") (param $p i32) (param $q i32) (param $stride i32) (param $n i32) (result i32)
    (local $s i32) (local $i i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load (local.get $q)))))
      (local.set $p (i32.add (local.get $p) (local.get $stride)))
      (local.set $q (i32.add (local.get $q) (i32.shl (local.get $stride) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (local.get $n))))
    (local.get $s))
  ;; Stores of 8 bytes moving by a run-time step of 4: each overwrites half of the one before, so the
  ;; iterations depend on each other and must run in order.
  (func (export "overlap_fill") (param $p i32) (param $stride i32) (param $n i32)
    (local $i i64)
    (loop $l
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (i64.store (local.get $p) (local.get $i))
      (local.set $p (i32.add (local.get $p) (local.get $stride)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "load") (param $p i32) (result i32) (i32.load (local.get $p)))
  (func (export "load64") (param $p i32) (result i64) (i64.load (local.get $p)))
)
(assert_return (invoke "col_fill" (i32.const 4) (i32.const 16384) (i32.const 4) (i32.const 10)))
(assert_return (invoke "load" (i32.const 49156)) (i32.const 13))
(assert_return (invoke "col_sum" (i32.const 4) (i32.const 4) (i32.const 8192) (i32.const 4)) (i32.const 67))
(assert_return (invoke "col_sum" (i32.const 4) (i32.const 4) (i32.const 16384) (i32.const 2)) (i32.const 43))
;; The fifth row is past the end: the first four stores happen, then the trap.
(assert_trap (invoke "col_fill" (i32.const 8) (i32.const 16384) (i32.const 5) (i32.const 20)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 49160)) (i32.const 23))
(assert_trap (invoke "col_sum" (i32.const 4) (i32.const 4) (i32.const 16384) (i32.const 5)) "out of bounds memory access")
;; The second group moves twice as fast: it leaves memory at the third row while the first is inside.
(assert_trap (invoke "col_sum" (i32.const 4) (i32.const 4) (i32.const 16384) (i32.const 3)) "out of bounds memory access")
;; A negative step, and one that walks down past address 0 (wraps to the top of the index space).
(assert_return (invoke "col_fill" (i32.const 49164) (i32.const -16384) (i32.const 4) (i32.const 30)))
(assert_return (invoke "load" (i32.const 12)) (i32.const 33))
(assert_trap (invoke "col_fill" (i32.const 49168) (i32.const -16384) (i32.const 5) (i32.const 40)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 16)) (i32.const 43))
;; Overlapping stores in order: 1, 2, 3, 4 at 4-byte steps leave 1, 2, 3, 4, 0 in the i32s.
(assert_return (invoke "overlap_fill" (i32.const 1000) (i32.const 4) (i32.const 4)))
(assert_return (invoke "load64" (i32.const 1000)) (i64.const 0x0000000200000001))
(assert_return (invoke "load" (i32.const 1008)) (i32.const 3))
(assert_return (invoke "load" (i32.const 1012)) (i32.const 4))
(assert_return (invoke "load" (i32.const 1016)) (i32.const 0))

;; Loops shorter than KILN_LOOP_MIN_TRIPS (8) run the checked original, longer ones the checked-once copy
;; when it fits: both sides of the threshold, in bounds and trapping partway at the end of memory.
(module
  (memory 1)
  (func (export "fill") (param $p i32) (param $n i32)
    (local $i i32)
    (loop $l
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.add (local.get $i) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (local.get $n)))))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
(assert_return (invoke "fill" (i32.const 65508) (i32.const 7)))
(assert_return (invoke "load" (i32.const 65508)) (i32.const 1))
(assert_return (invoke "load" (i32.const 65532)) (i32.const 7))
(assert_return (invoke "fill" (i32.const 65504) (i32.const 8)))
(assert_return (invoke "load" (i32.const 65532)) (i32.const 8))
(assert_trap (invoke "fill" (i32.const 65516) (i32.const 7)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 5))
(assert_trap (invoke "fill" (i32.const 65512) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 6))
(assert_return (invoke "load" (i32.const 65508)) (i32.const 2))
