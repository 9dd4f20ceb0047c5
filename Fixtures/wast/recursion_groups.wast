;; Recursion groups of function types (GC's `rec`, which Kiln takes for final function types): a type of a
;; group of several is the same as another only when their groups are the same and they sit at the same
;; position (type-equivalence.wast), within a module and across modules (kiln_functype.key, TypeKeys.swift).
;; call_indirect and imports must tell apart types whose C signatures are equal.

(module $A
  (rec (type $a (func (result i32))) (type $b (func (result i32))))
  (type $plain (func (result i32)))
  (table (export "table") 3 funcref)
  (func $fa (export "fa") (type $a) (i32.const 1))
  (func $fb (type $b) (i32.const 2))
  (func $fp (type $plain) (i32.const 3))
  (elem (i32.const 0) func $fa $fb $fp)
  (func (export "call-a") (param i32) (result i32) (call_indirect (type $a) (local.get 0)))
  (func (export "call-b") (param i32) (result i32) (call_indirect (type $b) (local.get 0)))
  (func (export "call-plain") (param i32) (result i32) (call_indirect (type $plain) (local.get 0))))

(assert_return (invoke "call-a" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "call-a" (i32.const 1)) "indirect call type mismatch")
(assert_trap (invoke "call-a" (i32.const 2)) "indirect call type mismatch")
(assert_return (invoke "call-b" (i32.const 1)) (i32.const 2))
(assert_trap (invoke "call-b" (i32.const 0)) "indirect call type mismatch")
(assert_return (invoke "call-plain" (i32.const 2)) (i32.const 3))
(assert_trap (invoke "call-plain" (i32.const 0)) "indirect call type mismatch")
(register "A" $A)

;; Another module with the same group: its $a is A's $a.
(module $B
  (rec (type $a (func (result i32))) (type $b (func (result i32))))
  (type $plain (func (result i32)))
  (import "A" "table" (table 3 funcref))
  (import "A" "fa" (func $fa (type $a)))
  (func (export "call-a") (param i32) (result i32) (call_indirect (type $a) (local.get 0)))
  (func (export "call-plain") (param i32) (result i32) (call_indirect (type $plain) (local.get 0)))
  (func (export "direct") (result i32) (call $fa)))
(assert_return (invoke "call-a" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "call-a" (i32.const 1)) "indirect call type mismatch")
(assert_return (invoke "call-plain" (i32.const 2)) (i32.const 3))
(assert_trap (invoke "call-plain" (i32.const 0)) "indirect call type mismatch")
(assert_return (invoke "direct") (i32.const 1))

;; A's $a is neither a lone (func (result i32)) nor the second type of the group.
(assert_unlinkable
  (module (type $plain (func (result i32))) (import "A" "fa" (func (type $plain))))
  "incompatible import type")
(assert_unlinkable
  (module (rec (type $a (func (result i32))) (type $b (func (result i32)))) (import "A" "fa" (func (type $b))))
  "incompatible import type")

;; Inside a group, types may refer to each other, forwards too.
(module
  (rec
    (type $even (func (param i32 (ref null $odd)) (result i32)))
    (type $odd (func (param i32 (ref null $even)) (result i32))))
  (func $e (type $even) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
    (else (call_ref $odd (i32.sub (local.get 0) (i32.const 1)) (ref.func $e) (local.get 1)))))
  (func $o (type $odd) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
    (else (call_ref $even (i32.sub (local.get 0) (i32.const 1)) (ref.func $o) (local.get 1)))))
  (elem declare func $e $o)
  (func (export "even") (param i32) (result i32) (call $e (local.get 0) (ref.func $o))))
(assert_return (invoke "even" (i32.const 10)) (i32.const 1))
(assert_return (invoke "even" (i32.const 7)) (i32.const 0))

(assert_invalid
  (module (type $t (func (param (ref null 1)))) (rec (type (func)) (type (func))))
  "unknown type")
