// Runs a WASI command with its arguments, environment and stdin given by the host, and its stdout and stderr
// captured in memory; the exit status comes back as a value (the host process does not exit).
//
//     swift run example-wasi-capture
import Kiln

let command = """
    (module
      (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 100) "counted bytes on stdin\\n")
      ;; Counts the bytes on stdin, echoes them to stdout, complains on stderr, and exits with the count mod 256.
      (func (export "_start") (local $n i32) (local $total i32)
        (loop $more
          (i32.store (i32.const 0) (i32.const 1024))
          (i32.store (i32.const 4) (i32.const 4096))
          (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
          (local.set $n (i32.load (i32.const 8)))
          (local.set $total (i32.add (local.get $total) (local.get $n)))
          (if (local.get $n) (then
            (i32.store (i32.const 4) (local.get $n))
            (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
            (br $more))))
        (i32.store (i32.const 16) (i32.const 100))
        (i32.store (i32.const 20) (i32.const 23))
        (drop (call $write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 12)))
        (call $exit (i32.and (local.get $total) (i32.const 255)))))
    """

let engine = try Engine()
let module = try Module(engine: engine, wat: command, name: "count.wat")
let stdout = try WASIOutputBuffer()
let stderr = try WASIOutputBuffer()
let linker = Linker()
linker.addWASI(WASIConfiguration(
    arguments: ["count"], environment: [("LANG", "C")],
    stdin: .bytes(Array("three little words\n".utf8)), stdout: .buffer(stdout), stderr: .buffer(stderr)))
let status = try linker.instantiate(module, in: Store()).runCommand()
print("exit status: \(status)")
print("stdout: \(stdout.text.debugDescription)")
print("stderr: \(stderr.text.debugDescription)")
