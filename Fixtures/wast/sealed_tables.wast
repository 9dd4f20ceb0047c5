;; call_indirect through a table that never changes (defined, not exported, never written) is lowered to a
;; switch of direct calls; every trap must still be the spec's. A table an instruction writes keeps the
;; lookup, so the write is seen.

(module
  (type $ii (func (param i32) (result i32)))
  (type $v (func))
  (table 6 funcref)
  (elem (i32.const 1) $double $inc $nop $double)
  (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $nop (type $v))
  (func (export "call") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $ii) (local.get $x) (local.get $i)))
)
(assert_return (invoke "call" (i32.const 1) (i32.const 5)) (i32.const 10))
(assert_return (invoke "call" (i32.const 2) (i32.const 5)) (i32.const 6))
(assert_return (invoke "call" (i32.const 4) (i32.const 5)) (i32.const 10))
(assert_trap (invoke "call" (i32.const 0) (i32.const 5)) "uninitialized element")
(assert_trap (invoke "call" (i32.const 5) (i32.const 5)) "uninitialized element")
(assert_trap (invoke "call" (i32.const 3) (i32.const 5)) "indirect call type mismatch")
(assert_trap (invoke "call" (i32.const 6) (i32.const 5)) "undefined element")
(assert_trap (invoke "call" (i32.const -1) (i32.const 5)) "undefined element")

(module
  (type $ii (func (param i32) (result i32)))
  (table 3 funcref)
  (elem (i32.const 1) $double)
  (elem declare func $inc)
  (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func (export "set") (table.set (i32.const 1) (ref.func $inc)))
  (func (export "call") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $ii) (local.get $x) (local.get $i)))
)
(assert_return (invoke "call" (i32.const 1) (i32.const 5)) (i32.const 10))
(invoke "set")
(assert_return (invoke "call" (i32.const 1) (i32.const 5)) (i32.const 6))
