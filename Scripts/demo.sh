#!/usr/bin/env bash
# `make run`: Kiln's main job on a bundled program (Fixtures/wasm/simd_scan.wasm, a byte-scanning and
# float kernel). Precompile it to a native artifact and run that; then run the module through the
# artifact cache twice: the first run compiles and publishes, the second starts from the cached artifact.
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
step "first run of the module: compile into the cache, then run" "$KILN" run "$MODULE" -- 4000000 8
step "second run: start from the cached artifact" "$KILN" run "$MODULE" -- 4000000 8
echo
"$KILN" cache list
