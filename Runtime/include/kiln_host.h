/* The host's entry boundary into guest code (compiled into the kiln binary only, never into artifacts).
 * Every call from the host into an artifact goes through kiln_invoke or kiln_invoke_init, which catch traps
 * and turn them into return codes. */
#ifndef KILN_HOST_H
#define KILN_HOST_H

#include "kiln_abi.h"
#include "kiln_attrs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Zeroes ctx and sets the defaults: the memory limit (65536 pages), no fuel budget, an epoch that never
 * advances. */
KILN_HIDDEN void kiln_ctx_init(kiln_ctx* ctx);

/* An engine's epoch (kiln_ctx.epoch): advanced by any thread, read by guest code's KILN_EPOCH checks. */
static inline void kiln_epoch_advance(u64* epoch) { __atomic_add_fetch(epoch, 1, __ATOMIC_RELAXED); }
static inline u64 kiln_epoch_now(const u64* epoch) { return __atomic_load_n(epoch, __ATOMIC_RELAXED); }

/* Calls t(f, args, results). Returns 0, or the trap code (ctx->trap_code; message via kiln_trap_message,
 * optional detail in ctx->trap_detail). Either way ctx->jmp and ctx->stack_limit are restored, so the
 * instance stays usable. Re-entrant: a host function called by the guest may call kiln_invoke again; the
 * inner call catches its own traps and keeps the outer stack limit. */
KILN_HIDDEN int kiln_invoke(kiln_ctx* ctx, kiln_trampoline t, const kiln_funcref* f, const kiln_value* args,
                            kiln_value* results);

/* The same boundary around a module's init or start function. */
KILN_HIDDEN int kiln_invoke_init(kiln_ctx* ctx, void (*fn)(kiln_instance*), kiln_instance* inst);

#ifdef __cplusplus
}
#endif
#endif
