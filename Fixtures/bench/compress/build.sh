#!/usr/bin/env bash
# Builds the real-program compression benchmarks (see README.md) from public sources: zlib (Debian's source
# archive), zstd and Brotli (PyPI sdists), each with the team's driver NAME_bench.c.
#
#   build.sh [wasm] [NAME...]     rebuild wasm/NAME.wasm (default: all of zlib zstd brotli), with
#                                 python3 -m ziglang cc -target wasm32-wasi -O2 -s (PyPI `ziglang`)
#   build.sh native NAME OUT      build NAME's native executable at OUT with ${CC:-clang} -O2
#
# Downloads (pip for the sdists; apt-get source through a private deb-src list for zlib, leaving the
# machine's apt configuration alone) are checked against pinned sha256 sums and kept, with the extracted
# trees, in ${KILN_BENCH_SOURCES:-<repo>/.build/bench-sources}: once that holds them, builds need no network.
# The wasm outputs are committed; the benchmarks run those, and build the native baseline at bench time.
set -euo pipefail
export LC_ALL=C # the order of globbed sources, hence the module's bytes
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
sources="${KILN_BENCH_SOURCES:-$repo/.build/bench-sources}"
programs=(zlib zstd brotli)

die() { echo "build.sh: $*" >&2; exit 1; }
usage() {
  echo "usage: build.sh [wasm] [NAME...] | build.sh native NAME OUT   (NAME: ${programs[*]})" >&2
  exit 2
}

sha_ok() { # FILE SHA256
  [ -f "$1" ] && echo "$2  $1" | sha256sum -c --quiet - >/dev/null 2>&1
}

# The pinned sources: archive file name, its sha256, the directory it extracts to.
zlib_archive=zlib_1.2.13.dfsg.orig.tar.bz2
zlib_sha256=71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1
zlib_tree=zlib-1.2.13.dfsg
zstd_archive=zstandard-0.25.0.tar.gz
zstd_sha256=7713e1179d162cf5c7906da876ec2ccb9c3a9dcbdffef0cc7f70c3667a205f0b
zstd_tree=zstandard-0.25.0
brotli_archive=brotli-1.2.0.tar.gz
brotli_sha256=e310f77e41941c13340a95976fe66a8a95b01e783d430eeaf7a2f87e0a57dd0a
brotli_tree=brotli-1.2.0

