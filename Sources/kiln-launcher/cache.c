/* Reading the artifact cache without Swift: the cache directory, launch records and entry checks. Every
 * check here mirrors one in KilnCache, and any doubt sends the run to kiln-driver, which reports problems
 * (a corrupt entry is warned about and rebuilt there, once, under the key's lock). */
#define _GNU_SOURCE
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"

/* Owned by this user, and writable by nobody else: the cache holds code that gets loaded. */
static int trusted(const struct stat* st) { return st->st_uid == geteuid() && (st->st_mode & 022) == 0; }

int cache_directory(char* out, size_t size, const char** why) {
  const char* dir = getenv("KILN_CACHE_DIR");
  const char* xdg = getenv("XDG_CACHE_HOME");
  int n;
  if (dir && *dir) {
    n = snprintf(out, size, "%s", dir);
  } else if (xdg && xdg[0] == '/') {
    n = snprintf(out, size, "%s/kiln", xdg);
  } else {
    const char* home = getenv("HOME");
    if (!home || !*home) {
      struct passwd* entry = getpwuid(geteuid());
      home = entry ? entry->pw_dir : NULL;
    }
    if (!home || !*home) {
      *why = "no home directory";
      return -1;
    }
    n = snprintf(out, size, "%s/.cache/kiln", home);
  }
  if (n < 0 || (size_t)n >= size) {
    *why = "the cache path is too long";
    return -1;
  }
  return 0;
}

int cache_directory_trusted(const char* cache) {
  struct stat st;
  return stat(cache, &st) == 0 && S_ISDIR(st.st_mode) && trusted(&st);
}

/* Reads a small regular file of this user's, not through a symbolic link, into buf (NUL-terminated). */
static int read_small(const char* path, char* buf, size_t size) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  ssize_t n = -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && trusted(&st) && (size_t)st.st_size < size) {
    size_t got = 0;
    while (got < (size_t)st.st_size) {
      ssize_t r = read(fd, buf + got, size - 1 - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += (size_t)r;
    }
    if (got == (size_t)st.st_size) n = (ssize_t)got;
  }
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return 0;
}

/* The value of `field value` lines, after the header: the text after "field ", up to the newline. */
static const char* field(char* text, const char* name) {
  size_t n = strlen(name);
  for (char* line = strchr(text, '\n'); line; line = strchr(line, '\n')) {
    line++;
    if (strncmp(line, name, n) == 0 && line[n] == ' ') return line + n + 1;
  }
  return NULL;
}

/* Copies a field's value (up to the newline) into out; -1 if missing or too long. */
static int copy_field(char* text, const char* name, char* out, size_t size) {
  const char* value = field(text, name);
  if (!value) return -1;
  size_t n = strcspn(value, "\n");
  if (n >= size) return -1;
  memcpy(out, value, n);
  out[n] = 0;
  return 0;
}

static int is_digest(const char* s) {
  for (int i = 0; i < 64; i++) {
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  }
  return s[64] == 0;
}

