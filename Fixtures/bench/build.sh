#!/usr/bin/env bash
# Builds the benchmark corpus (Fixtures/bench/*.c, and hello.c, the start-up probe) to Fixtures/bench/wasm/NAME.wasm: wasm32-wasi commands,
# zig cc -O2 (PyPI `ziglang`), stripped with -s (zig's wasi-libc would otherwise add about 900 KB of DWARF).
# simd_dot is built with -msimd128. The outputs are committed; the benchmarks run those. The native baseline
# is built from the same sources at bench time: clang -O2 NAME.c -lm.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p wasm
wasi() { python3 -m ziglang cc -target wasm32-wasi -O2 -s "$@"; }

programs=(matmul stencil2d editdistance nbody fannkuch sha256 crc32 lz77 hashtable bytecode simd_dot hello)
for name in "${programs[@]}"; do
  flags=()
  [ "$name" = simd_dot ] && flags=(-msimd128)
  wasi "${flags[@]+"${flags[@]}"}" -o "wasm/$name.wasm" "$name.c"
done

# What the corpus promises about the code, checked when wabt's wasm-objdump is there (Debian `wabt`): simd_dot
# has v128 code, and bytecode's table holds its 15 handlers (with the 4 of wasi-libc's stdio) for call_indirect.
if command -v wasm-objdump >/dev/null; then
  if [ "$(wasm-objdump -d wasm/simd_dot.wasm | grep -c 'i32x4\.dot_i16x8_s')" -eq 0 ]; then
    echo "build.sh: wasm/simd_dot.wasm has no v128 instructions" >&2
    exit 1
  fi
  elements=$(wasm-objdump -x wasm/bytecode.wasm | sed -n 's/.*segment\[0\].* count=\([0-9]*\).*/\1/p')
  if [ "${elements:-0}" -lt 15 ]; then
    echo "build.sh: wasm/bytecode.wasm's table has ${elements:-no} entries, not its 15 handlers" >&2
    exit 1
  fi
fi
echo "built: $(cd wasm && ls ./*.wasm | sed 's|^\./||' | tr '\n' ' ')"
