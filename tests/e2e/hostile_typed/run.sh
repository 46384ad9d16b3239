#!/usr/bin/env bash
# Hostile guest results to a typed host (issue 15, must-show 4): builds the
# guest of guest.c (witgen bindings of hostile.wit, clang-19 wasm32-wasi
# reactor, witgen new) and runs HOST (host.c, on the typed host bindings)
# on it. Skipped (exit 77) when clang-19 is missing.
# Usage: run.sh WITGEN HOST WORK
set -euo pipefail
witgen=$1 host=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$witgen" --out-dir "$work" "$here/hostile.wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/hostile.c" "$here/guest.c" -o "$work/core.wasm"
"$witgen" new "$work/core.wasm" -o "$work/hostile.wasm"
"$host" "$work/hostile.wasm"
