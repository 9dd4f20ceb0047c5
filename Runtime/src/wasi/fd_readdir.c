/* fd_readdir: directory entries as WASI dirents (24-byte header, then the name without a NUL).
 *
 * The cookie of an entry is its index + 1 in the stream, so the next call resumes after it. The stream is
 * a DIR on a separate open file description (the guest fd's own offset is untouched), kept between calls:
 * reading on from the last returned cookie costs nothing extra, any other cookie rewinds and skips, and
 * cookie 0 always rewinds, so a fresh listing sees the directory as it is now. When the buffer fills up,
 * the last entry is written truncated, which tells the caller to come back with a bigger buffer; that
 * entry is pushed back (seekdir) so the next call returns it again. d_ino and d_type come from fstatat,
 * so they agree with path_filestat_get on every file system (overlayfs readdir inodes may not). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"
#include "wasi_state.h"

static DIR* stream_at(kiln_wasi_fd* e, u64 cookie) {
  DIR* d = (DIR*)e->dir;
  if (d == NULL) {
    int fd = openat(e->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return NULL;
    d = fdopendir(fd);
    if (d == NULL) {
      int saved = errno;
      close(fd);
      errno = saved;
      return NULL;
    }
    e->dir = d;
    e->dir_next = 0;
  }
  if (cookie == 0 || cookie < e->dir_next) {
    rewinddir(d);
    e->dir_next = 0;
  }
  while (e->dir_next < cookie) {
    errno = 0;
    if (readdir(d) == NULL) {
      if (errno != 0) return NULL;
      break; /* a cookie past the end: the listing is simply over */
    }
    e->dir_next++;
  }
  return d;
}

static u8 dirent_type(unsigned char d_type) {
  switch (d_type) {
    case DT_REG: return KILN_WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return KILN_WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return KILN_WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return KILN_WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return KILN_WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return KILN_WASI_FILETYPE_SOCKET_STREAM;
    default: return KILN_WASI_FILETYPE_UNKNOWN;
  }
}

/* The 24-byte header of one entry. */
static void entry_header(u8* h, DIR* d, const struct dirent* de, u64 next, size_t namlen) {
  struct stat st;
  memset(h, 0, KILN_WASI_DIRENT_SIZE);
  kiln_put_u64(h, next);
  if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    kiln_put_u64(h + 8, (u64)st.st_ino);
    h[20] = kiln_wasi_filetype(-1, st.st_mode);
  } else { /* removed since: what readdir said is all there is */
    kiln_put_u64(h + 8, (u64)de->d_ino);
    h[20] = dirent_type(de->d_type);
  }
  kiln_put_u32(h + 16, (u32)namlen);
}

u32 kiln_wasi_fd_readdir(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 buf, u32 buf_len, u64 cookie,
                         u32 bufused_out) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_dir_lookup(ctx, fd, KILN_WASI_RIGHT_FD_READDIR, &e); /* EBADF, ENOTDIR, ENOTCAPABLE */
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* out = kiln_guest_range(mem, buf, buf_len);
  u8* used = kiln_guest_range(mem, bufused_out, 4);
  if (out == NULL || used == NULL) return KILN_WASI_EFAULT;
  DIR* d = stream_at(e, cookie);
  if (d == NULL) return kiln_wasi_errno(errno);
  u32 pos = 0;
  while (pos < buf_len) {
    long here = telldir(d);
    errno = 0;
    struct dirent* de = readdir(d);
    if (de == NULL) {
      if (errno != 0) return kiln_wasi_errno(errno);
      break;
    }
    size_t namlen = strlen(de->d_name);
    u8 header[KILN_WASI_DIRENT_SIZE];
    entry_header(header, d, de, e->dir_next + 1, namlen);
    u64 total = KILN_WASI_DIRENT_SIZE + (u64)namlen;
    u32 room = buf_len - pos;
    u32 n = room < KILN_WASI_DIRENT_SIZE ? room : KILN_WASI_DIRENT_SIZE;
    memcpy(out + pos, header, n);
    u32 name_room = room - n;
    memcpy(out + pos + n, de->d_name, name_room < namlen ? name_room : namlen);
    if (total > room) { /* truncated: the buffer is full; this entry comes again next time */
      pos = buf_len;
      seekdir(d, here);
      break;
    }
    pos += (u32)total;
    e->dir_next++;
  }
  kiln_put_u32(used, pos);
  return KILN_WASI_ESUCCESS;
}
