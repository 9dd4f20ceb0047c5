# Download helpers, sourced by Fixtures/large/build.sh and Fixtures/bench/real/build.sh.
# The caller sets $sources: the directory that downloads go to and that sources are extracted into.
# A download already there with the expected sha256 is not fetched again, and a tree already extracted
# is kept, so a persistent $sources (Fixtures/bench/real) is a cache; Fixtures/large/build.sh uses a fresh
# temporary one. Every download is checked against its sha256.

check() { # FILE SHA256
  echo "$2  $1" | sha256sum -c --quiet - || { echo "build.sh: $1 is not the expected source" >&2; exit 1; }
}

# pip's --no-binary: :all: (the default) builds the sdist's build dependencies from source too; NAME only
# the sdist itself (its build dependencies come as wheels, which is quicker).
pip_no_binary="${pip_no_binary:-:all:}"

pypi_sdist() { # NAME VERSION SHA256 -> extracts into $sources, prints the directory
  local file="$sources/dl/$1-$2.tar.gz" dir="$sources/$1-$2"
  if ! { [ -f "$file" ] && echo "$3  $file" | sha256sum -c --quiet - >/dev/null 2>&1; }; then
    # pip runs the sdist's setup.py for its metadata; LUPA_NO_LUAJIT keeps lupa's from building LuaJIT.
    LUPA_NO_LUAJIT=true pip download --quiet --no-deps --no-binary "$pip_no_binary" "$1==$2" -d "$sources/dl" >&2
    # Newer sdists are named after the normalized project name (python_rapidjson-1.25.tar.gz).
    local norm="${1//-/_}"
    [ -f "$file" ] || [ ! -f "$sources/dl/$norm-$2.tar.gz" ] || mv "$sources/dl/$norm-$2.tar.gz" "$file"
  fi
  check "$file" "$3"
  if [ ! -d "$dir" ]; then
    local top; top="$(tar tzf "$file" | head -1 | cut -d/ -f1)"
    tar xzf "$file" -C "$sources"
    [ "$top" = "$1-$2" ] || mv "$sources/$top" "$dir"
  fi
  echo "$dir"
}

sqlite_amalgamation() { # -> prints the SQLite 3.40.1 source directory, with sqlite3.c and shell.c generated
  # SQLite 3.40.1: Debian bookworm's upstream tarball (source package sqlite3 3.40.1-2+deb12u2; any 3.40.1 revision has the same tarball), fetched with
  # apt-get source through a private deb-src list (the machine's apt configuration is left alone), without
  # Debian's patches. Its amalgamation (sqlite3.c, shell.c) is generated natively with tclsh.
  local apt="$sources/apt" opts tarball="$sources/apt/sqlite3_3.40.1.orig.tar.xz"
  local sha=aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655
  if ! { [ -f "$tarball" ] && echo "$sha  $tarball" | sha256sum -c --quiet - >/dev/null 2>&1; }; then
    mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
    cat > "$apt/parts/bookworm-src.sources" <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists"
          -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" -qq update >&2
    (cd "$apt" && apt-get "${opts[@]}" -qq source --download-only sqlite3 >&2)
  fi
  check "$tarball" "$sha"
  local src="$sources/sqlite3-3.40.1"
  if [ ! -f "$src/sqlite3.c" ] || [ ! -f "$src/shell.c" ]; then
    rm -rf "$src"
    tar xJf "$tarball" -C "$sources"
    (cd "$src" && ./configure --disable-tcl >/dev/null && make sqlite3.c shell.c >/dev/null)
  fi
  echo "$src"
}
