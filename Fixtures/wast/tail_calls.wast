;; Tail calls keep the stack constant at every optimization level (issue 15): 10^8 iterations of mutual
;; tail recursion would need gigabytes of stack as ordinary calls. The three functions have different
;; signatures, so each call goes through the tail-call buffer (LowerTailCalls.swift), directly and through
;; a table; results of every type come back through it.
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (type $even_t (func (param i64) (result i32)))
  (table funcref (elem $even $odd_indirect))
  (func $even (export "even") (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i32.const 7) (i64.sub (local.get $n) (i64.const 1)) (f64.const 0.5)))))
  (func $odd (param $pad i32) (param $n i64) (param $f f64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call_indirect (type $even_t) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))))
  (func $odd_indirect (param $n i64) (result i32)
    (return_call $odd (i32.const 0) (local.get $n) (f64.const 0)))
  (func (export "odd") (param i64) (result i32)
    (return_call_indirect (type $even_t) (local.get 0) (i32.const 1)))

  ;; Several results, of several types, through a chain of tail calls.
  (func $spin (export "spin") (param $n i64) (param $acc i64) (result i64 f32 v128)
    (if (i64.eqz (local.get $n))
      (then (return (local.get $acc) (f32.const 1.5) (v128.const i32x4 1 2 3 4))))
    (return_call $spin2 (local.get $acc) (i64.sub (local.get $n) (i64.const 1))))
  (func $spin2 (param $acc i64) (param $n i64) (result i64 f32 v128)
    (return_call $spin (local.get $n) (i64.add (local.get $acc) (i64.const 3))))

  ;; A tail call to a function that does not make tail calls itself, and one to an import.
  (func $leaf (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "to_leaf") (param i32) (result i32) (return_call $leaf (local.get 0) (i32.const 2)))
  (func (export "to_import") (param i32) (return_call $print (local.get 0)))
  ;; Inside a loop and a block (difftest seed 304, modules 6 and 379: WasmKit 0.4.2's interpreter traps
  ;; "unreachable" here, running on past its host tail call; the spec says the call returns).
  (func (export "to_import_in_loop") (param i32) (loop $l (return_call $print (local.get 0))))
  (func (export "to_import_in_block") (param i32) (result i32)
    (block $b (return_call $leaf (local.get 0) (i32.const 1))) (i32.const 99))
)

(assert_return (invoke "even" (i64.const 100000000)) (i32.const 1))
(assert_return (invoke "even" (i64.const 77777777)) (i32.const 0))
(assert_return (invoke "odd" (i64.const 100000001)) (i32.const 1))
(assert_return (invoke "spin" (i64.const 10000000) (i64.const 0)) (i64.const 30000000) (f32.const 1.5) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "to_leaf" (i32.const 44)) (i32.const 42))
(assert_return (invoke "to_import" (i32.const 44)))
(assert_return (invoke "to_import_in_loop" (i32.const 44)))
(assert_return (invoke "to_import_in_block" (i32.const 44)) (i32.const 43))

;; A table entry of the wrong type still traps, and a trap unwinds through tail-called frames.
(module
  (type $t (func (param i32) (result i32)))
  (table funcref (elem $f $g))
  (func $f (param i32) (result i32) (local.get 0))
  (func $g (param i64) (result i32) (i32.const 0))
  (func (export "call") (param i32 i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (local.get 1)))
  (func $down (export "down") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (unreachable)))
    (return_call $down (i32.sub (local.get 0) (i32.const 1))))
)
(assert_return (invoke "call" (i32.const 5) (i32.const 0)) (i32.const 5))
(assert_trap (invoke "call" (i32.const 5) (i32.const 1)) "indirect call type mismatch")
(assert_trap (invoke "call" (i32.const 5) (i32.const 2)) "undefined element")
(assert_trap (invoke "down" (i32.const 1000000)) "unreachable")

;; A tail call of a function to itself jumps back to its start: the arguments are assigned together (a swap
;; must not see its own half-done work), the locals start from zero again, and 10^8 of them run in constant
;; stack. With more locals than are worth resetting, the same call goes through the tail entry.
(module
  (func $reset (export "reset") (param $n i32) (result i32) (local $x i32) (local $v v128)
    (if (i32.eqz (local.get $n))
      (then (return (i32.add (local.get $x) (i32x4.extract_lane 0 (local.get $v))))))
    (local.set $x (i32.const 5))
    (local.set $v (v128.const i32x4 7 7 7 7))
    (return_call $reset (i32.sub (local.get $n) (i32.const 1))))
  (func $swap (export "swap") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.sub (local.get $a) (local.get $b)))))
    (return_call $swap (local.get $b) (local.get $a) (i32.sub (local.get $n) (i32.const 1))))
  (func $count (export "count") (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 42))))
    (return_call $count (i64.sub (local.get $n) (i64.const 1))))
  (func $many (export "many") (param $n i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local $last i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $last))))
    (local.set $last (i64.const 9))
    (return_call $many (i64.sub (local.get $n) (i64.const 1))))
)
(assert_return (invoke "reset" (i32.const 3)) (i32.const 0))
(assert_return (invoke "swap" (i32.const 10) (i32.const 3) (i32.const 1)) (i32.const -7))
(assert_return (invoke "swap" (i32.const 10) (i32.const 3) (i32.const 2)) (i32.const 7))
(assert_return (invoke "count" (i64.const 100000000)) (i64.const 42))
(assert_return (invoke "many" (i64.const 10000000)) (i64.const 0))

;; A function whose frame is too large for the reserve below the stack limit checks the whole frame in a
;; small wrapper first (FunctionRender.swift); as a tail entry, that wrapper jumps on with musttail too.
(module
  (func $big (export "big") (param $n i32) (result i32) (local v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
    (local.set 500 (v128.const i32x4 5 5 5 5))
    (if (i32.eqz (local.get $n)) (then (return (i32x4.extract_lane 0 (local.get 500)))))
    (return_call $small (i64.extend_i32_u (i32.sub (local.get $n) (i32.const 1)))))
  (func $small (param $n i64) (result i32)
    (return_call $big (i32.wrap_i64 (local.get $n))))
)
(assert_return (invoke "big" (i32.const 1000000)) (i32.const 5))
