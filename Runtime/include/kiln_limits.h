/* Store limits (kiln_ctx.max_store_memory_bytes, max_table_elements): what instantiation and growth check,
 * so that a host running other people's modules can cap what one store takes. */
#ifndef KILN_LIMITS_H
#define KILN_LIMITS_H

#include "kiln_abi.h"
#include "kiln_attrs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Instantiation stops here: the message goes to the host through ctx->trap_detail (KILN_TRAP_INSTANTIATION),
 * which reports it as an instantiation error naming the limit. */
KILN_HIDDEN _Noreturn void kiln_instantiation_failed(kiln_ctx* ctx, const char* format, ...)
    __attribute__((format(printf, 2, 3)));

/* Counts `bytes` more memory against the store's limit: 0, or -1 (nothing counted) when they would pass it.
 * A NULL ctx (a memory the host made) has no limit. */
KILN_HIDDEN int kiln_store_memory_take(kiln_ctx* ctx, u64 bytes);

/* Whether a table may hold `elements` under the store's limit. */
static inline int kiln_table_elements_ok(const kiln_ctx* ctx, u64 elements) {
  return ctx == NULL || ctx->max_table_elements == 0 || elements <= ctx->max_table_elements;
}

#ifdef __cplusplus
}
#endif
#endif
