#!/usr/bin/env bash
# Must-show 2 of issue 5: for every world of the wit-codegen cases and
# wasi:http/proxy, wasi:cli/command (WASI 0.2.12), the oracle embeds the
# world into a dummy core module, `witgen new` makes it a component, the
# oracle decodes (and so validates) that component, and `witgen wit` of it
# must resolve to the same world as the oracle's WIT of it. Same world
# means equal signatures from world_sig (sorted lines naming every imported
# and exported function and type with its full type), the oracle's text
# being resolved against the original package as a dependency.
# Prints `N passed, M failed` with the failures and their first error line.
# Usage: component_new.sh ORACLE_MODULES WITGEN WORLD_SIG WIT_CODEGEN WASI_0_2_12 WORK
set -uo pipefail
modules=$1 witgen=$2 sig=$3 cases=$4 wasi=$5 work=$6
oracle="$(dirname "$0")/oracle.mjs"
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
export NODE_PATH=$modules
. "$(dirname "$0")/world_sigs.sh"
. "$(dirname "$0")/case_worlds.sh"
rm -rf "$work" && mkdir -p "$work"
passed=0 failed=0 skipped=0 known=0
failures=""
# worlds witgen new cannot make (or witgen wit read back) yet, one id a line
known_file="$(dirname "$0")/component_new.known"

# The oracle runs in two batches (one Node process each, `oracle.mjs
# batch`): every embed first, then the oracle's WIT of every component
# witgen new made.
ids=() wits=() dirs=()
add() {
  local dir=$work/$4
  mkdir -p "$dir"
  ids+=("$1") wits+=("$2") dirs+=("$dir")
  printf 'embed\t%s\t%s\t%s\n' "$2" "$3" "$dir/core.wasm" >>"$work/embeds"
}
: >"$work/embeds"
while IFS=$'\t' read -r -u 3 name wit world; do
  add "$name/$world" "$wit" "$world" "$name-$world"
done 3< <(case_worlds "$cases")
add "wasi:http/proxy@0.2.12" "$wasi" "wasi:http/proxy" p2-http-proxy
add "wasi:cli/command@0.2.12" "$wasi" "wasi:cli/command" p2-cli-command
node "$oracle" batch "$work/embeds"
: >"$work/wits"
for dir in "${dirs[@]}"; do
  [ -f "$dir/core.wasm" ] || continue
  if "$witgen" new "$dir/core.wasm" -o "$dir/c.wasm" 2>"$dir/new.err"; then
    printf 'wit\t%s\t%s\n' "$dir/c.wasm" "$dir/oracle.wit" >>"$work/wits"
  fi
done
node "$oracle" batch "$work/wits"

# check K: one world through the whole pipeline.
check() {
  local id=${ids[$1]} wit=${wits[$1]} dir=${dirs[$1]}
  if [ ! -f "$dir/core.wasm" ]; then
    echo "SKIP $id: the oracle refuses it"
    skipped=$((skipped + 1))
    return
  fi
  local why=""
  if [ ! -f "$dir/c.wasm" ]; then
    why="witgen new: $(head -1 "$dir/new.err")"
  elif [ ! -f "$dir/oracle.wit" ]; then
    why="invalid component: $(head -2 "$dir/oracle.wit.err" | tail -1)"
  elif ! "$witgen" wit "$dir/c.wasm" >"$dir/ours.wit" 2>"$dir/err"; then
    why="witgen wit: $(head -1 "$dir/err")"
  elif ! why=$(world_sigs "$dir" "$wit" "$sig"); then
    : # why names the side that does not resolve
  elif ! diff -q "$dir/oracle.sig" "$dir/ours.sig" >/dev/null; then
    why="different worlds: $(diff "$dir/oracle.sig" "$dir/ours.sig" | sed -n 2p)"
  fi
  if grep -qxF "$id" "$known_file"; then
    if [ -z "$why" ]; then
      echo "NOTE $id now passes: remove it from component_new.known"
      passed=$((passed + 1))
    else
      known=$((known + 1))
      echo "KNOWN $id: $why"
    fi
  elif [ -z "$why" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+="FAIL $id: $why"$'\n'
  fi
}
for k in "${!ids[@]}"; do
  check "$k"
done

# Malformed inputs: exit 1 and a message saying what is wrong.
# expect_error ID PATTERN CMD...
expect_error() {
  local id=$1 pattern=$2
  shift 2
  "$@" >/dev/null 2>"$work/err"
  local rc=$?
  if [ $rc -eq 1 ] && grep -q -- "$pattern" "$work/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+="FAIL $id: exit $rc, $(head -1 "$work/err")"$'\n'
  fi
}
m=$work/malformed && mkdir -p "$m"
printf '\0asm\1\0\0\0' >"$m/empty.wasm"
good=$work/simple-functions-the-world/core.wasm
head -c 40 "$good" >"$m/truncated.wasm"
node "$oracle" embed "$cases/simple-functions.wit" the-world "$m/noexports.wasm" "$m/empty.wasm"
expect_error "malformed/truncated" "invalid core module" "$witgen" new "$m/truncated.wasm" -o "$m/out.wasm"
expect_error "malformed/no-section" "no component-type custom section" "$witgen" new "$m/empty.wasm" -o "$m/out.wasm"
expect_error "malformed/missing-export" 'export `foo:foo/simple#f1` missing from core module' "$witgen" new "$m/noexports.wasm" -o "$m/out.wasm"
expect_error "malformed/wit-truncated" "truncated.wasm" "$witgen" wit "$m/truncated.wasm"
echo "package a:b;" >"$m/text.wasm"
expect_error "malformed/wit-not-wasm" "not a WebAssembly binary" "$witgen" wit "$m/text.wasm"

printf "%s" "$failures"
echo "witgen new: $passed passed, $failed failed, $known known (not supported yet), $skipped skipped"
[ "$failed" -eq 0 ]
