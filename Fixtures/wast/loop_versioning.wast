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

;; Loops with several exits. A back edge `br 0` right after the exit that counts (sum_ge): the counted copy
;; takes that exit once, after its last iteration. Loops that may also leave early, the shapes clang gives a
;; comparison or a search (cmp, copy_until), run checked: these cases keep them right, and a loop whose
;; counted span would run past the end of memory but that leaves first must not trap.
(module
  (memory 1)
  (data (i32.const 100) "abcdefghijklmnopqrstuvwxyz")
  (data (i32.const 200) "abcdefghijklmnopqrstuvwxyz")
  (data (i32.const 300) "abcdefghijXlmnop")
  (data (i32.const 400) "hello\00world and more text")
  (data (i32.const 1000) "XXXXXXXXXXXXXXXXXXXX")
  (data (i32.const 2000) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00\05\00\00\00\06\00\00\00\07\00\00\00\08\00\00\00\09\00\00\00\0a\00\00\00")
  (data (i32.const 4000) "0123456789012345678901234567890123456789012345678901234567890123")
  (data (i32.const 65530) "abcdef")
  ;; memcmp: the first difference leaves early, the count of n bytes through `br_if $same` then `br $l`.
  (func (export "cmp") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $d i32)
    (block $diff
      (block $same
        (loop $l
          (br_if $diff (local.tee $d (i32.sub (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b)))))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $same (i32.eqz (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
          (br $l)))
      (return (i32.const 0)))
    (local.get $d))
  ;; Copies bytes up to and including the first zero, at most n: a store before the early exit, and a
  ;; `br_if 0` back edge.
  (func (export "copy_until") (param $dst i32) (param $src i32) (param $n i32) (result i32)
    (local $i i32) (local $c i32)
    (block $done
      (loop $l
        (i32.store8 (i32.add (local.get $dst) (local.get $i))
                    (local.tee $c (i32.load8_u (i32.add (local.get $src) (local.get $i)))))
        (br_if $done (i32.eqz (local.get $c)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $i))
  ;; A counter exit on `i32.ge_u` and no other: every iteration's load is counted.
  (func (export "sum_ge") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $out
      (loop $l
        (local.set $s (i32.add (local.get $s)
          (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
        (br_if $out (i32.ge_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))
        (br $l)))
    (local.get $s))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
(assert_return (invoke "cmp" (i32.const 100) (i32.const 200) (i32.const 26)) (i32.const 0))
(assert_return (invoke "cmp" (i32.const 100) (i32.const 300) (i32.const 16)) (i32.const 19))
(assert_return (invoke "cmp" (i32.const 100) (i32.const 300) (i32.const 10)) (i32.const 0))
(assert_return (invoke "cmp" (i32.const 100) (i32.const 300) (i32.const 8)) (i32.const 0))
(assert_return (invoke "cmp" (i32.const 100) (i32.const 300) (i32.const 3)) (i32.const 0))
(assert_return (invoke "cmp" (i32.const 65530) (i32.const 110) (i32.const 100)) (i32.const -10))
(assert_trap (invoke "cmp" (i32.const 65530) (i32.const 100) (i32.const 100)) "out of bounds memory access")
(assert_return (invoke "sum_ge" (i32.const 2000) (i32.const 10)) (i32.const 55))
(assert_return (invoke "sum_ge" (i32.const 2000) (i32.const 3)) (i32.const 6))
(assert_return (invoke "sum_ge" (i32.const 2000) (i32.const 0)) (i32.const 1))
(assert_return (invoke "sum_ge" (i32.const 65400) (i32.const 8)) (i32.const 0))
;; Eight loads up to the last byte of memory ("abcdef" at 65530).
(assert_return (invoke "sum_ge" (i32.const 65504) (i32.const 8)) (i32.const -926522269))
(assert_trap (invoke "sum_ge" (i32.const 65508) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "copy_until" (i32.const 1000) (i32.const 400) (i32.const 20)) (i32.const 5))
(assert_return (invoke "byte" (i32.const 1004)) (i32.const 111))
(assert_return (invoke "byte" (i32.const 1005)) (i32.const 0))
(assert_return (invoke "byte" (i32.const 1006)) (i32.const 88))
(assert_return (invoke "copy_until" (i32.const 1000) (i32.const 100) (i32.const 8)) (i32.const 8))
(assert_return (invoke "byte" (i32.const 1007)) (i32.const 104))
(assert_return (invoke "byte" (i32.const 1008)) (i32.const 88))
(assert_return (invoke "copy_until" (i32.const 65530) (i32.const 400) (i32.const 20)) (i32.const 5))
(assert_return (invoke "byte" (i32.const 65535)) (i32.const 0))
(assert_trap (invoke "copy_until" (i32.const 65530) (i32.const 100) (i32.const 20)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 65535)) (i32.const 102))
(assert_return (invoke "copy_until" (i32.const 3000) (i32.const 100) (i32.const 26)) (i32.const 26))
(assert_return (invoke "byte" (i32.const 3025)) (i32.const 122))
(assert_return (invoke "byte" (i32.const 3026)) (i32.const 0))
(assert_return (invoke "copy_until" (i32.const 3100) (i32.const 4000) (i32.const 40)) (i32.const 40))
(assert_return (invoke "byte" (i32.const 3139)) (i32.const 57))
(assert_return (invoke "byte" (i32.const 3140)) (i32.const 0))
;; The zero after the letters leaves partway.
(assert_return (invoke "copy_until" (i32.const 3200) (i32.const 100) (i32.const 60)) (i32.const 26))
(assert_return (invoke "byte" (i32.const 3226)) (i32.const 0))
;; Past the end after 36 bytes: the stores before it stay.
(assert_trap (invoke "copy_until" (i32.const 65500) (i32.const 4000) (i32.const 60)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 65535)) (i32.const 53))
(assert_return (invoke "cmp" (i32.const 4000) (i32.const 4010) (i32.const 50)) (i32.const 0))
;; The digits repeat every 10 bytes: equal up to the zero after them, 54 bytes in.
(assert_return (invoke "cmp" (i32.const 4000) (i32.const 4010) (i32.const 60)) (i32.const 52))
