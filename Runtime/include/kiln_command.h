/* Running a WASI command module the way `kiln run` does: its options (--dir, --readonly-dir, --env, --argv0,
 * --max-memory-pages), instantiation, `_start`, and the exit status (0, the guest's proc_exit status, or
 * 134 after a trap).
 * Host side only: compiled into kiln's launcher and into `kiln compile --exe` executables, never into
 * artifacts. */
#ifndef KILN_COMMAND_H
#define KILN_COMMAND_H

#include "kiln_abi.h"
#include "kiln_wasi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_command {
  int nargs, nenv, npre;
  const char** args; /* args[0] is the program name the guest sees */
  const char** env;
  const char** hosts;
  const char** guests;
  u32* preopen_flags; /* KILN_WASI_PREOPEN_READ_ONLY for a --readonly-dir */
  u64 max_pages;
  const char* argv0; /* --argv0, or NULL: the program name the guest sees instead of the module's */
  /* --fuel N and --timeout DURATION (as given, for messages; `timeout_seconds` parsed), or NULL: they need
   * code built with fuel or epoch checks (kiln_interrupt.h). */
  const char* fuel_text;
  u64 fuel;
  const char* timeout_text;
  double timeout_seconds;
  /* --max-store-memory SIZE, --max-table-elements N, --max-wasm-stack SIZE (kiln_ctx's limits), 0 for none. */
  u64 max_store_memory, max_table_elements, max_wasm_stack;
} kiln_command;

/* Room for every option in an argv of argc words; the guest's program name; 65536 pages at most.
 * 0, or -1 when out of memory. */
KILN_HIDDEN int kiln_command_init(kiln_command* c, int argc, const char* program);

/* Takes argv[*i] if it is one of `kiln run`'s WASI options (--dir HOST[::GUEST], --readonly-dir
 * HOST[::GUEST], --env NAME[=VALUE], --argv0 NAME, --max-memory-pages N, --max-store-memory SIZE,
 * --max-table-elements N, --max-wasm-stack SIZE, --fuel N, --timeout DURATION, each also as --name=value) and moves *i past it: 1. Not one of them: 0. One of them without its value,
 * or out of memory: -1. The guest gets its preopens on fds 3, 4, … in the order the --dir and
 * --readonly-dir options come. */
KILN_HIDDEN int kiln_command_option(kiln_command* c, int argc, char** argv, int* i);

/* A guest argument (after the program name). */
KILN_HIDDEN void kiln_command_argument(kiln_command* c, const char* argument);

/* What can stop a command before any guest code runs. */
typedef enum kiln_command_status {
  KILN_COMMAND_READY = 0,
  KILN_COMMAND_NO_PREOPEN, /* a --dir could not be opened */
  KILN_COMMAND_IMPORTS,    /* the module imports something besides WASI */
  KILN_COMMAND_NO_START,   /* no `_start` export */
  KILN_COMMAND_NO_MEMORY,
  KILN_COMMAND_NO_FUEL_CHECKS,  /* --fuel, but the code was built without fuel checks */
  KILN_COMMAND_NO_EPOCH_CHECKS, /* --timeout, but the code was built without epoch checks */
} kiln_command_status;

typedef struct kiln_command_run {
  const kiln_module* module;
  kiln_ctx ctx;
  kiln_wasi* wasi;
  kiln_instance* instance;
  const kiln_export* start;
  const kiln_command* command;
} kiln_command_run;

/* Sets up WASI and allocates the instance; runs nothing. On failure everything is released again. */
KILN_HIDDEN kiln_command_status kiln_command_prepare(kiln_command_run* run, const kiln_module* m, const kiln_command* c);

/* How a trap is reported: `error: wasm trap: <reason>\n  while running <place>[ of <module>]`. */
typedef struct kiln_command_places {
  const char* init;  /* the module's definitions and segments */
  const char* start; /* its start function */
  const char* entry; /* `_start` */
  const char* module; /* appended as " of <module>", unless NULL */
} kiln_command_places;

/* `wasm backtrace:` and a line per Wasm frame of the last trap, innermost first, on stderr (nothing when no
 * frame is known). `m` is the command's module. */
KILN_HIDDEN void kiln_command_print_backtrace(const kiln_ctx* ctx, const kiln_module* m);

/* How a call that ended with trap `code` (not KILN_TRAP_EXIT) is reported on stderr: `error: wasm trap:
 * <reason><why>`, or `error: uncaught wasm exception: <tag>, payload <values>`, then `  while running <place>[ of
 * <module>]` and the backtrace. `inst` is the instance the call ran in, `m` its module; `why` may be "". */
KILN_HIDDEN void kiln_command_print_failure(const kiln_ctx* ctx, const kiln_instance* inst, const kiln_module* m, int code,
                                            const char* why, const char* place, const char* module);

/* Runs the prepared command's init, start function and `_start`, then exits the process with 0, the
 * guest's proc_exit status, or 134 after printing the trap; 1 after `<module>: cannot instantiate module:
 * <why>` when init stopped at a limit (KILN_TRAP_INSTANTIATION). */
KILN_HIDDEN _Noreturn void kiln_command_exec(kiln_command_run* run, const kiln_command_places* places);

#ifdef __cplusplus
}
#endif
#endif
