#!/usr/bin/env python3
"""The wasmtime peer of `make bench`: runs a WASI command with the PyPI `wasmtime` package.

  wasmtime_run.py --precompile M.wasm OUT.cwasm   compile M.wasm with Cranelift and write the artifact;
                                                  prints the compile time in seconds (in-process, so
                                                  Python's start-up is not in it)
  wasmtime_run.py PRECOMPILED.cwasm M.wasm ARGS…  run a precompiled module: argv is [M.wasm's file name,
                                                  ARGS…], stdout and stderr inherited
  wasmtime_run.py --startup                       import wasmtime and make the engine, nothing else: the
                                                  Python start-up that bench.py subtracts from run times

Exit status: the guest's proc_exit status, 0 when `_start` returns, 134 after a trap (as `kiln run` and
`wasmtime run`), 2 for a usage error.
"""
import os
import sys
import time

import wasmtime


def make_engine():
    """The engine for precompiling and running: both must use the same configuration."""
    config = wasmtime.Config()
    config.wasm_simd = True  # on by default; set so a change of default cannot drop simd_dot
    config.cranelift_opt_level = "speed"
    return wasmtime.Engine(config)


def precompile(wasm_path, out_path):
    engine = make_engine()
    with open(wasm_path, "rb") as f:
        wasm = f.read()
    start = time.perf_counter()
    serialized = wasmtime.Module(engine, wasm).serialize()
    elapsed = time.perf_counter() - start
    with open(out_path, "wb") as f:
        f.write(serialized)
    print(f"{elapsed:.6f}")
    return 0


def run(cwasm_path, wasm_path, args):
    engine = make_engine()
    with open(cwasm_path, "rb") as f:
        module = wasmtime.Module.deserialize(engine, f.read())
    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(wasm_path)] + list(args)
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module)
    start = instance.exports(store)["_start"]
    try:
        start(store)
    except wasmtime.ExitTrap as exit_trap:
        return exit_trap.code & 0xFF
    except (wasmtime.Trap, wasmtime.WasmtimeError) as trap:
        print(f"error: wasm trap: {trap}", file=sys.stderr)
        return 134
    return 0


def main(argv):
    if argv[:1] == ["--startup"]:
        make_engine()
        return 0
    if argv[:1] == ["--precompile"] and len(argv) == 3:
        return precompile(argv[1], argv[2])
    if len(argv) >= 2 and not argv[0].startswith("--"):
        return run(argv[0], argv[1], argv[2:])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown, as a native runner would
