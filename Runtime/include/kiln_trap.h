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

/* Cold and noreturn, so the checks that call it cost a predicted-not-taken branch on the hot path. */
KILN_HIDDEN _Noreturn void kiln_trap(kiln_ctx* ctx, int code) __attribute__((cold, noreturn));

/* The wording the spec scripts expect (`assert_trap ... "integer overflow"`). */
KILN_HIDDEN const char* kiln_trap_message(int code);

/* The first statement of every generated function. The frame address is compared as an integer: relating
 * pointers into different objects is undefined in C. A NULL stack_limit (no boundary set one) never traps. */
#define KILN_ENTER(ctx)                                                                           \
  do {                                                                                            \
    if (KILN_UNLIKELY((uintptr_t)__builtin_frame_address(0) < (uintptr_t)(ctx)->stack_limit))     \
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
