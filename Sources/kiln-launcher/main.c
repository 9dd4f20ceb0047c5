/* kiln: the command users run. It runs `kiln run MODULE.wasm` from the artifact cache by itself, and hands
 * every other command, and every run it cannot vouch for, to kiln-driver (the Swift program beside it) by
 * exec, unchanged.
 *
 * Why: the goal for a cached `kiln run` is the native program's time plus 2 ms, and kiln-driver alone
 * takes about 5 ms to start (relocating and initialising a 100 MB Swift binary, Foundation, and
 * swift-argument-parser's protocol-conformance lookups), before it hashes, dlopens or runs anything. This
 * program is plain C built by the Makefile with clang; SwiftPM would link the Swift runtime into it, which
 * alone costs about 1 ms.
 *
 * What it may run is decided by kiln-driver, never guessed: after a cached run, the driver writes a launch
 * record (KilnCache/LaunchRecord.swift) named after everything the launcher sees (the module's SHA-256,
 * the option words, this program, the machine), which names the cache entry and lists every fact the
 * cache key was derived from: the environment variables read, and the compiler, runtime and kiln-driver
 * files by device, inode, size and times. The launcher runs the entry only when every fact still holds and
 * the entry passes the same checks as in Swift (owner, modes, size, SHA-256 of the artifact). Anything else
 * (a miss, a changed file, a corrupt entry, an option it does not parse, --invoke, a .wat) goes to the
 * driver with KILN_LAUNCH_RECORD naming the record to write. Set KILN_LAUNCH_DEBUG=1 to see why. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cache.h"
#include "kiln_abi.h"
#include "kiln_command.h"
#include "sha256.h"

static int debugging;

static void debug(const char* what, const char* detail) {
  if (debugging) fprintf(stderr, "kiln: launch: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

/* Replaces this process with kiln-driver, same arguments; names the launch record it should write. */
static _Noreturn void run_driver(char** argv, const char* record) {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
  char* slash = n > 0 ? memrchr(path, '/', (size_t)n) : NULL;
  if (slash) {
    strcpy(slash + 1, "kiln-driver");
  } else {
    strcpy(path, "kiln-driver");
  }
  if (record) setenv("KILN_LAUNCH_RECORD", record, 1);
  execv(path, argv);
  fprintf(stderr, "kiln: cannot start %s: %s\n", path, strerror(errno));
  exit(1);
}

/* Adds one length-framed field to the record name's hash, so no two field lists hash the same bytes. */
static void frame(sha256* h, const char* field) {
  char length[24];
  int n = snprintf(length, sizeof length, "%zu:", strlen(field));
  sha256_update(h, length, (size_t)n);
  sha256_update(h, field, strlen(field));
}

/* The record's name: what this launcher sees of the run that decides which artifact the driver built. */
static void record_name(const char* module_sha, char** words, int nwords, char name[65]) {
  sha256 h;
  sha256_init(&h);
  frame(&h, "kiln-launch 1");
  frame(&h, module_sha);
  struct stat self;
  char identity[128] = "";
  if (stat("/proc/self/exe", &self) == 0) {
    snprintf(identity, sizeof identity, "%llu %llu %lld %lld.%ld", (unsigned long long)self.st_dev,
             (unsigned long long)self.st_ino, (long long)self.st_size, (long long)self.st_mtim.tv_sec,
             self.st_mtim.tv_nsec);
  }
  frame(&h, identity);
  struct utsname machine;
  if (uname(&machine) == 0) {
    frame(&h, machine.machine);
    frame(&h, machine.nodename); /* --target-cpu native means this host's CPU */
  }
  for (int i = 0; i < nwords; i++) frame(&h, words[i]);
  sha256_final_hex(&h, name);
}

