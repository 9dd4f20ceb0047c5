/* Wasm backtraces of traps (host side only): kiln_trap records the native return addresses at the trap in
 * ctx->trap_frames; these turn the ones in generated functions into Wasm function indices, by the ELF
 * symbol table of the file the address lies in (generated functions are named func<INDEX>…). Costs nothing
 * until a trap: no frame pointers, no shadow stack. */
#ifndef KILN_BACKTRACE_H
#define KILN_BACKTRACE_H

#include "kiln_abi.h"
#include "kiln_attrs.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One Wasm frame: the function's index in its module, the module (the descriptor of the artifact the
 * address lies in; `main_module` for the program itself) and the address's offset from the function's start. */
typedef struct kiln_wasm_frame {
  u32 function;
  const kiln_module* module;
  u64 native_offset;
} kiln_wasm_frame;

/* The Wasm frames among ctx->trap_frames, innermost first: at most `max`; returns how many. Addresses in
 * the runtime, the host or libraries are left out. `main_module` is the module linked into the program
 * itself (an --exe executable's), whose descriptor no dynamic lookup finds; NULL elsewhere. */
KILN_HIDDEN int kiln_backtrace_frames(const kiln_ctx* ctx, const kiln_module* main_module, kiln_wasm_frame* out, int max);

/* Reads the symbols of the object containing `address` now, while its file is surely there (a --no-cache
 * artifact's directory is removed once it is loaded); later traps in it are then described without it. */
KILN_HIDDEN void kiln_backtrace_prepare(const void* address);

/* The frame's function as `func 3 ($name)`, the name from the module's name section when it has one. */
KILN_HIDDEN void kiln_backtrace_describe(const kiln_wasm_frame* frame, char* out, size_t n);

#ifdef __cplusplus
}
#endif
#endif
