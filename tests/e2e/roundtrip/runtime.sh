#!/usr/bin/env bash
# The round trip on witgen's own component runtime (issue 14, must-show 2):
#  1. the C guest of guest.c is built as for roundtrip.sh (witgen bindings,
#     clang-19 wasm32-wasi reactor) and made a component by `witgen new`
#     and, when the oracle is installed, by wasm-tools' `component new`;
#  2. HOST (host.c, on witgen/component.h) runs each: the 132 checks of
#     host.mjs;
#  3. with the oracle, jco runs each too (host.mjs) and both write a value
#     log: the logs must be identical (a differential check of every value
#     that crossed the boundary, both ways).
# Skipped (exit 77) when clang-19 is missing; without the oracle only the
# `witgen new` component runs, with no differential check.
# Usage: runtime.sh WITGEN HOST WORK [ORACLE_MODULES]
set -euo pipefail
witgen=$1 host=$2 work=$3 modules=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$witgen" --out-dir "$work" "$here/wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/roundtrip.c" "$here/guest.c" -o "$work/core.wasm"
"$witgen" new "$work/core.wasm" -o "$work/witgen.wasm"
components=(witgen)
oracle=no
if [ -n "$modules" ] && [ -x "$modules/.bin/jco" ] &&
   [ -d "$modules/@bytecodealliance/jco-transpile" ] && command -v node >/dev/null; then
  oracle=yes
  export NODE_PATH=$modules
  node "$here/../../interop/oracle.mjs" new "$work/core.wasm" "$work/oracle.wasm"
  components+=(oracle)
else
  echo "NOTE oracle not installed: only the witgen-made component, no differential check"
fi
status=0
for c in "${components[@]}"; do
  echo "== component made by $c new, run by witgen's runtime"
  "$host" "$work/$c.wasm" --log "$work/$c.witgen.log" || status=1
  if [ $oracle = yes ]; then
    echo "== the same component run by jco: value logs compared"
    "$modules/.bin/jco" transpile "$work/$c.wasm" -o "$work/js-$c" --name rt \
      --instantiation async -q >/dev/null
    node "$here/host.mjs" "$work/js-$c" --log "$work/$c.jco.log" || status=1
    if diff -u "$work/$c.jco.log" "$work/$c.witgen.log" >"$work/$c.diff"; then
      echo "value logs identical: $(wc -l <"$work/$c.witgen.log") cases"
    else
      echo "FAIL value logs differ (jco -, witgen +):"
      head -40 "$work/$c.diff"
      status=1
    fi
  fi
done
exit $status
