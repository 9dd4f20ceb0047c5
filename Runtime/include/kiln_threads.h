/* wasi-threads, host side (Runtime/host/threads.c): the spawn function a host installs in its WASI state
 * (kiln_wasi_set_spawn) so that `thread-spawn` starts native threads. Host only, never in artifacts. */
#ifndef KILN_THREADS_H
#define KILN_THREADS_H

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_wasi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A kiln_wasi_spawn_fn: instantiates parent's module again with parent's imports and runs its
 * wasi_thread_start(tid, start_arg) on a new detached thread. The thread id, or -1 (no wasi_thread_start of
 * type (i32, i32) -> (), no ids left, instantiation failed, no thread). */
KILN_HIDDEN s32 kiln_thread_spawn(kiln_wasi* wasi, kiln_instance* parent, u32 start_arg);

#ifdef __cplusplus
}
#endif
#endif
