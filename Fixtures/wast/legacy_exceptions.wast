;; Legacy exception handling as Kiln compiles it (Sources/KilnLower/Instructions/LowerLegacyExceptions.swift):
;; a try's handler comes off on every way out of its body; a catch clause that a rethrow names holds its
;; exception until the clause ends, however it ends, while one caught again by an inner clause stays valid;
;; delegate skips the handlers between the try and its label, try_table's included. Run under
;; `make sanitize` too: a clause that freed an exception still held would be a use after free.

(module $M
  (tag $e0 (export "e0"))
  (tag $ei (export "ei") (param i32))
  (tag $wide (param i64 f64 v128))
  (type $t (func (param i32) (result i32)))

  (func $throw (throw $e0))
  (func $throw-i (param i32) (throw $ei (local.get 0)))

  ;; Leaving a try's body by br, by return, and a clause by br: a later throw is not caught by it.
  (func (export "after-br") (result i32)
    (block $out (try (do (br $out)) (catch_all (return (i32.const 1)))))
    (try (result i32) (do (call $throw) (i32.const 0)) (catch $e0 (i32.const 2))))
  (func $return-from-try (result i32)
    (try (result i32) (do (return (i32.const 3))) (catch_all (i32.const 4))))
  (func (export "after-return") (result i32)
    (drop (call $return-from-try))
    (try (result i32) (do (call $throw) (i32.const 0)) (catch $e0 (i32.const 5))))
  ;; A body that falls through, then an exception nothing in the module catches: had the handler stayed
  ;; on, the throw would jump into the frame of a function that has returned.
  (func $fall-through (result i32)
    (try (result i32) (do (i32.const 1)) (catch_all (i32.const 2))))
  (func $fall-through-no-clause (result i32)
    (try (result i32) (do (i32.const 3))))
  (func (export "escape-after-fall-through")
    (drop (call $fall-through))
    (drop (call $fall-through-no-clause))
    (call $throw))
  (func (export "after-br-from-clause") (param $n i32) (result i32)
    (local $count i32)
    (loop $again
      (block $next
        (try
          (do (call $throw-i (local.get $n)))
          (catch $ei
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (br_if $next)
            (rethrow 0))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n)))
    (local.get $count))

  ;; A clause that holds its exception (it rethrows it) after an inner clause caught and let go of the
  ;; same exception: the rethrow must still carry the payload.
  (func $hold-and-recatch
    (try
      (do (call $throw-i (i32.const 7)))
      (catch $ei
        (drop)
        (try (do (rethrow 1)) (catch_all))
        (try (do (rethrow 1)) (catch $ei (drop)))
        (rethrow 0))))
  (func (export "hold-and-recatch") (result i32)
    (try (result i32) (do (call $hold-and-recatch) (i32.const 0)) (catch $ei)))

  ;; rethrow 1 from an inner clause throws the outer clause's exception, not the inner one.
  (func $rethrow-outer
    (try
      (do (call $throw-i (i32.const 1)))
      (catch $ei
        (drop)
        (try (do (call $throw-i (i32.const 2))) (catch $ei (drop) (rethrow 1))))))
  (func (export "rethrow-outer") (result i32)
    (try (result i32) (do (call $rethrow-outer) (i32.const 0)) (catch $ei)))

  ;; Another exception leaves a holding clause: its cleanup handler lets the held one go and passes the
  ;; new one on; many times over, so a leak or a stale handler would show.
  (func $replace (param i32)
    (try
      (do (call $throw-i (local.get 0)))
      (catch $ei
        (if (i32.eqz (i32.and (local.get 0) (i32.const 1))) (then (call $throw)))
        (drop)
        (rethrow 0))))
  (func (export "replace-loop") (param $n i32) (result i32)
    (local $e0s i32) (local $eis i32)
    (loop $again
      (try
        (do (call $replace (local.get $n)))
        (catch $e0 (local.set $e0s (i32.add (local.get $e0s) (i32.const 1))))
        (catch $ei (drop) (local.set $eis (i32.add (local.get $eis) (i32.const 1)))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n)))
    (i32.add (i32.mul (local.get $e0s) (i32.const 100000)) (local.get $eis)))

  ;; delegate to a try_table's label: the exception is thrown as if inside it, past the try between.
  (func (export "delegate-to-try_table") (result i32)
    (block $out (result i32)
      (try_table $tt (catch $ei $out)
        (try
          (do (try (do (call $throw-i (i32.const 5))) (delegate $tt)))
          (catch_all (return (i32.const 99)))))
      (i32.const 0)))
  ;; delegate to the function's label: to the caller, past every handler of the function.
  (func $delegate-out
    (try (do (try (do (call $throw-i (i32.const 6))) (delegate 1))) (catch_all)))
  (func (export "delegate-to-caller") (result i32)
    (try (result i32) (do (call $delegate-out) (i32.const 0)) (catch $ei)))

  ;; Locals hold what they held when the exception was thrown; a try with parameters; a wide payload.
  (func (export "locals-kept") (result i32)
    (local $x i32)
    (try (do (local.set $x (i32.const 41)) (call $throw)) (catch_all))
    (i32.add (local.get $x) (i32.const 1)))
  (func (export "try-with-params") (param i32) (result i32)
    (local.get 0)
    (try (type $t)
      (do (call $throw-i (i32.add (i32.const 1))) (i32.const 0))
      (catch $ei (i32.mul (i32.const 2)))))
  (func (export "wide-payload") (result i64 f64 i32)
    (try (result i64 f64 i32)
      (do (throw $wide (i64.const -3) (f64.const 2.5) (v128.const i32x4 1 2 3 4)) (unreachable))
      (catch $wide (i32x4.extract_lane 3))))
  (func (export "no-match-passes-on") (result i32)
    (try (result i32)
      (do (try (result i32) (do (call $throw) (i32.const 0)) (catch $ei)))
      (catch $e0 (i32.const 8))))
  (func (export "uncaught-rethrow")
    (try (do (call $throw-i (i32.const 9))) (catch_all (rethrow 0))))
)

