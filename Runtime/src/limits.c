/* Store limits (kiln_limits.h). */
#include "kiln_limits.h"

#include <stdarg.h>
#include <stdio.h>

#include "kiln_trap.h"

void kiln_instantiation_failed(kiln_ctx* ctx, const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(ctx->detail_buffer, sizeof ctx->detail_buffer, format, args);
  va_end(args);
  ctx->trap_detail = ctx->detail_buffer;
  kiln_trap(ctx, KILN_TRAP_INSTANTIATION);
}

int kiln_store_memory_take(kiln_ctx* ctx, u64 bytes) {
  if (ctx == NULL) return 0;
  if (ctx->max_store_memory_bytes != 0 &&
      (ctx->memory_bytes > ctx->max_store_memory_bytes || bytes > ctx->max_store_memory_bytes - ctx->memory_bytes))
    return -1;
  ctx->memory_bytes += bytes;
  return 0;
}
