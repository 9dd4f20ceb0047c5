"""bench/REPORT.md and bench/report.json from the measurements of Scripts/bench.py."""
import json

import measure

LABELS = {
    "native": "native",
    "kiln": "kiln",
    "kiln-guard": "kiln (guard pages)",
    "wasm2c": "wasm2c",
    "wasm2c-bounds": "wasm2c-bounds",
    "wasmtime": "wasmtime",
    "interp": "interp",
}
PEERS = ["wasm2c", "wasm2c-bounds", "wasmtime"]


def first_difference(expected, actual):
    """Where two outputs first differ, for the failure message."""
    a = (expected or b"").decode(errors="replace").splitlines()
    b = (actual or b"").decode(errors="replace").splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<end of output>"
        y = b[i] if i < len(b) else "<end of output>"
        if x != y:
            return f"line {i + 1}: native {x[:120]!r}, this engine {y[:120]!r}"
    return "same lines, different bytes (line endings or a missing final newline)"


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def seconds(t):
    if t is None:
        return "–"
    if t >= 10:
        return f"{t:.1f} s"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 0.01:
        return f"{t * 1000:.0f} ms"
    return f"{t * 1000:.1f} ms"


def ratio(r):
    return "–" if r is None else (f"{r:.2f}×" if r < 10 else f"{r:.1f}×")


def ok(cell):
    return cell is not None and cell.get("status") == "ok" and cell.get("median") is not None


def pair_geomean(data, top, bottom):
    """Geometric mean over the programs where both engines succeeded of top's time / bottom's."""
    ratios, used = [], []
    for name, program in data["programs"].items():
        a, b = program["cells"].get(top), program["cells"].get(bottom)
        if ok(a) and ok(b) and b["median"] > 0:
            ratios.append(a["median"] / b["median"])
            used.append(name)
    return {"geomean": measure.geomean(ratios), "programs": used}


def summarize(data):
    summary = {"to_native": {}, "kiln_to": {}}
    for engine in data["engines"]:
        summary["to_native"][engine] = pair_geomean(data, engine, "native")
    for peer in PEERS + ["native"]:
        if peer in data["engines"] and "kiln" in data["engines"]:
            summary["kiln_to"][peer] = pair_geomean(data, "kiln", peer)
    if "interp" in data["engines"] and "kiln" in data["engines"]:
        summary["interp_to_kiln"] = pair_geomean(data, "interp", "kiln")
    return summary


def failures(data):
    result = []
    for name, program in data["programs"].items():
        for engine, cell in program["cells"].items():
            if cell["status"] == "failed":
                result.append(f"{name}/{engine}: {cell['reason']}")
    for key, row in data.get("startup", {}).get("rows", {}).items():
        if row["status"] == "failed":
            result.append(f"hello/{key}: {row['reason']}")
    for key, row in data.get("compile", {}).get("rows", {}).items():
        if row["status"] == "failed":
            result.append(f"compile/{key}: {row['reason']}")
    return result


def over(entry, total):
    n = len(entry["programs"])
    if n == 0:
        return "no program has both times"
    return f"{ratio(entry['geomean'])} (geomean over {n} program{'s' if n != 1 else ''}" + \
        ("" if n == total else ": " + ", ".join(entry["programs"])) + ")"


def summary_lines(data):
    s = data["summary"]
    total = len(data["programs"])
    lines = []
    for engine, entry in s["to_native"].items():
        if engine != "native":
            lines.append(f"{engine} / native: {over(entry, total)}")
    for peer in PEERS:
        if peer in s["kiln_to"]:
            lines.append(f"kiln / {peer}: {over(s['kiln_to'][peer], total)}")
    if "interp_to_kiln" in s:
        lines.append(f"interp / kiln: {over(s['interp_to_kiln'], total)}")
    hello = data.get("startup", {})
    if hello.get("goal"):
        lines.append(hello["goal"])
    return lines


def write_json(data, path):
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")


