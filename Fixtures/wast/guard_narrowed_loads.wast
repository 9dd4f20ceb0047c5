;; A load whose value is only partly used must still read, and check, all of its bytes. In bounds mode
;; "guard" at -O2 clang narrowed such loads to the bytes used (a wrap, a mask, one lane), which stopped short
;; of the guard page: the straddling accesses below returned instead of trapping (RELIABILITY.md lines 5,
;; 9 and 10). A load whose value is never used (stored in a local that is overwritten) was dropped with
;; its fault: binaryen's hashMemory did that in 13 of 150 random modules (difftest, seed 20261206).
;; FixtureWastTests runs this script at -O0, -O2 and -O2 with guard pages.
(module
  (memory 1)
  (func (export "wrap_i64_load") (param i32) (result i32) (i32.wrap_i64 (i64.load (local.get 0))))
  (func (export "masked_i32_load") (param i32) (result i32) (i32.and (i32.load (local.get 0)) (i32.const 0xff)))
  (func (export "lane0_v128_load") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load (local.get 0))))
  (func (export "low_f64_bits") (param i32) (result i32)
    (i32.wrap_i64 (i64.reinterpret_f64 (f64.load (local.get 0)))))
  (func (export "load16_low_byte") (param i32) (result i32) (i32.and (i32.load16_u (local.get 0)) (i32.const 0xff)))
  (func (export "dead_byte_load") (param i32) (result i32) (local i32)
    (local.set 1 (i32.load8_u offset=1 (local.get 0))) (local.set 1 (i32.const 7)) (local.get 1))
  (func (export "dead_i64_load") (param i32) (result i32) (local i64)
    (local.set 1 (i64.load (local.get 0))) (i32.const 8))
  (func (export "dead_load8_splat") (param i32) (result i32) (local v128)
    (local.set 1 (v128.load8_splat (local.get 0))) (i32.const 9))
  (func (export "splat_lane0") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load64_splat (local.get 0))))
)
(assert_trap (invoke "wrap_i64_load" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "masked_i32_load" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "lane0_v128_load" (i32.const 65521)) "out of bounds memory access")
(assert_trap (invoke "low_f64_bits" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "load16_low_byte" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "splat_lane0" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "dead_byte_load" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "dead_byte_load" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "dead_i64_load" (i32.const 0x7fff0000)) "out of bounds memory access")
(assert_trap (invoke "dead_load8_splat" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "dead_byte_load" (i32.const 65534)) (i32.const 7))
(assert_return (invoke "wrap_i64_load" (i32.const 65528)) (i32.const 0))
(assert_return (invoke "lane0_v128_load" (i32.const 65520)) (i32.const 0))
