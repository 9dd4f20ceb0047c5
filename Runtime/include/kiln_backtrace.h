/* Wasm backtraces of traps (host side only): kiln_trap records the native return addresses at the trap in
 * ctx->trap_frames; these turn the ones in generated functions into Wasm function indices, by the ELF
 * symbol table of the file the address lies in (generated functions are named func<INDEX>…), and into code
 * offsets by its DWARF line table. Costs nothing until a trap: no frame pointers, no shadow stack. */
#ifndef KILN_BACKTRACE_H
#define KILN_BACKTRACE_H

#include "kiln_abi.h"
#include "kiln_attrs.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One Wasm frame: the function's index in its module, the module (the descriptor of the artifact the
 * address lies in; `main_module` for the program itself), the address's offset from the function's start,
 * and the module offset of the Wasm instruction the address was compiled from, by the artifact's line table
 * (kiln_line_table.h): the trapping instruction innermost, the call in the frames outside it; 0 when the
 * table does not say (code clang merged from several instructions, an artifact without line tables). */
typedef struct kiln_wasm_frame {
  u32 function;
  const kiln_module* module;
  u64 native_offset;
  u32 code_offset;
} kiln_wasm_frame;

/* The Wasm frames among ctx->trap_frames, innermost first: at most `max`; returns how many. Addresses in
 * the runtime, the host or libraries are left out. `main_module` is the module linked into the program
 * itself (an --exe executable's), whose descriptor no dynamic lookup finds; NULL elsewhere. */
KILN_HIDDEN int kiln_backtrace_frames(const kiln_ctx* ctx, const kiln_module* main_module, kiln_wasm_frame* out, int max);

/* Maps the file of the object containing `address` now, while it is surely there (a --no-cache artifact's
 * directory is removed once it is loaded); a trap reads its symbols and line table from that mapping. */
KILN_HIDDEN void kiln_backtrace_prepare(const void* address);

/* The frame as `func 3 ($name) at offset 0x2a`: the name from the module's name section when it has one, the
 * offset when known. */
KILN_HIDDEN void kiln_backtrace_describe(const kiln_wasm_frame* frame, char* out, size_t n);

#ifdef __cplusplus
}
#endif
#endif
