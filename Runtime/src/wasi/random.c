/* random_get: the OS's cryptographic generator (getrandom, or /dev/urandom where it is missing). Any
 * length that fits in linear memory succeeds, filled in bounded chunks; length 0 writes nothing. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#if defined(__linux__) && defined(__has_include)
#if __has_include(<sys/random.h>)
#include <sys/random.h>
#define KILN_HAVE_GETRANDOM 1
#endif
#endif

#include "guest.h"
#include "wasi_state.h"

/* Linux hands out at most 32 MiB - 1 per getrandom call; stay well under it. */
#define KILN_RANDOM_CHUNK (1u << 20)

static int fill_urandom(u8* p, u64 n) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  while (n > 0) {
    ssize_t r = read(fd, p, n > KILN_RANDOM_CHUNK ? KILN_RANDOM_CHUNK : (size_t)n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      int e = r < 0 ? errno : EIO;
      close(fd);
      return e;
    }
    p += r;
    n -= (u64)r;
  }
  close(fd);
  return 0;
}

u32 kiln_wasi_random_get(kiln_ctx* ctx, kiln_memory* mem, u32 buf, u32 buf_len) {
  (void)ctx;
  u8* p = kiln_guest_range(mem, buf, buf_len);
  if (p == NULL) return KILN_WASI_EFAULT;
  u64 n = buf_len;
#ifdef KILN_HAVE_GETRANDOM
  while (n > 0) {
    ssize_t r = getrandom(p, n > KILN_RANDOM_CHUNK ? KILN_RANDOM_CHUNK : (size_t)n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == ENOSYS || errno == EPERM)) break; /* old kernel or seccomp: fall back */
    if (r < 0) return kiln_wasi_errno(errno);
    p += r;
    n -= (u64)r;
  }
#endif
  if (n > 0) {
    int e = fill_urandom(p, n);
    if (e != 0) return kiln_wasi_errno(e);
  }
  return KILN_WASI_ESUCCESS;
}
