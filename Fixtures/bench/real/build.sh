#!/usr/bin/env bash
# Builds Fixtures/bench/real: real programs from public sources (see README.md).
#   build.sh [wasm [NAME...]]   rebuilds wasm/NAME.wasm (yyjson, monocypher, rapidjson, exceptions; default all) with
#                               PyPI `ziglang`: zig cc / zig c++ -target wasm32-wasi -O2 -s
#   build.sh native NAME OUT    builds the native executable of NAME (yyjson, monocypher, rapidjson, exceptions, lua,
#                               qjs, sqlite3) at OUT with ${CC:-clang} / ${CXX:-clang++} -O2
# lua, qjs and sqlite3 run as wasm from ../../large/*.wasm (built by Fixtures/large/build.sh); natively they
# are built here from the same sources, the same way. Downloads (checked by sha256) and extracted trees are
# kept in ${KILN_BENCH_SOURCES:-<repo>/.build/bench-sources}, so repeated native builds do not fetch again.
# Needs the network the first time (PyPI through pip; for SQLite Debian's source archive through apt-get,
# and a native cc, make and tclsh to generate its amalgamation).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
large="$(cd "$here/../../large" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
sources="${KILN_BENCH_SOURCES:-$repo/.build/bench-sources}"
mkdir -p "$sources"
. "$large/sources.sh"
sdist() { pip_no_binary="$1" pypi_sdist "$@"; } # pip builds only the sdist itself from source, not its build dependencies

# Sources, pinned (see README.md).
yyjson_src() { echo "$(sdist yyjson 4.0.6 fcd4dc15c1e39a30bf9fa85d56903029111506860fc3080ab0d81c6c6dacaa8c)/yyjson"; }
monocypher_src() { sdist pymonocypher 4.0.3.4 5e56e3d3eb770a53e0b9f6274146663c11a11f3d0de5cd48e3be0428d1b07a4a; }
rapidjson_src() { echo "$(sdist python-rapidjson 1.25 97c1de449552ec28ac5ae89350c2b53e4c5d21a9b4308d7a1630b1099e5db9fc)/rapidjson/include"; }
lua_src() { echo "$(sdist lupa 2.8 d8022641b9ec8ecf2c5ecbe9f47e5a70e0b87c4b5ae921b92cb02a638e0acd08)/third-party/lua54"; }
qjs_src() { echo "$(sdist quickjs 1.19.4 1205953abc24ff757f4a795304d5d61e4bf1e555c9ef6ec96a132d4b95535484)/upstream-quickjs"; }

