#!/usr/bin/env bash
# spec_wast_cm: `witgen wast` over the Component Model's reference scripts
# (the ones nyi.txt does not list as not yet implemented). Every failure
# must be listed in cm_wast.known (file:line, with why: features of the
# core engine or the component validator still to come); a listed command
# that passes is reported so it can be removed. Commands that need the
# component runtime are skipped and counted per file by `witgen wast`.
# Usage: cm_wast.sh WITGEN SUITE_DIR KNOWN
set -uo pipefail
witgen=$(realpath "$1") suite=$2 known=$3
if [ ! -d "$suite" ]; then
  echo "suite missing: skipped"
  exit 77
fi
mapfile -t scripts < <(cd "$suite" && find . -name '*.wast' | sort |
  grep -vxFf <(grep -v '^#' nyi.txt) | sed 's|^\./||')
out=$(cd "$suite" && "$witgen" wast "${scripts[@]}")
echo "$out"
if ! grep -q '^total: ' <<<"$out"; then
  echo "witgen wast gave no total"
  exit 1
fi
fails=$(printf '%s\n' "$out" | sed -n 's/^  FAIL \([^ ]*\) .*/\1/p')
unexpected=0 stale=0
for f in $fails; do
  if ! grep -q "^$f[[:space:]]" "$known"; then
    echo "UNEXPECTED FAIL $f"
    unexpected=$((unexpected + 1))
  fi
done
while read -r id _; do
  case $id in '#'* | '') continue ;; esac
  if ! printf '%s\n' "$fails" | grep -qxF "$id"; then
    echo "NOTE $id now passes: remove it from $(basename "$known")"
    stale=$((stale + 1))
  fi
done <"$known"
nknown=$(printf '%s\n' "$fails" | grep -c . || true)
echo "cm-spec-test: $((nknown - unexpected)) known failures, $unexpected unexpected, $stale listed but passing"
[ "$unexpected" -eq 0 ] && [ "$stale" -eq 0 ]
