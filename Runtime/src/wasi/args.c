/* args_* and environ_*: the command line and the environment, byte for byte as the host configured them
 * (quotes, newlines and all). The environment holds only the configured variables. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>

#include "guest.h"
#include "wasi_state.h"

/* Writes the count and the buffer size. Both outputs are checked before either is written. */
static u32 sizes_get(kiln_memory* mem, u32 count, u64 bytes, u32 count_out, u32 size_out) {
  if (bytes > UINT32_MAX) return KILN_WASI_EOVERFLOW;
  u8* c = kiln_guest_range(mem, count_out, 4);
  u8* s = kiln_guest_range(mem, size_out, 4);
  if (c == NULL || s == NULL) return KILN_WASI_EFAULT;
  kiln_put_u32(c, count);
  kiln_put_u32(s, (u32)bytes);
  return KILN_WASI_ESUCCESS;
}

/* Writes `count` guest pointers at list and the NUL-terminated strings back to back at buf. */
static u32 strings_get(kiln_memory* mem, char* const* strings, u32 count, u64 bytes, u32 list, u32 buf) {
  u8* l = kiln_guest_range(mem, list, (u64)count * 4);
  u8* b = kiln_guest_range(mem, buf, bytes);
  if (l == NULL || b == NULL) return KILN_WASI_EFAULT;
  u64 offset = 0;
  for (u32 i = 0; i < count; i++) {
    size_t n = strlen(strings[i]) + 1;
    kiln_put_u32(l + (u64)i * 4, (u32)(buf + offset)); /* buf + bytes is in memory: no wrap */
    memcpy(b + offset, strings[i], n);
    offset += n;
  }
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_args_sizes_get(kiln_ctx* ctx, kiln_memory* mem, u32 argc_out, u32 argv_buf_size_out) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w == NULL) return KILN_WASI_ENOSYS;
  return sizes_get(mem, w->argc, w->argv_bytes, argc_out, argv_buf_size_out);
}

u32 kiln_wasi_args_get(kiln_ctx* ctx, kiln_memory* mem, u32 argv, u32 argv_buf) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w == NULL) return KILN_WASI_ENOSYS;
  return strings_get(mem, w->argv, w->argc, w->argv_bytes, argv, argv_buf);
}

u32 kiln_wasi_environ_sizes_get(kiln_ctx* ctx, kiln_memory* mem, u32 count_out, u32 buf_size_out) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w == NULL) return KILN_WASI_ENOSYS;
  return sizes_get(mem, w->envc, w->envp_bytes, count_out, buf_size_out);
}

u32 kiln_wasi_environ_get(kiln_ctx* ctx, kiln_memory* mem, u32 environ, u32 environ_buf) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w == NULL) return KILN_WASI_ENOSYS;
  return strings_get(mem, w->envp, w->envc, w->envp_bytes, environ, environ_buf);
}
