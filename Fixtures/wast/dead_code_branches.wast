;; Branches inside a block, loop or if that begins in unreachable code (after return, br or unreachable)
;; are never lowered: the frame emits no labels, so a goto to one would not compile. Random valid modules
;; (binaryen's -ttf) hit this in about one module in six.

(module
  ;; The smallest case: a loop after return whose body branches to itself.
  (func (export "loop_after_return") (result i32)
    (return (i32.const 1))
    (loop $l (br $l)))
  ;; br_if and br_table to dead frames, nested, after br.
  (func (export "nested_after_br") (param $x i32) (result i32)
    (block $out (result i32)
      (br $out (i32.add (local.get $x) (i32.const 2)))
      (block $a
        (loop $b
          (br_if $b (local.get $x))
          (br_table $a $b $a (local.get $x))))
      (i32.const 9)))
  ;; An if entered after unreachable, with branches in both arms, and a live frame around it.
  (func (export "if_after_unreachable") (param $x i32) (result i32)
    (block $live (result i32)
      (br_if $live (i32.const 3) (local.get $x))
      (unreachable)
      (if (result i32) (local.get $x)
        (then (br 0 (i32.const 4)))
        (else (block (br 1 (i32.const 5))) (i32.const 6)))))
  ;; A dead block whose branch targets the live function frame (a return in disguise).
  (func (export "dead_branch_to_function") (result i32)
    (return (i32.const 7))
    (block (br 1 (i32.const 8)))
    (i32.const 9))
)

(assert_return (invoke "loop_after_return") (i32.const 1))
(assert_return (invoke "nested_after_br" (i32.const 0)) (i32.const 2))
(assert_return (invoke "nested_after_br" (i32.const 5)) (i32.const 7))
(assert_return (invoke "if_after_unreachable" (i32.const 1)) (i32.const 3))
(assert_trap (invoke "if_after_unreachable" (i32.const 0)) "unreachable")
(assert_return (invoke "dead_branch_to_function") (i32.const 7))
