#!/usr/bin/env python3
"""Instruction counts of the benchmark corpus under two or more builds of Kiln, side by side.

The shared 2-core machine's wall times move by 5-10% from run to run, more than most code-generation changes
do; callgrind's instruction counts do not. Each variant is a kiln executable with optional environment
assignments (KILN_RUNTIME_DIR=DIR compiles against another runtime, e.g. one with a changed kiln_loop.h):

    python3 Scripts/bench/instructions.py --groups real,kernels \\
        --variant old=/tmp/oldkiln/.build/release/kiln --variant new=.build/release/kiln [--bounds guard]

Every program is compiled with `kiln compile --exe --opt 2` into a cache of the variant's own, then run once
under `valgrind --tool=callgrind` at a reduced size (--size-scale of its manifest arguments; programs without
a scale argument run their quick arguments). Every variant's output must equal the first's. Prints one line
per program: instructions per variant and each later variant's change against the first, then the geomean.
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def variant(text):
    name, _, rest = text.partition("=")
    words = rest.split(",")
    if not name or not words[0]:
        raise argparse.ArgumentTypeError(f"--variant NAME=KILN[,VAR=VALUE...], not {text!r}")
    env = dict(w.split("=", 1) for w in words[1:])
    return name, os.path.abspath(words[0]), env


def instructions(argv, cwd):
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "callgrind.out")
        run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv], cwd=cwd,
                             capture_output=True)
        found = re.search(rb"refs:\s+([\d,]+)", run.stderr)
        if not found:
            raise RuntimeError(f"{argv[0]}: no count from callgrind: {run.stderr.decode(errors='replace')[-400:]}")
        return int(found.group(1).replace(b",", b"")), run.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", type=variant, action="append", required=True,
                        help="NAME=KILN[,VAR=VALUE...], at least two; the first is the baseline")
    parser.add_argument("--groups", default="team,kernels,real")
    parser.add_argument("--programs", default="", help="comma-separated names (default: every program of the groups)")
    parser.add_argument("--bounds", default="explicit", choices=["explicit", "guard"])
    parser.add_argument("--size-scale", type=float, default=0.05)
    parser.add_argument("--work", default=os.path.join(ROOT, ".build", "instructions"))
    options = parser.parse_args()
    if len(options.variant) < 2:
        parser.error("give at least two --variant")
    groups = set(options.groups.split(","))
    names = set(filter(None, options.programs.split(",")))
    programs = [p for p in corpus.discover(os.path.join(ROOT, "Fixtures", "bench"))
                if p.group in groups and (not names or p.name in names)]
    os.makedirs(options.work, exist_ok=True)
    header = f"{'program':16}" + "".join(f"{name:>16}" for name, _, _ in options.variant)
    print(header + "".join(f"{'Δ ' + name:>10}" for name, _, _ in options.variant[1:]), flush=True)
    logs = [[] for _ in options.variant[1:]]
    for program in programs:
        quick = program.scale_arg is None
        args, _, _ = program.arguments(quick, options.size_scale)
        counts, reference = [], None
        for name, kiln, env in options.variant:
            exe = os.path.join(options.work, f"{program.group}-{program.name}-{options.bounds}-{name}")
            environment = dict(os.environ, KILN_CACHE_DIR=os.path.join(options.work, f"cache-{name}"), **env)
            wasm = os.path.join(program.directory, program.wasm)
            compiled = subprocess.run([kiln, "compile", "--exe", "--opt", "2", "--bounds", options.bounds, wasm, "-o", exe],
                                      env=environment, capture_output=True, text=True)
            if compiled.returncode != 0:
                sys.exit(f"{program.name} ({name}): kiln compile failed: {compiled.stderr.strip()}")
            count, output = instructions([exe, *args], program.directory)
            if reference is None:
                reference = output
            elif output != reference:
                sys.exit(f"{program.name}: variant {name}'s output differs from {options.variant[0][0]}'s")
            counts.append(count)
        changes = [c / counts[0] - 1 for c in counts[1:]]
        for log, change in zip(logs, changes):
            log.append(math.log1p(change))
        print(f"{program.name:16}" + "".join(f"{c:>16,}" for c in counts) + "".join(f"{100 * d:>+9.2f}%" for d in changes),
              flush=True)
    if programs:
        print(f"{'geomean':16}" + " " * 16 * len(options.variant)
              + "".join(f"{100 * math.expm1(sum(log) / len(log)):>+9.2f}%" for log in logs))


if __name__ == "__main__":
    main()
