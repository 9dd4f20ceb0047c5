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
echo "built: $(ls wasm | tr '\n' ' ')"
