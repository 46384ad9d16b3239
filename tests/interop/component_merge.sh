#!/usr/bin/env bash
# Several component-type sections in one core module (objects linked
# together, each with its bindings): wasm-tools merges their worlds, and so
# must `witgen new` and `witgen wit`. The oracle makes a dummy module for
# the union world, its section is removed, and the sections of two partial
# worlds are embedded instead. Then `witgen new` must give a component the
# oracle validates, and both `witgen wit` of it and `witgen wit` of the
# module must resolve to the world of the oracle's own component (equal
# world_sig signatures).
# Usage: component_merge.sh ORACLE_MODULES WITGEN WORLD_SIG SRC_DIR WORK
set -uo pipefail
modules=$1 witgen=$2 sig=$3 src=$4 work=$5
oracle="$src/oracle.mjs"
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"
wit=$src/merge.wit
passed=0 failed=0
failures=""
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+="FAIL $1"$'\n'; }

node "$oracle" embed "$wit" all "$work/all.wasm" &&
  node "$oracle" strip "$work/all.wasm" "$work/bare.wasm" &&
  node "$oracle" embed "$wit" first "$work/one.wasm" "$work/bare.wasm" &&
  node "$oracle" embed "$wit" second "$work/core.wasm" "$work/one.wasm" &&
  node "$oracle" new "$work/core.wasm" "$work/oracle.c.wasm" &&
  node "$oracle" wit "$work/oracle.c.wasm" >"$work/oracle.wit" || exit 1
mkdir -p "$work/o/deps"
cp "$work/oracle.wit" "$work/o/root.wit"
cp "$wit" "$work/o/deps/merge.wit"
"$sig" "$work/o" >"$work/oracle.sig" || exit 1

# the oracle's component must hold items of both sections
grep -q "run" "$work/oracle.sig" && grep -q "h(" "$work/oracle.sig" || {
  echo "test setup: the oracle did not merge the sections"
  exit 1
}
if "$witgen" new "$work/core.wasm" -o "$work/c.wasm" 2>"$work/err"; then
  ok
  if node "$oracle" wit "$work/c.wasm" >/dev/null 2>"$work/err"; then ok
  else fail "new: invalid component: $(head -2 "$work/err" | tail -1)"; fi
  if "$witgen" wit "$work/c.wasm" >"$work/ours.wit" 2>"$work/err" &&
     "$sig" "$work/ours.wit" >"$work/ours.sig" 2>>"$work/err"; then
    diff -q "$work/oracle.sig" "$work/ours.sig" >/dev/null && ok ||
      fail "new: different worlds: $(diff "$work/oracle.sig" "$work/ours.sig" | sed -n 2p)"
  else
    fail "new: witgen wit: $(head -1 "$work/err")"
  fi
else
  fail "new: $(head -1 "$work/err")"
fi
# the module itself: its merged world, named after the first section's
if "$witgen" wit "$work/core.wasm" >"$work/module.wit" 2>"$work/err" &&
   "$sig" "$work/module.wit" first >"$work/module.sig" 2>>"$work/err"; then
  diff -q "$work/oracle.sig" "$work/module.sig" >/dev/null && ok ||
    fail "wit: different worlds: $(diff "$work/oracle.sig" "$work/module.sig" | sed -n 2p)"
else
  fail "wit: $(head -1 "$work/err")"
fi
printf "%s" "$failures"
echo "several component-type sections: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
