/* main() of a standalone executable (`kiln compile --exe`): the module's code, the runtime and WASI are
 * linked in, so it runs with no Kiln installed. It takes the same flags as `kiln run` and exits the same
 * way: the guest's proc_exit status, or 134 after printing `error: wasm trap: <reason>` to stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiln.h"
#include "kiln_command.h"

extern const kiln_module kiln_module_descriptor;

static void usage(const char* self) {
  fprintf(stderr,
          "usage: %s [--dir HOST[::GUEST]]... [--readonly-dir HOST[::GUEST]]... [--env NAME[=VALUE]]... "
          "[--argv0 NAME] [--max-memory-pages N] [--max-store-memory SIZE] [--max-table-elements N] "
          "[--max-wasm-stack SIZE] [--fuel N] [--timeout DURATION] [--] [ARGS...]\n",
          self);
  exit(2);
}

int main(int argc, char** argv) {
  const kiln_module* m = &kiln_module_descriptor;
  const char* program = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  kiln_command command;
  if (kiln_command_init(&command, argc, program) != 0) return 1;
  int i = 1;
  while (i < argc) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    int taken = kiln_command_option(&command, argc, argv, &i);
    if (taken < 0 || (taken == 0 && strncmp(argv[i], "--", 2) == 0)) usage(program);
    if (taken == 0) break;
  }
  for (; i < argc; i++) kiln_command_argument(&command, argv[i]);

  /* A write to a closed pipe reaches the guest as EPIPE, as in `kiln run`. */
  signal(SIGPIPE, SIG_IGN);
  kiln_command_run run;
  switch (kiln_command_prepare(&run, m, &command)) {
    case KILN_COMMAND_READY:
      break;
    case KILN_COMMAND_NO_PREOPEN:
      /* Which one, and why: the same open(2) the preopen made (Runtime/src/wasi/state.c). */
      for (int d = 0; d < command.npre; d++) {
        int fd = open(command.hosts[d], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
          const char* option = command.preopen_flags[d] & KILN_WASI_PREOPEN_READ_ONLY ? "--readonly-dir" : "--dir";
          fprintf(stderr, "%s: %s %s: %s\n", program, option, command.hosts[d], strerror(errno));
          return 1;
        }
        close(fd);
      }
      fprintf(stderr, "%s: cannot preopen the directories given with --dir and --readonly-dir\n", program);
      return 1;
    case KILN_COMMAND_IMPORTS:
      fprintf(stderr, "%s: cannot link module: unknown import: \"%.*s\" \"%.*s\"\n", program,
              (int)m->imports[0].module_length, m->imports[0].module, (int)m->imports[0].name_length,
              m->imports[0].name);
      return 1;
    case KILN_COMMAND_NO_START:
      fprintf(stderr, "%s: not a command: no _start export\n", program);
      return 1;
    case KILN_COMMAND_NO_MEMORY:
      return 1;
    case KILN_COMMAND_NO_FUEL_CHECKS:
      fprintf(stderr, "%s: --fuel: this executable was compiled without fuel checks (compile it with --consume-fuel)\n",
              program);
      return 1;
    case KILN_COMMAND_NO_EPOCH_CHECKS:
      fprintf(stderr,
              "%s: --timeout: this executable was compiled without epoch checks (compile it with --epoch-interruption)\n",
              program);
      return 1;
  }
  kiln_command_places places = {"\"instantiation\"", "\"start\"", "\"_start\"", NULL};
  kiln_command_exec(&run, &places);
}