fetch_pypi() { # NAME VERSION DEST: an sdist, with pip
  local tmp; tmp="$(mktemp -d "$sources/.pip.XXXXXX")"
  pip download --quiet --no-deps --no-binary :all: "$1==$2" -d "$tmp" >&2 || { rm -rf "$tmp"; die "pip download $1==$2 failed"; }
  local got=("$tmp"/*)
  [ ${#got[@]} -eq 1 ] || { rm -rf "$tmp"; die "pip download $1==$2 gave ${#got[@]} files"; }
  mv "${got[0]}" "$3"
  rm -rf "$tmp"
}

fetch_debian() { # SOURCE-PACKAGE FILE DEST: a file of a bookworm source package, with apt-get source
  local apt="$sources/.apt"
  mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
  cat > "$apt/parts/bookworm-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists"
              -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" -qq update
  local tmp; tmp="$(mktemp -d "$sources/.apt-source.XXXXXX")"
  (cd "$tmp" && apt-get "${opts[@]}" -qq source --download-only "$1" >&2) || { rm -rf "$tmp"; die "apt-get source $1 failed"; }
  [ -f "$tmp/$2" ] || { rm -rf "$tmp"; die "apt-get source $1 did not bring $2 (has bookworm moved on?)"; }
  mv "$tmp/$2" "$3"
  rm -rf "$tmp"
}

# Prints the directory of NAME's extracted source tree, downloading and extracting it when the cache lacks it.
source_tree() { # NAME
  local archive_var="$1_archive" sha_var="$1_sha256" tree_var="$1_tree"
  local archive="${!archive_var}" sha="${!sha_var}" tree="$sources/${!tree_var}"
  if [ -f "$tree/.kiln-source" ] && [ "$(cat "$tree/.kiln-source")" = "$sha" ]; then
    echo "$tree"
    return
  fi
  mkdir -p "$sources/dl"
  local file="$sources/dl/$archive"
  if ! sha_ok "$file" "$sha"; then
    rm -f "$file"
    case "$1" in
      zlib) fetch_debian zlib "$archive" "$file" ;;
      zstd) fetch_pypi zstandard 0.25.0 "$file" ;;
      brotli) fetch_pypi brotli 1.2.0 "$file" ;;
    esac
    sha_ok "$file" "$sha" || die "$file is not the expected source (sha256 $(sha256sum "$file" | cut -c1-64), want $sha)"
  fi
  local tmp; tmp="$(mktemp -d "$sources/.extract.XXXXXX")"
  tar xf "$file" -C "$tmp" --no-same-owner
  [ -d "$tmp/${!tree_var}" ] || { rm -rf "$tmp"; die "$archive has no ${!tree_var}/"; }
  if [ "$1" = zstd ]; then
    # The amalgamated zstd.c turns on ZSTD_MULTITHREAD (pthreads) everywhere but Emscripten: the benchmark
    # is single-threaded, and wasm32-wasi has no threads.
    sed -i 's|^#define ZSTD_MULTITHREAD$|/* ZSTD_MULTITHREAD: off (Kiln benchmark: single-threaded) */|' \
      "$tmp/${!tree_var}/zstd/zstd.c"
    grep -q '^/\* ZSTD_MULTITHREAD: off' "$tmp/${!tree_var}/zstd/zstd.c" || { rm -rf "$tmp"; die "zstd.c patch did not apply"; }
  fi
  echo "$sha" > "$tmp/${!tree_var}/.kiln-source"
  rm -rf "$tree"
  mv "$tmp/${!tree_var}" "$tree" 2>/dev/null || [ -f "$tree/.kiln-source" ] # a concurrent build got there first
  rm -rf "$tmp"
  echo "$tree"
}

# Sets flags and inputs (relative to the tree) for NAME, and tree to its source directory.
# -w: the libraries' own warnings (K&R definitions in zlib 1.2.13) are not the benchmark's business.
configure() { # NAME
  tree="$(source_tree "$1")"
  case "$1" in
    zlib)
      flags=(-w -I.)
      inputs=(adler32.c compress.c crc32.c deflate.c inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c) ;;
    zstd)
      # No assembly (the amalgamation defines ZSTD_DISABLE_ASM itself too), and no run-time BMI2 dispatch:
      # the native baseline runs the same x86-64 baseline code paths that Kiln's output can.
      tree="$tree/zstd"
      flags=(-w -I. -DZSTD_DISABLE_ASM -DDYNAMIC_BMI2=0)
      inputs=(zstd.c) ;;
    brotli)
      tree="$tree/c"
      flags=(-w -Iinclude)
      inputs=('common/*.c' 'dec/*.c' 'enc/*.c' -lm) ;; # patterns, expanded in the tree
    *) usage ;;
  esac
}

build_wasm() { # NAME
  configure "$1"
  mkdir -p "$here/wasm"
  # Relative library paths: nothing of the cache's location gets into the module.
  (cd "$tree" && python3 -m ziglang cc -target wasm32-wasi -O2 -s "${flags[@]}" -o "$here/wasm/$1.wasm.tmp" \
    "$here/$1_bench.c" $(printf '%s\n' "${inputs[@]}"))
  mv "$here/wasm/$1.wasm.tmp" "$here/wasm/$1.wasm"
}

build_native() { # NAME OUT
  configure "$1"
  local out="$2"
  case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
  (cd "$tree" && ${CC:-clang} -O2 "${flags[@]}" -o "$out" "$here/$1_bench.c" $(printf '%s\n' "${inputs[@]}"))
}

mkdir -p "$sources"
if [ "${1:-}" = native ]; then
  [ $# -eq 3 ] || usage
  case " ${programs[*]} " in *" $2 "*) ;; *) usage ;; esac
  build_native "$2" "$3"
  exit 0
fi
[ "${1:-}" = wasm ] && shift
[ $# -gt 0 ] || set -- "${programs[@]}"
for name in "$@"; do
  case " ${programs[*]} " in *" $name "*) ;; *) usage ;; esac
done
for name in "$@"; do build_wasm "$name"; done
cd "$here/wasm" && ls -l "${@/%/.wasm}"
