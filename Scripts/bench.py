#!/usr/bin/env python3
"""`make bench`: the benchmark corpus (Fixtures/bench) under native, Kiln and the interpreter and peers.

For each program at its default size (Fixtures/bench/README.md) it runs every engine as a process of its
own: `native` (clang -O2 of the C source), `kiln` (`kiln run --opt 2` from a warm cache), `interp`
(`kiln-interp`, WasmKit's interpreter), `wasm2c` and `wasm2c-bounds` (wabt's wasm2c with guard pages, and
with explicit bounds checks), `wasmtime` (the PyPI package, precompiled, its Python start-up subtracted).
Engines alternate run by run, so drift in the machine's speed falls on all of them alike. Every run's
stdout must equal native's byte for byte; a run that differs or fails marks its cell failed, and the
script then exits 1 after writing the report.

Then the start-up and compile-time section: a hello-world's whole-process time under each engine, and
compile times of the largest corpus module. Writes OUT/REPORT.md, OUT/report.json (every raw sample)
and OUT/report.svg (ratio to native per program, log scale).

  python3 Scripts/bench.py [--quick] [--programs a,b] [--engines native,kiln,…] [--runs 3]
                           [--interp-runs 1] [--size-scale F] [--out bench/]

Python 3 standard library only; a peer that is not installed is skipped with a note in the report.
"""
import argparse
import datetime
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench"))

import chart  # noqa: E402
import engines  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import startup  # noqa: E402
import sysinfo  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name, default arguments, tiny arguments for --quick, and which argument --size-scale scales by which
# power (so that the run time scales about linearly: matmul is cubic in N, editdistance quadratic).
# INTERP_SHARE: programs the interpreter runs with that argument divided (WasmKit's SIMD is so slow that
# simd_dot's default size would take it about 15 minutes); its time is extrapolated (see bench_reduced).
PROGRAMS = [
    ("matmul", ["1536"], ["96"], 0, 1 / 3),
    ("stencil2d", ["1024", "3000"], ["64", "20"], 1, 1),
    ("editdistance", ["16000"], ["800"], 0, 1 / 2),
    ("nbody", ["200000"], ["500"], 0, 1),
    ("fannkuch", ["10", "4"], ["7", "1"], 1, 1),
    ("sha256", ["16", "16"], ["1", "1"], 1, 1),
    ("crc32", ["32", "48"], ["1", "2"], 1, 1),
    ("lz77", ["32768"], ["256"], 0, 1),
    ("hashtable", ["4000000"], ["20000"], 0, 1),
    ("bytecode", ["500000"], ["2000"], 0, 1),
    ("simd_dot", ["4096", "4000"], ["256", "20"], 1, 1),
]
INTERP_SHARE = {"simd_dot": 20}
ENGINE_ORDER = ["native", "kiln", "kiln-guard", "wasm2c", "wasm2c-bounds", "wasmtime", "interp"]


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

    def wasm(self, program):
        return os.path.join(self.corpus, "wasm", program + ".wasm")


def parse_options(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    names = [p[0] for p in PROGRAMS]
    parser.add_argument("--programs", default=",".join(names), help="comma-separated subset of: " + " ".join(names))
    parser.add_argument("--engines", default=",".join(ENGINE_ORDER), help="comma-separated subset of: " + " ".join(ENGINE_ORDER))
    parser.add_argument("--runs", type=int, default=3, help="timed runs per engine and program (default 3)")
    parser.add_argument("--interp-runs", type=int, default=1, help="timed runs of the interpreter (default 1)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first, except the interpreter's (default 1)")
    parser.add_argument("--size-scale", type=float, default=1.0, help="scale each program's work by about F")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and fewer start-up runs: a smoke test")
    parser.add_argument("--startup-runs", type=int, help="runs of each hello-world engine (default 20; 5 with --quick)")
    parser.add_argument("--compile-runs", type=int, help="runs of each compile of the largest module (default 2; 1 with --quick)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up and compile-time section")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"), help="report directory (default bench/)")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build", "bench-work"),
                        help="build products and kiln's cache, emptied first (default .build/bench-work)")
    parser.add_argument("--kiln", default=os.path.join(ROOT, ".build", "release", "kiln"))
    parser.add_argument("--kiln-interp", default=os.path.join(ROOT, ".build", "release", "kiln-interp"))
    parser.add_argument("--cc", default="clang", help="C compiler of the native baseline and wasm2c (default clang)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before one run is killed (default 600)")
    options = parser.parse_args(argv)
    options.programs = [p for p in options.programs.split(",") if p]
    options.engines = [e for e in options.engines.split(",") if e]
    for p in options.programs:
        if p not in names:
            parser.error(f"unknown program {p!r}")
    for e in options.engines:
        if e not in ENGINE_ORDER:
            parser.error(f"unknown engine {e!r}")
    if "native" not in options.engines:
        options.engines.insert(0, "native")  # the baseline of every ratio and every output check
    if options.startup_runs is None:
        options.startup_runs = 5 if options.quick else 20
    if options.compile_runs is None:
        options.compile_runs = 1 if options.quick else 2
    if options.runs < 1 or options.interp_runs < 0 or options.warmup < 0:
        parser.error("--runs must be at least 1, --interp-runs and --warmup at least 0")
    return options


