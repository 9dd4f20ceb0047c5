;; Typed function references across modules: a type is identified by its structure, references to other
;; types included (the runtime's type keys), so call_indirect and import matching tell apart types whose
;; C signatures are the same.

(module $A
  (type $ret (func (result i32)))
  (type $other (func (result i64)))
  (type $takes (func (param (ref $ret)) (result i32)))
  (type $takes-other (func (param (ref $other)) (result i32)))
  (type $self (func (param (ref null $self) i32) (result i32)))
  (func $seven (type $ret) (i32.const 7))
  (func $apply (export "apply") (type $takes) (call_ref $ret (local.get 0)))
  (func $apply-other (type $takes-other) (i32.const -1))
  ;; Counts down through a reference to itself.
  (func $count (export "count") (type $self)
    (if (result i32) (i32.eqz (local.get 1))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
        (call_ref $self (local.get 0) (i32.sub (local.get 1) (i32.const 1)) (ref.as_non_null (local.get 0)))))))
  (table $t (export "table") 3 funcref)
  (elem (table $t) (i32.const 0) func $apply $apply-other $count)
  (elem declare func $seven)
  (global (export "seven") (ref $ret) (ref.func $seven))
)
(register "A" $A)

(module $B
  ;; The same types as $A's, at other indices.
  (type $pad (func (param f64)))
  (type $r (func (result i32)))
  (type $t (func (param (ref $r)) (result i32)))
  (type $s (func (param (ref null $s) i32) (result i32)))
  (import "A" "apply" (func $apply (type $t)))
  (import "A" "table" (table $tab 3 funcref))
  (import "A" "seven" (global $seven (ref $r)))
  (func (export "direct") (result i32) (call $apply (global.get $seven)))
  (func (export "indirect") (param i32) (result i32)
    (call_indirect $tab (type $t) (global.get $seven) (local.get 0)))
  (func (export "count") (param i32) (result i32)
    (call_indirect $tab (type $s) (ref.null $s) (local.get 0) (i32.const 2)))
)
(assert_return (invoke $B "direct") (i32.const 7))
(assert_return (invoke $B "indirect" (i32.const 0)) (i32.const 7))
;; Slot 1 holds a function whose parameter refers to a type returning i64: the same C signature, another type.
(assert_trap (invoke $B "indirect" (i32.const 1)) "indirect call type mismatch")
;; $count calls itself through its argument, which here is null.
(assert_trap (invoke $B "count" (i32.const 1)) "null reference")
(assert_return (invoke $B "count" (i32.const 0)) (i32.const 0))

(module $C
  (type $s (func (param (ref null $s) i32) (result i32)))
  (import "A" "table" (table $tab 3 funcref))
  (import "A" "count" (func $count (type $s)))
  (elem declare func $count)
  (func (export "count") (param i32) (result i32)
    (call_indirect $tab (type $s) (ref.func $count) (local.get 0) (i32.const 2)))
)
(assert_return (invoke $C "count" (i32.const 1000)) (i32.const 1000))

;; A parameter type that refers to a different type does not link, nor does a nullable for a non-null one.
(assert_unlinkable
  (module (type $r (func (result i64))) (import "A" "apply" (func (param (ref $r)) (result i32))))
  "incompatible import type"
)
(assert_unlinkable
  (module (type $r (func (result i32))) (import "A" "apply" (func (param (ref null $r)) (result i32))))
  "incompatible import type"
)
;; An immutable global may be imported at a supertype, never at another type.
(module (type $r (func (result i32))) (import "A" "seven" (global (ref null $r))) (import "A" "seven" (global funcref)))
(assert_unlinkable
  (module (type $r (func (result i64))) (import "A" "seven" (global (ref null $r))))
  "incompatible import type"
)
(assert_unlinkable
  (module (type $r (func (result i32))) (import "A" "table" (table 3 (ref null $r))))
  "incompatible import type"
)

;; return_call_ref in constant stack: a million mutual tail calls through references, with more
;; parameters than registers.
(module
  (type $f (func (param i64 i64 i64 i64 i64 i64 i64 i64 (ref null $f) (ref null $f)) (result i64)))
  (elem declare func $even $odd)
  (func $even (type $f)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 7))
      (else (return_call_ref $f
        (i64.sub (local.get 0) (i64.const 1)) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
        (local.get 5) (local.get 6) (i64.add (local.get 7) (i64.const 2)) (local.get 8) (local.get 9) (local.get 9)))))
  (func $odd (type $f)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.sub (i64.const 0) (local.get 7)))
      (else (return_call_ref $f
        (i64.sub (local.get 0) (i64.const 1)) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
        (local.get 5) (local.get 6) (i64.add (local.get 7) (i64.const 1)) (local.get 8) (local.get 9) (local.get 8)))))
  (func (export "run") (param i64) (result i64)
    (return_call $even (local.get 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const 0) (i64.const 0) (ref.func $even) (ref.func $odd)))
  (func (export "null") (result i64)
    (return_call_ref $f (i64.const 1) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const 0) (i64.const 0) (ref.null $f) (ref.null $f) (ref.null $f)))
)
(assert_return (invoke "run" (i64.const 0)) (i64.const 0))
(assert_return (invoke "run" (i64.const 3)) (i64.const -5))
(assert_return (invoke "run" (i64.const 1000000)) (i64.const 1500000))
(assert_trap (invoke "null") "null function reference")

;; br_on_null and br_on_non_null in a loop over a table of typed references with holes.
(module
  (type $v (func (result i32)))
  (func $one (type $v) (i32.const 1))
  (func $ten (type $v) (i32.const 10))
  (table $t 6 (ref null $v))
  (elem (table $t) (i32.const 0) (ref null $v) (ref.func $one) (ref.null $v) (ref.func $ten) (ref.null $v) (ref.func $ten))
  (func (export "sum") (result i32) (local $i i32) (local $sum i32)
    (loop $next
      (block $null
        (local.set $sum (i32.add (local.get $sum)
          (call_ref $v (br_on_null $null (table.get $t (local.get $i)))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 6))))
    (local.get $sum))
  (func (export "first-non-null") (param $from i32) (result i32)
    (block $found (result (ref $v))
      (loop $next
        (br_on_non_null $found (table.get $t (local.get $from)))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $next))
      (unreachable))
    (call_ref $v))
)
(assert_return (invoke "sum") (i32.const 21))
(assert_return (invoke "first-non-null" (i32.const 1)) (i32.const 10))
(assert_trap (invoke "first-non-null" (i32.const 5)) "out of bounds table access")
;; return_call_ref to a host function inside a block returns from the caller (difftest seed 501 module 76:
;; WasmKit 0.4.2's interpreter runs on into the `unreachable`).
(module
  (type $log (func (param i64)))
  (import "spectest" "print_i64" (func $print (type $log)))
  (table $t 1 (ref null $log))
  (elem (table $t) (i32.const 0) (ref null $log) (ref.func $print))
  (func (export "log") (param i64)
    (block (return_call_ref $log (local.get 0) (table.get $t (i32.const 0))))
    (unreachable))
)
(assert_return (invoke "log" (i64.const -4)))
