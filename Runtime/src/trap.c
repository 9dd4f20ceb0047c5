/* Trap delivery and the wording of trap messages. */
#include <stdio.h>
#include <stdlib.h>
#if defined(__GLIBC__) || defined(__APPLE__)
#include <execinfo.h>
#define KILN_HAS_BACKTRACE 1
#endif

#include "kiln_trap.h"

_Noreturn void kiln_trap(kiln_ctx* ctx, int code) { kiln_trap_at_fault(ctx, code, NULL); }

_Noreturn void kiln_trap_at_fault(kiln_ctx* ctx, int code, void* pc) {
  ctx->trap_code = code;
  ctx->fault_pc = pc;
  /* The guest's frames are still on the stack: keep their return addresses for the backtrace (unwinding by
   * the code's DWARF call frame information, which costs nothing until now). Not for an exit or an
   * instantiation limit, which are no faults of a frame. */
  ctx->trap_frame_count = 0;
#ifdef KILN_HAS_BACKTRACE
  if (code != KILN_TRAP_EXIT && code != KILN_TRAP_INSTANTIATION)
    ctx->trap_frame_count = backtrace(ctx->trap_frames, KILN_TRAP_FRAMES);
#endif
  if (ctx->jmp == NULL) {
    /* Guest code entered without a boundary (kiln_invoke / exe_main): a bug in the caller, and jumping
     * through NULL would only hide it behind a segfault. */
    fprintf(stderr, "kiln: trap outside any entry boundary: %s\n", kiln_trap_message(code));
    abort();
  }
  /* longjmp(…, 0) would arrive as 1; the boundary reads ctx->trap_code anyway. */
  longjmp(*ctx->jmp, code != 0 ? code : KILN_TRAP_HOST);
}

const char* kiln_trap_message(int code) {
  switch (code) {
    case KILN_TRAP_NONE: return "no trap";
    case KILN_TRAP_UNREACHABLE: return "unreachable";
    case KILN_TRAP_MEMORY_OUT_OF_BOUNDS: return "out of bounds memory access";
    case KILN_TRAP_TABLE_OUT_OF_BOUNDS: return "out of bounds table access";
    case KILN_TRAP_INTEGER_DIVIDE_BY_ZERO: return "integer divide by zero";
    case KILN_TRAP_INTEGER_OVERFLOW: return "integer overflow";
    case KILN_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case KILN_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case KILN_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH: return "indirect call type mismatch";
    case KILN_TRAP_CALL_STACK_EXHAUSTED: return "call stack exhausted";
    case KILN_TRAP_OUT_OF_MEMORY: return "out of memory";
    case KILN_TRAP_HOST: return "host function trapped";
    case KILN_TRAP_EXIT: return "exit";
    case KILN_TRAP_INSTANTIATION: return "cannot instantiate";
    case KILN_TRAP_NULL_REFERENCE: return "null reference";
    case KILN_TRAP_NULL_FUNCTION_REFERENCE: return "null function reference";
    case KILN_TRAP_NULL_EXCEPTION_REFERENCE: return "null exception reference";
    case KILN_TRAP_EXCEPTION: return "uncaught exception";
    case KILN_TRAP_OUT_OF_FUEL: return "all fuel consumed";
    case KILN_TRAP_INTERRUPT: return "interrupt";
    case KILN_TRAP_UNALIGNED_ATOMIC: return "unaligned atomic";
    case KILN_TRAP_EXPECTED_SHARED_MEMORY: return "expected shared memory";
    default: return "unknown trap";
  }
}
