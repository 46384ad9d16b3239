#!/usr/bin/env bash
# Makes a component from every world of every WIT case in wit-codegen with the
# oracle (wasm-tools `component embed --dummy` then `component new`), then
# checks that our codec decodes each and re-encodes it byte for byte.
# Usage: component_roundtrip.sh ORACLE_MODULES DRIVER WIT_CODEGEN_DIR WORK_DIR
# Exit 77 (skipped) when the oracle is not installed.
set -uo pipefail
modules=$1 driver=$2 cases=$3 work=$4
oracle="$(dirname "$0")/oracle.mjs"
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"
made=0 refused=0
. "$(dirname "$0")/case_worlds.sh"
while IFS=$'\t' read -r -u 3 name wit world; do
  core=$work/$name-$world.core.wasm
  out=$work/$name-$world.wasm
  if node "$oracle" embed "$wit" "$world" "$core" 2>/dev/null &&
     node "$oracle" new "$core" "$out" 2>/dev/null; then
    made=$((made + 1))
  else
    refused=$((refused + 1))
    echo "oracle refused $name/$world (not counted)"
    rm -f "$out"
  fi
  rm -f "$core"
done 3< <(case_worlds "$cases")
echo "oracle made $made components ($refused refused)"
"$driver" "$work"/*.wasm
