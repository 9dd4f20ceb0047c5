/* The host boundary: traps become return codes, the instance stays usable, runaway recursion traps
 * "call stack exhausted" instead of crashing (RELIABILITY.md items 23-25, 29). The guest functions below
 * are hand-written in the shape of generated C. */
#include <pthread.h>
#include <string.h>

#include "kiln_host.h"
#include "kt.h"

typedef struct {
  kiln_instance base;
  kiln_memory* mem0;
  u32 calls;
  u32 depth;
  kiln_funcref reenter; /* an import that calls back into the guest through kiln_invoke */
} Instance;

typedef u32 (*fn_i_i)(kiln_instance*, u32);

static const kiln_functype type_i_i = {"i", "i", NULL};

/* The trampoline generated for type (i32) -> (i32). */
static void trampoline_i_i(const kiln_funcref* f, const kiln_value* args, kiln_value* results) {
  results[0].i32 = ((fn_i_i)f->fn)(f->instance, args[0].i32);
}

static u32 f_div(kiln_instance* self, u32 x) {
  Instance* const inst = (Instance*)self;
  kiln_ctx* const ctx = self->ctx;
  KILN_ENTER(ctx);
  inst->calls++;
  return kiln_i32_div_u(ctx, 100, x) + kiln_i32_load(ctx, inst->mem0, 0, 0);
}

/* Not a tail call (the + 1 after it), and called through a volatile pointer so it is not turned into a loop. */
static u32 f_recurse(kiln_instance* self, u32 n);
static u32 (*volatile recurse_ptr)(kiln_instance*, u32) = f_recurse;
static u32 f_recurse(kiln_instance* self, u32 n) {
  Instance* const inst = (Instance*)self;
  kiln_ctx* const ctx = self->ctx;
  KILN_ENTER(ctx);
  inst->depth = n;
  return recurse_ptr(self, n + 1) + 1;
}

/* Recursion through the host: guest -> host import -> kiln_invoke -> guest -> ... */
static u32 f_recurse_via_host(kiln_instance* self, u32 n) {
  Instance* const inst = (Instance*)self;
  kiln_ctx* const ctx = self->ctx;
  KILN_ENTER(ctx);
  inst->depth = n;
  return ((fn_i_i)inst->reenter.fn)(inst->reenter.instance, n + 1) + 1;
}

/* A host import: re-enters the guest and forwards a trap of the inner call as a trap of the outer one, the
 * way a host function does that cannot handle it. */
static u32 host_reenter(kiln_instance* self, u32 n) {
  Instance* const inst = (Instance*)self;
  kiln_ctx* const ctx = self->ctx;
  kiln_funcref callee = {&type_i_i, (void*)f_recurse_via_host, self, NULL};
  kiln_value arg = {.i32 = n}, result = {.i32 = 0};
  (void)inst;
  int code = kiln_invoke(ctx, trampoline_i_i, &callee, &arg, &result);
  if (code != 0) kiln_trap(ctx, code);
  return result.i32;
}

/* A host import that calls a trapping guest function, handles the trap, and returns normally. */
static u32 host_catch(kiln_instance* self, u32 x) {
  kiln_ctx* const ctx = self->ctx;
  char* const outer_limit = ctx->stack_limit;
  kiln_funcref callee = {&type_i_i, (void*)f_div, self, NULL};
  kiln_value arg = {.i32 = x}, result = {.i32 = 0};
  int code = kiln_invoke(ctx, trampoline_i_i, &callee, &arg, &result);
  if (ctx->stack_limit != outer_limit) return 0xBAD;
  return code == 0 ? result.i32 : 1000u + (u32)code;
}

static u32 f_calls_host(kiln_instance* self, u32 x) {
  Instance* const inst = (Instance*)self;
  kiln_ctx* const ctx = self->ctx;
  KILN_ENTER(ctx);
  return ((fn_i_i)inst->reenter.fn)(inst->reenter.instance, x) + 1;
}

static void init_ok(kiln_instance* self) {
  Instance* const inst = (Instance*)self;
  kiln_i32_store(self->ctx, inst->mem0, 0, 0, 1);
}
static void init_traps(kiln_instance* self) {
  Instance* const inst = (Instance*)self;
  static const u8 segment[4] = {9, 9, 9, 9};
  kiln_memory_init(self->ctx, inst->mem0, segment, 4, 8, 0, 4);
  kiln_memory_init(self->ctx, inst->mem0, segment, 4, 65534, 0, 4); /* out of bounds: traps */
}

