#!/usr/bin/env bash
# Builds the loop-kernel suite (Fixtures/bench/kernels/*.c, after PolyBench/C 4.2.1) to
# Fixtures/bench/kernels/wasm/NAME.wasm: wasm32-wasi commands, zig cc -O2 (PyPI `ziglang`), stripped with -s,
# and -ffp-contract=off so no multiply and add are ever fused (Wasm has no fused multiply-add; the native
# baseline is built with the same flag: clang -O2 -ffp-contract=off NAME.c -lm). The outputs are committed;
# the benchmarks run those, as listed in bench.json.
#
#   build.sh            build every kernel
#   build.sh --check    also build each natively (cc, or $CC) and check that wasmtime (the PyPI `wasmtime`
#                       package) prints the same bytes as the native build at each kernel's quick_args
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p wasm
wasi() { python3 -m ziglang cc -target wasm32-wasi -O2 -s -ffp-contract=off "$@"; }

programs=(jacobi-1d jacobi-2d heat-3d fdtd-2d seidel-2d adi gemm 2mm syrk trmm lu cholesky gramschmidt
  correlation floyd-warshall nussinov)
for name in "${programs[@]}"; do
  [ -f "$name.c" ] || continue
  wasi -o "wasm/$name.wasm" "$name.c"
done
echo "built: $(cd wasm && ls ./*.wasm | sed 's|^\./||' | tr '\n' ' ')"

if [ "${1:-}" = --check ]; then
  python3 - <<'PY'
import json, os, subprocess, sys, tempfile
import wasmtime

manifest = json.load(open("bench.json"))
cc = os.environ.get("CC", "cc")
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for program in manifest["programs"]:
        name, args = program["name"], program["quick_args"]
        exe = os.path.join(tmp, name)
        native = program["native"]
        subprocess.run([cc, *native["cflags"], "-o", exe, *native["sources"], *native["libs"]], check=True)
        expected = subprocess.run([exe, *args], capture_output=True, check=True).stdout
        out = os.path.join(tmp, name + ".out")
        config = wasmtime.WasiConfig()
        config.argv = [name, *args]
        config.stdout_file = out
        engine = wasmtime.Engine()
        store = wasmtime.Store(engine)
        store.set_wasi(config)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        instance = linker.instantiate(store, wasmtime.Module.from_file(engine, program["wasm"]))
        try:
            instance.exports(store)["_start"](store)
        except wasmtime.ExitTrap as exit:
            if exit.code != 0:
                raise
        got = open(out, "rb").read()
        status = "ok" if got == expected else "DIFFERS"
        failed += got != expected
        print(f"{name} {' '.join(args)}: {status}")
sys.exit(1 if failed else 0)
PY
fi
