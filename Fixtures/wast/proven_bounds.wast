;; Bounds checks Kiln leaves out because an earlier check through the same local covers them
;; (Sources/KilnLower/ProvenBounds.swift), and constant addresses below the declared minimum. Every case
;; here is one where a fact must NOT carry: the access has to trap exactly as the spec says.

(module
  (memory 1)
  ;; A C frame: sp - 96 in a local, a store near its top, then narrower accesses below it.
  (global $sp (mut i32) (i32.const 65536))
  (func (export "frame") (param $top i32) (result i32)
    (local $fp i32)
    (global.set $sp (local.get $top))
    (local.set $fp (i32.sub (global.get $sp) (i32.const 96)))
    (i32.store offset=76 (local.get $fp) (i32.const 7))
    (i64.store offset=64 (local.get $fp) (i64.const 5))
    (i32.store offset=72 (local.get $fp) (i32.const 9))
    (i32.add (i32.load offset=76 (local.get $fp))
             (i32.add (i32.wrap_i64 (i64.load offset=64 (local.get $fp))) (i32.load offset=72 (local.get $fp)))))

  ;; A fact from one arm of an if does not hold after it.
  (func (export "if_one_arm") (param $p i32) (param $c i32) (result i32)
    (if (local.get $c) (then (drop (i32.load offset=12 (local.get $p)))))
    (i32.load offset=8 (local.get $p)))
  ;; ... but one from both arms does (the narrower of the two).
  (func (export "if_both_arms") (param $p i32) (param $c i32) (result i32)
    (if (local.get $c)
      (then (drop (i32.load offset=12 (local.get $p))))
      (else (drop (i32.load offset=4 (local.get $p)))))
    (i32.load offset=8 (local.get $p)))

  ;; A branch that skips the check carries nothing past the block.
  (func (export "br_if_skips") (param $p i32) (param $c i32) (result i32)
    (block $b
      (br_if $b (local.get $c))
      (drop (i32.load offset=12 (local.get $p))))
    (i32.load offset=8 (local.get $p)))
  (func (export "br_table_skips") (param $p i32) (param $c i32) (result i32)
    (block $out
      (block $b
        (br_table $b $out (local.get $c)))
      (drop (i32.load offset=12 (local.get $p))))
    (i32.load offset=8 (local.get $p)))

  ;; A loop whose body moves the pointer: the check before it does not cover later iterations.
  (func (export "loop_moves") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (local.set $s (i32.load (local.get $p)))
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $s))
  ;; The same, with the pointer assigned in a block nested inside the loop.
  (func (export "loop_moves_nested") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (local.set $s (i32.load (local.get $p)))
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (block $b
        (br_if $b (i32.eqz (local.get $n)))
        (local.set $p (i32.add (local.get $p) (i32.const 4))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.ne (local.get $n) (i32.const -1))))
    (local.get $s))

  ;; A local assigned after its check; local.tee as the base.
  (func (export "reassigned") (param $p i32) (param $q i32) (result i32)
    (drop (i32.load offset=12 (local.get $p)))
    (local.set $p (local.get $q))
    (i32.load offset=8 (local.get $p)))
  (func (export "teed") (param $p i32) (param $q i32) (result i32)
    (drop (i32.load offset=12 (local.get $p)))
    (i32.load offset=8 (local.tee $p (local.get $q))))

  ;; A wider access after a narrower one still needs its own check; a store before the trap stays.
  (func (export "widening") (param $p i32) (result i32)
    (i32.store8 (local.get $p) (i32.const 0x5a))
    (i32.wrap_i64 (i64.load (local.get $p))))
  (func (export "byte") (param $p i32) (result i32) (i32.load8_u (local.get $p)))

  ;; Memory grows, never shrinks: a check before memory.grow still holds after it.
  (func (export "after_grow") (param $p i32) (result i32)
    (drop (i32.load offset=12 (local.get $p)))
    (drop (memory.grow (i32.const 1)))
    (i32.load offset=8 (local.get $p)))

  ;; Constant addresses: below the declared minimum (one page) need no check; past it they do, even
  ;; once memory has grown far enough.
  (func (export "const_last") (result i32) (i32.load (i32.const 65532)))
  (func (export "const_past") (result i32) (i32.load (i32.const 65533)))
  (func (export "const_offset_past") (result i32) (i32.load offset=65533 (i32.const 0)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "const_second_page") (result i32) (i32.load (i32.const 70000)))
)

