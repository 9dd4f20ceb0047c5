;; wasi-threads in miniature (the team's own, for Tests/KilnCommandsTests/ThreadsCommandTests.swift): _start
;; spawns 4 threads through `wasi` `thread-spawn` and waits for them on memory.atomic.wait32; each adds 1000 to
;; a counter with i32.atomic.rmw.add, adds its thread id to a sum and notifies. The number of guest arguments
;; picks what the threads do: none, count; one, trap (unreachable); two, proc_exit(7); three, also print a line
;; 50 times each (concurrent fd_write calls).
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  ;; 0: the counter the threads add to; 4: threads finished; 8: the tids seen (sum); 16..: iovec; 64..: text
  (data (i32.const 64) "counted 4000\0a")
  (data (i32.const 80) "wrong count\0a")
  (data (i32.const 96) "thread line\0a")
  (func (export "wasi_thread_start") (param $tid i32) (param $mode i32)
    (local $i i32)
    (if (i32.eq (local.get $mode) (i32.const 1)) (then unreachable))
    (if (i32.eq (local.get $mode) (i32.const 2)) (then (call $proc_exit (i32.const 7))))
    (drop (i32.atomic.rmw.add (i32.const 8) (local.get $tid)))
    (loop $l
      (if (i32.and (i32.eq (local.get $mode) (i32.const 3)) (i32.lt_u (local.get $i) (i32.const 50)))
        (then (call $print (i32.const 96) (i32.const 12) (i32.add (i32.const 128) (i32.shl (local.get $tid) (i32.const 4))))))
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1000))))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))
  ;; Writes [at, at + n) to stdout through an iovec at `iov` (each thread its own).
  (func $print (param $at i32) (param $n i32) (param $iov i32)
    (i32.store (local.get $iov) (local.get $at))
    (i32.store offset=4 (local.get $iov) (local.get $n))
    (drop (call $fd_write (i32.const 1) (local.get $iov) (i32.const 1) (i32.add (local.get $iov) (i32.const 8)))))
  (func (export "_start")
    (local $mode i32) (local $k i32) (local $done i32)
    ;; the mode is the number of guest arguments: none adds, one traps in the threads, two calls proc_exit(7)
    (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
    (local.set $mode (i32.sub (i32.load (i32.const 32)) (i32.const 1)))
    (loop $spawning
      (if (i32.le_s (call $spawn (local.get $mode)) (i32.const 0)) (then unreachable))
      (br_if $spawning (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 4))))
    (loop $waiting
      (local.set $done (i32.atomic.load (i32.const 4)))
      (if (i32.lt_u (local.get $done) (i32.const 4))
        (then
          (drop (memory.atomic.wait32 (i32.const 4) (local.get $done) (i64.const -1)))
          (br $waiting))))
    ;; tids are 1, 2, 3, 4 in one process: their sum is 10
    (if (i32.and (i32.eq (i32.atomic.load (i32.const 0)) (i32.const 4000)) (i32.eq (i32.atomic.load (i32.const 8)) (i32.const 10)))
      (then (call $print (i32.const 64) (i32.const 13) (i32.const 16)))
      (else (call $print (i32.const 80) (i32.const 12) (i32.const 16)))))
)
