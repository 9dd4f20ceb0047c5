"""The engines `make bench` compares: how each is found, how it compiles a program, and its command line.

Every engine runs the same program with the same arguments as a process of its own, so the times are
whole-process times and the peak RSS is the process's. `prepare` does the untimed work before the runs
(and times the compile steps the report quotes); `command` is the timed command.
"""
import os
import shutil
import subprocess
import sys

import measure

HERE = os.path.dirname(os.path.abspath(__file__))
WASM2C_RUNTIME_DIRS = ["/usr/share/wabt/wasm2c", "/usr/local/share/wabt/wasm2c"]


class Unsupported(Exception):
    """The engine cannot run this program (a peer's limitation, not a wrong result): the cell says why."""


class BuildFailed(Exception):
    """A compile step failed where it should not have: the cell is marked failed."""


def timed(argv, what, env=None):
    """Runs one build step and returns its wall time; BuildFailed with its stderr when it fails."""
    sample = measure.run(argv, env=env)
    if sample.failure():
        text = sample.stderr.decode(errors="replace").strip()
        raise BuildFailed(f"{what} failed ({sample.failure()}): {' '.join(argv)}\n{text[-2000:]}")
    return sample.wall


class Engine:
    name = ""
    runs_key = "runs"  # which option gives the number of timed runs
    min_warmup = 0  # untimed runs that must come first whatever --warmup says

    def __init__(self, ctx):
        self.ctx = ctx

    def missing(self):
        """Why the engine cannot run here, or None."""
        return None

    def version(self):
        return ""

    def prepare(self, program):
        """Untimed set-up for one program; returns the compile times to report, in seconds."""
        return {}

    def command(self, program, args):
        raise NotImplementedError

    def before_run(self):
        """Called right before each run of this engine, outside the timing."""

    def offset(self):
        """Seconds subtracted from every wall time of this engine, once all runs are done."""
        return 0.0

    def env(self):
        return None


class Native(Engine):
    """The C source built with clang -O2 at bench time: the baseline."""

    name = "native"

    def missing(self):
        return None if shutil.which(self.ctx.cc) else f"{self.ctx.cc} not found"

    def version(self):
        return first_line([self.ctx.cc, "--version"])

    def exe(self, program):
        return os.path.join(self.ctx.work, "native", program)

    def prepare(self, program):
        os.makedirs(os.path.join(self.ctx.work, "native"), exist_ok=True)
        source = os.path.join(self.ctx.corpus, program + ".c")
        return {"cc": timed([self.ctx.cc, "-O2", "-o", self.exe(program), source, "-lm"], "clang -O2")}

    def command(self, program, args):
        return [self.exe(program)] + args


class Kiln(Engine):
    """`kiln run --opt 2 M.wasm -- ARGS` from a warm cache of its own (the first run compiles into it)."""

    name = "kiln"
    min_warmup = 1

    def __init__(self, ctx):
        super().__init__(ctx)
        self.cache = os.path.join(ctx.work, "kiln-cache")
        self.runtime_warm = False

    def missing(self):
        return None if os.access(self.ctx.kiln, os.X_OK) else f"{self.ctx.kiln} not built (make bench builds it)"

    def version(self):
        return first_line([self.ctx.kiln, "--version"])

    def env(self):
        return dict(os.environ, KILN_CACHE_DIR=self.cache)

    def compile(self, wasm, output, opt=None, extra=()):
        """`kiln compile --opt N M.wasm -o OUT`, timed. The runtime object comes from the cache."""
        opt = self.ctx.opt if opt is None else opt
        argv = [self.ctx.kiln, "compile", "--opt", str(opt), *extra, wasm, "-o", output]
        if not self.runtime_warm:  # the first compile at each level also builds the runtime: untimed
            for level in sorted({0, opt, self.ctx.opt}):
                timed([self.ctx.kiln, "compile", "--opt", str(level), *extra, wasm, "-o", output], "kiln compile", self.env())
            self.runtime_warm = True
        return timed(argv, "kiln compile", self.env())

    def prepare(self, program):
        os.makedirs(os.path.join(self.ctx.work, "kiln"), exist_ok=True)
        so = os.path.join(self.ctx.work, "kiln", program + ".so")
        return {"compile": self.compile(self.ctx.wasm(program), so)}

    def command(self, program, args):
        return [self.ctx.kiln, "run", "--opt", str(self.ctx.opt), self.ctx.wasm(program), "--"] + args


