/* main() of the wasm2c peer of `make bench`: instantiates a module that wasm2c 1.0.32 translated with
 * `wasm2c -n bench M.wasm -o module.c` against the WASI host in wasm2c_wasi.c and calls its `_start`.
 * Exit status: the guest's proc_exit status, 0 when `_start` returns, 134 after a trap (as `kiln run`).
 * Built with the module and /usr/share/wabt/wasm2c/wasm-rt-impl.c, all with the same
 * WASM_RT_MEMCHECK_SIGNAL_HANDLER: 1 (the default: guard pages, an 8 GiB reservation) or 0 (explicit
 * bounds checks on every access, memory from calloc/realloc, a call-depth counter).
 */
#include <stdio.h>

#include "module.h"
#include "wasm-rt-impl.h"
#include "wasm2c_wasi.h"

int main(int argc, char** argv) {
  static Z_bench_instance_t instance; /* static: the generated code keeps no pointers past main */
  struct Z_wasi_snapshot_preview1_instance_t wasi = {NULL, argc, argv};
  wasm_rt_init();
  Z_bench_init_module();
  Z_bench_instantiate(&instance, &wasi);
  wasi.memory = Z_benchZ_memory(&instance);
  wasm_rt_trap_t trap = wasm_rt_impl_try();
  if (trap != WASM_RT_TRAP_NONE) {
    fprintf(stderr, "error: wasm trap: %s\n", wasm_rt_strerror(trap));
    return 134;
  }
  Z_benchZ__start(&instance);
  Z_bench_free(&instance);
  wasm_rt_free();
  return 0;
}
