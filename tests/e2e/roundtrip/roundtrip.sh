#!/usr/bin/env bash
# Round trip of every WIT type kind through a real component runtime
# (issue 5, must-show 3):
#  1. witgen writes the C bindings of wit/roundtrip.wit;
#  2. clang-19 compiles them with guest.c into a wasm32-wasi reactor module;
#  3. the oracle's `component new` makes it a component;
#  4. jco transpiles the component to JS (--instantiation async);
#  5. host.mjs runs it in Node, implementing `host` and checking every value
#     in both directions, and resource drops.
# Skipped (exit 77) when the oracle or clang-19 is missing.
# Usage: roundtrip.sh ORACLE_MODULES WITGEN WORK
set -euo pipefail
modules=$1 witgen=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$modules/.bin/jco" ] || [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"

"$witgen" --out-dir "$work" "$here/wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/roundtrip.c" "$here/guest.c" -o "$work/core.wasm"
node "$here/../../interop/oracle.mjs" new "$work/core.wasm" "$work/component.wasm"
"$modules/.bin/jco" transpile "$work/component.wasm" -o "$work/js" --name rt \
  --instantiation async -q >/dev/null
node "$here/host.mjs" "$work/js"
