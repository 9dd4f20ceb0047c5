// kiln-measure: runs PROGRAM [ARGS…] as its child, waits for it, and writes a line to file descriptor 3:
//
//   exit <status> <wall ns> <peak RSS bytes>      the program exited
//   signal <number> <wall ns> <peak RSS bytes>    a signal killed it
//   error <errno> 0 0                             it could not be started (the first line counts)
//
// Exit status 0 once the line is written, whatever the program did; 2 for a usage error.
//
// Why a separate, small C program: on Linux a process's ru_maxrss includes the high-water RSS of the
// address space it had before exec. A posix_spawn (vfork) child's is its parent's, so spawned directly by
// `kiln bench` every run reported at least kiln's own peak, tens of MiB, whatever it ran. This program
// forks rather than vforks for the same reason (SwiftPM links libswiftCore into it, ~5 MiB resident): a
// forked child starts from the few pages it copies, so a run's peak RSS is its own to within ~100 KiB, as
// with GNU time. The wall time is taken here, around fork and wait, so it excludes starting this program.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    // The report's descriptor must not leak into the program.
    if (argc < 2 || fcntl(3, F_SETFD, FD_CLOEXEC) != 0) {
        fprintf(stderr, "usage: kiln-measure PROGRAM [ARGS...] 3>REPORT\n");
        return 2;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[1], argv + 1, environ);
        dprintf(3, "error %d 0 0\n", errno);
        _exit(127);
    }
    if (pid < 0) {
        dprintf(3, "error %d 0 0\n", errno);
        return 0;
    }
    int status;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            dprintf(3, "error %d 0 0\n", errno);
            return 0;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    long long wall = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
#ifdef __APPLE__
    long long rss = usage.ru_maxrss;  // bytes on macOS
#else
    long long rss = usage.ru_maxrss * 1024LL;  // kilobytes on Linux
#endif
    if (WIFEXITED(status)) {
        dprintf(3, "exit %d %lld %lld\n", WEXITSTATUS(status), wall, rss);
    } else {
        dprintf(3, "signal %d %lld %lld\n", WTERMSIG(status), wall, rss);
    }
    return 0;
}
