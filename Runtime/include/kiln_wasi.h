/* WASI preview1 (wasi_snapshot_preview1) for Kiln.
 *
 * Generated code calls kiln_wasi_<name> directly for every import from "wasi_snapshot_preview1": the
 * calling module's memory 0 comes second, then the Wasm arguments in witx order (u32 for i32, u64 for
 * i64). Each returns a WASI errno (0 on success); proc_exit does not return. The state lives in
 * ctx->host, made by kiln_wasi_new on the host side; a ctx without it makes every call return ENOSYS
 * (proc_exit still exits).
 *
 * Guarantees: every guest pointer and length is bounds-checked (EFAULT, never a host access outside
 * linear memory); the guest sees only fds 0-2 and its preopens, and no path escapes a preopen (`..`
 * past the root, absolute paths and symlinks leading outside give ENOTCAPABLE).
 * > Note: <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md> */
#ifndef KILN_WASI_H
#define KILN_WASI_H

#include "kiln_abi.h"
#include "kiln_attrs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_wasi kiln_wasi;

/* A command's WASI state: argv and the environment ("NAME=VALUE" strings, exactly these and nothing
 * inherited) are copied; fds 0-2 are duplicates of the process's stdin, stdout and stderr (closing them in
 * the guest leaves the host's own open); preopen i is host_paths[i], shown to the guest as guest_paths[i]
 * (guest_paths or an entry may be NULL: the host path is used) on fd 3 + i. Returns NULL with errno set
 * if a preopen cannot be opened as a directory or memory runs out. Store the result in ctx->host. */
KILN_HIDDEN kiln_wasi* kiln_wasi_new(int argc, const char* const* argv, int envc, const char* const* envp,
                                     int npreopens, const char* const* host_paths,
                                     const char* const* guest_paths);

/* Preopen i is read-only (`--readonly-dir`): nothing reached through it changes the file system. */
#define KILN_WASI_PREOPEN_READ_ONLY 1u

/* kiln_wasi_new with preopen_flags[i] (KILN_WASI_PREOPEN_*) for preopen i; NULL, or an entry of 0, is a
 * preopen as kiln_wasi_new makes it. Through a read-only one, every call that would create, write,
 * truncate, remove, rename, link or retime anything fails with EPERM (fd_write with EBADF: its files are
 * never open for writing), and so does through every fd path_open derives from it; reading, stat, readdir
 * and seeking work as before. */
KILN_HIDDEN kiln_wasi* kiln_wasi_new_with_flags(int argc, const char* const* argv, int envc, const char* const* envp,
                                                int npreopens, const char* const* host_paths,
                                                const char* const* guest_paths, const u32* preopen_flags);
/* Makes guest fd `stdio` (0, 1 or 2) a duplicate of the host's `host` fd instead of the process's own stdio:
 * a file, a pipe, or the in-memory file an embedder reads the guest's output from. The caller keeps `host`.
 * Returns 0, or an errno (EINVAL for another fd number, or dup's). */
KILN_HIDDEN int kiln_wasi_set_stdio(kiln_wasi* wasi, int stdio, int host);
/* Closes every fd the guest still holds. NULL is ignored. */
KILN_HIDDEN void kiln_wasi_free(kiln_wasi* wasi);

/* wasi-threads (`wasi` `thread-spawn`). The host's way to start a thread that runs `wasi_thread_start(tid,
 * start_arg)` in a new instance of `parent`'s module sharing parent's imports (its shared memory) and this WASI
 * state: the new thread's id (1 to 2^29 - 1), or a negative number when it cannot (Runtime/host/threads.c).
 * Without one, thread-spawn returns -1, which wasi-libc's pthread_create reports as EAGAIN.
 * > Note: <https://github.com/WebAssembly/wasi-threads> */
typedef s32 (*kiln_wasi_spawn_fn)(kiln_wasi* wasi, kiln_instance* parent, u32 start_arg);
KILN_HIDDEN void kiln_wasi_set_spawn(kiln_wasi* wasi, kiln_wasi_spawn_fn spawn);
KILN_HIDDEN u32 kiln_wasi_thread_spawn(kiln_ctx* ctx, kiln_instance* self, u32 start_arg);
/* Threads spawned through this state that have not ended yet (the spawn function counts them): a host frees
 * the state, and the instances and memories those threads use, only once it is 0. */
KILN_HIDDEN u32 kiln_wasi_live_threads(kiln_wasi* wasi);
KILN_HIDDEN void kiln_wasi_thread_started(kiln_wasi* wasi);
KILN_HIDDEN void kiln_wasi_thread_ended(kiln_wasi* wasi);
/* The lock every thread's WASI calls take around the state (its fd table), except those that may block
 * (Sources/KilnLower/Module/WASIImports.swift); no-ops without WASI state. */
KILN_HIDDEN void kiln_wasi_lock(kiln_ctx* ctx);
KILN_HIDDEN void kiln_wasi_unlock(kiln_ctx* ctx);