# build NAME MODE OUT: MODE is wasm or native.
build() {
  local name="$1" mode="$2" out="$3" cc cxx src
  if [ "$mode" = wasm ]; then
    cc=(python3 -m ziglang cc -target wasm32-wasi -O2 -s)
    cxx=(python3 -m ziglang c++ -target wasm32-wasi -O2 -s -fno-exceptions)
  else
    # shellcheck disable=SC2206 # $CC may carry a launcher or flags
    cc=(${CC:-clang} -O2)
    # shellcheck disable=SC2206
    cxx=(${CXX:-clang++} -O2 -fno-exceptions)
  fi
  case "$name" in
    yyjson)
      src="$(yyjson_src)"
      "${cc[@]}" -I"$src" -o "$out" "$here/yyjson_bench.c" "$src/yyjson.c" -lm ;;
    monocypher)
      src="$(monocypher_src)"
      "${cc[@]}" -I"$src" -o "$out" "$here/monocypher_bench.c" "$src/monocypher.c" ;;
    rapidjson)
      src="$(rapidjson_src)"
      # RAPIDJSON_64BIT=1 on wasm32 too, as RapidJSON sets it for Emscripten: its 32-bit number parser
      # accumulates a long significand in a double, which parses 17-digit decimals 1 ulp away from the 64-bit
      # path (what x86-64 takes). No SSE paths (RAPIDJSON_SSE2/SSE42/NEON are off unless defined), so both
      # builds run the same C++.
      "${cxx[@]}" -std=c++17 -DRAPIDJSON_64BIT=1 -I"$src" -o "$out" "$here/rapidjson_bench.cpp" ;;
    exceptions)
      # C++ exceptions on wasm: zig builds libc++abi without them, so libc++abi's throw/catch and personality
      # (cxa_exception.cpp, cxa_personality.cpp) and libunwind's wasm unwinder come from the LLVM sources zig
      # ships (PyPI ziglang 0.17.1, Apache-2.0 WITH LLVM-exception), built with -fwasm-exceptions, plus the
      # tag of wasm_cxx_eh.c. LLVM writes the legacy try/catch/delegate/rethrow, its default.
      if [ "$mode" = wasm ]; then
        local zig; zig="$(python3 -c 'import os, ziglang; print(os.path.dirname(ziglang.__file__))')/lib"
        python3 -m ziglang c++ -target wasm32-wasi -mcpu=generic+exception_handling -O2 -s -fwasm-exceptions \
          -D_LIBCXXABI_BUILDING_LIBRARY -D_LIBCPP_ENABLE_CXX17_REMOVED_UNEXPECTED_FUNCTIONS -DHAS_THREAD_LOCAL \
          -D_LIBUNWIND_HIDE_SYMBOLS -I"$zig/libcxx/src" -I"$zig/libcxxabi/include" -I"$zig/libunwind/include" \
          -o "$out" "$here/exceptions_bench.cpp" "$zig/libcxxabi/src/cxa_exception.cpp" \
          "$zig/libcxxabi/src/cxa_personality.cpp" "$zig/libunwind/src/Unwind-wasm.c" "$here/wasm_cxx_eh.c"
      else
        # shellcheck disable=SC2206
        ${CXX:-clang++} -O2 -std=c++17 -o "$out" "$here/exceptions_bench.cpp"
      fi ;;
    lua|qjs|sqlite3)
      [ "$mode" = native ] || { echo "build.sh: $name runs as ../../large/$name.wasm (Fixtures/large/build.sh builds it)" >&2; exit 2; }
      native_interpreter "$name" "$out" ;;
    *) echo "build.sh: unknown program $name (yyjson, monocypher, rapidjson, exceptions, lua, qjs, sqlite3)" >&2; exit 2 ;;
  esac
}

# The interpreters natively, from Fixtures/large/build.sh's sources and flags, less what only WASI needs.
native_interpreter() {
  local name="$1" out="$2" src
  # shellcheck disable=SC2206
  local cc=(${CC:-clang} -O2)
  case "$name" in
    lua)
      # The same forced include as the wasm build: an error exits instead of unwinding, natively too.
      src="$(lua_src)"
      "${cc[@]}" -include "$large/src/lua_wasi.h" -I"$src" -o "$out" "$src/onelua.c" "$large/src/lua_wasi.c" -lm ;;
    qjs)
      # Fixtures/large/build.sh's three sed edits only change what __wasi__ builds get: not needed here.
      src="$(qjs_src)"
      "${cc[@]}" -DCONFIG_VERSION="\"$(cat "$src/VERSION")\"" -DCONFIG_BIGNUM -D_GNU_SOURCE -I"$src" -o "$out" \
        "$large/src/qjs_main.c" "$src/quickjs.c" "$src/libregexp.c" "$src/libunicode.c" "$src/cutils.c" "$src/libbf.c" -lm ;;
    sqlite3)
      # The same SQLITE_ options, without src/sqlite_wasi.h: its getuid/geteuid/fchown macros and lock
      # constants stand in for what WASI lacks, and clash with glibc's (geteuid and fchown are also names in
      # SQLite's system-call table). The workload uses only :memory:, which no VFS difference touches.
      src="$(sqlite_amalgamation)"
      "${cc[@]}" -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_OMIT_POPEN \
        -I"$src" -o "$out" "$src/shell.c" "$src/sqlite3.c" -lm ;;
  esac
}

mode="${1:-wasm}"
case "$mode" in
  wasm)
    shift $(( $# > 0 ? 1 : 0 ))
    [ $# -gt 0 ] || set -- yyjson monocypher rapidjson exceptions
    mkdir -p "$here/wasm"
    for name in "$@"; do build "$name" wasm "$here/wasm/$name.wasm"; done
    (cd "$here/wasm" && ls -l ./*.wasm) ;;
  native)
    [ $# -eq 3 ] || { echo "usage: build.sh native NAME OUT" >&2; exit 2; }
    out="$3"; case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
    build "$2" native "$out" ;;
  *) echo "usage: build.sh [wasm [NAME...]] | build.sh native NAME OUT" >&2; exit 2 ;;
esac
