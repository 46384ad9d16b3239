#!/usr/bin/env bash
# The round trip on witgen's runtime with a host written on the typed host
# bindings (issue 15, must-show 2): the C guest of guest.c is built as for
# runtime.sh (witgen bindings, clang-19 wasm32-wasi reactor) and made a
# component by `witgen new` and, when the oracle is installed, by
# wasm-tools' `component new`; HOST (host_typed.c, on the header `witgen
# --host` writes for wit/) runs each: the 132 checks of host.c, resources
# counted on both sides.
# Skipped (exit 77) when clang-19 is missing.
# Usage: typed.sh WITGEN HOST WORK [ORACLE_MODULES]
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
if [ -n "$modules" ] && [ -d "$modules/@bytecodealliance/jco-transpile" ] &&
   command -v node >/dev/null; then
  export NODE_PATH=$modules
  node "$here/../../interop/oracle.mjs" new "$work/core.wasm" "$work/oracle.wasm"
  components+=(oracle)
else
  echo "NOTE oracle not installed: only the witgen-made component"
fi
status=0
for c in "${components[@]}"; do
  echo "== component made by $c new, host on the typed bindings"
  "$host" "$work/$c.wasm" || status=1
done
exit $status
