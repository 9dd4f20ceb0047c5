"""The benchmark corpus of `make bench`: every `bench.json` manifest under Fixtures/bench, one group each.

A manifest lists the programs of one group (Fixtures/bench/README.md, "Corpus structure"):

  {"group": "real",
   "programs": [
     {"name": "zlib", "wasm": "wasm/zlib.wasm", "args": ["16384", "4"], "quick_args": ["64", "1"],
      "scale_arg": 1, "scale_power": 1,
      "native": {"command": ["./build.sh", "native", "zlib", "{out}"]},
      "source": "zlib 1.2.13 (Debian)", "license": "Zlib"},
     {"name": "jacobi-2d", "wasm": "wasm/jacobi-2d.wasm", "args": ["1300", "500"], "quick_args": ["40", "5"],
      "scale_arg": 0, "scale_power": 0.5,
      "native": {"sources": ["jacobi-2d.c"], "cflags": ["-O2", "-ffp-contract=off"], "libs": ["-lm"]}}]}

Paths and commands are relative to the manifest's directory. An argument {"file": F} stands for the text of
F. `native.command` builds the native executable at {out} (run in the manifest's directory, with $CC set);
`native.sources` means `CC <cflags> <sources> -o <out> <libs>` (cflags default to -O2). `scale_arg` is the
index of the argument that --size-scale multiplies by F ** scale_power, null when the program has none.
`interp_args` (optional) are smaller arguments for the interpreter, whose time at `args` is then extrapolated
as `interp_extrapolation` says: "native" (the default), by the ratio of native's times at the two; "repeats"
(argument `scale_arg` is a repeat count, the only one in which the two differ), by the ratio of the counts.
"""
import glob
import json
import os

# Groups in report order; any other group follows, alphabetically.
GROUP_ORDER = ["team", "kernels", "real"]


class ManifestError(Exception):
    """A manifest that cannot be read: bench.py stops with this message."""


