"""The start-up and compile-time section of `make bench`.

hello(): whole-process time of Fixtures/bench/wasm/hello.wasm (prints one line) under every way of running
it: native, `kiln run` from the warm cache, `kiln run` of a precompiled artifact, a `kiln compile --exe`
executable, wasm2c, wasmtime and the interpreter. The issue's goal: the cached `kiln run` no slower than
native + 2 ms.

compile_largest(): compile time of the largest module (Fixtures/large/lua.wasm, else the largest of the corpus
chosen), Kiln at --opt 2 and 0 against wasm2c + clang at -O2 and -O0 (translate, compile and link), and the
size of the C each generates.
"""
import os
import shutil
import sys

import change_function
import engines
import measure

GOAL_MS = 2.0


def hello(ctx, by_name, active, runs, log):
    names = {e.name for e in active}
    wasm = ctx.hello.wasm
    work = os.path.join(ctx.work, "startup")
    os.makedirs(work, exist_ok=True)
    kiln = by_name["kiln"]
    variants = []  # (key, label, prepare() returning the command, engine for env/offset or None)

    def native():
        exe = os.path.join(work, "hello-native")
        engines.timed([ctx.cc, "-O2", "-o", exe, ctx.hello.c], "clang -O2 hello.c")
        return [exe]
    variants.append(("native", "native (clang -O2)", native, None))
    if "kiln" in names:
        def kiln_so():
            so = os.path.join(work, "hello.so")
            kiln.compile(wasm, so)
            return [ctx.kiln, "run", so]

        def kiln_exe():
            exe = os.path.join(work, "hello-kiln")
            kiln.compile(wasm, exe, extra=["--exe"])
            return [exe]
        variants.append(("kiln", f"`kiln run --opt {ctx.opt} hello.wasm` (warm cache)",
                         lambda: kiln.command(ctx.hello, []), kiln))
        variants.append(("kiln-so", "`kiln run hello.so` (precompiled artifact)", kiln_so, kiln))
        variants.append(("kiln-exe", "`kiln compile --exe` executable", kiln_exe, None))
        variants.append(("kiln-version", "`kiln --version` (the kiln process alone, no module)",
                         lambda: [ctx.kiln, "--version"], None))
    for name in ["wasm2c", "wasm2c-bounds"]:
        if name in names:
            engine = by_name[name]
            variants.append((name, f"{name} + clang -O2",
                             lambda engine=engine: [engine.build(wasm, os.path.join(work, "wasm2c"))[0]], None))
    if "wasmtime" in names:
        wt = by_name["wasmtime"]

        def wasmtime():
            cwasm = os.path.join(work, "hello.cwasm")
            wt.precompile(wasm, cwasm)
            return [sys.executable, wt.runner, cwasm, wasm]
        variants.append(("wasmtime", "wasmtime-py, precompiled (Python start-up subtracted)", wasmtime, wt))
    if "interp" in names:
        variants.append(("interp", "`kiln-interp hello.wasm`", lambda: [ctx.interp, wasm], None))

    rows, commands = {}, {}
    for key, label, prepare, engine in variants:
        rows[key] = {"label": label, "status": "ok", "reason": "", "samples": [],
                     "engine": engine.name if engine is not None else None}
        try:
            commands[key] = (prepare(), engine)
            rows[key]["command"] = " ".join(commands[key][0])
        except (engines.BuildFailed, engines.Unsupported) as error:
            rows[key].update(status="failed", reason=str(error).splitlines()[0])
            log(f"FAILED hello: {key}: {error}")
    reference = None
    for round_index in range(runs + 1):  # round 0: warm-up (and kiln's compile into the cache)
        for key, (argv, engine) in commands.items():
            row = rows[key]
            if row["status"] != "ok":
                continue
            if engine is not None:
                engine.before_run()
            sample = measure.run(argv, env=engine.env() if engine is not None else None, timeout=ctx.timeout)
            problem = sample.failure()
            if problem is None and key == "native" and reference is None:
                reference = sample.stdout
            elif problem is None and key != "kiln-version" and sample.stdout != reference:
                problem = f"stdout {sample.stdout[:80]!r} differs from native's {reference!r}"
            if problem:
                row.update(status="failed", reason=problem)
                log(f"FAILED hello: {key}: {problem}")
            elif round_index > 0:
                row["samples"].append({"wall_raw": sample.wall, "rss_kib": sample.rss_kib})
    return {"runs": runs, "rows": rows, "goal": None, "goal_met": None}


def finish(result, offsets):
    """Medians, with each engine's offset subtracted, and whether the start-up goal is met."""
    for key, row in result["rows"].items():
        offset = offsets.get(row["engine"], 0.0) if row["engine"] else 0.0
        for sample in row["samples"]:
            sample["wall"] = sample["wall_raw"] - offset
        walls = [s["wall"] for s in row["samples"]]
        good = row["status"] == "ok" and walls
        row["median"] = measure.median(walls) if good else None
        row["min"] = min(walls) if good else None
        row["rss_kib"] = measure.median([s["rss_kib"] for s in row["samples"]]) if good else None
    rows = result["rows"]
    native, cached = rows.get("native", {}).get("median"), rows.get("kiln", {}).get("median")
    if native is not None and cached is not None:
        met = cached <= native + GOAL_MS / 1000
        result["goal_met"] = met
        result["goal"] = (f"start-up goal (cached `kiln run` ≤ native + {GOAL_MS:.0f} ms): "
                          f"{'met' if met else 'NOT met'}: kiln {cached * 1000:.2f} ms vs native {native * 1000:.2f} ms "
                          f"(+{(cached - native) * 1000:.2f} ms)")


