#!/usr/bin/env bash
# Compile time and memory of Kiln (and of wasm2c + clang, for comparison) on Fixtures/large, the numbers in
# README.md: `measure.sh KILN [MODULE.wasm]...` (default: every module here). Needs wasm-objdump and
# wasm2c (Debian `wabt`) and clang. Each line is measure.py's: wall and CPU seconds (kiln and its clang
# children), the largest single process's peak RSS, and the peak RSS of the whole process tree at once.
# OPTS (default "0 1 2 3") and W2C_OPTS (default "0 2"; empty: none) choose the levels, JOBS (default 2) the jobs.
# Uses its own artifact cache, warmed first, so the runtime is compiled once and not counted.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kiln="$(realpath "$1")"; shift
[ $# -gt 0 ] || set -- "$here"/lua.wasm "$here"/qjs.wasm "$here"/sqlite3.wasm "$here"/sqlite3-debug.wasm
jobs="${JOBS:-2}"
opts="${OPTS-0 1 2 3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/kiln-measure.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export KILN_CACHE_DIR="$work/cache"
m() { python3 "$here/measure.py" --label "$1" -- "${@:2}" 2>&1 >/dev/null | tail -1; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$kiln" --version); $(clang --version | head -1)"
for module in "$@"; do
  name="$(basename "$module" .wasm)"
  code="$(wasm-objdump -h "$module" | sed -n 's/.* Code .*(size=\(0x[0-9a-f]*\)) count: \([0-9]*\).*/\1 \2/p')"
  echo "## $name: $(stat -c %s "$module") bytes, code section $((${code% *})) bytes, ${code#* } functions"
  # Lowering alone (read, validate, lower, write the C): kiln compile without -o.
  m "lower" "$kiln" compile "$module" --emit-c "$work/$name-c"
  echo "C: $(cat "$work/$name-c"/*.c "$work/$name-c"/*.h | wc -c) bytes in $(ls "$work/$name-c"/*.c | wc -l) files ($(ls "$work/$name-c"/funcs_*.c | wc -l) function units)"
  for opt in $opts; do
    "$kiln" compile "$here/../wasm/fac.wasm" -o "$work/warm.so" --opt "$opt" >/dev/null  # runtime into the cache
    m "kiln --opt $opt --jobs $jobs" "$kiln" compile "$module" -o "$work/$name.so" --opt "$opt" --jobs "$jobs"
  done
  # wasm2c (one C file) and clang on it, for comparison; the runtime (wasm-rt-impl.c) is not counted.
  m "wasm2c" wasm2c "$module" -o "$work/$name-w2c.c"
  echo "wasm2c C: $(cat "$work/$name-w2c.c" "$work/$name-w2c.h" | wc -c) bytes in 1 file"
  for opt in ${W2C_OPTS-0 2}; do
    m "wasm2c clang -O$opt" clang -O"$opt" -w -c "$work/$name-w2c.c" -o "$work/$name-w2c.o"
  done
done
