"""Timing one child process for `make bench`: wall time on the monotonic clock and peak RSS from wait4.

The child gets stdin from /dev/null and stdout and stderr into temporary files, so nobody reads a pipe
while the clock runs. With the helper (timed_spawn.c, built by `use_helper`) the helper spawns the child,
times it and reads its rusage from wait4, so that the child's peak RSS does not start from Python's
(see timed_spawn.c); without it, Python does the same with posix_spawn and os.wait4, and small programs'
peak RSS shows Python's resident set instead of their own.
"""
import os
import signal
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass

HELPER = None  # the timed_spawn executable, once built


def use_helper(cc, source, output):
    """Builds timed_spawn.c with cc; on success every later run goes through it. Returns an error or None."""
    global HELPER
    sample = run([cc, "-O2", "-o", output, source])
    if sample.failure():
        return f"{cc} could not build {source}: {sample.stderr.decode(errors='replace').strip()[-300:]}"
    HELPER = output
    return None


@dataclass
class Sample:
    """One run of a command."""

    wall: float  # seconds, spawn to reap
    rss_kib: int  # the child's peak resident set (ru_maxrss, KiB on Linux)
    status: int  # exit code; negative: killed by that signal
    stdout: bytes
    stderr: bytes
    timed_out: bool = False

    def failure(self):
        """Why the run failed, or None when it exited 0 within its time."""
        if self.timed_out:
            return f"timed out after {self.wall:.0f} s"
        if self.status < 0:
            return f"killed by signal {-self.status}"
        if self.status != 0:
            last = self.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
            return f"exit status {self.status}" + (f": {last[0][:200]}" if last[0] else "")
        return None


def run(argv, env=None, timeout=None, cwd=None):
    """Runs argv once and measures it; env is the child's whole environment (default: ours); cwd, the
    directory it runs in (through /bin/sh's cd and exec, as posix_spawn has none)."""
    if cwd is not None:
        argv = ["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", cwd, *argv]
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    result = tempfile.TemporaryFile() if HELPER else None
    devnull = os.open(os.devnull, os.O_RDONLY)
    actions = [
        (os.POSIX_SPAWN_DUP2, devnull, 0),
        (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
        (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
    ]
    environment = dict(os.environ if env is None else env)
    timed_out = threading.Event()
    try:
        if HELPER:
            actions.append((os.POSIX_SPAWN_DUP2, result.fileno(), 3))
            spawned = [HELPER, "3", str(timeout or 0)] + list(argv)
        else:
            spawned = list(argv)
        start = time.perf_counter_ns()
        try:
            pid = os.posix_spawnp(spawned[0], spawned, environment, file_actions=actions)
        except OSError as error:
            return Sample(0.0, 0, 127, b"", f"cannot run {argv[0]}: {error}".encode())
        timer = None
        if timeout is not None and not HELPER:
            def kill():
                timed_out.set()
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            timer = threading.Timer(timeout, kill)
            timer.start()
        _, wait_status, usage = os.wait4(pid, 0)
        end = time.perf_counter_ns()
        if timer is not None:
            timer.cancel()
    finally:
        os.close(devnull)
    out.seek(0)
    err.seek(0)
    wall, rss, status = (end - start) / 1e9, usage.ru_maxrss, os.waitstatus_to_exitcode(wait_status)
    if HELPER:
        result.seek(0)
        fields = result.read().split()
        result.close()
        if status != 0 or len(fields) != 4:
            return Sample(wall, 0, 127 if status == 0 else status, out.read(), err.read())
        wall, rss = int(fields[0]) / 1e9, int(fields[1])
        status = os.waitstatus_to_exitcode(int(fields[2]))
        if fields[3] == b"1":
            timed_out.set()
    sample = Sample(wall=wall, rss_kib=rss, status=status, stdout=out.read(), stderr=err.read(),
                    timed_out=timed_out.is_set())
    out.close()
    err.close()
    return sample


def median(values):
    return statistics.median(values) if values else None


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    return statistics.geometric_mean(values) if values else None
