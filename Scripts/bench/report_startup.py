"""The start-up and compile-time section of bench/REPORT.md (see startup.py for what is measured)."""
import first_run
from report import seconds


def ms(t):
    return "–" if t is None else f"{t * 1000:.2f} ms"


def kib(n):
    return f"{n / 1024:.0f} KiB"


def hello_lines(hello):
    rows = hello["rows"]
    native = rows.get("native", {}).get("median")
    lines = ["### Start-up: a cached hello world", "",
             f"Whole-process wall time of `Fixtures/bench/wasm/hello.wasm` (prints one line), median of "
             f"{hello['runs']} runs per way of running it after one warm-up, all alternating run by run.", "",
             "| How | Median | Min | Over native | Peak RSS |", "|---|---:|---:|---:|---:|"]
    for key, row in rows.items():
        if row["median"] is None:
            lines.append(f"| {row['label']} | **{row['status'].upper()}**: {row['reason']} | | | |")
            continue
        extra = "–" if native is None or key == "native" else f"{(row['median'] - native) * 1000:+.2f} ms"
        lines.append(f"| {row['label']} | {ms(row['median'])} | {ms(row['min'])} | {extra} | "
                     f"{row['rss_kib'] / 1024:.1f} MiB |")
    lines.append("")
    if hello.get("goal"):
        kiln = rows["kiln"]["median"]
        lines.append(f"**Goal** (issue 6): the cached `kiln run` no slower than native + 2 ms: "
                     f"**{'met' if hello['goal_met'] else 'not met'}**: {ms(kiln)} against native's {ms(native)}, "
                     f"{(kiln - native) * 1000:+.2f} ms.")
        if "kiln-version" in rows and rows["kiln-version"]["median"] is not None:
            lines.append(f"`kiln --version`, which loads no module, takes {ms(rows['kiln-version']['median'])} by "
                         "itself: the rest of the cached run is finding, checking, loading and running the artifact.")
    if "wasmtime" in rows:
        lines.append("The wasmtime row has the runner's Python start-up subtracted, as in the run-time table.")
    return lines


def compile_lines(comp):
    rows = comp["rows"]
    lines = ["", f"### Compile time of the largest benchmark module: `{comp['program']}.wasm` "
             f"({kib(comp['wasm_bytes'])})", "",
             f"Median of {comp['runs']} compile{'s' if comp['runs'] != 1 else ''} each, alternating. Kiln: the "
             "whole `kiln compile` process (decode, validate, lower to C, clang on each unit, link the shared "
             "object; the runtime object comes from its cache). wasm2c: the `wasm2c` process, then `clang -c` of "
             "its module C, then the link with wabt's runtime objects and our WASI host (both built beforehand and "
             "not counted; the O0 build links the same -O2 runtime objects).", "",
             "| Compile | Median | Parts |", "|---|---:|---|"]
    for key, row in rows.items():
        med = row["median"]
        if row["status"] != "ok" or "total" not in med:
            lines.append(f"| {row['label']} | **{row['status'].upper()}** | {row['reason']} |")
            continue
        parts = ""
        if "full" in med:
            parts = f"one run; the full build before it took {seconds(med['full'])}"
        if "cc" in med:
            parts = f"translate {seconds(med.get('translate'))}, cc {seconds(med['cc'])}"
            parts += f", link {seconds(med['link'])}" if "link" in med else " (not linked)"
        lines.append(f"| {row['label']} | {seconds(med['total'])} | {parts} |")
    size = comp["c_size"]
    if size:
        lines += ["", "Generated C: " + "; ".join(
            f"{name} {kib(s['bytes'])} in {s['files']} file{'s' if s['files'] != 1 else ''}"
            for name, s in size.items()) + " (kiln: what `kiln compile --emit-c` writes, without the runtime "
            "headers in `Runtime/include`; wasm2c: `module.c` + `module.h`, without `wasm-rt.h`)."]
    return lines


def section(data):
    if "startup" not in data:
        return []
    lines = ["", "## Start-up and compile time", ""]
    lines += hello_lines(data["startup"])
    if "compile" in data:
        lines += compile_lines(data["compile"])
    lines += first_run.section(data)
    return lines
