/* Making and freeing a command's WASI state: argv, the environment, stdio and the preopens. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasi_state.h"

kiln_wasi* kiln_wasi_state(kiln_ctx* ctx) {
  if (ctx == NULL || ctx->host == NULL) return NULL;
  kiln_wasi* w = (kiln_wasi*)ctx->host;
  return w->magic == KILN_WASI_MAGIC ? w : NULL;
}

/* Copies n strings; NULL entries become empty strings. *bytes is the sum of their lengths plus NULs. */
static char** copy_strings(int n, const char* const* strings, u64* bytes) {
  char** out = calloc((size_t)n + 1, sizeof *out);
  if (out == NULL) return NULL;
  *bytes = 0;
  for (int i = 0; i < n; i++) {
    const char* s = strings != NULL && strings[i] != NULL ? strings[i] : "";
    out[i] = strdup(s);
    if (out[i] == NULL) {
      for (int j = 0; j < i; j++) free(out[j]);
      free(out);
      return NULL;
    }
    *bytes += strlen(s) + 1;
  }
  return out;
}

static void free_strings(char** strings, u32 n) {
  if (strings == NULL) return;
  for (u32 i = 0; i < n; i++) free(strings[i]);
  free(strings);
}

/* A duplicate of a host stdio fd (at 3 or above, close-on-exec), or -1 if the process has none. */
static int dup_stdio(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 3); }

kiln_wasi* kiln_wasi_new(int argc, const char* const* argv, int envc, const char* const* envp, int npreopens,
                         const char* const* host_paths, const char* const* guest_paths) {
  return kiln_wasi_new_with_flags(argc, argv, envc, envp, npreopens, host_paths, guest_paths, NULL);
}

kiln_wasi* kiln_wasi_new_with_flags(int argc, const char* const* argv, int envc, const char* const* envp,
                                    int npreopens, const char* const* host_paths, const char* const* guest_paths,
                                    const u32* preopen_flags) {
  if (argc < 0 || envc < 0 || npreopens < 0 || (npreopens > 0 && host_paths == NULL) ||
      (u64)npreopens + 3 > KILN_WASI_FD_LIMIT) {
    errno = EINVAL;
    return NULL;
  }
  kiln_wasi* w = calloc(1, sizeof *w);
  if (w == NULL) return NULL;
  w->magic = KILN_WASI_MAGIC;
  w->argc = (u32)argc;
  w->envc = (u32)envc;
  w->argv = copy_strings(argc, argv, &w->argv_bytes);
  w->envp = copy_strings(envc, envp, &w->envp_bytes);
  pthread_mutex_init(&w->lock, NULL);
  w->nfds = (u32)npreopens + 3 < 8 ? 8 : (u32)npreopens + 3;
  w->fds = calloc(KILN_WASI_FD_LIMIT, sizeof *w->fds);
  if (w->argv == NULL || w->envp == NULL || w->fds == NULL) {
    kiln_wasi_free(w);
    errno = ENOMEM;
    return NULL;
  }
  for (u32 i = 0; i < w->nfds; i++) w->fds[i].host = -1;
  for (int i = 0; i < 3; i++) {
    int host = dup_stdio(i);
    u32 fd;
    if (host >= 0 && kiln_wasi_fd_insert(w, host, &fd) == KILN_WASI_ESUCCESS && fd != (u32)i) {
      /* Only possible if an earlier stdio fd was missing: move it to its own number. */
      w->fds[i] = w->fds[fd];
      w->fds[fd].host = -1;
    }
  }
  for (int i = 0; i < npreopens; i++) {
    const char* host_path = host_paths[i];
    const char* guest_path = guest_paths != NULL && guest_paths[i] != NULL ? guest_paths[i] : host_path;
    if (host_path == NULL) {
      kiln_wasi_free(w);
      errno = EINVAL;
      return NULL;
    }
    int host = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char* name = host >= 0 ? strdup(guest_path) : NULL;
    if (host < 0 || name == NULL || strlen(name) > UINT32_MAX) {
      int saved = host < 0 ? errno : ENOMEM;
      if (host >= 0) close(host);
      free(name);
      kiln_wasi_free(w);
      errno = saved;
      return NULL;
    }
    kiln_wasi_fd* e = &w->fds[3 + i];
    e->host = host;
    e->filetype = KILN_WASI_FILETYPE_DIRECTORY;
    e->rights_base = KILN_WASI_RIGHTS_DIR;
    e->rights_inheriting = KILN_WASI_RIGHTS_DIR | KILN_WASI_RIGHTS_FILE;
    e->is_preopen = 1;
    e->read_only = preopen_flags != NULL && (preopen_flags[i] & KILN_WASI_PREOPEN_READ_ONLY) != 0;
    e->preopen_name = name;
    e->preopen_name_len = (u32)strlen(name);
  }
  return w;
}

int kiln_wasi_set_stdio(kiln_wasi* w, int stdio, int host) {
  if (w == NULL || stdio < 0 || stdio > 2) return EINVAL;
  int copy = fcntl(host, F_DUPFD_CLOEXEC, 3);
  if (copy < 0) return errno;
  kiln_wasi_fd_release(&w->fds[stdio]);
  w->fds[stdio].host = -1;
  u32 fd;
  if (kiln_wasi_fd_insert(w, copy, &fd) != KILN_WASI_ESUCCESS) return EIO; /* insert closed it */
  if (fd != (u32)stdio) {
    w->fds[stdio] = w->fds[fd];
    memset(&w->fds[fd], 0, sizeof w->fds[fd]);
    w->fds[fd].host = -1;
  }
  return 0;
}

void kiln_wasi_free(kiln_wasi* w) {
  if (w == NULL) return;
  if (w->fds != NULL)
    for (u32 i = 0; i < w->nfds; i++) kiln_wasi_fd_release(&w->fds[i]);
  free(w->fds);
  free_strings(w->argv, w->argc);
  free_strings(w->envp, w->envc);
  pthread_mutex_destroy(&w->lock);
  w->magic = 0;
  free(w);
}