/* The module's SHA-256 if it is a binary module (a .wat or an artifact goes to the driver). */
static int module_sha256(const char* path, char hex[65]) {
  /* Not blocking on a FIFO, and only regular files: the driver reports anything else. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return -1;
  }
  static unsigned char buffer[1 << 16];
  sha256 h;
  sha256_init(&h);
  size_t total = 0;
  int binary = 0;
  for (;;) {
    ssize_t r = read(fd, buffer, sizeof buffer);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      close(fd);
      return -1;
    }
    if (r == 0) break;
    if (total == 0) binary = r >= 4 && memcmp(buffer, "\0asm", 4) == 0;
    sha256_update(&h, buffer, (size_t)r);
    total += (size_t)r;
  }
  close(fd);
  if (!binary) return -1;
  sha256_final_hex(&h, hex);
  return 0;
}

/* `--name VALUE` or `--name=VALUE` for a build option that takes a value: the canonical `--name=VALUE`. */
static char* build_option(const char* name, int argc, char** argv, int* i) {
  size_t n = strlen(name);
  const char* word = argv[*i];
  if (strncmp(word, name, n) != 0) return NULL;
  const char* value;
  if (word[n] == '=') {
    value = word + n + 1;
  } else if (word[n] == 0 && *i + 1 < argc) {
    value = argv[++*i];
  } else {
    return NULL;
  }
  char* canonical = malloc(n + strlen(value) + 2);
  if (canonical) sprintf(canonical, "%s=%s", name, value);
  return canonical;
}

/* `kiln run [OPTIONS] MODULE.wasm [--] [ARGS...]` from the cache, or a return to fall back to the driver
 * (*record names the launch record the driver should write, when there is one to write). */
static void run_cached(int argc, char** argv, const char** record) {
  static const char* valued[] = {"--cc", "--opt", "--target-cpu", "--bounds"};
  static const char* flags[] = {"--sanitize", "--warnings-as-errors", "--consume-fuel", "--epoch-interruption", "--address-map",
                                 "--no-address-map"};
  char** words = calloc((size_t)argc, sizeof(char*));
  kiln_command command;
  if (!words || kiln_command_init(&command, argc, "") != 0) return;
  int nwords = 0, i = 2;
  while (i < argc && argv[i][0] == '-') {
    const char* option = argv[i];
    int taken = kiln_command_option(&command, argc, argv, &i);
    if (taken < 0) return debug("not for the launcher", option);
    if (taken > 0) continue;
    /* Only optimized entries are ever recorded, so a hit already is what this flag waits for; it stays out
     * of the record's name so that it finds the same record as a plain run. */
    if (strcmp(option, "--wait-for-optimized") == 0) {
      i++;
      continue;
    }
    char* word = NULL;
    for (size_t k = 0; k < sizeof valued / sizeof *valued && !word; k++) word = build_option(valued[k], argc, argv, &i);
    for (size_t k = 0; k < sizeof flags / sizeof *flags && !word; k++) {
      if (strcmp(argv[i], flags[k]) == 0) word = strdup(flags[k]);
    }
    if (!word) return debug("not for the launcher", argv[i]);
    words[nwords++] = word;
    i++;
  }
  if (i >= argc) return;
  const char* module = argv[i++];
  if (i < argc && strcmp(argv[i], "--invoke") == 0) return debug("not for the launcher", "--invoke");
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  const char* slash = strrchr(module, '/');
  command.args[0] = command.argv0 ? command.argv0 : slash ? slash + 1 : module;
  for (; i < argc; i++) kiln_command_argument(&command, argv[i]);

  char module_sha[65], cache[PATH_MAX], artifact[PATH_MAX + 512];
  static char name[65];
  const char* why = NULL;
  if (module_sha256(module, module_sha) != 0) return debug("not for the launcher", "not a readable binary module");
  if (cache_directory(cache, sizeof cache, &why) != 0) return debug("miss", why);
  record_name(module_sha, words, nwords, name);
  *record = name;
  if (!cache_directory_trusted(cache)) return debug("miss", "no usable cache directory");
  launch_record found;
  if (launch_record_read(cache, name, &found, &why) != 0) return debug("miss", why);
  if (cache_entry_check(cache, found.entry, artifact, sizeof artifact, &why) != 0) return debug("miss", why);
  void* handle = dlopen(artifact, RTLD_NOW | RTLD_LOCAL);
  const kiln_module* m = handle ? dlsym(handle, "kiln_module_descriptor") : NULL;
  if (!m || m->abi_version != KILN_ABI_VERSION) return debug("miss", handle ? "another ABI" : dlerror());
  kiln_command_run run;
  if (kiln_command_prepare(&run, m, &command) != KILN_COMMAND_READY) return debug("miss", "the driver reports this one");
  char hit[64];
  snprintf(hit, sizeof hit, "hit (%s tier)", found.tier);
  debug(hit, found.entry);
  cache_entry_touch(cache, found.entry);
  /* Ignored only now: an ignored signal stays ignored across the driver's exec. */
  signal(SIGPIPE, SIG_IGN);
  kiln_command_places places = {"\"instantiation\"", "\"instantiation\"", found.place, module};
  kiln_command_exec(&run, &places);
}

/* Whether `word`, the first argument, starts a run rather than a subcommand: `kiln [OPTIONS] app.wasm ARGS`
 * runs like `kiln run [OPTIONS] app.wasm ARGS`, as `wasmtime app.wasm` does. Subcommands and kiln's own
 * options win; then any other option, an existing file, or a name ending in .wasm or .wat (so that a
 * missing one gets run's "cannot read" rather than "unknown subcommand"). */
static int names_module(const char* word) {
  static const char* const subcommands[] = {"run", "compile", "bench", "validate", "describe", "wast", "cache", "help"};
  static const char* const own[] = {"-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help"};
  if (word[0] == '\0') return 0;
  /* `kiln --dir . app.wasm`: an option that is not kiln's own is run's. */
  if (word[0] == '-') {
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
      if (strncmp(word, own[i], strlen(own[i])) == 0 && (word[strlen(own[i])] == '\0' || word[strlen(own[i])] == '=')) return 0;
    }
    return 1;
  }
  for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
    if (strcmp(word, subcommands[i]) == 0) return 0;
  }
  size_t n = strlen(word);
  if (n > 5 && strcmp(word + n - 5, ".wasm") == 0) return 1;
  if (n > 4 && strcmp(word + n - 4, ".wat") == 0) return 1;
  struct stat st;
  return stat(word, &st) == 0 && S_ISREG(st.st_mode);
}

int main(int argc, char** argv) {
  const char* flag = getenv("KILN_LAUNCH_DEBUG");
  debugging = flag && *flag;
  const char* record = NULL;
  if (argc >= 2 && names_module(argv[1])) {
    char** with_run = malloc(((size_t)argc + 2) * sizeof *with_run);
    if (!with_run) return 1;
    with_run[0] = argv[0];
    with_run[1] = "run";
    memcpy(with_run + 2, argv + 1, (size_t)argc * sizeof *argv); /* argv[1..argc], its NULL included */
    argc++;
    argv = with_run;
  }
  if (argc >= 3 && strcmp(argv[1], "run") == 0) run_cached(argc, argv, &record);
  run_driver(argv, record);
}
