/* main() of the wasm2c peer of `make bench`: instantiates a module that wasm2c 1.0.42 translated with
 * `wasm2c -n bench M.wasm -o module.c` against the WASI host in wasm2c_wasi.c and calls its `_start`.
 * Exit status: the guest's proc_exit status, 0 when `_start` returns, 134 after a trap (as `kiln run`).
 * Built with the module and wabt's runtime (wasm-rt-impl.c, wasm-rt-mem-impl.c, wasm-rt-exceptions-impl.c),
 * all with the same memory check: -DWASM_RT_MEMCHECK_GUARD_PAGES=1 (wabt's default on 64-bit hosts: an
 * 8 GiB reservation per memory, out-of-bounds accesses fault into a signal handler, which also catches
 * stack exhaustion) or -DWASM_RT_MEMCHECK_BOUNDS_CHECK=1 (an explicit bounds check on every access; the
 * call depth is then counted).
 */
#include <stdio.h>

#include "module.h"
#include "wasm-rt-exceptions.h" /* wasm_rt_impl_try() sets the unwind target it declares */
#include "wasm-rt-impl.h"
#include "wasm2c_wasi.h"

int main(int argc, char** argv) {
  static w2c_bench instance; /* static: large, and the generated code keeps no pointers past main */
  struct w2c_wasi__snapshot__preview1 wasi = {NULL, argc, argv};
  wasm_rt_init();
  wasm_rt_trap_t trap = wasm_rt_impl_try();
  if (trap != WASM_RT_TRAP_NONE) {
    fprintf(stderr, "error: wasm trap: %s\n", wasm_rt_strerror(trap));
    return 134;
  }
  wasm2c_bench_instantiate(&instance, &wasi);
  wasi.memory = w2c_bench_memory(&instance);
  w2c_bench_0x5Fstart(&instance);
  wasm2c_bench_free(&instance);
  wasm_rt_free();
  return 0;
}
