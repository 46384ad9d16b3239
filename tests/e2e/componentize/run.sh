#!/usr/bin/env bash
# Issue 14, must-show 3: a component made by componentize-js (npm) from a
# few lines of JavaScript (greet.js, world greet.wit) runs on witgen's
# runtime: `witgen run --invoke 'greet("...")'` must print what jco
# (transpiled to JavaScript, run by Node) returns. The component carries
# SpiderMonkey (about 12 MB) and imports WASI (stdio, filesystem,
# wall-clock), served by witgen's WASI 0.2 host under --invoke: shout()
# calls console.log, which must print through wasi:cli/stdout exactly what
# jco (on the preview2-shim) prints, before the result. Clocks and random
# are left out of the build (the engine would read the monotonic clock on
# every call).
# The component is made once per build tree (componentize-js takes 10-25
# s) and remade when greet.js, greet.wit or componentize-js change.
# Skipped (77) without the oracle.
# Usage: run.sh WITGEN NODE_MODULES WORK
set -euo pipefail
witgen=$1 modules=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
cjs=$modules/@bytecodealliance/componentize-js
if [ ! -f "$cjs/package.json" ] || [ ! -x "$modules/.bin/jco" ] || ! command -v node >/dev/null; then
  echo "componentize-js (npm, with jco) not installed: skipped"
  exit 77
fi
mkdir -p "$work"
stamp=$(cat "$here/greet.js" "$here/greet.wit" "$here/make.mjs" "$cjs/package.json" | md5sum | cut -c1-16)
if [ ! -f "$work/greet.wasm" ] || [ "$(cat "$work/stamp" 2>/dev/null)" != "$stamp" ]; then
  NODE_PATH=$modules node "$here/make.mjs" "$here/greet.js" "$here/greet.wit" greeter \
    "$work/greet.wasm" clocks,random,http,fetch-event
  echo "$stamp" >"$work/stamp"
fi
echo "component: $(wc -c <"$work/greet.wasm") bytes"
"$witgen" validate "$work/greet.wasm"
"$witgen" wit "$work/greet.wasm" | grep -E '^  (import|export)'
rm -rf "$work/js" && mkdir -p "$work/js"
ln -sfn "$modules" "$work/js/node_modules" # the WASI shim, for the ES module
"$modules/.bin/jco" transpile "$work/greet.wasm" -o "$work/js" --name greet -q >/dev/null
status=0
# compare FUNC NAME: witgen run --invoke 'FUNC("NAME")' prints (stdout, the
# component's console.log included) what jco prints, and exits 0
compare() {
  local func=$1 name=$2 arg ours theirs start end rc
  arg=${name//\\/\\\\}
  arg=${arg//\"/\\\"}
  start=$(date +%s%N)
  set +e
  ours=$("$witgen" run "$work/greet.wasm" --invoke "$func(\"$arg\")" 2>"$work/err")
  rc=$?
  set -e
  end=$(date +%s%N)
  theirs=$(node "$here/call.mjs" "$work/js" "$func" "$name")
  echo "witgen run --invoke '$func(\"$arg\")' ($(( (end - start) / 1000000 )) ms: load, instantiate, call):"
  printf '%s\n' "$ours" | sed 's/^/  /'
  echo "jco (Node):"
  printf '%s\n' "$theirs" | sed 's/^/  /'
  if [ $rc -ne 0 ]; then
    echo "FAIL $func: exit $rc"
    cat "$work/err"
    status=1
  elif [ "$ours" != "$theirs" ]; then
    echo "FAIL $func: the outputs differ"
    status=1
  elif [ "$func" = shout ] && [ "$(printf '%s\n' "$ours" | head -1)" != "$name" ]; then
    # jco and witgen agreeing on printing nothing would pass the comparison
    echo "FAIL shout: console.log did not print '$name'"
    status=1
  fi
}
for name in world 'Wasm "components" ☃'; do
  compare greet "$name"
done
# console.log through the WASI 0.2 host: the line, then the result
for name in hi 'Ünïcode "quoted" ☃'; do
  compare shout "$name"
done
# --trace-imports traces only imports the WASI 0.2 host lacks (here none):
# console.log still prints, no WASI call is traced
set +e
traced=$("$witgen" run --trace-imports "$work/greet.wasm" --invoke 'shout("hi")' 2>"$work/trace.err")
rc=$?
set -e
if [ $rc -ne 0 ] || [ "$traced" != $'hi\n"HI"' ] || grep -q 'import wasi:' "$work/trace.err"; then
  echo "FAIL --trace-imports: exit $rc, stdout '$traced', $(head -2 "$work/trace.err")"
  status=1
else
  echo "--trace-imports: WASI imports stay real (console.log printed, none traced)"
fi
exit $status
