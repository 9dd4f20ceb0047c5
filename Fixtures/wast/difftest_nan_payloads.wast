;; Found by `make difftest` (seed 13, module 9): `i32.reinterpret_f32 (f32.max (nan:0x7fffea) x)` is
;; -nan:0x7fffea under Kiln (the operand's NaN, quieted) and the canonical NaN under WasmKit. Both are
;; arithmetic NaNs, which the spec allows, so difftest counts it as `nan-bits`; this pins what must hold.
(module
  (func (export "max_nan_first") (result f32) (f32.max (f32.const -nan:0x7fffea) (f32.const 262143.796875)))
  (func (export "max_nan_second") (result f32) (f32.max (f32.const 262143.796875) (f32.const -nan:0x7fffea)))
  (func (export "min_nan") (param f32) (result f32) (f32.min (f32.const nan:0x200000) (local.get 0)))
  (func (export "max_f64_nan") (param f64) (result f64) (f64.max (local.get 0) (f64.const -nan:0x4)))
  (func (export "max_bits") (result i32)
    (i32.and (i32.reinterpret_f32 (f32.max (f32.const -nan:0x7fffea) (f32.const 262143.796875))) (i32.const 0x7fc00000)))
)
(assert_return (invoke "max_nan_first") (f32.const nan:arithmetic))
(assert_return (invoke "max_nan_second") (f32.const nan:arithmetic))
(assert_return (invoke "min_nan" (f32.const -0.0)) (f32.const nan:arithmetic))
(assert_return (invoke "min_nan" (f32.const inf)) (f32.const nan:arithmetic))
(assert_return (invoke "max_f64_nan" (f64.const 1.0)) (f64.const nan:arithmetic))
;; Exponent all ones and the quiet bit set: whatever the payload, the result is a quiet NaN.
(assert_return (invoke "max_bits") (i32.const 0x7fc00000))