static void setup(Instance* inst, kiln_ctx* ctx, kiln_memory* mem) {
  memset(inst, 0, sizeof *inst);
  inst->base.ctx = ctx;
  inst->mem0 = mem;
  if (kiln_memory_new(mem, 1, 1, 0) != 0) kiln_trap(ctx, KILN_TRAP_OUT_OF_MEMORY);
}

static int call_i_i(kiln_ctx* ctx, Instance* inst, void* fn, u32 arg, u32* result) {
  kiln_funcref f = {&type_i_i, fn, &inst->base, NULL};
  kiln_value args[1] = {{.i32 = arg}}, results[1] = {{.i32 = 0}};
  int code = kiln_invoke(ctx, trampoline_i_i, &f, args, results);
  *result = results[0].i32;
  return code;
}

static void test_trap_and_recover(kiln_ctx* unused) {
  (void)unused;
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  CHECK_EQ(ctx.max_memory_pages, 65536);
  CHECK(ctx.jmp == NULL && ctx.stack_limit == NULL && ctx.trap_code == 0);
  kiln_memory mem;
  Instance inst;
  setup(&inst, &ctx, &mem);
  u32 r = 0;
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_div, 5, &r), 0);
  CHECK_EQ(r, 20);
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_div, 0, &r), KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  CHECK_EQ(ctx.trap_code, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  CHECK(ctx.jmp == NULL && ctx.stack_limit == NULL); /* restored */
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_div, 4, &r), 0); /* usable after a trap */
  CHECK_EQ(r, 25);
  CHECK_EQ(ctx.trap_code, 0);
  CHECK_EQ(inst.calls, 3);
  kiln_memory_free(&mem);
}

/* Item 23: runaway recursion traps, the process survives, and it traps the same way again. */
static void test_stack_exhaustion(kiln_ctx* unused) {
  (void)unused;
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  kiln_memory mem;
  Instance inst;
  setup(&inst, &ctx, &mem);
  u32 r = 0;
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_recurse, 0, &r), KILN_TRAP_CALL_STACK_EXHAUSTED);
  u32 first_depth = inst.depth;
  CHECK(first_depth > 1000);
  CHECK(ctx.jmp == NULL && ctx.stack_limit == NULL);
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_recurse, 0, &r), KILN_TRAP_CALL_STACK_EXHAUSTED);
  CHECK_EQ(inst.depth, first_depth);
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_div, 10, &r), 0);
  CHECK_EQ(r, 10);
  kiln_memory_free(&mem);
}

/* Item 24: nested entries through a host import keep the outer limit and still trap cleanly. */
static void test_nested_invoke(kiln_ctx* unused) {
  (void)unused;
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  kiln_memory mem;
  Instance inst;
  setup(&inst, &ctx, &mem);
  u32 r = 0;

  inst.reenter = (kiln_funcref){&type_i_i, (void*)host_catch, &inst.base, NULL};
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_calls_host, 5, &r), 0);
  CHECK_EQ(r, 21); /* 100/5 + 0, + 1 */
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_calls_host, 0, &r), 0); /* the inner trap is handled inside */
  CHECK_EQ(r, 1000u + KILN_TRAP_INTEGER_DIVIDE_BY_ZERO + 1u);
  CHECK(ctx.jmp == NULL && ctx.stack_limit == NULL);

  inst.reenter = (kiln_funcref){&type_i_i, (void*)host_reenter, &inst.base, NULL};
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_recurse_via_host, 0, &r), KILN_TRAP_CALL_STACK_EXHAUSTED);
  CHECK(inst.depth > 100);
  CHECK(ctx.jmp == NULL && ctx.stack_limit == NULL);
  CHECK_EQ(call_i_i(&ctx, &inst, (void*)f_div, 50, &r), 0);
  CHECK_EQ(r, 2);
  kiln_memory_free(&mem);
}

