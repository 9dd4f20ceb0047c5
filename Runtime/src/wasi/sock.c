/* sock_accept, sock_recv, sock_send, sock_shutdown. Kiln preopens no sockets yet, so no guest fd is a
 * socket: an open fd gives ENOTSOCK and an unknown one EBADF, as wasi-testsuite expects. (A host socket
 * on stdio is not offered as one: shutting down the host's stdout from the guest would be wrong.) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "wasi_state.h"

static u32 not_a_socket(kiln_ctx* ctx, u32 fd) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &e);
  return err != KILN_WASI_ESUCCESS ? err : KILN_WASI_ENOTSOCK;
}

u32 kiln_wasi_sock_accept(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags, u32 fd_out) {
  (void)mem;
  (void)flags;
  (void)fd_out;
  return not_a_socket(ctx, fd);
}

u32 kiln_wasi_sock_recv(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 ri_data, u32 ri_data_len, u32 ri_flags,
                        u32 ro_datalen_out, u32 ro_flags_out) {
  (void)mem;
  (void)ri_data;
  (void)ri_data_len;
  (void)ri_flags;
  (void)ro_datalen_out;
  (void)ro_flags_out;
  return not_a_socket(ctx, fd);
}

u32 kiln_wasi_sock_send(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 si_data, u32 si_data_len, u32 si_flags,
                        u32 so_datalen_out) {
  (void)mem;
  (void)si_data;
  (void)si_data_len;
  (void)si_flags;
  (void)so_datalen_out;
  return not_a_socket(ctx, fd);
}

u32 kiln_wasi_sock_shutdown(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 how) {
  (void)mem;
  (void)how;
  return not_a_socket(ctx, fd);
}
