/* A minimal test framework: checks count passes and print failures; EXPECT_TRAP runs a statement under its
 * own setjmp and checks the trap code. Each *_test.c exports a table of tests that run_tests.c runs, each
 * under a boundary that turns an unexpected trap into a failure. */
#ifndef KT_H
#define KT_H

#include <setjmp.h>
#include <stdio.h>

#include "kiln.h"

typedef struct kt_test {
  const char* name;
  void (*fn)(kiln_ctx* ctx);
} kt_test;

extern int kt_passed, kt_failed;
extern const char* kt_current;

void kt_record(int ok, const char* file, int line, const char* what, const char* detail);

#define CHECK(cond) kt_record(!!(cond), __FILE__, __LINE__, #cond, NULL)

#define CHECK_EQ(got, want)                                                                  \
  do {                                                                                       \
    unsigned long long kt_g_ = (unsigned long long)(got), kt_w_ = (unsigned long long)(want); \
    char kt_d_[96];                                                                          \
    snprintf(kt_d_, sizeof kt_d_, "got 0x%llx, want 0x%llx", kt_g_, kt_w_);                 \
    kt_record(kt_g_ == kt_w_, __FILE__, __LINE__, #got " == " #want, kt_d_);                 \
  } while (0)

/* Runs stmt; passes if it traps with `want`. The previous ctx->jmp is restored either way. */
#define EXPECT_TRAP(ctx, want, stmt)                                                          \
  do {                                                                                        \
    jmp_buf kt_env_;                                                                          \
    jmp_buf* const kt_saved_ = (ctx)->jmp;                                                    \
    (ctx)->trap_code = KILN_TRAP_NONE;                                                        \
    (ctx)->jmp = &kt_env_;                                                                    \
    if (setjmp(kt_env_) == 0) {                                                               \
      stmt;                                                                                   \
      (ctx)->jmp = kt_saved_;                                                                 \
      kt_record(0, __FILE__, __LINE__, #stmt, "did not trap");                                \
    } else {                                                                                  \
      char kt_d_[96];                                                                         \
      (ctx)->jmp = kt_saved_;                                                                 \
      snprintf(kt_d_, sizeof kt_d_, "trapped \"%s\", want \"%s\"",                            \
               kiln_trap_message((ctx)->trap_code), kiln_trap_message(want));                 \
      kt_record((ctx)->trap_code == (want), __FILE__, __LINE__, #stmt, kt_d_);                \
    }                                                                                         \
  } while (0)

/* Bit-exact float comparisons (NaN payloads and the sign of zero matter). */
#define CHECK_F32_BITS(got, want_bits) CHECK_EQ(kiln_i32_reinterpret_f32(got), (u32)(want_bits))
#define CHECK_F64_BITS(got, want_bits) CHECK_EQ(kiln_i64_reinterpret_f64(got), (u64)(want_bits))

extern const kt_test kt_memory_tests[];
extern const kt_test kt_table_tests[];
extern const kt_test kt_numeric_tests[];
extern const kt_test kt_float_tests[];
extern const kt_test kt_invoke_tests[];
extern const kt_test kt_line_table_tests[];

#endif
