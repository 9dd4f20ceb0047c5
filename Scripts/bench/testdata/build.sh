#!/bin/sh
# The native build command of Scripts/bench/testdata/bench.json: build.sh OUT, or build.sh --fail OUT (a
# build that fails, for the test of how bench.py reports one). probe.wasm: build.sh --wasm.
set -e
cd "$(dirname "$0")"
case "$1" in
  --fail) echo "build.sh: failing on purpose" >&2; exit 3 ;;
  --wasm) python3 -m ziglang cc -target wasm32-wasi -O2 -s -o probe.wasm probe.c ;;
  *) ${CC:-cc} -O2 -o "$1" probe.c ;;
esac
