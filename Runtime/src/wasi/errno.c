/* Host errno values as WASI errno values. WASI's list is POSIX's, so most map one to one; the few host
 * values WASI has no name for become EIO, as wasmtime does. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>

#include "wasi_state.h"

u32 kiln_wasi_errno(int e) {
  switch (e) {
    case 0: return KILN_WASI_ESUCCESS;
    case E2BIG: return KILN_WASI_E2BIG;
    case EACCES: return KILN_WASI_EACCES;
    case EADDRINUSE: return KILN_WASI_EADDRINUSE;
    case EADDRNOTAVAIL: return KILN_WASI_EADDRNOTAVAIL;
    case EAFNOSUPPORT: return KILN_WASI_EAFNOSUPPORT;
    case EAGAIN: return KILN_WASI_EAGAIN;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return KILN_WASI_EAGAIN;
#endif
    case EALREADY: return KILN_WASI_EALREADY;
    case EBADF: return KILN_WASI_EBADF;
    case EBADMSG: return KILN_WASI_EBADMSG;
    case EBUSY: return KILN_WASI_EBUSY;
    case ECANCELED: return KILN_WASI_ECANCELED;
    case ECHILD: return KILN_WASI_ECHILD;
    case ECONNABORTED: return KILN_WASI_ECONNABORTED;
    case ECONNREFUSED: return KILN_WASI_ECONNREFUSED;
    case ECONNRESET: return KILN_WASI_ECONNRESET;
    case EDEADLK: return KILN_WASI_EDEADLK;
    case EDESTADDRREQ: return KILN_WASI_EDESTADDRREQ;
    case EDOM: return KILN_WASI_EDOM;
    case EDQUOT: return KILN_WASI_EDQUOT;
    case EEXIST: return KILN_WASI_EEXIST;
    case EFAULT: return KILN_WASI_EFAULT;
    case EFBIG: return KILN_WASI_EFBIG;
    case EHOSTUNREACH: return KILN_WASI_EHOSTUNREACH;
    case EIDRM: return KILN_WASI_EIDRM;
    case EILSEQ: return KILN_WASI_EILSEQ;
    case EINPROGRESS: return KILN_WASI_EINPROGRESS;
    case EINTR: return KILN_WASI_EINTR;
    case EINVAL: return KILN_WASI_EINVAL;
    case EIO: return KILN_WASI_EIO;
    case EISCONN: return KILN_WASI_EISCONN;
    case EISDIR: return KILN_WASI_EISDIR;
    case ELOOP: return KILN_WASI_ELOOP;
    case EMFILE: return KILN_WASI_EMFILE;
    case EMLINK: return KILN_WASI_EMLINK;
    case EMSGSIZE: return KILN_WASI_EMSGSIZE;
    case EMULTIHOP: return KILN_WASI_EMULTIHOP;
    case ENAMETOOLONG: return KILN_WASI_ENAMETOOLONG;
    case ENETDOWN: return KILN_WASI_ENETDOWN;
    case ENETRESET: return KILN_WASI_ENETRESET;
    case ENETUNREACH: return KILN_WASI_ENETUNREACH;
    case ENFILE: return KILN_WASI_ENFILE;
    case ENOBUFS: return KILN_WASI_ENOBUFS;
    case ENODEV: return KILN_WASI_ENODEV;
    case ENOENT: return KILN_WASI_ENOENT;
    case ENOEXEC: return KILN_WASI_ENOEXEC;
    case ENOLCK: return KILN_WASI_ENOLCK;
    case ENOLINK: return KILN_WASI_ENOLINK;
    case ENOMEM: return KILN_WASI_ENOMEM;
    case ENOMSG: return KILN_WASI_ENOMSG;
    case ENOPROTOOPT: return KILN_WASI_ENOPROTOOPT;
    case ENOSPC: return KILN_WASI_ENOSPC;
    case ENOSYS: return KILN_WASI_ENOSYS;
    case ENOTCONN: return KILN_WASI_ENOTCONN;
    case ENOTDIR: return KILN_WASI_ENOTDIR;
    case ENOTEMPTY: return KILN_WASI_ENOTEMPTY;
    case ENOTRECOVERABLE: return KILN_WASI_ENOTRECOVERABLE;
    case ENOTSOCK: return KILN_WASI_ENOTSOCK;
    case ENOTSUP: return KILN_WASI_ENOTSUP;
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP: return KILN_WASI_ENOTSUP;
#endif
    case ENOTTY: return KILN_WASI_ENOTTY;
    case ENXIO: return KILN_WASI_ENXIO;
    case EOVERFLOW: return KILN_WASI_EOVERFLOW;
    case EOWNERDEAD: return KILN_WASI_EOWNERDEAD;
    case EPERM: return KILN_WASI_EPERM;
    case EPIPE: return KILN_WASI_EPIPE;
    case EPROTO: return KILN_WASI_EPROTO;
    case EPROTONOSUPPORT: return KILN_WASI_EPROTONOSUPPORT;
    case EPROTOTYPE: return KILN_WASI_EPROTOTYPE;
    case ERANGE: return KILN_WASI_ERANGE;
    case EROFS: return KILN_WASI_EROFS;
    case ESPIPE: return KILN_WASI_ESPIPE;
    case ESRCH: return KILN_WASI_ESRCH;
    case ESTALE: return KILN_WASI_ESTALE;
    case ETIMEDOUT: return KILN_WASI_ETIMEDOUT;
    case ETXTBSY: return KILN_WASI_ETXTBSY;
    case EXDEV: return KILN_WASI_EXDEV;
    default: return KILN_WASI_EIO;
  }
}