def c_bytes(directory):
    total, files = 0, 0
    for base, _, names in os.walk(directory):
        for name in names:
            if name.endswith((".c", ".h")):
                total += os.path.getsize(os.path.join(base, name))
                files += 1
    return total, files


def compile_largest(ctx, by_name, active, runs, programs, log, module=None):
    """`module` (a path) instead of the largest of programs (corpus.Program), when given."""
    names = {e.name for e in active}
    if module:
        largest, wasm = os.path.splitext(os.path.basename(module))[0], module
    else:
        program = max(programs, key=lambda p: os.path.getsize(p.wasm))
        largest, wasm = program.id, program.wasm
    work = os.path.join(ctx.work, "compile")
    os.makedirs(work, exist_ok=True)
    result = {"program": largest, "wasm_bytes": os.path.getsize(wasm), "runs": runs, "rows": {}, "c_size": {}}
    rows = result["rows"]
    steps = []  # (key, label, function returning {part: seconds})
    if "kiln" in names:
        kiln = by_name["kiln"]
        so = os.path.join(work, "kiln.so")
        # Every build in a cache that holds only the compiled runtime: the engine's own cache holds the unit
        # objects of every module the run-time benchmarks built, and the runs after the first would take theirs.
        template = os.path.join(work, "runtime-only-cache")
        shutil.rmtree(template, ignore_errors=True)
        for level in [0, 2]:
            kiln.compile(ctx.hello.wasm, os.path.join(work, "hello.so"), level, cache=template)

        def cold(opt, extra=()):
            cache = os.path.join(work, "cold-cache")
            shutil.rmtree(cache, ignore_errors=True)
            shutil.copytree(template, cache, symlinks=True)
            return {"total": kiln.compile(wasm, so, opt, extra, cache=cache)}

        def incremental():
            """A full build, then the module with one function changed (change_function.py) in the same cache:
            the redeploy of issue 20, part 3; the second build is the one timed."""
            full = cold(2)["total"]
            changed = os.path.join(work, "changed.wasm")
            with open(wasm, "rb") as f, open(changed, "wb") as out:
                out.write(change_function.changed(f.read())[0])
            return {"total": kiln.compile(changed, so, 2, cache=os.path.join(work, "cold-cache")), "full": full}

        steps.append(("kiln-O2", f"`kiln compile --opt 2` (--jobs {os.cpu_count()})", lambda: cold(2)))
        steps.append(("kiln-O0", f"`kiln compile --opt 0` (--jobs {os.cpu_count()})", lambda: cold(0)))
        steps.append(("kiln-O2-incr", "`kiln compile --opt 2` of the module with one function changed, after a full "
                      "build of the original into the same cache (incremental rebuild)", incremental))
        emitted = os.path.join(work, "kiln-c")
        sample = measure.run([ctx.kiln, "compile", wasm, "--emit-c", emitted], env=kiln.env())
        if sample.failure() is None:
            size, files = c_bytes(emitted)
            result["c_size"]["kiln"] = {"bytes": size, "files": files}
    wasm2c = by_name["wasm2c"]
    if "wasm2c" in names:
        for level in ["-O2", "-O0"]:
            def build(level=level):
                directory = os.path.join(work, "wasm2c-" + level)
                shutil.rmtree(directory, ignore_errors=True)  # translate again every time
                _, times = wasm2c.build(wasm, directory, level)
                times["total"] = sum(times.values())
                return times
            steps.append(("wasm2c" + level, f"`wasm2c` + `clang {level}` (translate + cc + link)", build))
    if "wasmtime" in names:
        wt = by_name["wasmtime"]
        steps.append(("wasmtime", "wasmtime precompile (Cranelift, in-process)",
                      lambda: {"total": wt.precompile(wasm, os.path.join(work, "m.cwasm"))}))
    for key, label, _ in steps:
        rows[key] = {"label": label, "status": "ok", "reason": "", "samples": []}
    # The incremental rebuild once: it costs a full build besides, and the bench's budget is tight.
    once = {"kiln-O2-incr"}
    for round_index in range(runs):
        for key, _, step in steps:
            row = rows[key]
            if row["status"] != "ok" or (key in once and row["samples"]):
                continue
            try:
                row["samples"].append(step())
                log(f"compile {largest}: {key:11} {row['samples'][-1]['total']:7.2f} s")
            except engines.Unsupported as error:
                row.update(status="unsupported", reason=str(error))
            except engines.BuildFailed as error:
                row.update(status="failed", reason=str(error).splitlines()[0])
                log(f"FAILED compile {largest}: {key}: {error}")
    for row in rows.values():
        parts = {p for s in row["samples"] for p in s}
        row["median"] = {p: measure.median([s[p] for s in row["samples"] if p in s]) for p in parts}
    module_c = os.path.join(work, "wasm2c--O2", "module.c")
    if os.path.exists(module_c):
        result["c_size"]["wasm2c"] = {"bytes": os.path.getsize(module_c) + os.path.getsize(module_c[:-1] + "h"), "files": 2}
    return result