class Program:
    """One benchmark program of a manifest, its arguments not yet chosen (see `arguments`)."""

    def __init__(self, spec, group, directory, manifest):
        where = f"{manifest}: program {spec.get('name', '?')!r}"
        for key in ["name", "wasm", "args"]:
            if key not in spec:
                raise ManifestError(f"{where}: no {key!r}")
        self.name = spec["name"]
        self.id = self.name  # made unique across groups by discover()
        self.slug = self.name  # self.id as a file name
        self.group = group
        self.directory = directory
        self.manifest = manifest
        self.wasm = os.path.normpath(os.path.join(directory, spec["wasm"]))
        self.args_spec = list(spec["args"])
        self.quick_spec = list(spec.get("quick_args", spec["args"]))
        self.scale_arg = spec.get("scale_arg")
        self.scale_power = float(spec.get("scale_power", 1))
        self.interp_spec = spec.get("interp_args")
        self.interp_extrapolation = spec.get("interp_extrapolation", "native")
        self.native = spec.get("native")
        self.source = spec.get("source")
        self.license = spec.get("license")
        if self.scale_arg is not None and not (0 <= self.scale_arg < len(self.args_spec)
                                               and isinstance(self.args_spec[self.scale_arg], str)):
            raise ManifestError(f"{where}: scale_arg {self.scale_arg} is not the index of a plain argument")
        if not isinstance(self.native, dict) or not ("command" in self.native or "sources" in self.native):
            raise ManifestError(f"{where}: 'native' needs a 'command' or 'sources'")
        if self.interp_spec is not None and not isinstance(self.interp_spec, list):
            raise ManifestError(f"{where}: interp_args must be a list")
        for arg in self.args_spec + self.quick_spec + (self.interp_spec or []):
            if not isinstance(arg, str) and not (isinstance(arg, dict) and set(arg) == {"file"}):
                raise ManifestError(f"{where}: an argument must be a string or {{\"file\": F}}, not {arg!r}")
        if "interp_share" in spec:
            raise ManifestError(f"{where}: 'interp_share' is gone: give the interpreter's arguments as 'interp_args'")
        if self.interp_extrapolation not in ("native", "repeats"):
            raise ManifestError(f"{where}: interp_extrapolation must be \"native\" or \"repeats\", "
                                f"not {self.interp_extrapolation!r}")
        if self.interp_spec is not None and self.interp_extrapolation == "repeats":
            def count(arg):
                return isinstance(arg, str) and arg.isdigit() and int(arg) > 0
            differ = [i for i, (a, b) in enumerate(zip(self.args_spec, self.interp_spec)) if a != b]
            if (self.scale_arg is None or len(self.interp_spec) != len(self.args_spec) or differ != [self.scale_arg]
                    or not (count(self.args_spec[self.scale_arg]) and count(self.interp_spec[self.scale_arg]))):
                raise ManifestError(f"{where}: with interp_extrapolation \"repeats\", interp_args must differ from "
                                    "args in argument scale_arg only, a positive integer (the repeat count)")

    def resolve(self, arg):
        """An argument's text: {"file": F} becomes F's contents."""
        if isinstance(arg, str):
            return arg
        with open(os.path.join(self.directory, arg["file"])) as f:
            return f.read()

    def arguments(self, quick, size_scale):
        """(argv after the program name, the same for display, the interpreter's argv or None).

        The display form shows {"file": F} as `<F>`. The interpreter's argv is the manifest's interp_args
        (their scale argument scaled like args's) when it has them, except with --quick."""
        def sized(spec):
            spec = list(spec)
            if not quick and size_scale != 1.0 and self.scale_arg is not None:
                spec[self.scale_arg] = scale(spec[self.scale_arg], size_scale ** self.scale_power)
            return spec
        spec = sized(self.quick_spec if quick else self.args_spec)
        args = [self.resolve(a) for a in spec]
        shown = [a if isinstance(a, str) else f"<{a['file']}>" for a in spec]
        interp_args = None
        if self.interp_spec is not None and not quick:
            interp_args = [self.resolve(a) for a in sized(self.interp_spec)]
        return args, shown, interp_args

    def interp_factor(self, args, interp_args):
        """What the interpreter's time at interp_args is multiplied by for its time at args, when that is the
        ratio of the repeat counts (interp_extrapolation "repeats"); None: by native's ratio."""
        if self.interp_extrapolation != "repeats":
            return None
        return int(args[self.scale_arg]) / int(interp_args[self.scale_arg])

    def native_build(self, cc, out):
        """(argv, working directory) of the native build."""
        if "command" in self.native:
            argv = [a.replace("{out}", out) for a in self.native["command"]]
            return argv, self.directory
        sources = [os.path.join(self.directory, s) for s in self.native["sources"]]
        return [cc, *self.native.get("cflags", ["-O2"]), *sources, "-o", out, *self.native.get("libs", [])], self.directory


def scale(text, factor):
    """A numeric argument times factor, at least 1, as an integer when it was one."""
    try:
        return str(max(1, round(int(text) * factor)))
    except ValueError:
        return f"{max(float(text) * factor, 1e-9):g}"


def group_key(group):
    return (GROUP_ORDER.index(group), "") if group in GROUP_ORDER else (len(GROUP_ORDER), group)


def load(path):
    """The programs of one manifest."""
    try:
        with open(path) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path}: {error}")
    if not isinstance(manifest, dict) or "group" not in manifest or not isinstance(manifest.get("programs"), list):
        raise ManifestError(f"{path}: needs a 'group' and a list 'programs'")
    directory = os.path.dirname(os.path.abspath(path))
    return [Program(spec, manifest["group"], directory, path) for spec in manifest["programs"]]


def discover(root, extra=()):
    """Every program of ROOT/**/bench.json and of the extra manifests, grouped in report order. A name that
    two groups share becomes GROUP/NAME in both."""
    paths = sorted(glob.glob(os.path.join(root, "**", "bench.json"), recursive=True))
    paths += [os.path.abspath(p) for p in extra if os.path.abspath(p) not in paths]
    programs = []
    for path in paths:
        programs += load(path)
    programs.sort(key=lambda p: group_key(p.group))  # stable: manifest order within a group
    seen = {}
    for p in programs:
        seen.setdefault(p.name, set()).add(p.group)
    ids = set()
    for p in programs:
        if len(seen[p.name]) > 1:
            p.id, p.slug = f"{p.group}/{p.name}", f"{p.group}-{p.name}"
        if p.id in ids:
            raise ManifestError(f"{p.manifest}: program {p.id!r} is listed twice")
        ids.add(p.id)
    return programs


def groups(programs):
    """The groups of these programs, in report order."""
    result = []
    for p in programs:
        if p.group not in result:
            result.append(p.group)
    return result