class KilnGuard(Kiln):
    """Kiln with `--bounds guard`: no check per access, out-of-bounds accesses fault in 8 GiB reservations."""

    name = "kiln-guard"
    extra = ["--bounds", "guard"]

    def __init__(self, ctx):
        super().__init__(ctx)
        self.cache = os.path.join(ctx.work, "kiln-guard-cache")

    def prepare(self, program):
        os.makedirs(os.path.join(self.ctx.work, "kiln-guard"), exist_ok=True)
        so = os.path.join(self.ctx.work, "kiln-guard", program + ".so")
        return {"compile": self.compile(self.ctx.wasm(program), so, extra=self.extra)}

    def command(self, program, args):
        return [self.ctx.kiln, "run", "--opt", str(self.ctx.opt), *self.extra, self.ctx.wasm(program), "--"] + args


class Interp(Engine):
    """`kiln-interp M.wasm ARGS`: WasmKit's interpreter with WasmKit's WASI."""

    name = "interp"
    runs_key = "interp_runs"

    def missing(self):
        return None if os.access(self.ctx.interp, os.X_OK) else f"{self.ctx.interp} not built (make bench builds it)"

    def version(self):
        return "WasmKit " + self.ctx.wasmkit_version

    def command(self, program, args):
        return [self.ctx.interp, self.ctx.wasm(program)] + args


class Wasm2c(Engine):
    """wasm2c's C, built with clang -O2 with wasm-rt-impl.c and our WASI host (Scripts/bench/wasm2c_*.c).

    guard_pages: WASM_RT_MEMCHECK_SIGNAL_HANDLER=1 (wabt's default: an 8 GiB reservation, out-of-bounds
    accesses fault) or 0 (an explicit bounds check on every load and store, like Kiln's).
    """

    def __init__(self, ctx, guard_pages):
        super().__init__(ctx)
        self.guard_pages = guard_pages
        self.name = "wasm2c" if guard_pages else "wasm2c-bounds"
        self.variant = "guard" if guard_pages else "bounds"
        self.runtime_objects = None
        self.runtime_dir = next((d for d in WASM2C_RUNTIME_DIRS if os.path.exists(d + "/wasm-rt-impl.c")), None)

    def missing(self):
        if not shutil.which("wasm2c"):
            return "wasm2c not on PATH (`make bench-peers` installs Debian's wabt)"
        if self.runtime_dir is None:
            return "wasm2c's runtime (wasm-rt-impl.c) not found in " + " or ".join(WASM2C_RUNTIME_DIRS)
        return None

    def version(self):
        return "wasm2c " + first_line(["wasm2c", "--version"])

    def flags(self, opt_flag="-O2"):
        return [opt_flag, f"-DWASM_RT_MEMCHECK_SIGNAL_HANDLER={1 if self.guard_pages else 0}",
                "-I", self.runtime_dir, "-I", HERE]

    def build_runtime(self):
        """wasm-rt-impl.c and the WASI host, once per variant (not in any compile time)."""
        directory = os.path.join(self.ctx.work, "wasm2c", "runtime-" + self.variant)
        os.makedirs(directory, exist_ok=True)
        objects = []
        for source in [os.path.join(self.runtime_dir, "wasm-rt-impl.c"), os.path.join(HERE, "wasm2c_wasi.c")]:
            obj = os.path.join(directory, os.path.basename(source)[:-2] + ".o")
            timed([self.ctx.cc, *self.flags(), "-c", source, "-o", obj], "clang (wasm2c runtime)")
            objects.append(obj)
        self.runtime_objects = objects

    def translate(self, wasm, directory):
        """`wasm2c -n bench M.wasm -o DIR/module.c`, timed; Unsupported when wasm2c cannot."""
        os.makedirs(directory, exist_ok=True)
        sample = measure.run(["wasm2c", "-n", "bench", wasm, "-o", os.path.join(directory, "module.c")])
        if sample.failure():
            for leftover in ["module.c", "module.h"]:  # wasm2c may have begun writing them
                if os.path.exists(os.path.join(directory, leftover)):
                    os.remove(os.path.join(directory, leftover))
            detail = sample.stderr.decode(errors="replace").strip().splitlines()
            if sample.status == -6:
                reason = "aborts (SIGABRT), as wasm2c 1.0.32 does on any SIMD (v128) instruction"
            else:
                reason = sample.failure() if sample.status >= 0 else f"is killed by signal {-sample.status}"
            raise Unsupported(f"wasm2c {reason}" + (f": {detail[-1][:160]}" if detail else ""))
        return sample.wall

    def build(self, wasm, directory, opt_flag="-O2", link=True):
        """Translates (once per directory) and builds DIR/VARIANT/app; returns the times of each step.
        link=False stops after the module's C is compiled (a module importing WASI functions our shim lacks,
        such as Fixtures/large/lua.wasm, cannot be linked, but its compile time still compares)."""
        if self.runtime_objects is None:
            self.build_runtime()
        times = {}
        if not os.path.exists(os.path.join(directory, "module.c")):
            times["translate"] = self.translate(wasm, directory)
        out = os.path.join(directory, self.variant + opt_flag)
        os.makedirs(out, exist_ok=True)
        flags = self.flags(opt_flag) + ["-I", directory]
        main = os.path.join(out, "main.o")
        timed([self.ctx.cc, *flags, "-c", os.path.join(HERE, "wasm2c_main.c"), "-o", main], "clang (wasm2c main)")
        module = os.path.join(out, "module.o")
        times["cc"] = timed([self.ctx.cc, *flags, "-c", os.path.join(directory, "module.c"), "-o", module],
                            "clang " + opt_flag + " (wasm2c output)")
        exe = os.path.join(out, "app")
        if not link:
            return None, times
        times["link"] = timed([self.ctx.cc, "-o", exe, module, main, *self.runtime_objects, "-lm"], "link (wasm2c)")
        return exe, times

    def prepare(self, program):
        _, times = self.build(self.ctx.wasm(program), os.path.join(self.ctx.work, "wasm2c", program))
        return times

    def command(self, program, args):
        return [os.path.join(self.ctx.work, "wasm2c", program, self.variant + "-O2", "app")] + args


