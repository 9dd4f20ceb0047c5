/* wasi-threads inside an artifact: thread-spawn hands over to the host's spawn function, and the lock that
 * serialises the threads' WASI calls (kiln_wasi.h). Starting a thread needs the host's entry boundary
 * (kiln_invoke), which artifacts do not carry: the host sets `spawn` when it sets up WASI. */
#include "wasi_state.h"

void kiln_wasi_set_spawn(kiln_wasi* w, kiln_wasi_spawn_fn spawn) { w->spawn = spawn; }

u32 kiln_wasi_thread_spawn(kiln_ctx* ctx, kiln_instance* self, u32 start_arg) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w == NULL || w->spawn == NULL) return (u32)-1;
  return (u32)w->spawn(w, self, start_arg);
}

void kiln_wasi_lock(kiln_ctx* ctx) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w != NULL) pthread_mutex_lock(&w->lock);
}

void kiln_wasi_unlock(kiln_ctx* ctx) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w != NULL) pthread_mutex_unlock(&w->lock);
}

u32 kiln_wasi_live_threads(kiln_wasi* w) { return __atomic_load_n(&w->live_threads, __ATOMIC_ACQUIRE); }
void kiln_wasi_thread_started(kiln_wasi* w) { __atomic_add_fetch(&w->live_threads, 1, __ATOMIC_RELAXED); }
void kiln_wasi_thread_ended(kiln_wasi* w) { __atomic_sub_fetch(&w->live_threads, 1, __ATOMIC_RELEASE); }