def run_time_table(data):
    engines = data["engines"]
    out = ["| Program | Arguments | " + " | ".join(LABELS[e] for e in engines) + " |",
           "|---|---|" + "---:|" * len(engines)]
    notes = []
    for name, program in data["programs"].items():
        cells = program["cells"]
        native = cells["native"]["median"] if ok(cells.get("native")) else None
        row = [f"`{name}`", " ".join(program["args"])]
        for engine in engines:
            cell = cells.get(engine)
            if ok(cell):
                text = seconds(cell["median"])
                if engine != "native" and native:
                    text += f" ({ratio(cell['median'] / native)})"
                x = cell.get("extrapolated")
                if x:
                    notes.append(
                        f"{name}/{engine}: extrapolated. At `{' '.join(x['args'])}` {engine} took "
                        f"{seconds(x['interp_median'])} and native {seconds(x['native_median'])} (medians, "
                        f"alternating); the time shown is that ratio times native's time at the full size.")
                    text = f"≈{text}[^{len(notes)}]"
                row.append(text)
            else:
                notes.append(f"{name}/{engine}: {cell['reason'] if cell else 'not run'}")
                mark = {"failed": "**FAILED**", "noise": "noise"}.get(cell["status"] if cell else "", "n/a")
                row.append(f"{mark}[^{len(notes)}]")
        out.append("| " + " | ".join(row) + " |")
    geo = ["**geomean, ratio to native**", ""]
    for engine in engines:
        entry = data["summary"]["to_native"].get(engine)
        text = "1.00×" if engine == "native" else f"**{ratio(entry['geomean'])}**" if entry else "–"
        if entry and engine != "native" and len(entry["programs"]) != len(data["programs"]):
            n = len(entry["programs"])
            notes.append(f"geomean of {engine}: no program has a time" if n == 0 else
                         f"geomean of {engine}: over the {plural(n, 'program')} with a time: " + ", ".join(entry["programs"]))
            text += f"[^{len(notes)}]"
        geo.append(text)
    out.append("| " + " | ".join(geo) + " |")
    out.append("")
    for i, note in enumerate(notes, 1):
        out.append(f"[^{i}]: {note}")
    return out


def rss_table(data):
    engines = data["engines"]
    out = ["| Program | " + " | ".join(LABELS[e] for e in engines) + " |", "|---|" + "---:|" * len(engines)]
    for name, program in data["programs"].items():
        row = [f"`{name}`"]
        for engine in engines:
            cell = program["cells"].get(engine)
            row.append(f"{cell['rss_kib'] / 1024:.0f}" if ok(cell) and cell.get("rss_kib") else "–")
        out.append("| " + " | ".join(row) + " |")
    return out


def compile_table(data):
    engines = data["engines"]
    cols = [("native", "native: clang -O2 of the C source", lambda c: c.get("cc")),
            ("kiln", "kiln compile --opt 2", lambda c: c.get("compile")),
            ("wasm2c", "wasm2c + clang -O2 (translate + cc + link)", None),
            ("wasmtime", "wasmtime precompile (Cranelift)", lambda c: c.get("precompile"))]
    cols = [c for c in cols if c[0] in engines]
    out = ["| Program | .wasm | " + " | ".join(c[1] for c in cols) + " |", "|---|---:|" + "---:|" * len(cols)]
    for name, program in data["programs"].items():
        row = [f"`{name}`", f"{program['wasm_bytes'] / 1024:.0f} KiB"]
        for engine, _, get in cols:
            cell = program["cells"].get(engine)
            times = cell.get("compile", {}) if cell else {}
            if engine == "wasm2c":
                if cell and cell["status"] != "unsupported" and "cc" in times:
                    total = times.get("translate", 0) + times["cc"] + times["link"]
                    row.append(f"{seconds(total)} ({seconds(times.get('translate'))} + {seconds(times['cc'])} + "
                               f"{seconds(times['link'])})")
                else:
                    row.append("n/a")
            else:
                row.append(seconds(get(times)) if get(times) is not None else "n/a")
        out.append("| " + " | ".join(row) + " |")
    return out


