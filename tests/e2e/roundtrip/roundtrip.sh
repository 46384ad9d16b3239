#!/usr/bin/env bash
# Round trip of every WIT type kind through a real component runtime
# (issue 5, must-show 3):
#  1. witgen writes the C bindings of wit/roundtrip.wit;
#  2. clang-19 compiles them with guest.c into a wasm32-wasi reactor module;
#  3. the oracle's `component new` makes it a component, and so does
#     `witgen new` (while it refuses the world as "not supported yet", that
#     run is skipped with a note);
#  4. jco transpiles each component to JS (--instantiation async);
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
node "$here/../../interop/oracle.mjs" new "$work/core.wasm" "$work/oracle.wasm"
components=(oracle)
if "$witgen" new "$work/core.wasm" -o "$work/witgen.wasm" 2>"$work/new.err"; then
  components+=(witgen)
elif grep -q "not supported yet" "$work/new.err"; then
  echo "NOTE witgen new skipped: $(head -1 "$work/new.err")"
else
  cat "$work/new.err" >&2
  exit 1
fi
for c in "${components[@]}"; do
  echo "== component made by $c new"
  "$modules/.bin/jco" transpile "$work/$c.wasm" -o "$work/js-$c" --name rt \
    --instantiation async -q >/dev/null
  node "$here/host.mjs" "$work/js-$c"
done
