;; Loop kernels for the golden C of loop versioning (the two modules of Fixtures/wast/loop_versioning.wast in one).
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
  ;; p[0] + p[stride] + ... and q[0] + q[2 stride] + ...: steps known only at run time (a matrix column,
  ;; as syrk, trmm, lu and cholesky read one).
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
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
