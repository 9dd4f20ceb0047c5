#!/usr/bin/env python3
"""Runs wasi-testsuite through `kiln run`.

    Scripts/run-wasi-testsuite.py KILN [TEST_DIR ...] [--jobs N] [--timeout S] [--kiln-arg ARG ...]

KILN is the kiln binary (e.g. .build/debug/kiln). Each TEST_DIR holds *.wasm test cases, each with an
optional NAME.json specification; by default the C and AssemblyScript wasm32-wasip1 suites under
../shared/wasi-testsuite (relative to the repository root). The specification format is
wasi-testsuite's doc/specification.md: the legacy form (args, env, root or dirs, exit_code, stdout,
stderr) and the operation-based form (run, write, read, wait; connect/send/recv and proposals are not
supported by Kiln and fail the test).

A test's `root` is copied into a fresh temporary directory and mounted as the guest's `/`
(`--dir COPY::/`); legacy `dirs` entries are copied and mounted under their own names. So the suite's own
files are never modified; *.cleanup files are left out of the copies (that is the spec's "remove
*.cleanup files before running") and vanish with them afterwards.

A `read` compares the next len(payload) characters of the stream with the payload, as the reference
runner does, so an absent or empty expectation accepts any output. Prints one line per test (PASS or
FAIL, the name, and for a failure the first difference) and ends with exactly `N passed, M failed`;
exits with status 1 if any test failed. Standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIRS = [
    "../shared/wasi-testsuite/tests/c/testsuite/wasm32-wasip1",
    "../shared/wasi-testsuite/tests/assemblyscript/testsuite/wasm32-wasip1",
]
LEGACY_DEFAULTS = {"args": [], "env": {}, "root": None, "dirs": [], "exit_code": 0, "stdout": "", "stderr": ""}


class SpecError(Exception):
    """A specification this runner cannot execute (malformed, or needing an unsupported feature)."""


def load_spec(wasm):
    """The test's operations: [(type, fields)], from NAME.json or the default specification."""
    path = os.path.splitext(wasm)[0] + ".json"
    spec = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        if not isinstance(spec, dict):
            raise SpecError(f"{os.path.basename(path)}: not a JSON object")
    if "operations" in spec:
        if spec.get("proposals"):
            raise SpecError(f"needs WASI proposals {spec['proposals']}, which Kiln does not support")
        return validate_operations(spec["operations"])
    config = dict(LEGACY_DEFAULTS)
    config.update(spec)
    run = {"type": "run", "args": config["args"], "env": config["env"], "root": config["root"], "dirs": config["dirs"]}
    return validate_operations([
        run,
        {"type": "read", "id": "stdout", "payload": config["stdout"]},
        {"type": "read", "id": "stderr", "payload": config["stderr"]},
        {"type": "wait", "exit_code": config["exit_code"]},
    ])


def validate_operations(operations):
    """The spec's validation rules: a run first, each run paired with a wait, reads and writes between."""
    ops, running = [], False
    for op in operations:
        if not isinstance(op, dict) or "type" not in op:
            raise SpecError(f"malformed operation {op!r}")
        kind = op["type"]
        if kind == "run":
            if running:
                raise SpecError("a run before the previous run's wait")
            running = True
            op = {"args": [], "env": {}, "root": None, "dirs": [], **op}
        elif kind == "wait":
            if not running:
                raise SpecError("a wait without a run")
            running = False
            op = {"exit_code": 0, **op}
        elif kind in ("read", "write"):
            if not running:
                raise SpecError(f"a {kind} outside a run")
            op = {"id": "stdout" if kind == "read" else "stdin", "payload": "", **op}
        elif kind in ("connect", "send", "recv"):
            raise SpecError(f"'{kind}' operations (sockets) are not supported by Kiln")
        else:
            raise SpecError(f"unknown operation type {kind!r}")
        ops.append(op)
    if running:
        raise SpecError("a run without a wait")
    return ops


def writable_copy(src, dst):
    """Copies a directory tree (symlinks as symlinks, no *.cleanup) and makes the copy writable."""
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("*.cleanup"))
    for base, dirs, files in os.walk(dst):
        for name in dirs + files:
            p = os.path.join(base, name)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR | stat.S_IRUSR | (stat.S_IXUSR if name in dirs else 0))
    os.chmod(dst, os.stat(dst).st_mode | stat.S_IRWXU)


class Streams:
    """Collects a child's stdout and stderr on threads, so reads of one never block on the other."""

    def __init__(self, proc):
        self.data = {"stdout": b"", "stderr": b""}
        self.done = {"stdout": False, "stderr": False}
        self.offset = {"stdout": 0, "stderr": 0}
        self.cond = threading.Condition()
        self.threads = [threading.Thread(target=self.pump, args=(name, getattr(proc, name)), daemon=True)
                        for name in ("stdout", "stderr")]
        for t in self.threads:
            t.start()

    def pump(self, name, stream):
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            with self.cond:
                if not chunk:
                    self.done[name] = True
                    self.cond.notify_all()
                    return
                self.data[name] += chunk
                self.cond.notify_all()

    def read(self, name, n, deadline):
        """The next n bytes of a stream (fewer if it ends first or the deadline passes)."""
        with self.cond:
            while len(self.data[name]) - self.offset[name] < n and not self.done[name]:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            start = self.offset[name]
            got = self.data[name][start:start + n]
            self.offset[name] = start + len(got)
            return got

    def join(self, timeout):
        for t in self.threads:
            t.join(timeout)


