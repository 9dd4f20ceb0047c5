#!/usr/bin/env bash
# Builds Fixtures/large: real interpreters compiled to wasm32-wasi (see README.md).
# Needs the network (PyPI through pip, Debian's source archive through apt-get), PyPI `ziglang`,
# and for SQLite's amalgamation a native cc, make and tclsh (Debian `tcl`). The outputs are committed,
# so tests never run this. Usage: build.sh [lua|qjs|sqlite]... (default: all).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kiln-large.XXXXXX")"
trap 'rm -rf "$work"' EXIT
[ $# -gt 0 ] || set -- lua qjs sqlite

# -s drops the DWARF (zig's wasi-libc adds about 900 KB; zig drops the name section in any case).
zigcc() { python3 -m ziglang cc -target wasm32-wasi -s "$@"; }
# wasi-libc's emulations of signal() and clock(), which the interpreters call.
emulated=(-D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS)
emulated_libs=(-lwasi-emulated-signal -lwasi-emulated-process-clocks)

# check, pypi_sdist and sqlite_amalgamation, shared with Fixtures/bench/real/build.sh; $sources is fresh here.
sources="$work"
. "$here/sources.sh"

build_lua() {
  # Lua 5.4.8, as bundled by PyPI lupa 2.8 (third-party/lua54). onelua.c is Lua's own one-file build of
  # the library and the `lua` command.
  local src; src="$(pypi_sdist lupa 2.8 d8022641b9ec8ecf2c5ecbe9f47e5a70e0b87c4b5ae921b92cb02a638e0acd08)/third-party/lua54"
  grep -q '#define LUA_VERSION_RELEASE	"8"' "$src/lua.h"
  # Errors and coroutines unwind with setjmp/longjmp: wasi-libc's, on exception handling (the try_table
  # form; without -wasm-use-legacy-eh=false LLVM writes the legacy try/catch).
  zigcc -O2 -mcpu=generic+exception_handling -mllvm -wasm-enable-sjlj -mllvm -wasm-use-legacy-eh=false \
    -include "$here/src/lua_wasi.h" "${emulated[@]}" -I"$src" \
    -o "$here/lua.wasm" "$src/onelua.c" "$here/src/lua_wasi.c" "$here/src/wasm_sjlj_tag.c" "${emulated_libs[@]}"
}

build_qjs() {
  # QuickJS 2021-03-27, as bundled by PyPI quickjs 1.19.4 (upstream-quickjs/), with a small command of
  # our own (src/qjs_main.c): the sdist does not ship qjs.c and quickjs-libc.c.
  local src; src="$(pypi_sdist quickjs 1.19.4 1205953abc24ff757f4a795304d5d61e4bf1e555c9ef6ec96a132d4b95535484)/upstream-quickjs"
  # Three one-line adaptations: no Atomics (no threads in WASI), malloc_usable_size from <malloc.h> as on
  # Linux, and no printf rounding-mode games (wasm has only round-to-nearest: fesetround cannot change it).
  sed -i \
    -e 's|^#define CONFIG_ATOMICS$|/* CONFIG_ATOMICS: off for wasm32-wasi, which has no threads */|' \
    -e 's|^#elif defined(__linux__)$|#elif defined(__linux__) \|\| defined(__wasi__)|' \
    -e 's|^#if !defined(_WIN32)$|#if !defined(_WIN32) \&\& !defined(__wasi__) /* wasm: round-to-nearest only */|' \
    "$src/quickjs.c"
  [ "$(grep -c '__wasi__' "$src/quickjs.c")" -eq 4 ] || { echo "build.sh: quickjs.c patch did not apply" >&2; exit 1; }
  zigcc -O2 -DCONFIG_VERSION="\"$(cat "$src/VERSION")\"" -DCONFIG_BIGNUM -D_GNU_SOURCE -I"$src" \
    -o "$here/qjs.wasm" "$here/src/qjs_main.c" \
    "$src/quickjs.c" "$src/libregexp.c" "$src/libunicode.c" "$src/cutils.c" "$src/libbf.c"
}

build_sqlite() {
  local src; src="$(sqlite_amalgamation)"
  # No threads, no extension loading (no dlopen), no WAL (it needs shared-memory mmap), no popen.
  # Relative source names: the debug build's UBSan data holds them, and must not depend on directories.
  cp "$here/src/sqlite_wasi.h" "$here/src/sqlite_wasi.c" "$src/"
  local flags=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_OMIT_POPEN
               -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID "${emulated[@]}" -include sqlite_wasi.h)
  local inputs=(shell.c sqlite3.c sqlite_wasi.c -lwasi-emulated-mman -lwasi-emulated-getpid "${emulated_libs[@]}")
  (cd "$src" && zigcc -O2 "${flags[@]}" -o "$here/sqlite3.wasm" "${inputs[@]}")
  # The same program unoptimized, as zig's Debug mode builds it (-O0 adds -fsanitize=undefined with zig's
  # UBSan runtime): about 5 MiB of code, the "5 MB real program" of issue 6.
  (cd "$src" && zigcc -O0 "${flags[@]}" -o "$here/sqlite3-debug.wasm" "${inputs[@]}")
}

for t in "$@"; do
  case "$t" in
    lua) build_lua ;;
    qjs) build_qjs ;;
    sqlite) build_sqlite ;;
    *) echo "build.sh: unknown target $t (lua, qjs, sqlite)" >&2; exit 2 ;;
  esac
done
cd "$here" && ls -l ./*.wasm
