#!/usr/bin/env bash
# Hostile inputs to the export trampolines (issue 5, must-show 4): builds the
# round-trip guest's core module (witgen bindings + guest.c, clang-19
# wasm32-wasi reactor) and the one of wide/ (flags of 33 and 65 members),
# and runs HOSTILE on them in our interpreter.
# Skipped (exit 77) when clang-19 is missing.
# Usage: hostile.sh WITGEN HOSTILE WORK
set -euo pipefail
witgen=$1 hostile=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$witgen" --out-dir "$work" "$here/wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/roundtrip.c" "$here/guest.c" -o "$work/core.wasm"
"$witgen" --out-dir "$work" "$here/wide/wide.wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/wide.c" "$here/wide/guest.c" -o "$work/wide.wasm"
"$hostile" "$work/core.wasm" "$work/wide.wasm"
