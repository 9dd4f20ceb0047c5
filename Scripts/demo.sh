#!/usr/bin/env bash
# `make run`: Kiln's main job on a bundled program (Fixtures/wasm/simd_scan.wasm, a byte-scanning and
# float kernel). Precompile it to a native artifact and run that; then run the module through the
# artifact cache twice: the first run is served by a baseline build and starts the optimized build in the
# background, the second starts from the optimized artifact that build published.
set -euo pipefail
KILN=${1:-.build/debug/kiln}
MODULE=Fixtures/wasm/simd_scan.wasm
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export KILN_CACHE_DIR="$WORK/cache"
TIMEFORMAT='  (%Rs)'

step() { echo; echo "== $1"; shift; echo "\$ $*"; time "$@"; }

step "precompile to a native artifact (clang -O2, units in parallel)" "$KILN" compile "$MODULE" -o "$WORK/simd_scan.so"
step "run the precompiled artifact" "$KILN" run "$WORK/simd_scan.so" -- 4000000 8
step "first run of the module: a baseline build (-O0) runs at once, the optimized one is built in the background" \
  "$KILN" run "$MODULE" -- 4000000 8
echo; echo "== waiting for the background build to publish the optimized tier"
for _ in $(seq 600); do
  "$KILN" cache list | grep -q ' optimized ' && break
  sleep 0.5
done
step "second run: start from the optimized artifact in the cache" "$KILN" run "$MODULE" -- 4000000 8
echo
"$KILN" cache list