/* Item 29: init/start run under the same boundary; segments before the failing one persist. */
static void test_invoke_init(kiln_ctx* unused) {
  (void)unused;
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  kiln_memory mem;
  Instance inst;
  setup(&inst, &ctx, &mem);
  CHECK_EQ(kiln_invoke_init(&ctx, init_ok, &inst.base), 0);
  CHECK_EQ(mem.data[0], 1);
  CHECK_EQ(kiln_invoke_init(&ctx, init_traps, &inst.base), KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  CHECK_EQ(mem.data[8], 9);
  CHECK_EQ(mem.data[65534], 0);
  CHECK(ctx.jmp == NULL && ctx.stack_limit == NULL);
  kiln_memory_free(&mem);
}

static void init_noop(kiln_instance* self) { (void)self; }

/* A host trap carries its detail out; the next entry clears it. */
static void f_host_trap(kiln_instance* self) {
  self->ctx->trap_detail = "env.abort called";
  kiln_trap(self->ctx, KILN_TRAP_HOST);
}

static void test_messages(kiln_ctx* unused) {
  (void)unused;
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  kiln_instance inst = {&ctx, NULL, NULL, NULL, NULL, NULL, NULL};
  CHECK_EQ(kiln_invoke_init(&ctx, f_host_trap, &inst), KILN_TRAP_HOST);
  CHECK(ctx.trap_detail != NULL && strcmp(ctx.trap_detail, "env.abort called") == 0);
  CHECK_EQ(kiln_invoke_init(&ctx, init_noop, &inst), 0);
  CHECK(ctx.trap_detail == NULL);
  static const struct {
    int code;
    const char* text;
  } messages[] = {
      {KILN_TRAP_UNREACHABLE, "unreachable"},
      {KILN_TRAP_MEMORY_OUT_OF_BOUNDS, "out of bounds memory access"},
      {KILN_TRAP_TABLE_OUT_OF_BOUNDS, "out of bounds table access"},
      {KILN_TRAP_INTEGER_DIVIDE_BY_ZERO, "integer divide by zero"},
      {KILN_TRAP_INTEGER_OVERFLOW, "integer overflow"},
      {KILN_TRAP_INVALID_CONVERSION, "invalid conversion to integer"},
      {KILN_TRAP_UNDEFINED_ELEMENT, "undefined element"},
      {KILN_TRAP_UNINITIALIZED_ELEMENT, "uninitialized element"},
      {KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH, "indirect call type mismatch"},
      {KILN_TRAP_CALL_STACK_EXHAUSTED, "call stack exhausted"},
      {KILN_TRAP_OUT_OF_MEMORY, "out of memory"},
      {KILN_TRAP_HOST, "host function trapped"},
  };
  int all = 1;
  for (unsigned i = 0; i < sizeof messages / sizeof messages[0]; i++)
    all &= strcmp(kiln_trap_message(messages[i].code), messages[i].text) == 0;
  CHECK(all);
  int named = 1; /* codes added to the ABI later get a message too */
  for (int code = KILN_TRAP_UNREACHABLE; code < KILN_TRAP_COUNT; code++)
    named &= strcmp(kiln_trap_message(code), "unknown trap") != 0;
  CHECK(named);
  CHECK(strcmp(kiln_trap_message(KILN_TRAP_COUNT), "unknown trap") == 0);
}

/* Item 25: a non-main thread gets its own limit and traps on its own stack. */
typedef struct {
  int code;
  u32 depth;
} thread_result;

static void* thread_main(void* arg) {
  thread_result* out = arg;
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  kiln_memory mem;
  Instance inst;
  setup(&inst, &ctx, &mem);
  u32 r = 0;
  out->code = call_i_i(&ctx, &inst, (void*)f_recurse, 0, &r);
  out->depth = inst.depth;
  kiln_memory_free(&mem);
  return NULL;
}

static void test_thread(kiln_ctx* unused) {
  (void)unused;
  pthread_attr_t attr;
  pthread_t thread;
  thread_result result = {-1, 0};
  CHECK_EQ(pthread_attr_init(&attr), 0);
  CHECK_EQ(pthread_attr_setstacksize(&attr, 4u << 20), 0);
  int rc = pthread_create(&thread, &attr, thread_main, &result);
  CHECK_EQ(rc, 0);
  if (rc == 0) CHECK_EQ(pthread_join(thread, NULL), 0);
  pthread_attr_destroy(&attr);
  CHECK_EQ(result.code, KILN_TRAP_CALL_STACK_EXHAUSTED);
  CHECK(result.depth > 100);
}

const kt_test kt_invoke_tests[] = {
    {"invoke trap and recover", test_trap_and_recover},
    {"invoke stack exhaustion", test_stack_exhaustion},
    {"invoke nested", test_nested_invoke},
    {"invoke init", test_invoke_init},
    {"invoke messages", test_messages},
    {"invoke thread", test_thread},
    {NULL, NULL},
};
