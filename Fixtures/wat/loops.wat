;; Loop kernels for the golden C of loop versioning (the same module as Fixtures/wast/loop_versioning.wast).
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
