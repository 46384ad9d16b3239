#!/usr/bin/env bash
# Issue 14, must-show 5: the path bindings -> `witgen new` -> `witgen wit`
# checked by witgen's own validator and runtime, without the npm oracle
# (interop_bindgen, interop_component_new and interop_component_wit check
# the same path against wasm-tools when it is installed). For every world
# of the wit-codegen cases and wasi:http/proxy, wasi:cli/command (WASI
# 0.2.12):
#  1. `witgen --stubs` writes the C bindings and stub exports; clang-19
#     builds a reactor core module (the world embedded by the bindings);
#  2. `witgen new` makes it a component;
#  3. `witgen validate`: the component validator accepts it;
#  4. `witgen wit` of it resolves to the same world as the WIT it was made
#     from (world_sig signatures: the same functions and types);
#  5. `witgen print` then `witgen parse` give a component that validates
#     and has the same WIT;
#  6. the runtime loads it, instantiates it (imports stubbed) and calls
#     every export once with default arguments (component_check).
# Worlds the bindings refuse (async, stream, future, error-context) are
# listed. Prints `N passed, M failed, K refused`. Skipped (77) without
# clang-19.
# Usage: components_own.sh WITGEN CHECKER WORLD_SIG WIT_CODEGEN WASI_0_2_12 WORK
set -uo pipefail
witgen=$1 checker=$2 sig=$3 cases=$4 wasi=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
[ -d "$cases" ] || { echo "wit-codegen cases missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
. "$here/../interop/case_worlds.sh"
jobs=$work/jobs.txt
{
  case_worlds "$cases" | while IFS=$'\t' read -r name wit world; do
    printf '%s\t%s\t%s\n' "$name.$world" "$wit" "$world"
  done
  printf '%s\t%s\t%s\n' wasi-0.2.12.http-proxy "$wasi" wasi:http/proxy
  printf '%s\t%s\t%s\n' wasi-0.2.12.cli-command "$wasi" wasi:cli/command
} >"$jobs"

# One world; writes $work/ID/status: refused: ..., failed: ..., or passed.
check_one() {
  local id=$1 wit=$2 world=$3 d=$work/$1
  mkdir -p "$d"
  st() { echo "$1" >"$d/status"; }
  if ! "$witgen" --stubs --world "$world" --out-dir "$d" "$wit" 2>"$d/err"; then
    if grep -q "not supported yet" "$d/err"; then st "refused: $(head -1 "$d/err")"
    else st "failed: bindings: $(head -1 "$d/err")"; fi
    return
  fi
  local stem
  stem=$(basename "$(ls "$d"/*_stubs.c)" _stubs.c)
  if ! clang-19 --target=wasm32-wasi -mexec-model=reactor -O1 -Wall -Wextra -Werror \
      "$d/$stem.c" "$d/${stem}_stubs.c" -o "$d/core.wasm" 2>"$d/err"; then
    st "failed: clang-19: $(grep -m1 error "$d/err")"
  elif ! "$witgen" new "$d/core.wasm" -o "$d/c.wasm" 2>"$d/err"; then
    st "failed: witgen new: $(head -1 "$d/err")"
  elif ! "$witgen" validate "$d/c.wasm" >"$d/err" 2>&1; then
    st "failed: witgen validate: $(head -1 "$d/err")"
  elif ! "$witgen" wit "$d/c.wasm" >"$d/ours.wit" 2>"$d/err"; then
    st "failed: witgen wit: $(head -1 "$d/err")"
  elif ! "$sig" "$d/ours.wit" >"$d/ours.sig" 2>"$d/err"; then
    st "failed: witgen wit's WIT does not resolve: $(head -1 "$d/err")"
  elif ! "$sig" "$wit" "$world" >"$d/source.sig" 2>"$d/err"; then
    st "failed: the source world does not resolve: $(head -1 "$d/err")"
  elif ! cmp -s "$d/source.sig" "$d/ours.sig"; then
    st "failed: witgen wit gives another world: $(diff "$d/source.sig" "$d/ours.sig" | sed -n 2p)"
  elif ! "$witgen" print "$d/c.wasm" -o "$d/c.wat" 2>"$d/err" ||
       ! "$witgen" parse "$d/c.wat" -o "$d/again.wasm" 2>>"$d/err" ||
       ! "$witgen" validate "$d/again.wasm" >>"$d/err" 2>&1 ||
       ! "$witgen" wit "$d/again.wasm" >"$d/again.wit" 2>>"$d/err" ||
       ! cmp -s "$d/ours.wit" "$d/again.wit"; then
    st "failed: print + parse: $(grep -m1 error "$d/err") (refused, or another WIT)"
  elif ! "$checker" "$d/c.wasm" >"$d/run.out" 2>&1; then
    st "failed: runtime: $(grep -m1 FAIL "$d/run.out")"
  else
    st "passed: $(sed 's/^[^:]*: //' "$d/run.out")"
  fi
}
export -f check_one
export work witgen checker sig
tr '\t' '\n' <"$jobs" | xargs -d '\n' -n 3 -P 2 bash -c 'check_one "$@"' _

passed=0 failed=0 refused=0 returned=0 stubbed=0
while IFS=$'\t' read -r id _ _; do
  s=$(cat "$work/$id/status")
  case $s in
    passed*) passed=$((passed + 1))
      r=$(sed -n 's/.* \([0-9]*\) returned, \([0-9]*\) reached.*/\1 \2/p' <<<"$s")
      returned=$((returned + ${r% *})) stubbed=$((stubbed + ${r#* })) ;;
    refused*) refused=$((refused + 1)); echo "REFUSED $id: ${s#refused: }" ;;
    *) failed=$((failed + 1)); echo "FAIL $id: ${s#failed: }" ;;
  esac
done <"$jobs"
echo "bindings -> witgen new -> validate, wit, print/parse, run (witgen only):" \
  "$passed passed, $failed failed, $refused refused (async ABI types);" \
  "exports called: $returned returned, $stubbed reached an import stub"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