def first_difference(expected, got):
    i = 0
    while i < min(len(expected), len(got)) and expected[i] == got[i]:
        i += 1
    def show(b):
        return repr(b[i:i + 40].decode("utf-8", "replace"))
    return f"at byte {i}: expected {show(expected)}, got {show(got)}"


def summary(streams, name, limit=300):
    text = streams.data[name].decode("utf-8", "replace").strip()
    return (text[:limit] + "…") if len(text) > limit else text


def run_test(kiln, kiln_args, wasm, timeout):
    """Runs one test case; returns None on success or a one-line description of the first failure."""
    try:
        ops = load_spec(wasm)
    except (SpecError, ValueError, OSError) as e:
        return f"specification: {e}"
    test_dir = os.path.dirname(wasm)
    with tempfile.TemporaryDirectory(prefix="kiln-wasi-") as tmp:
        proc = streams = None
        deadline = time.monotonic() + timeout
        try:
            for op in ops:
                kind = op["type"]
                if kind == "run":
                    argv = [kiln, "run", *kiln_args]
                    mounts = [(op["root"], "/")] if op["root"] is not None else []
                    mounts += [(d, d) for d in op["dirs"]]
                    for i, (rel, guest) in enumerate(mounts):
                        copy = os.path.join(tmp, f"dir{i}", os.path.basename(os.path.normpath(rel)))
                        writable_copy(os.path.join(test_dir, rel), copy)
                        argv += ["--dir", f"{copy}::{guest}"]
                    for name, value in op["env"].items():
                        argv += ["--env", f"{name}={value}"]
                    argv += [wasm, "--", *[str(a) for a in op["args"]]]
                    proc = subprocess.Popen(argv, cwd=tmp, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE)
                    streams = Streams(proc)
                    deadline = time.monotonic() + timeout
                elif kind == "write":
                    if op["id"] != "stdin":
                        return f"write to {op['id']!r}: only stdin can be written"
                    try:
                        proc.stdin.write(op["payload"].encode("utf-8"))
                        proc.stdin.flush()
                    except BrokenPipeError:
                        pass  # the guest exited or closed stdin; the following operations will tell
                elif kind == "read":
                    if op["id"] not in ("stdout", "stderr"):
                        return f"read from {op['id']!r}: unknown stream"
                    want = op["payload"].encode("utf-8")
                    got = streams.read(op["id"], len(want), deadline)
                    if got != want:
                        return f"{op['id']} {first_difference(want, got)}"
                elif kind == "wait":
                    try:
                        proc.stdin.close()
                    except BrokenPipeError:
                        pass
                    try:
                        code = proc.wait(timeout=max(0.0, deadline - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
                        return f"timed out after {timeout:g} s"
                    streams.join(5)
                    if code != op["exit_code"]:
                        err = summary(streams, "stderr")
                        return f"exit code {code}, expected {op['exit_code']}" + (f"; stderr: {err}" if err else "")
                    proc = None
        except OSError as e:
            return f"could not run {kiln}: {e}"
        finally:
            if proc is not None:
                proc.kill()
                proc.wait()
    return None


def test_name(wasm):
    parent = os.path.dirname(wasm)
    suite = os.path.basename(parent)
    if suite.startswith("wasm32"):  # tests/<language>/testsuite/wasm32-wasip1
        suite = os.path.basename(os.path.dirname(os.path.dirname(parent))) or suite
    return f"{suite}/{os.path.splitext(os.path.basename(wasm))[0]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kiln", help="the kiln binary, e.g. .build/debug/kiln")
    parser.add_argument("dirs", nargs="*", help="test directories (default: the C and AssemblyScript wasm32-wasip1 suites)")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1), help="tests run at once")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per test, compilation included")
    parser.add_argument("--kiln-arg", action="append", default=[], help="an extra argument for `kiln run` (repeatable)")
    args = parser.parse_args()

    kiln = args.kiln if os.sep not in args.kiln else os.path.abspath(args.kiln)
    if shutil.which(kiln) is None:
        print(f"run-wasi-testsuite: no kiln binary at {args.kiln}", file=sys.stderr)
        return 2
    dirs = args.dirs or [os.path.join(REPO, d) for d in DEFAULT_DIRS]
    tests = []
    for d in dirs:
        d = os.path.abspath(d)
        if not os.path.isdir(d):
            print(f"run-wasi-testsuite: no test directory {d}", file=sys.stderr)
            return 2
        tests += sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".wasm"))

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_test, kiln, args.kiln_arg, t, args.timeout) for t in tests]
        for wasm, future in zip(tests, futures):
            problem = future.result()
            if problem is None:
                passed += 1
                print(f"PASS {test_name(wasm)}", flush=True)
            else:
                failed += 1
                print(f"FAIL {test_name(wasm)}: {problem}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
