#!/usr/bin/env bash
# Rebuilds Fixtures/wasm from the team's sources. Needs wat2wasm (Debian `wabt`) and zig (PyPI `ziglang`).
# The outputs are committed, so tests never need these tools.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p wasm
zigcc() { python3 -m ziglang cc "$@"; }

for wat in wat/*.wat; do
  wat2wasm --debug-names "$wat" -o "wasm/$(basename "${wat%.wat}").wasm"
done

# Freestanding modules (no WASI): exports only.
zigcc -target wasm32-freestanding -O2 -nostdlib -Wl,--no-entry \
  -o wasm/sort.wasm c/sort.c

# WASI commands. -s drops the DWARF that zig's wasi-libc would otherwise add (about 900 KB a module).
wasi() { zigcc -target wasm32-wasi -O2 -s "$@"; }
wasi -msimd128 -o wasm/simd_scan.wasm c/simd_scan.c    # the same source twice: v128 intrinsics…
wasi -o wasm/simd_scan_scalar.wasm c/simd_scan.c        # …and its scalar path
wasi -o wasm/wasi_demo.wasm c/wasi_demo.c
wasi -o wasm/wasi_sandbox.wasm c/wasi_sandbox.c
if [ "$(wasm-objdump -d wasm/simd_scan.wasm | grep -c 'i8x16\.eq')" -eq 0 ]; then
  echo "build.sh: wasm/simd_scan.wasm has no v128 instructions" >&2
  exit 1
fi
echo "built: $(ls wasm | tr '\n' ' ')"
