/* Runs every test table; the last line is `N passed, M failed` (N and M count checks). */
#include <stdio.h>

#include "kiln_host.h"
#include "kt.h"

int kt_passed, kt_failed;
const char* kt_current = "?";

void kt_record(int ok, const char* file, int line, const char* what, const char* detail) {
  if (ok) {
    kt_passed++;
    return;
  }
  kt_failed++;
  printf("FAIL %s (%s:%d): %s%s%s\n", kt_current, file, line, what, detail ? ": " : "", detail ? detail : "");
}

/* One test under its own boundary (a function of its own, so no loop variable lives across setjmp). */
static void kt_run_one(const kt_test* t) {
  kiln_ctx ctx;
  jmp_buf env;
  kiln_ctx_init(&ctx);
  kt_current = t->name;
  ctx.jmp = &env;
  if (setjmp(env) == 0) {
    t->fn(&ctx);
  } else {
    kt_record(0, __FILE__, __LINE__, kt_current, kiln_trap_message(ctx.trap_code)); /* unexpected trap */
  }
}

static void kt_run(const kt_test* tests) {
  for (const kt_test* t = tests; t->name != NULL; t++) kt_run_one(t);
}

int main(void) {
  kt_run(kt_memory_tests);
  kt_run(kt_table_tests);
  kt_run(kt_numeric_tests);
  kt_run(kt_float_tests);
  kt_run(kt_invoke_tests);
  kt_run(kt_line_table_tests);
  printf("%d passed, %d failed\n", kt_passed, kt_failed);
  return kt_failed == 0 ? 0 : 1;
}
