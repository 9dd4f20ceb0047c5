/* What happens when a store's epoch deadline passes (kiln_interrupt.h). */
#include "kiln_interrupt.h"

void kiln_epoch_reached(kiln_ctx* ctx) {
  if (ctx->epoch_callback != NULL) {
    u64 more = ctx->epoch_callback(ctx, ctx->epoch_userdata);
    if (more != 0) {
      u64 now = __atomic_load_n(ctx->epoch, __ATOMIC_RELAXED);
      ctx->epoch_deadline = now > UINT64_MAX - more ? UINT64_MAX : now + more;
      return;
    }
  }
  kiln_trap(ctx, KILN_TRAP_INTERRUPT);
}
