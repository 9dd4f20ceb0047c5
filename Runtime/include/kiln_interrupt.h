/* Interruption (artifacts built with --consume-fuel or --epoch-interruption, as wasmtime's fuel and epochs):
 * checks at every function entry and loop header, so a guest that never returns can still be stopped.
 * Code built without them has none of these checks and costs nothing. */
#ifndef KILN_INTERRUPT_H
#define KILN_INTERRUPT_H

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_trap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Charges `cost` units (the Wasm instructions of the code up to the next check) before running them; traps
 * with the fuel left untouched when fewer remain, so the count at which a guest stops is deterministic. */
#define KILN_FUEL(ctx, cost)                                                                      \
  do {                                                                                            \
    u64 kiln_left_;                                                                               \
    if (KILN_UNLIKELY(__builtin_sub_overflow((ctx)->fuel, (u64)(cost), &kiln_left_)))             \
      kiln_trap((ctx), KILN_TRAP_OUT_OF_FUEL);                                                    \
    (ctx)->fuel = kiln_left_;                                                                     \
  } while (0)

/* A function with no calls and no loops pays without a check (it runs a bounded number of instructions; the
 * next check its caller makes traps if too little is left): at most down to 0. */
#define KILN_FUEL_CHARGE(ctx, cost)                                                               \
  do {                                                                                            \
    u64 kiln_fuel_ = (ctx)->fuel;                                                                 \
    (ctx)->fuel = kiln_fuel_ > (u64)(cost) ? kiln_fuel_ - (u64)(cost) : 0;                        \
  } while (0)

/* A counted loop (kiln_loop.h) charges all its iterations at once before it runs unchecked; 0 when the
 * fuel left does not cover them, and the loop then runs its checked copy, which traps where it runs out. */
static inline int kiln_fuel_take(kiln_ctx* ctx, u64 trips, u64 cost) {
  u64 total, left;
  if (__builtin_mul_overflow(trips, cost, &total) || __builtin_sub_overflow(ctx->fuel, total, &left)) return 0;
  ctx->fuel = left;
  return 1;
}

/* The epoch is advanced by other threads (a timer, the embedder): read atomically, relaxed, since nothing
 * else is ordered by it. `epoch` and `deadline` are the function's copies of ctx->epoch (which never changes
 * while guest code runs) and ctx->epoch_deadline (which only a callee or the deadline callback changes, so
 * the function reloads it after every call and here): a check is one load and a compare of registers, where
 * reading them through ctx cost an interpreter's dispatch loop three loads (bytecode ran 1.69x slower). */
#define KILN_EPOCH(ctx, epoch, deadline)                                                          \
  do {                                                                                            \
    if (KILN_UNLIKELY(__atomic_load_n((epoch), __ATOMIC_RELAXED) >= (deadline))) {                \
      kiln_epoch_reached(ctx);                                                                    \
      (deadline) = (ctx)->epoch_deadline;                                                         \
    }                                                                                             \
  } while (0)

/* Iterations a counted loop (kiln_loop.h) runs between two epoch checks: its body is straight-line code
 * with no calls, so a chunk takes microseconds, and the loop inside a chunk can still be vectorized. */
#define KILN_EPOCH_CHUNK 65536u

/* The deadline has passed: asks the store's callback for more time, or traps with "interrupt". */
KILN_HIDDEN void kiln_epoch_reached(kiln_ctx* ctx) __attribute__((cold));

#ifdef __cplusplus
}
#endif
#endif
