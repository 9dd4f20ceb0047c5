;; A module touching every family the lowering handles (memory, tables, globals, multi-value, bulk
;; memory, br_table, call_indirect, traps), used by the lowering and loader tests.
(module $features
  (type $binop (func (param i32 i32) (result i32)))
  (import "host" "log" (func $log (param i32)))
  (memory (export "memory") 1 4)
  (table $t (export "table") 4 8 funcref)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (data (i32.const 16) "kiln\00")
  (data $passive "passive bytes")
  (elem (table $t) (i32.const 0) func $add $sub)
  (elem $later func $mul)

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))

  (func (export "apply") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $op)))

  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))

  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store8") (param i32 i64) (i64.store8 (local.get 0) (local.get 1)))

  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (call $log (global.get $counter))
    (global.get $counter))

  (func (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))

  (func (export "classify") (param i32) (result i32)
    (block $two (block $one (block $zero
      (br_table $zero $one $two (local.get 0)))
      (return (i32.const 100)))
      (return (i32.const 101)))
    (i32.const 102))

  (func (export "init_later") (result i32)
    (table.init $t $later (i32.const 2) (i32.const 0) (i32.const 1))
    (memory.init $passive (i32.const 100) (i32.const 0) (i32.const 13))
    (data.drop $passive)
    (table.size $t))

  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))

  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))

  (func $forever (export "forever") (call $forever))
  (func (export "trap") (unreachable))
)
