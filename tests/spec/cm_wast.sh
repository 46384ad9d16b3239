#!/usr/bin/env bash
# spec_wast_cm: `witgen wast` over the Component Model's reference scripts
# (those nyi.txt does not list as not yet implemented), on witgen's
# component runtime (issue 14, must-show 1):
#  1. every script of values/, resources/, linking/, validation/ and
#     binary/, except the files cm_wast.skip lists with why, must pass:
#     `N passed, 0 failed, K skipped`, where the K skipped commands are the
#     ones that need the async ABI, each listed with its file and line;
#  2. async/: run and its figures printed, not gated (the runtime does not
#     run the async ABI: what needs it is skipped; what fails is printed).
# Usage: cm_wast.sh WITGEN SUITE_DIR SKIP
set -uo pipefail
witgen=$(realpath "$1") suite=$2 skip=$(realpath "$3")
if [ ! -d "$suite" ]; then
  echo "suite missing: skipped"
  exit 77
fi
cd "$suite" || exit 1
mapfile -t all < <(find . -name '*.wast' | sort |
  grep -vxFf <(grep -v '^#' nyi.txt) | sed 's|^\./||')
mapfile -t skipped < <(sed -n 's/^\([^#[:space:]][^[:space:]]*\).*/\1/p' "$skip")
main=() async=()
for f in "${all[@]}"; do
  case $f in
    async/*) async+=("$f") ;;
    *) if printf '%s\n' "${skipped[@]}" | grep -qxF "$f"; then
         echo "not run: $f ($(grep "^$f" "$skip" | sed 's/^[^#]*# *//'))"
       else
         main+=("$f")
       fi ;;
  esac
done
out=$("$witgen" wast "${main[@]}")
status=$?
echo "$out"
total=$(grep '^total: ' <<<"$out")
if [ -z "$total" ]; then
  echo "witgen wast gave no total"
  exit 1
fi
echo "== async/ (figures only: the async ABI is not run; what needs it is skipped)"
aout=$("$witgen" wast "${async[@]}")
astatus=$?
grep -E '^  FAIL |^total: ' <<<"$aout"
[ "$astatus" -le 1 ] || { echo "witgen wast crashed on async/ ($astatus)"; exit 1; }
echo "cm-spec-test (values, resources, linking, validation, binary): ${total#total: }"
echo "async-ABI asserts skipped: $(grep -c '^  skip .*(needs the async ABI)' <<<"$out")"
echo "async/: $(grep '^total: ' <<<"$aout" | sed 's/^total: //')"
[ "$status" -eq 0 ] && grep -q ' 0 failed,' <<<"$total"
