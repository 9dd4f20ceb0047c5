"""The first-run section of `make bench` (issue 20): a module's first `kiln run` on a cold cache.

For Lua, QuickJS and SQLite (Fixtures/large), each in a cache of its own that holds only the compiled runtime
(a machine where kiln has run before; the runtime is built once per compiler and flags), it times:
- the tiered first run (`kiln run M.wasm ARGS`, the default): spawn to the guest's first line of output, and to
  its exit. It is served by the baseline (-O0) artifact and starts the optimized build in the background;
- that background build: spawn of the run to the optimized artifact's publication (its pid comes from
  `KILN_LAUNCH_DEBUG`'s `kiln: tier:` line, and the entry from `kiln cache list`);
- the run after it, which must be the launcher's, of the optimized entry;
- the first run with `--wait-for-optimized` (the behaviour before tiers): spawn to first line (Lua only).
The workload prints one line at once (`print("ready")`, `select 'ready'`), so the time to it is the time the
module takes to be ready to run. The steady-state speed of the optimized tier is the run-time table's `kiln`
column: the same artifacts.
"""
import os
import re
import shutil
import subprocess
import time

# name -> arguments whose first line comes at once
READY_ARGS = {
    "lua": ["-e", "print('ready')"],
    "qjs": ["-e", "console.log('ready')"],
    "sqlite3": [":memory:", "select 'ready';"],
}
GOALS = {"lua": 0.6, "qjs": 1.5}  # issue 20: a 400 KiB module (Lua) and a 1 MiB one (QuickJS)


def first_line(argv, env, timeout):
    """(seconds to the first line of stdout, seconds to exit, exit status, stderr text)."""
    start = time.monotonic()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    line = child.stdout.readline()
    first = time.monotonic() - start
    _, err = child.communicate(timeout=timeout)
    total = time.monotonic() - start
    return (first if line else None), total, child.returncode, err.decode(errors="replace")


def wait_for_exit(pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def measure(ctx, programs, log):
    """The runtime is built into a template cache first, which each program's cold cache is a copy of."""
    work = os.path.join(ctx.work, "first-run")
    shutil.rmtree(work, ignore_errors=True)
    template = os.path.join(work, "template")
    env = dict(os.environ, KILN_CACHE_DIR=template)
    for level in sorted({0, ctx.opt}):  # the runtime at both tiers' levels
        subprocess.run([ctx.kiln, "compile", "--opt", str(level), ctx.hello.wasm, "-o", os.path.join(work, "hello.so")],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = {}
    for program in programs:
        if program.name not in READY_ARGS or not os.path.exists(program.wasm):
            continue
        row = rows[program.name] = {"wasm_bytes": os.path.getsize(program.wasm), "status": "ok", "reason": ""}
        args = READY_ARGS[program.name]
        # The wait mode is about the compile-time section's `kiln compile --opt 2` plus a start: timed for Lua
        # only, beside its tiered run, to keep the bench within its budget.
        modes = [("tiered", [])] + ([("wait", ["--wait-for-optimized"])] if program.name == "lua" else [])
        for mode, extra in modes:
            cache = os.path.join(work, f"{program.name}-{mode}")
            shutil.copytree(template, cache, symlinks=True)
            run_env = dict(os.environ, KILN_CACHE_DIR=cache, KILN_LAUNCH_DEBUG="1")
            argv = [ctx.kiln, "run", *extra, "--opt", str(ctx.opt), program.wasm, "--"] + args
            began = time.monotonic()
            first, total, status, err = first_line(argv, run_env, ctx.timeout)
            if status != 0 or first is None:
                row.update(status="failed", reason=f"{mode}: exit status {status}: {err.strip()[-300:]}")
                log(f"FAILED first run {program.name} ({mode}): {row['reason']}")
                break
            row[mode] = {"first_line": first, "exit": total}
            if mode == "tiered":
                found = re.search(r"kiln: tier: (\w+) \w+; optimizing (\w+) in the background \(pid (\d+)\)", err)
                if not found or found.group(1) != "baseline":
                    row.update(status="failed", reason="the first run did not start the optimized build: " + err.strip()[-300:])
                    break
                if not wait_for_exit(int(found.group(3)), ctx.timeout or 3600):
                    row.update(status="failed", reason="the background build did not finish")
                    break
                row["optimized_ready"] = time.monotonic() - began
                if not os.path.exists(os.path.join(cache, found.group(2), "manifest")):
                    row.update(status="failed", reason="the background build published no entry")
                    break
                _, later, status, err = first_line(argv, run_env, ctx.timeout)
                row["later_run_launcher"] = "(optimized tier)" in err and "launch: hit" in err
                row["later"] = later
            log(f"first run {program.name} ({mode}): first line {first:.2f} s, exit {total:.2f} s"
                + (f", optimized tier ready after {row['optimized_ready']:.1f} s" if mode == "tiered" else ""))
    shutil.rmtree(work, ignore_errors=True)
    return {"rows": rows, "args": READY_ARGS, "goals": GOALS}


def seconds_or_dash(timing):
    return "–" if timing is None else f"{timing['first_line']:.2f} s"


def section(data):
    first = data.get("first_run")
    if not first or not first["rows"]:
        return []
    lines = ["", "### First run on a cold cache (tiered compilation)", "",
             "A module's first `kiln run`, in a cache that holds only the compiled runtime: spawn to the guest's "
             "first line of output (the workload prints one line at once, so this is the time until the module is "
             "ready to run). Tiered (the default): served by a baseline artifact built at -O0, while the optimized "
             "one is built in the background at the lowest priority; `--wait-for-optimized`: built at -O2 first, "
             "as before tiers (Lua only: for the others it is about the compile-time section's -O2 build). One run each.", "",
             "| Module | Size | First line, tiered | Goal | First line, `--wait-for-optimized` | Optimized tier ready | "
             "Next run |", "|---|---:|---:|---:|---:|---:|---|"]
    for name, row in first["rows"].items():
        if row["status"] != "ok":
            lines.append(f"| `{name}` | {row['wasm_bytes'] // 1024} KiB | **FAILED**: {row['reason']} | | | | |")
            continue
        goal = first["goals"].get(name)
        goal_text = "–" if goal is None else (f"≤ {goal:.1f} s: **{'met' if row['tiered']['first_line'] <= goal else 'not met'}**")
        nxt = "the launcher's, optimized" if row.get("later_run_launcher") else "**not** the launcher's optimized entry"
        lines.append(f"| `{name}` | {row['wasm_bytes'] // 1024} KiB | {row['tiered']['first_line']:.2f} s | {goal_text} | "
                     f"{seconds_or_dash(row.get('wait'))} | {row['optimized_ready']:.1f} s after the first run began | "
                     f"{nxt} ({row['later'] * 1000:.0f} ms) |")
    return lines
