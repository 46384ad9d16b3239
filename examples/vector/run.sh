#!/usr/bin/env bash
# Builds and runs the VectorProcessor example: the guest (guest.c on
# witgen's guest bindings of wit/, clang-19 wasm32-wasi) made a component
# by `witgen new`, then run four ways:
#  1. the C host on the typed host bindings (host.c, CMake target
#     `vector_host`), which checks every value it gets;
#  2. `witgen run --invoke`, with the calls of calls.txt (the `log` import
#     traced on stderr: --trace-imports);
#  3. the C host on witgen/component.h (host_component.c, CMake target
#     `vector_host_component`), making the same calls;
#  4. jco (transpiled to JavaScript, host.mjs in Node), the same calls,
#     when the oracle (npm) is installed.
# 2, 3 and 4 print each result in WAVE, one a line: the outputs must be
# identical. `--rename example:vector/processor=vp` gives the interface the
# short prefix `vp` on both sides of the typed bindings.
# Usage: examples/vector/run.sh WITGEN HOST HOST_COMPONENT [WORK [NODE_MODULES]]
set -euo pipefail
witgen=$1 host=$2 host_component=$3 work=${4:-${TMPDIR:-/tmp}/witgen-vector}
modules=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$witgen" --rename example:vector/processor=vp --out-dir "$work" "$here/wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/vector.c" "$here/guest.c" -o "$work/core.wasm"
"$witgen" new "$work/core.wasm" -o "$work/vector.wasm"
"$witgen" wit "$work/vector.wasm"

echo "== 1. the typed host (host.c)"
"$host" "$work/vector.wasm"

echo "== 2. witgen run --invoke (calls.txt)"
invokes=()
while IFS= read -r call; do
  [ -n "$call" ] && invokes+=(--invoke "$call")
done <"$here/calls.txt"
"$witgen" run --trace-imports "$work/vector.wasm" "${invokes[@]}" \
  >"$work/invoke.out" 2>"$work/invoke.err"
cat "$work/invoke.out"
echo "== 3. the component.h host (host_component.c)"
"$host_component" "$work/vector.wasm" >"$work/component.out" 2>"$work/component.err"
cat "$work/component.out"
outputs=(invoke component)
if [ -n "$modules" ] && [ -x "$modules/.bin/jco" ] && command -v node >/dev/null; then
  echo "== 4. jco: transpiled to JavaScript, run by Node (host.mjs)"
  "$modules/.bin/jco" transpile "$work/vector.wasm" -o "$work/js" --name vector \
    --instantiation async -q >/dev/null
  node "$here/host.mjs" "$work/js" >"$work/jco.out" 2>"$work/jco.err"
  cat "$work/jco.out"
  outputs+=(jco)
else
  echo "NOTE jco (npm) not installed: witgen's two outputs compared only"
fi
status=0
for o in "${outputs[@]}"; do
  if ! diff -u "$work/invoke.out" "$work/$o.out" >"$work/$o.diff"; then
    echo "FAIL $o differs from witgen run --invoke:"
    cat "$work/$o.diff"
    status=1
  fi
done
[ $status -eq 0 ] &&
  echo "outputs identical (${outputs[*]}): $(wc -l <"$work/invoke.out") results"
exit $status
