;; Functions whose stack frame is larger than the reserve kept below the stack limit must trap "call stack
;; exhausted" when they recurse, never fault: their check (KILN_ENTER_FRAME) asks for the whole frame to fit
;; above the limit, and runs before the frame's first write. Before, 10,000 v128 locals recursing crashed
;; with SIGSEGV at -O0.

;; (func (export "f") (local v128 x 10000) (call 0)): 36 bytes.
(module binary "\00\61\73\6d\01\00\00\00\01\04\01\60\00\00\03\02\01\00\07\05\01\01\66\00\00\0a\09\01\07\01\90\4e\7b\10\00\0b")
(assert_exhaustion (invoke "f") "call stack exhausted")
(assert_exhaustion (invoke "f") "call stack exhausted")

;; Many values live across the recursive call (spilled at -O2).
(module
  (func $f (export "g") (param i64) (result i64)
    (i64.add (local.get 0) (i64.const 1)) (i64.add (local.get 0) (i64.const 2))
    (i64.add (local.get 0) (i64.const 3)) (i64.add (local.get 0) (i64.const 4))
    (call $f (i64.add (local.get 0) (i64.const 1)))
    (i64.add) (i64.add) (i64.add) (i64.add))
  ;; A leaf with a frame above the check's threshold, called normally, still runs.
  (func (export "leaf") (result i32) (local v128 v128 v128 v128 v128 v128 v128 v128)
    (i32x4.extract_lane 0 (i32x4.add (local.get 0) (v128.const i32x4 5 0 0 0))))
)
(assert_exhaustion (invoke "g" (i64.const 0)) "call stack exhausted")
(assert_return (invoke "leaf") (i32.const 5))
