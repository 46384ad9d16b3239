#!/usr/bin/env bash
# `witgen wit` on components made by wasm-tools (the oracle's `component
# new`): exported interfaces there are instances of nested shim components
# with no type ascription, so their types come from following the
# instantiation. For every world of the wit-codegen cases and
# wasi:http/proxy, wasi:cli/command (WASI 0.2.12): the oracle embeds the
# world into a dummy module and makes it a component, and `witgen wit` of
# it must resolve to the world of the oracle's own WIT of it (world_sig
# signatures, the oracle's text resolved against the original package):
# the same functions with the same types, and no type the oracle's world
# lacks. The oracle runs once for all worlds (`oracle.mjs batch`).
# Usage: component_wit.sh ORACLE_MODULES WITGEN WORLD_SIG WIT_CODEGEN WASI_0_2_12 WORK
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
ids=() wits=() dirs=()
batch=$work/batch
: >"$batch"
add() {
  local dir=$work/$4
  mkdir -p "$dir"
  ids+=("$1") wits+=("$2") dirs+=("$dir")
  printf 'embed\t%s\t%s\t%s\n' "$2" "$3" "$dir/core.wasm" >>"$batch"
  printf 'new\t%s\t%s\n' "$dir/core.wasm" "$dir/c.wasm" >>"$batch"
  printf 'wit\t%s\t%s\n' "$dir/c.wasm" "$dir/oracle.wit" >>"$batch"
}
while IFS=$'\t' read -r -u 3 name wit world; do
  add "$name/$world" "$wit" "$world" "$name-$world"
done 3< <(case_worlds "$cases")
add "wasi:http/proxy@0.2.12" "$wasi" "wasi:http/proxy" p2-http-proxy
add "wasi:cli/command@0.2.12" "$wasi" "wasi:cli/command" p2-cli-command
node "$oracle" batch "$batch"

passed=0 failed=0 skipped=0
failures=""
for k in "${!ids[@]}"; do
  id=${ids[$k]} wit=${wits[$k]} dir=${dirs[$k]}
  if [ ! -f "$dir/oracle.wit" ]; then
    echo "SKIP $id: the oracle refuses it: $(cat "$dir"/*.err 2>/dev/null | head -1)"
    skipped=$((skipped + 1))
    continue
  fi
  why=""
  if ! "$witgen" wit "$dir/c.wasm" >"$dir/ours.wit" 2>"$dir/err"; then
    why="witgen wit: $(head -1 "$dir/err")"
  elif ! why=$(world_sigs "$dir" "$wit" "$sig"); then
    : # why names the side that does not resolve
  else
    # wasm-tools leaves out types no function uses, while the oracle's
    # text, resolved with the original package, has them all: every
    # line of ours must be the oracle's, and every function line too.
    extra=$(comm -13 "$dir/oracle.sig" "$dir/ours.sig" | head -1)
    missing=$(comm -23 "$dir/oracle.sig" "$dir/ours.sig" | grep -v '^[a-z]* [^ ]* type ' | head -1)
    if [ -n "$extra" ]; then
      why="not in the oracle's world: $extra"
    elif [ -n "$missing" ]; then
      why="missing: $missing"
    fi
  fi
  if [ -z "$why" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+="FAIL $id: $why"$'\n'
  fi
done
printf "%s" "$failures"
echo "witgen wit of wasm-tools components: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
