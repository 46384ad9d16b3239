#!/usr/bin/env bash
# Semver-compatible versions (issue 15): the guest of guest.c built against
# v0.2.3/kv.wit (witgen bindings, clang-19, witgen new), run by HOST
# (host.c, on host bindings made from v0.2.12/kv.wit).
# Skipped (exit 77) when clang-19 is missing.
# Usage: run.sh WITGEN HOST WORK
set -euo pipefail
witgen=$1 host=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$witgen" --out-dir "$work" "$here/v0.2.3/kv.wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/kv.c" "$here/guest.c" -o "$work/core.wasm"
"$witgen" new "$work/core.wasm" -o "$work/kv.wasm"
"$witgen" wit "$work/kv.wasm" | grep -E "import|export"
"$host" "$work/kv.wasm"
