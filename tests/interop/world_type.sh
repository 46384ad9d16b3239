#!/usr/bin/env bash
# For every world of every wit-codegen case: wasm-tools embeds its component
# type (oracle `embed`), witgen encodes the same world, and the two must be
# equal. Prints `N passed, M failed`; cases witgen cannot load yet or that
# the oracle refuses are listed and not counted.
# Usage: world_type.sh ORACLE_MODULES CHECKER WIT_CODEGEN_DIR WORK_DIR
set -uo pipefail
modules=$1 checker=$2 cases=$3 work=$4
oracle="$(dirname "$0")/oracle.mjs"
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"
known_file="$(dirname "$0")/world_type.known"
passed=0 failed=0 skipped=0 known=0
. "$(dirname "$0")/case_worlds.sh"
while IFS=$'\t' read -r -u 3 name wit world; do
  core=$work/$name-$world.core.wasm
  if ! node "$oracle" embed "$wit" "$world" "$core" 2>/dev/null; then
    echo "SKIP $name/$world: the oracle refuses it"
    skipped=$((skipped + 1))
    continue
  fi
  "$checker" "$wit" "$world" "$core"
  rc=$?
  case_id=${wit#"$cases"/}/$world
  if grep -qxF "$case_id" "$known_file"; then
    if [ $rc -eq 0 ]; then
      echo "NOTE $case_id now matches: remove it from world_type.known"
      passed=$((passed + 1))
    else
      known=$((known + 1))
    fi
    continue
  fi
  case $rc in
    0) passed=$((passed + 1)) ;;
    2) skipped=$((skipped + 1)) ;;
    *) failed=$((failed + 1)) ;;
  esac
done 3< <(case_worlds "$cases")
echo "world component types: $passed passed, $failed failed, $known known differences, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
