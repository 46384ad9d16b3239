#!/usr/bin/env bash
# Builds and runs the multi-component example: three C components on
# witgen's guest bindings of wit/multi.wit (clang-19 wasm32-wasi, made
# components by `witgen new`): kv (the store), fmt (the formatter) and app
# (the notes service importing both). The requests of calls.txt are then
# answered four ways, in one instance each time:
#  1. linked at run time: witgen run app.wasm --link kv.wasm --link fmt.wasm
#  1b. linked at run time by a C host on witgen/component.h (host.c, CMake
#     target `multi_host`: a WgComponentGraph)
#  2. plugged into one file: witgen plug app.wasm --plug kv.wasm --plug fmt.wasm
#  3. composed into one file by multi.wac: witgen compose
#  4. the file of 3 run by jco in Node (client.mjs), when the oracle (npm)
#     is installed.
# Each prints the responses in WAVE, one a line: the outputs must be
# identical.
# Usage: examples/multi/run.sh WITGEN MULTI_HOST [WORK [NODE_MODULES]]
set -euo pipefail
witgen=$1 host=$2 work=${3:-${TMPDIR:-/tmp}/witgen-multi} modules=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
for c in kv fmt app; do
  "$witgen" --world "$c" --out-dir "$work" "$here/wit"
  clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
    -I"$work" -I"$here" "$work/$c.c" "$here/$c.c" -o "$work/$c.core.wasm"
  "$witgen" new "$work/$c.core.wasm" -o "$work/$c.wasm"
done
invokes=()
while IFS= read -r call; do
  [ -n "$call" ] && invokes+=(--invoke "$call")
done <"$here/calls.txt"

echo "== 1. linked at run time: witgen run app.wasm --link kv.wasm --link fmt.wasm"
"$witgen" run "$work/app.wasm" --link "$work/kv.wasm" --link "$work/fmt.wasm" \
  "${invokes[@]}" >"$work/linked.out"
cat "$work/linked.out"
echo "== 1b. linked at run time by the component.h host (host.c)"
(cd "$work" && "$host" app.wasm kv.wasm fmt.wasm "$here/calls.txt" \
  >host.out 2>host.err)
cat "$work/host.err"
echo "(same requests, $(wc -l <"$work/host.out") responses)"
echo "== 2. plugged: witgen plug app.wasm --plug kv.wasm --plug fmt.wasm"
"$witgen" plug "$work/app.wasm" --plug "$work/kv.wasm" --plug "$work/fmt.wasm" \
  -o "$work/plugged.wasm"
"$witgen" run "$work/plugged.wasm" "${invokes[@]}" >"$work/plugged.out"
echo "(same requests, $(wc -l <"$work/plugged.out") responses)"
echo "== 3. composed: witgen compose multi.wac"
"$witgen" compose "$here/multi.wac" --dep example:kv="$work/kv.wasm" \
  --dep example:fmt="$work/fmt.wasm" --dep example:app="$work/app.wasm" \
  -o "$work/multi.wasm"
"$witgen" wit "$work/multi.wasm"
"$witgen" run "$work/multi.wasm" "${invokes[@]}" >"$work/composed.out"
echo "(same requests, $(wc -l <"$work/composed.out") responses)"
outputs=(host plugged composed)
if [ -n "$modules" ] && [ -x "$modules/.bin/jco" ] && command -v node >/dev/null; then
  echo "== 4. jco: multi.wasm transpiled to JavaScript, run by Node (client.mjs)"
  "$modules/.bin/jco" transpile "$work/multi.wasm" -o "$work/js" --name multi \
    --instantiation async -q >/dev/null
  node "$here/client.mjs" "$work/js" "$here/calls.txt" >"$work/jco.out"
  echo "(same requests, $(wc -l <"$work/jco.out") responses)"
  outputs+=(jco)
else
  echo "NOTE jco (npm) not installed: witgen's outputs compared only"
fi
status=0
for o in "${outputs[@]}"; do
  if ! diff -u "$work/linked.out" "$work/$o.out" >"$work/$o.diff"; then
    echo "FAIL $o differs from the run-time linked run:"
    cat "$work/$o.diff"
    status=1
  fi
done
[ $status -eq 0 ] &&
  echo "outputs identical (linked ${outputs[*]}): $(wc -l <"$work/linked.out") responses"
exit $status