def write_markdown(data, path):
    import report_startup  # the start-up section, kept in a file of its own

    o = data["options"]
    m = data["machine"]
    lines = [
        "# Kiln benchmark report",
        "",
        f"Measured {data['date']} with `{data['command']}`"
        + (" (**--quick: tiny sizes, a smoke test, not a benchmark**)" if o["quick"] else "")
        + (f" (sizes scaled by {o['size_scale']})" if o["size_scale"] != 1 else "")
        + f"; the whole run took {data['elapsed_s'] / 60:.1f} minutes.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}; load average at start "
        f"{' / '.join(str(x) for x in m['load_average_at_start'])}.",
        "",
        "## Summary",
        "",
    ]
    lines += [f"- {line}" for line in summary_lines(data)]
    for failure in failures(data):
        lines.append(f"- **FAILED** {failure}")
    for engine, reason in data["skipped"].items():
        lines.append(f"- `{engine}` skipped: {reason}")
    lines += [
        "",
        "![Run time of each engine relative to native, per program, log scale](report.svg)",
        "",
        "## Run time",
        "",
        f"Median whole-process wall time of {plural(o['runs'], 'timed run')} per engine ({o['interp_runs']} for "
        f"`interp`) after {plural(o['warmup'], 'untimed warm-up run')} (none for `interp`; `kiln`'s first run, "
        "which compiles into its cache, is always untimed), "
        "engines alternating run by run; in parentheses the ratio to native (lower is better). Every run's "
        "stdout was compared with native's byte for byte.",
        "",
    ]
    lines += run_time_table(data)
    lines += ["", "What each engine is:", ""]
    lines += [
        "- `native`: the C source built with `clang -O2 … -lm` (simd_dot's plain-C path).",
        f"- `kiln`: `kiln run --opt {o['opt']} M.wasm -- ARGS` from a warm artifact cache of its own "
        "(`KILN_CACHE_DIR` under the bench work directory): process start, cache look-up and SHA-256 check, "
        "dlopen, instantiation and the run.",
        "- `wasm2c`: `wasm2c` (wabt) output built with `clang -O2` with `wasm-rt-impl.c` and a WASI host of our "
        "own (`Scripts/bench/wasm2c_wasi.c`, `wasm2c_main.c`), wabt's default memory checks: guard pages "
        "(`WASM_RT_MEMCHECK_SIGNAL_HANDLER=1`, an 8 GiB reservation; no check instructions).",
        "- `wasm2c-bounds`: the same with `WASM_RT_MEMCHECK_SIGNAL_HANDLER=0`: an explicit bounds check on every "
        "load and store (as Kiln does), memory from `calloc`/`realloc`.",
    ]
    if "python_startup" in data:
        ps = data["python_startup"]
        lines.append(
            f"- `wasmtime`: the PyPI `wasmtime` package running a module precompiled with "
            f"`Module.serialize()` through `Scripts/bench/wasmtime_run.py` (deserialize, WASI, `_start`). The "
            f"runner's Python start-up (`python3 wasmtime_run.py --startup`: import wasmtime and make the engine), "
            f"{ps['median'] * 1000:.1f} ms median of {len(ps['samples'])} runs (from {min(ps['samples']) * 1000:.1f} "
            f"to {max(ps['samples']) * 1000:.1f} ms) timed the same way, one right before each wasmtime run, is "
            "subtracted from every wasmtime time, so what remains is deserialization, instantiation and the run. "
            "Where a run takes little more than that start-up, the difference is within its noise.")
    lines.append("- `interp`: `kiln-interp M.wasm ARGS`, WasmKit's interpreter with WasmKit's WASI.")
    lines += ["", "## Peak memory", "", "Median peak resident set in MiB (`ru_maxrss` from `wait4`, read by "
              "`Scripts/bench/timed_spawn.c`, which spawns each run so that a child's peak does not start from "
              "Python's)" + ("; for `wasmtime` it includes the Python interpreter." if "wasmtime" in data["engines"] else "."), ""]
    lines += rss_table(data)
    lines += ["", "## Compile time per program", "",
              "One compile each. `kiln compile` lowers to C and builds the shared object with its units compiled "
              f"in parallel (`--jobs` = {m['cores']} cores); its runtime object comes from the cache. wasm2c: the "
              "translation, then `clang -O2 -c` of the module's C and the link with `wasm-rt-impl.o` and the WASI "
              "host, both built beforehand (not counted). wasmtime: `Module(engine, wasm).serialize()` inside the "
              "runner (Cranelift, parallel), Python's start-up not counted.", ""]
    lines += compile_table(data)
    lines += report_startup.section(data)
    lines += ["", "## Machine and versions", "",
              f"- CPU: {m['cpu']} ({m['arch']}), {m['cores']} cores; memory {m['memory_gib']} GiB; {m['os']}"]
    v = data["versions"]
    lines.append(f"- kiln: {v.get('kiln', '?')}, git {v.get('kiln_commit', '?')}")
    lines.append(f"- clang: {v.get('native', '?')}")
    for key in ["wasm2c", "wasmtime"]:
        if key in v:
            lines.append(f"- {key}: {v[key]}")
    lines.append(f"- Python {v['python']}; interpreter baseline: WasmKit {v['wasmkit']}")
    lines += ["", "Raw samples (every run, warm-ups included, with peak RSS and exit status): `report.json`.", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