class Wasmtime(Engine):
    """The PyPI `wasmtime` package through Scripts/bench/wasmtime_run.py, from a precompiled module; the
    runner's Python start-up (import and engine, measured the same way) is subtracted from its times."""

    name = "wasmtime"
    runner = os.path.join(HERE, "wasmtime_run.py")

    def __init__(self, ctx):
        super().__init__(ctx)
        self.startup_samples = []

    def missing(self):
        probe = subprocess.run([sys.executable, "-c", "import wasmtime"], capture_output=True)
        return None if probe.returncode == 0 else "Python package wasmtime not importable (`make bench-peers` installs it)"

    def version(self):
        probe = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('wasmtime'))"],
                               capture_output=True, text=True)
        return "wasmtime-py " + probe.stdout.strip()

    def cwasm(self, program):
        return os.path.join(self.ctx.work, "wasmtime", program + ".cwasm")

    def precompile(self, wasm, output):
        """Cranelift compile and serialize, timed inside the runner (no Python start-up in it)."""
        os.makedirs(os.path.dirname(output), exist_ok=True)
        sample = measure.run([sys.executable, self.runner, "--precompile", wasm, output])
        if sample.failure():
            raise BuildFailed(f"wasmtime precompile failed ({sample.failure()}):\n{sample.stderr.decode(errors='replace')[-2000:]}")
        return float(sample.stdout.decode().strip())

    def before_run(self):
        """A sample of the runner's Python start-up before each run, so that drift falls on both alike."""
        self.startup_samples.append(measure.run([sys.executable, self.runner, "--startup"]).wall)

    def offset(self):
        return measure.median(self.startup_samples) or 0.0

    def prepare(self, program):
        return {"precompile": self.precompile(self.ctx.wasm(program), self.cwasm(program))}

    def command(self, program, args):
        return [sys.executable, self.runner, self.cwasm(program), self.ctx.wasm(program)] + args


def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def all_engines(ctx):
    return [Native(ctx), Kiln(ctx), KilnGuard(ctx), Interp(ctx), Wasm2c(ctx, True), Wasm2c(ctx, False), Wasmtime(ctx)]