def program_args(spec, options):
    """The program's arguments, and the interpreter's when they are smaller (else None)."""
    name, default, quick, index, power = spec
    if options.quick:
        args = list(quick)
    else:
        args = list(default)
        if options.size_scale != 1.0:
            args[index] = str(max(1, round(int(default[index]) * options.size_scale ** power)))
    interp_args = None
    if name in INTERP_SHARE:
        interp_args = list(args)
        interp_args[index] = str(max(1, round(int(args[index]) / INTERP_SHARE[name])))
    return args, interp_args


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


def bench_program(name, args, interp_args, active, options, log):
    """Prepares and runs every engine on one program; returns its cells and native's output.

    interp_args, when given, are smaller arguments for the interpreter (which would take many minutes at
    the full size): it runs at those, alternating with native at the same arguments, and its time at the
    full size is extrapolated from the ratio of the two."""
    cells = {}
    for engine in active:
        cell = {"status": "ok", "reason": "", "compile": {}, "samples": []}
        try:
            cell["compile"] = engine.prepare(name)
        except engines.Unsupported as error:
            cell.update(status="unsupported", reason=str(error))
        except engines.BuildFailed as error:
            cell.update(status="failed", reason=str(error).splitlines()[0])
            log(f"FAILED {name}: {engine.name}: {error}")
        cells[engine.name] = cell
    runnable = [e for e in active if cells[e.name]["status"] == "ok"]
    reduced = [e for e in runnable if e.name == "interp" and interp_args and interp_args != args]
    runnable = [e for e in runnable if e not in reduced]
    timed_runs = {e.name: getattr(options, e.runs_key) for e in runnable}
    warmups = {e.name: (0 if e.runs_key == "interp_runs" else max(options.warmup, e.min_warmup)) for e in runnable}
    first = max(warmups.values(), default=0)
    warmups["native"] = first  # native's output is the reference before any other engine runs
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
            record, stdout, problem = run_checked(engine, engine.command(name, args), reference, options, log,
                                                  f"{name} {engine.name} {tag}")
            record["warmup"] = warmup
            cell["samples"].append(record)
            if problem:
                cell.update(status="failed", reason=problem)
            elif engine.name == "native" and reference is None:
                reference = stdout
    for engine in reduced:
        bench_reduced(name, interp_args, engine, active[0], cells, reference is not None, options, log)
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
                cell["median"] = x["interp_median"] / x["native_median"] * cells["native"]["median"]
            elif x:
                cell["median"] = None
    if "startup" in data:
        startup.finish(data["startup"], offsets)


def bench_reduced(name, args, engine, native, cells, native_ok, options, log):
    """The interpreter at smaller arguments, alternating with native at the same: one native warm-up, then
    as many native runs as at the full size, the interpreter's runs interleaved with the first of them."""
    cell = cells[engine.name]
    runs = getattr(options, engine.runs_key)
    if not native_ok or runs == 0:
        return
    native_walls, reference = [], None
    for round_index in range(1 + max(runs, options.runs)):
        record, stdout, problem = run_checked(native, native.command(name, args), reference, options, log,
                                              f"{name} {' '.join(args)} native")
        if problem:
            cell.update(status="failed", reason="native at the interpreter's size: " + problem)
            return
        reference = stdout
        if round_index == 0:
            continue
        native_walls.append(record["wall_raw"])
        if round_index > runs:
            continue
        record, _, problem = run_checked(engine, engine.command(name, args), reference, options, log,
                                         f"{name} {' '.join(args)} {engine.name} run {round_index}")
        record.update(warmup=False, args=args)
        cell["samples"].append(record)
        if problem:
            cell.update(status="failed", reason=problem)
            return
    cell["extrapolated"] = {"args": args, "native_samples": native_walls, "native_median": measure.median(native_walls)}


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
        if reason:
            skipped[name] = reason
            log(f"skipping {name}: {reason}")
        else:
            active.append(by_name[name])
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
    for spec in PROGRAMS:
        name = spec[0]
        if name not in options.programs:
            continue
        args, interp_args = program_args(spec, options)
        log(f"== {name} {' '.join(args)}")
        cells, output = bench_program(name, args, interp_args, active, options, log)
        data["programs"][name] = {"args": args, "output": output, "cells": cells,
                                  "wasm_bytes": os.path.getsize(ctx.wasm(name))}

    if not options.no_startup:
        log("== start-up: hello world")
        data["startup"] = startup.hello(ctx, by_name, active, options.startup_runs, log)
        # The largest real program the team builds (Fixtures/large/lua.wasm, 401 KiB, the "400 KiB module" of
        # issue 8) when present; the corpus's own modules are all about 25 KiB.
        lua = os.path.join(ROOT, "Fixtures", "large", "lua.wasm")
        module = lua if os.path.exists(lua) and not options.quick else None
        log("== compile time of " + ("Fixtures/large/lua.wasm" if module else "the largest corpus module"))
        data["compile"] = startup.compile_largest(ctx, by_name, active, options.compile_runs,
                                                  [p[0] for p in PROGRAMS], log, module=module)

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
