/* Traps: a trap records its code in the ctx and longjmps to the boundary (kiln_invoke or exe_main) that
 * set ctx->jmp. Only C frames of guest code and the runtime lie between the two, never host (Swift)
 * frames, so nothing that needs unwinding is skipped. */
#ifndef KILN_TRAP_H
#define KILN_TRAP_H

#include <stdint.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Cold and noreturn, so the checks that call it cost a predicted-not-taken branch on the hot path. Code built
 * with an address map (KILN_ADDRESS_MAP, Sources/KilnBuild/CompileFlags.swift) keeps each call apart: clang
 * would merge a function's traps of one kind into one call, whose line (Wasm offset) is then none. On the
 * bench corpus that costs no time beyond noise (a side-by-side run: 1.005x geomean) and some code size (Lua:
 * +17% text, all of it in cold blocks). */
#ifdef KILN_ADDRESS_MAP /* set only with clang's line-table flags: clang has nomerge */
#define KILN_TRAP_NOMERGE nomerge,
#else
#define KILN_TRAP_NOMERGE
#endif
KILN_HIDDEN _Noreturn void kiln_trap(kiln_ctx* ctx, int code) __attribute__((KILN_TRAP_NOMERGE cold, noreturn));

/* The trap of a fault at instruction `pc` (a guard-mode access past the end, Runtime/host/invoke.c): the
 * backtrace then places the innermost frame at the instruction itself, not at the call before a return
 * address. */
KILN_HIDDEN _Noreturn void kiln_trap_at_fault(kiln_ctx* ctx, int code, void* pc) __attribute__((cold, noreturn));

/* The wording the spec scripts expect (`assert_trap ... "integer overflow"`). */
KILN_HIDDEN const char* kiln_trap_message(int code);

/* The current stack pointer. `__builtin_frame_address(0)` would do, but it forces a frame pointer in every
 * function that asks, and losing rbp as a register costs real programs 4-5 % of their instructions
 * (PERF-LEADS.md, lead 1). The asm is not volatile: reading it twice in one frame may be merged. */
static inline __attribute__((always_inline)) uintptr_t kiln_stack_pointer(void) {
#if defined(__x86_64__)
  uintptr_t sp;
  __asm__("movq %%rsp, %0" : "=r"(sp));
  return sp;
#elif defined(__aarch64__)
  uintptr_t sp;
  __asm__("mov %0, sp" : "=r"(sp));
  return sp;
#else
  return (uintptr_t)__builtin_frame_address(0);
#endif
}

/* The first statement of every generated function. The stack pointer, read after the prologue, is below
 * this function's whole frame, which is at most the 16 KiB the lowering allows before it uses
 * KILN_ENTER_FRAME; the reserve below stack_limit is larger. Compared as integers: relating pointers into
 * different objects is undefined in C. A NULL stack_limit (no boundary set one) never traps. */
#define KILN_ENTER(ctx)                                                                           \
  do {                                                                                            \
    if (KILN_UNLIKELY(kiln_stack_pointer() < (uintptr_t)(ctx)->stack_limit))                      \
      kiln_trap((ctx), KILN_TRAP_CALL_STACK_EXHAUSTED);                                           \
  } while (0)

/* For functions whose frame may exceed the reserve below stack_limit (thousands of locals): the frame
 * grows down from the frame address, so the whole frame must fit above the limit. */
#define KILN_ENTER_FRAME(ctx, frame_bytes)                                                        \
  do {                                                                                            \
    if (KILN_UNLIKELY((uintptr_t)__builtin_frame_address(0) <                                     \
                      (uintptr_t)(ctx)->stack_limit + (uintptr_t)(frame_bytes)))                  \
      kiln_trap((ctx), KILN_TRAP_CALL_STACK_EXHAUSTED);                                           \
  } while (0)

#ifdef __cplusplus
}
#endif
#endif
