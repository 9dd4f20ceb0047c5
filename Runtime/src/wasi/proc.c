/* proc_exit unwinds to the host boundary with the exit code; proc_raise is not supported (WASI removed
 * it, and raising a real signal in the host would be wrong). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "kiln_trap.h"
#include "wasi_state.h"

_Noreturn void kiln_wasi_proc_exit(kiln_ctx* ctx, kiln_memory* mem, u32 code) {
  (void)mem;
  ctx->exit_code = (int)code;
  kiln_trap(ctx, KILN_TRAP_EXIT);
}

u32 kiln_wasi_proc_raise(kiln_ctx* ctx, kiln_memory* mem, u32 sig) {
  (void)ctx;
  (void)mem;
  (void)sig;
  return KILN_WASI_ENOSYS;
}