(assert_return (invoke "after-br") (i32.const 2))
(assert_return (invoke "after-return") (i32.const 5))
(assert_return (invoke "after-br-from-clause" (i32.const 10)) (i32.const 10))
(assert_exception (invoke "escape-after-fall-through"))
(assert_return (invoke "hold-and-recatch") (i32.const 7))
(assert_return (invoke "rethrow-outer") (i32.const 1))
(assert_return (invoke "replace-loop" (i32.const 1000)) (i32.const 50000500))
(assert_return (invoke "delegate-to-try_table") (i32.const 5))
(assert_return (invoke "delegate-to-caller") (i32.const 6))
(assert_return (invoke "locals-kept") (i32.const 42))
(assert_return (invoke "try-with-params" (i32.const 20)) (i32.const 42))
(assert_return (invoke "wide-payload") (i64.const -3) (f64.const 2.5) (i32.const 4))
(assert_return (invoke "no-match-passes-on") (i32.const 8))
(assert_exception (invoke "uncaught-rethrow"))

;; Across instances: a tag imported from $M, thrown there and caught here by a legacy catch.
(register "M" $M)
(module
  (import "M" "ei" (tag $ei (param i32)))
  (import "M" "e0" (tag $e0))
  (func $thrower (import "M" "delegate-to-caller") (result i32))
  (func $throw-there (param i32) (throw $ei (local.get 0)))
  (func (export "caught-here") (result i32)
    (try (result i32) (do (call $throw-there (i32.const 11)) (i32.const 0)) (catch $ei)))
  (func (export "through-import") (result i32)
    (call $thrower)))
(assert_return (invoke "caught-here") (i32.const 11))
(assert_return (invoke "through-import") (i32.const 6))

(assert_invalid (module (func (try (do) (catch_all (rethrow 1))))) "invalid rethrow label")
(assert_invalid (module (tag $e (param i32)) (func (try (do) (catch $e)))) "type mismatch")
(assert_invalid (module (func (block (try (do) (delegate 2))))) "unknown label")