(assert_return (invoke "frame" (i32.const 65536)) (i32.const 21))
(assert_return (invoke "frame" (i32.const 96)) (i32.const 21))
(assert_trap (invoke "frame" (i32.const 65553)) "out of bounds memory access")
(assert_trap (invoke "frame" (i32.const 95)) "out of bounds memory access")

(assert_return (invoke "const_last") (i32.const 0))
(assert_trap (invoke "const_past") "out of bounds memory access")
(assert_trap (invoke "const_offset_past") "out of bounds memory access")
(assert_trap (invoke "const_second_page") "out of bounds memory access")

(assert_return (invoke "if_one_arm" (i32.const 65520) (i32.const 1)) (i32.const 0))
(assert_trap (invoke "if_one_arm" (i32.const 65528) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "if_both_arms" (i32.const 65528) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "if_both_arms" (i32.const 65528) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "if_both_arms" (i32.const 65524) (i32.const 0)) (i32.const 0))

(assert_trap (invoke "br_if_skips" (i32.const 65528) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "br_if_skips" (i32.const 65520) (i32.const 0)) (i32.const 0))
(assert_trap (invoke "br_table_skips" (i32.const 65528) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "br_table_skips" (i32.const 65528) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "br_table_skips" (i32.const 65520) (i32.const 1)) (i32.const 0))

(assert_return (invoke "loop_moves" (i32.const 65524) (i32.const 3)) (i32.const 0))
(assert_trap (invoke "loop_moves" (i32.const 65528) (i32.const 3)) "out of bounds memory access")
(assert_trap (invoke "loop_moves_nested" (i32.const 65528) (i32.const 3)) "out of bounds memory access")

(assert_trap (invoke "reassigned" (i32.const 0) (i32.const 65528)) "out of bounds memory access")
(assert_trap (invoke "teed" (i32.const 0) (i32.const 65528)) "out of bounds memory access")

(assert_trap (invoke "widening" (i32.const 65532)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 65532)) (i32.const 0x5a))

(assert_trap (invoke "after_grow" (i32.const 131068)) "out of bounds memory access")
(assert_return (invoke "after_grow" (i32.const 65520)) (i32.const 0))
(assert_return (invoke "const_second_page") (i32.const 0))

;; Addresses whose bounds follow from the instructions computing them (Sources/KilnLower/ValueRanges.swift):
;; a masked table index needs no check when the whole table lies below the declared minimum, and keeps it
;; when one more entry would not.
(module
  (memory 1)
  (data (i32.const 64512) "\01\00\00\00")
  (data (i32.const 65532) "\02\00\00\00")
  ;; (x & 255) * 4 + 64512 + 4 <= 65536: in bounds for every x.
  (func (export "table_in") (param $x i32) (result i32)
    (i32.load offset=64512 (i32.shl (i32.and (local.get $x) (i32.const 255)) (i32.const 2))))
  ;; One entry further: 255 * 4 + 64516 + 4 = 65540, so the last index traps.
  (func (export "table_past") (param $x i32) (result i32)
    (i32.load offset=64516 (i32.shl (i32.and (local.get $x) (i32.const 255)) (i32.const 2))))
  ;; x >> 16 reaches 65535; with a 2-byte load at offset 0 the last index is the last byte plus one.
  (func (export "shifted") (param $x i32) (result i32)
    (i32.load16_u (i32.shr_u (local.get $x) (i32.const 16))))
  ;; x % 65533 + 3 bytes: in bounds; x % 65534 + 4 bytes: not for x = 65533.
  (func (export "rem_in") (param $x i32) (result i32) (i32.load8_u offset=2 (i32.rem_u (local.get $x) (i32.const 65533))))
  (func (export "rem_past") (param $x i32) (result i32) (i32.load (i32.rem_u (local.get $x) (i32.const 65534))))
  ;; A byte plus a byte, times 128: at most 65280 + 255 ... and a mask against an unknown value is unknown.
  (func (export "bytes") (param $p i32) (result i32)
    (i32.load8_u (i32.mul (i32.add (i32.load8_u (local.get $p)) (i32.load8_u offset=1 (local.get $p))) (i32.const 128))))
  (func (export "or_past") (param $x i32) (result i32)
    (i32.load (i32.or (i32.and (local.get $x) (i32.const 0xff00)) (i32.const 0xfd))))
  (func (export "store_byte") (param $p i32) (param $v i32) (i32.store8 (local.get $p) (local.get $v)))
)
(assert_return (invoke "table_in" (i32.const 0)) (i32.const 1))
(assert_return (invoke "table_in" (i32.const 0x1ff)) (i32.const 2))
(assert_return (invoke "table_past" (i32.const 254)) (i32.const 2))
(assert_trap (invoke "table_past" (i32.const 255)) "out of bounds memory access")
(assert_return (invoke "shifted" (i32.const 0xfffeffff)) (i32.const 0))
(assert_trap (invoke "shifted" (i32.const 0xffff0000)) "out of bounds memory access")
(assert_return (invoke "rem_in" (i32.const 65532)) (i32.const 0))
(assert_return (invoke "rem_past" (i32.const 65532)) (i32.const 2))
(assert_trap (invoke "rem_past" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "store_byte" (i32.const 0) (i32.const 255)))
(assert_return (invoke "store_byte" (i32.const 1) (i32.const 255)))
(assert_return (invoke "bytes" (i32.const 0)) (i32.const 0))
(assert_return (invoke "or_past" (i32.const 0xfe00)) (i32.const 0))
(assert_trap (invoke "or_past" (i32.const 0xff00)) "out of bounds memory access")