/* `file DEV INO SIZE MTIME_S MTIME_NS CTIME_S CTIME_NS PATH`: the file must still be exactly that one. */
static int file_unchanged(const char* fact) {
  const char* path = fact;
  for (int spaces = 0; spaces < 7; spaces++) {
    path = strchr(path, ' ');
    if (!path) return 0;
    path++;
  }
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  char expected[256];
  int n = snprintf(expected, sizeof expected, "%llu %llu %lld %lld %ld %lld %ld ", (unsigned long long)st.st_dev,
                   (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                   st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
  return n > 0 && (size_t)n < sizeof expected && strncmp(fact, expected, (size_t)n) == 0 && fact + n == path;
}

/* `env NAME=VALUE` (set to exactly that) or `env NAME` (unset). */
static int environment_unchanged(const char* fact) {
  const char* equals = strchr(fact, '=');
  char name[256];
  size_t n = equals ? (size_t)(equals - fact) : strlen(fact);
  if (n == 0 || n >= sizeof name) return 0;
  memcpy(name, fact, n);
  name[n] = 0;
  const char* value = getenv(name);
  if (!equals) return value == NULL;
  return value != NULL && strcmp(value, equals + 1) == 0;
}

int launch_record_read(const char* cache, const char* name, launch_record* record, const char** why) {
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/launch", cache);
  if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || !trusted(&st)) {
    *why = "no launch records";
    return -1;
  }
  snprintf(path, sizeof path, "%s/launch/%s", cache, name);
  static char text[65536];
  if (read_small(path, text, sizeof text) != 0) {
    *why = "no launch record for this module and these options";
    return -1;
  }
  size_t length = strlen(text);
  /* `end` last: a record cut short (a crash before the rename reached the disk) states too few facts. */
  if (length < 5 || strcmp(text + length - 5, "\nend\n") != 0) {
    *why = "the launch record is incomplete";
    return -1;
  }
  /* The tier is optional: it tells what runs, it decides nothing. */
  if (copy_field(text, "tier", record->tier, sizeof record->tier) != 0) strcpy(record->tier, "unnamed");
  if (strncmp(text, "kiln-launch 1\n", 14) != 0 || copy_field(text, "entry", record->entry, sizeof record->entry) != 0 ||
      !is_digest(record->entry) || copy_field(text, "place", record->place, sizeof record->place) != 0) {
    *why = "the launch record is malformed";
    return -1;
  }
  for (char* line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
    char* fact = line + 1;
    char* end = strchr(fact, '\n');
    if (!end) {
      *why = "the launch record is malformed";
      return -1;
    }
    *end = 0;
    /* Unknown kinds of fact fail: a record from a newer kiln-driver is not trusted blindly. */
    int holds = 0;
    if (strncmp(fact, "entry ", 6) == 0 || strncmp(fact, "place ", 6) == 0 || strncmp(fact, "tier ", 5) == 0 || strcmp(fact, "end") == 0)
      holds = 1;
    if (strncmp(fact, "env ", 4) == 0) holds = environment_unchanged(fact + 4);
    if (strncmp(fact, "file ", 5) == 0) holds = file_unchanged(fact + 5);
    if (strncmp(fact, "absent ", 7) == 0) holds = access(fact + 7, F_OK) != 0;
    *end = '\n';
    if (!holds) {
      *why = strncmp(fact, "env ", 4) == 0    ? "an environment variable changed"
             : strncmp(fact, "file ", 5) == 0 || strncmp(fact, "absent ", 7) == 0
                 ? "the compiler, the runtime or kiln changed"
                                              : "the launch record is malformed";
      return -1;
    }
  }
  return 0;
}

/* A plain, visible file name of at most 200 bytes that is not one of the entry's own files. */
static int artifact_name_ok(const char* name) {
  size_t n = strlen(name);
  if (n == 0 || n > 200 || name[0] == '.' || strcmp(name, "manifest") == 0 || strcmp(name, "last-use") == 0) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c < 0x20 || c == '/' || c == 0x7f) return 0;
  }
  return 1;
}

int cache_entry_check(const char* cache, const char* digest, char* artifact, size_t size, const char** why) {
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", cache, digest);
  if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || !trusted(&st)) {
    *why = "the entry is missing or not trusted";
    return -1;
  }
  char manifest[4097];
  snprintf(path, sizeof path, "%s/%s/manifest", cache, digest);
  char key[65], name[256], sha[65], bytes[32];
  if (read_small(path, manifest, sizeof manifest) != 0 || strncmp(manifest, "kiln-cache-entry 1\n", 19) != 0 ||
      copy_field(manifest, "key", key, sizeof key) != 0 || strcmp(key, digest) != 0 ||
      copy_field(manifest, "artifact", name, sizeof name) != 0 || !artifact_name_ok(name) ||
      copy_field(manifest, "sha256", sha, sizeof sha) != 0 || !is_digest(sha) ||
      copy_field(manifest, "size", bytes, sizeof bytes) != 0) {
    *why = "the manifest is missing or malformed";
    return -1;
  }
  char* end = NULL;
  long long expected = strtoll(bytes, &end, 10);
  if (*bytes == 0 || *end != 0 || expected < 0) {
    *why = "the manifest is malformed";
    return -1;
  }
  int n = snprintf(artifact, size, "%s/%s/%s", cache, digest, name);
  if (n < 0 || (size_t)n >= size) {
    *why = "the artifact path is too long";
    return -1;
  }
  int fd = open(artifact, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !trusted(&st) || st.st_size != expected) {
    if (fd >= 0) close(fd);
    *why = "the artifact is missing, not trusted or of the wrong size";
    return -1;
  }
  sha256 h;
  sha256_init(&h);
  static unsigned char buffer[1 << 16];
  long long total = 0;
  for (;;) {
    ssize_t r = read(fd, buffer, sizeof buffer);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    sha256_update(&h, buffer, (size_t)r);
    total += r;
  }
  close(fd);
  char hex[65];
  sha256_final_hex(&h, hex);
  if (total != expected || strcmp(hex, sha) != 0) {
    *why = "the artifact's SHA-256 does not match its manifest";
    return -1;
  }
  return 0;
}

void cache_entry_touch(const char* cache, const char* digest) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s/last-use", cache, digest);
  if (utimensat(AT_FDCWD, path, NULL, 0) == 0) return;
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) close(fd);
}
