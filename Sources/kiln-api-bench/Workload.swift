/// What both engines run: the same module and the same three operations, so that the figures compare the
/// embedding APIs and not the code inside.
enum Workload {
    /// `id` is the trivial export a host calls; `calls(n)` calls the host's `host.id` n times; the memory and
    /// table make instantiation do what a small real module's does.
    static let text = """
        (module
          (import "host" "id" (func $id (param i32) (result i32)))
          (memory (export "memory") 1)
          (table 4 funcref)
          (global $g (mut i32) (i32.const 0))
          (data (i32.const 0) "a small module")
          (func (export "id") (param i32) (result i32) (local.get 0))
          (func (export "calls") (param $n i32) (result i32) (local $sum i32)
            (block $done (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $sum (i32.add (local.get $sum) (call $id (local.get $n))))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next)))
            (local.get $sum)))
        """

    /// The sum `calls(n)` returns (i32 arithmetic wraps).
    static func sum(_ n: Int) -> Int32 { Int32(truncatingIfNeeded: n * (n + 1) / 2) }
}
