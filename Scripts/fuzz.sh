#!/usr/bin/env bash
# `make fuzz`: runs the libFuzzer targets built into .build-fuzz, SECONDS split across them, one process each
# in turn (the machine is shared: one core), keeping corpora and crash artifacts under $FUZZ_DIR.
# Usage: Scripts/fuzz.sh BUILD_DIR SEEDS_TOOL SECONDS TARGET...
set -uo pipefail
build=$1 seeds_tool=$2 total=$3
shift 3
targets=("$@")
dir=${FUZZ_DIR:-.fuzz}
spec=${SPEC:-../shared/testsuite/wasm-2.0}
spec3=${SPEC3:-../shared/testsuite/wasm-3.0}
per=$(( total / ${#targets[@]} ))
(( per > 0 )) || per=1

# Seeds, once: every module of the 2.0 and 3.0 spec scripts, Kiln's own scripts and Fixtures/wasm (the 3.0
# scripts bring its syntax: typed references, tables with initializers, 64-bit limits …; the decode corpus also gets the
# assert_invalid and assert_malformed modules). The pipeline compiles each given module with clang, so it
# starts from a sample of the valid ones plus a few random files for wasm-opt -ttf.
if [[ ! -d $dir/seeds/fuzz-decode ]]; then
  "$seeds_tool" "$dir/seeds/fuzz-decode" "$dir/seeds/all-valid" "$spec"/*.wast "$spec3"/*.wast Fixtures/wast/*.wast \
    Fixtures/wasm/*.wasm Fixtures/bench/real/wasm/exceptions.wasm || exit 1
  mkdir -p "$dir/seeds/fuzz-pipeline"
  ls "$dir/seeds/all-valid" | awk 'NR % 25 == 0' | while read -r f; do cp "$dir/seeds/all-valid/$f" "$dir/seeds/fuzz-pipeline/"; done
  for i in $(seq 1 16); do head -c $(( 64 * i )) /dev/urandom > "$dir/seeds/fuzz-pipeline/ttf-$i.bin"; done
  # Legacy exception handling, which no script module WasmKit can encode has: a C++ program's.
  cp Fixtures/bench/real/wasm/exceptions.wasm "$dir/seeds/fuzz-pipeline/"
fi

summary=()
for target in "${targets[@]}"; do
  corpus=$dir/corpus/$target crashes=$dir/crashes/$target log=$dir/$target.log
  mkdir -p "$corpus" "$crashes"
  case $target in
    fuzz-decode) options=(-max_len=16384 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024) ;;
    fuzz-pipeline) options=(-max_len=4096 -timeout=120 -rss_limit_mb=4096) ;;
    *) echo "unknown fuzz target $target"; exit 2 ;;
  esac
  echo "== $target for ${per}s (log: $log)"
  # libFuzzer stops at the first crash: start it again (at most 20 times) until the time is used up.
  start=$(date +%s)
  : > "$log"
  restarts=0
  while (( $(date +%s) - start < per && restarts < 20 )); do
    restarts=$(( restarts + 1 ))
    left=$(( per - ($(date +%s) - start) ))
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1:allocator_may_return_null=1 \
      "$build/$target" "$corpus" "$dir/seeds/$target" "${options[@]}" -max_total_time=$left -detect_leaks=0 \
      -artifact_prefix="$crashes/" -print_final_stats=1 >> "$log" 2>&1
    status=$?
    (( status == 0 )) && break
    echo "   $target exited with $status (artifact in $crashes); continuing"
    sleep 1
  done
  elapsed=$(( $(date +%s) - start ))
  runs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')
  rate=$(( elapsed > 0 ? runs / elapsed : runs ))
  summary+=("$target: ${elapsed}s, $runs execs ($rate exec/s), corpus $(ls "$corpus" | wc -l) files, crashes $(ls "$crashes" | wc -l)")
  # fuzz-pipeline's own counts (built, instantiated, skipped), from its last process.
  last=$(grep -h "^$target: .* inputs" "$log" | tail -1)
  [[ -n $last ]] && summary+=("  $last")
done
printf '%s\n' "${summary[@]}"
