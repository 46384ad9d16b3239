#!/usr/bin/env bash
# Issue 14, must-show 3: a component made by componentize-js (npm) from a
# few lines of JavaScript (greet.js, world greet.wit) runs on witgen's
# runtime: `witgen run --invoke 'greet("...")'` must print what jco
# (transpiled to JavaScript, run by Node) returns. The component carries
# SpiderMonkey (about 12 MB) and imports WASI (stdio, filesystem,
# wall-clock): witgen run makes those imports trapping stubs, which greet
# never calls (shout does: console.log; it traps naming the import). Clocks and random are left out of the build (the engine
# reads the monotonic clock on every call, which needs the WASI 0.2 host).
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
status=0
for name in world 'Wasm "components" ☃'; do
  arg=${name//\\/\\\\}
  arg=${arg//\"/\\\"}
  start=$(date +%s%N)
  ours=$("$witgen" run "$work/greet.wasm" --invoke "greet(\"$arg\")")
  end=$(date +%s%N)
  rm -rf "$work/js" && mkdir -p "$work/js"
  ln -sfn "$modules" "$work/js/node_modules" # the WASI shim, for the ES module
  "$modules/.bin/jco" transpile "$work/greet.wasm" -o "$work/js" --name greet -q >/dev/null
  theirs=$(node "$here/call.mjs" "$work/js" "$name")
  echo "witgen run --invoke 'greet(\"$arg\")': $ours ($(( (end - start) / 1000000 )) ms: load, instantiate, call)"
  echo "jco (Node):                      $theirs"
  if [ "$ours" != "$theirs" ]; then
    echo "FAIL the results differ"
    status=1
  fi
done
# its WASI imports are stubs: a call that reaches one traps cleanly, with
# the import's name, and witgen exits 134
set +e
"$witgen" run "$work/greet.wasm" --invoke 'shout("hi")' >"$work/shout.out" 2>&1
rc=$?
set -e
cat "$work/shout.out"
if [ $rc -ne 134 ] || ! grep -q 'trap in `shout`: unimplemented import `wasi:cli/' "$work/shout.out"; then
  echo "FAIL shout: expected a trap in a WASI stub (exit 134), got exit $rc"
  status=1
fi
exit $status