;; One check for several loads through a local in straight-line code (Sources/KilnLower/WidenedChecks.swift):
;; the first load's check grows to cover later, wider ones, so a trap may come earlier, but only where
;; nothing between could be seen: a store, a global write, a call, a division or a branch keeps the later
;; access's own check, and a local assigned in between is a new address.
(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $mark (i32.store (i32.const 100) (i32.const 77)))
  (func (export "loads") (param $p i32) (result i32)
    (i32.add (i32.load8_u (local.get $p)) (i32.add (i32.load offset=8 (local.get $p)) (i32.load16_u offset=2 (local.get $p)))))
  (func (export "store_between") (param $p i32) (param $q i32) (result i32)
    (local $a i32)
    (local.set $a (i32.load8_u (local.get $p)))
    (i32.store (local.get $q) (i32.const 55))
    (i32.add (local.get $a) (i32.load offset=8 (local.get $p))))
  (func (export "global_between") (param $p i32) (result i32)
    (local $a i32)
    (local.set $a (i32.load8_u (local.get $p)))
    (global.set $g (i32.const 66))
    (i32.add (local.get $a) (i32.load offset=8 (local.get $p))))
  (func (export "call_between") (param $p i32) (result i32)
    (local $a i32)
    (local.set $a (i32.load8_u (local.get $p)))
    (call $mark)
    (i32.add (local.get $a) (i32.load offset=8 (local.get $p))))
  (func (export "div_between") (param $p i32) (param $d i32) (result i32)
    (local $a i32)
    (local.set $a (i32.div_u (i32.load8_u (local.get $p)) (local.get $d)))
    (i32.add (local.get $a) (i32.load offset=8 (local.get $p))))
  (func (export "branch_between") (param $p i32) (param $c i32) (result i32)
    (local $a i32)
    (block $out
      (local.set $a (i32.load8_u (local.get $p)))
      (br_if $out (local.get $c))
      (local.set $a (i32.load offset=8 (local.get $p))))
    (local.get $a))
  (func (export "moved_between") (param $p i32) (param $q i32) (result i32)
    (local $a i32)
    (local.set $a (i32.load8_u (local.get $p)))
    (local.set $p (local.get $q))
    (i32.add (local.get $a) (i32.load offset=8 (local.get $p))))
  ;; A store that reaches further widens the first load's check; it traps before storing anything either way.
  (func (export "store_after") (param $p i32) (result i32)
    (local $a i32)
    (local.set $a (i32.load offset=4 (local.get $p)))
    (i32.store offset=12 (local.get $p) (local.get $a))
    (local.get $a))
  (func (export "load") (param $p i32) (result i32) (i32.load (local.get $p)))
  (func (export "g") (result i32) (global.get $g))
)
(assert_return (invoke "loads" (i32.const 65524)) (i32.const 0))
(assert_trap (invoke "loads" (i32.const 65525)) "out of bounds memory access")
(assert_trap (invoke "store_between" (i32.const 65528) (i32.const 200)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 200)) (i32.const 55))
(assert_trap (invoke "global_between" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "g") (i32.const 66))
(assert_trap (invoke "call_between" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 100)) (i32.const 77))
(assert_trap (invoke "div_between" (i32.const 65528) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_between" (i32.const 65528) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "branch_between" (i32.const 65535) (i32.const 1)) (i32.const 0))
(assert_trap (invoke "branch_between" (i32.const 65535) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "moved_between" (i32.const 65535) (i32.const 0)) (i32.const 0))
(assert_return (invoke "store_after" (i32.const 65520)) (i32.const 0))
(assert_trap (invoke "store_after" (i32.const 65524)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 0))
