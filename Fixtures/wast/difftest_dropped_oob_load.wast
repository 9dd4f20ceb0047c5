;; Found by `make difftest` (seed 8, module 17, large SIMD; minimized with `make difftest-reduce`): an unused
;; out-of-bounds load, then a host call, then another unused out-of-bounds load. The spec traps at the
;; first load, before the call. Under `--bounds guard` -O2, clang dropped the first load (its value is
;; unused), so the call happened before the second trapped. Guard-mode loads now read all their bytes even
;; when unused (kiln_memory.h, KILN_READ_*), and FixtureWastTests runs this script in guard mode too.
(module
  (import "spectest" "print_i32" (func $log (param i32)))
  (memory 16 17)
  (global $calls (mut i32) (i32.const 0))
  (func (export "calls") (result i32) (global.get $calls))
  (func (export "f")
    (drop
      (select
        (f64.const 33554432)
        (select (f64.const -2147483646) (f64.load offset=4 (i32.const -131071)) (i32.const -28394))
        (block (result i32)
          (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
          (call $log (i32.const -4707005))
          (i32.load8_s offset=3 (i32.const -1048576)))))))
(assert_trap (invoke "f") "out of bounds memory access")
(assert_return (invoke "calls") (i32.const 0))