KILN_HIDDEN u32 kiln_wasi_args_get(kiln_ctx* ctx, kiln_memory* mem, u32 argv, u32 argv_buf);
KILN_HIDDEN u32 kiln_wasi_args_sizes_get(kiln_ctx* ctx, kiln_memory* mem, u32 argc_out, u32 argv_buf_size_out);
KILN_HIDDEN u32 kiln_wasi_environ_get(kiln_ctx* ctx, kiln_memory* mem, u32 environ, u32 environ_buf);
KILN_HIDDEN u32 kiln_wasi_environ_sizes_get(kiln_ctx* ctx, kiln_memory* mem, u32 count_out, u32 buf_size_out);
KILN_HIDDEN u32 kiln_wasi_clock_res_get(kiln_ctx* ctx, kiln_memory* mem, u32 id, u32 resolution_out);
KILN_HIDDEN u32 kiln_wasi_clock_time_get(kiln_ctx* ctx, kiln_memory* mem, u32 id, u64 precision, u32 time_out);
KILN_HIDDEN u32 kiln_wasi_fd_advise(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 offset, u64 len, u32 advice);
KILN_HIDDEN u32 kiln_wasi_fd_allocate(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 offset, u64 len);
KILN_HIDDEN u32 kiln_wasi_fd_close(kiln_ctx* ctx, kiln_memory* mem, u32 fd);
KILN_HIDDEN u32 kiln_wasi_fd_datasync(kiln_ctx* ctx, kiln_memory* mem, u32 fd);
KILN_HIDDEN u32 kiln_wasi_fd_fdstat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 fdstat_out);
KILN_HIDDEN u32 kiln_wasi_fd_fdstat_set_flags(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags);
KILN_HIDDEN u32 kiln_wasi_fd_fdstat_set_rights(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 rights_base,
                                               u64 rights_inheriting);
KILN_HIDDEN u32 kiln_wasi_fd_filestat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 filestat_out);
KILN_HIDDEN u32 kiln_wasi_fd_filestat_set_size(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 size);
KILN_HIDDEN u32 kiln_wasi_fd_filestat_set_times(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 atim, u64 mtim,
                                                u32 fst_flags);
KILN_HIDDEN u32 kiln_wasi_fd_pread(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len, u64 offset,
                                   u32 nread_out);
KILN_HIDDEN u32 kiln_wasi_fd_prestat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 prestat_out);
KILN_HIDDEN u32 kiln_wasi_fd_prestat_dir_name(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len);
KILN_HIDDEN u32 kiln_wasi_fd_pwrite(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len, u64 offset,
                                    u32 nwritten_out);
KILN_HIDDEN u32 kiln_wasi_fd_read(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out);
KILN_HIDDEN u32 kiln_wasi_fd_readdir(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 buf, u32 buf_len, u64 cookie,
                                     u32 bufused_out);
KILN_HIDDEN u32 kiln_wasi_fd_renumber(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 to);
KILN_HIDDEN u32 kiln_wasi_fd_seek(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 offset, u32 whence,
                                  u32 newoffset_out);
KILN_HIDDEN u32 kiln_wasi_fd_sync(kiln_ctx* ctx, kiln_memory* mem, u32 fd);
KILN_HIDDEN u32 kiln_wasi_fd_tell(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 offset_out);
KILN_HIDDEN u32 kiln_wasi_fd_write(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len,
                                   u32 nwritten_out);
KILN_HIDDEN u32 kiln_wasi_path_create_directory(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len);
KILN_HIDDEN u32 kiln_wasi_path_filestat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags, u32 path,
                                            u32 path_len, u32 filestat_out);
KILN_HIDDEN u32 kiln_wasi_path_filestat_set_times(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags, u32 path,
                                                  u32 path_len, u64 atim, u64 mtim, u32 fst_flags);
KILN_HIDDEN u32 kiln_wasi_path_link(kiln_ctx* ctx, kiln_memory* mem, u32 old_fd, u32 old_flags, u32 old_path,
                                    u32 old_path_len, u32 new_fd, u32 new_path, u32 new_path_len);
KILN_HIDDEN u32 kiln_wasi_path_open(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 dirflags, u32 path, u32 path_len,
                                    u32 oflags, u64 rights_base, u64 rights_inheriting, u32 fdflags,
                                    u32 opened_fd_out);
KILN_HIDDEN u32 kiln_wasi_path_readlink(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len, u32 buf,
                                        u32 buf_len, u32 bufused_out);
KILN_HIDDEN u32 kiln_wasi_path_remove_directory(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len);
KILN_HIDDEN u32 kiln_wasi_path_rename(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 old_path, u32 old_path_len,
                                      u32 new_fd, u32 new_path, u32 new_path_len);
KILN_HIDDEN u32 kiln_wasi_path_symlink(kiln_ctx* ctx, kiln_memory* mem, u32 old_path, u32 old_path_len, u32 fd,
                                       u32 new_path, u32 new_path_len);
KILN_HIDDEN u32 kiln_wasi_path_unlink_file(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len);
KILN_HIDDEN u32 kiln_wasi_poll_oneoff(kiln_ctx* ctx, kiln_memory* mem, u32 in, u32 out, u32 nsubscriptions,
                                      u32 nevents_out);
/* Sets ctx->exit_code to the guest's code (the whole u32, as an int; what a process exit status makes
 * of values above 255 is the host's decision) and traps with KILN_TRAP_EXIT. */
KILN_HIDDEN _Noreturn void kiln_wasi_proc_exit(kiln_ctx* ctx, kiln_memory* mem, u32 code);
KILN_HIDDEN u32 kiln_wasi_proc_raise(kiln_ctx* ctx, kiln_memory* mem, u32 sig);
KILN_HIDDEN u32 kiln_wasi_sched_yield(kiln_ctx* ctx, kiln_memory* mem);
KILN_HIDDEN u32 kiln_wasi_random_get(kiln_ctx* ctx, kiln_memory* mem, u32 buf, u32 buf_len);
KILN_HIDDEN u32 kiln_wasi_sock_accept(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags, u32 fd_out);
KILN_HIDDEN u32 kiln_wasi_sock_recv(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 ri_data, u32 ri_data_len,
                                    u32 ri_flags, u32 ro_datalen_out, u32 ro_flags_out);
KILN_HIDDEN u32 kiln_wasi_sock_send(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 si_data, u32 si_data_len,
                                    u32 si_flags, u32 so_datalen_out);
KILN_HIDDEN u32 kiln_wasi_sock_shutdown(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 how);

#ifdef __cplusplus
}
#endif
#endif
