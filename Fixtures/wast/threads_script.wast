;; The threads proposal's script commands, `thread` and `wait` (kiln wast runs them; no script of
;; ../shared/testsuite uses them yet): message passing through a shared memory, one thread storing a value and
;; a flag and notifying, another waiting on the flag and reading the value; then a counter two threads add to.

(module $Mem (memory (export "shared") 1 1 shared))
(register "mem" $Mem)

(thread $Reader (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run") (result i32)
      (block $done
        (loop $again
          (br_if $done (i32.atomic.load (i32.const 4)))
          (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1)))
          (br $again)))
      (i32.load (i32.const 0))))
  (assert_return (invoke "run") (i32.const 42))
)

(thread $Writer (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (i32.store (i32.const 0) (i32.const 42))
      (i32.atomic.store (i32.const 4) (i32.const 1))
      (drop (memory.atomic.notify (i32.const 4) (i32.const -1)))))
  (invoke "run")
)

(wait $Writer)
(wait $Reader)

(module $Check
  (memory (import "mem" "shared") 1 1 shared)
  (func (export "flag") (result i32) (i32.atomic.load (i32.const 4)))
  (func (export "count") (result i32) (i32.atomic.load (i32.const 8))))
(assert_return (invoke $Check "flag") (i32.const 1))

(thread $A (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "add") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (invoke "add" (i32.const 100000))
)
(thread $B (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "add") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (invoke "add" (i32.const 100000))
)
(wait $A)
(wait $B)
(assert_return (invoke $Check "count") (i32.const 200000))
