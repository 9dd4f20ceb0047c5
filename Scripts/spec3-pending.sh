#!/usr/bin/env bash
# Runs each file of Tests/spec-3.0-pending.txt and lists those that now pass: their lines can go.
# Usage: Scripts/spec3-pending.sh KILN [SPEC3_DIR]
set -euo pipefail
kiln=$1
spec=${2:-../shared/testsuite/wasm-3.0}
cd "$(dirname "$0")/.."
for file in $(sed 's/#.*//' Tests/spec-3.0-pending.txt | awk '{print $1}'); do
  if "$kiln" wast "$spec/$file" >/dev/null 2>&1; then echo "passes now: $file"; fi
done
