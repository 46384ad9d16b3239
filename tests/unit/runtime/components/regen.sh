#!/usr/bin/env bash
# Encodes every .wat here into the .wasm beside it with the oracle
# (wasm-tools' text parser inside jco): the test components of
# tests/unit/runtime are written as text and checked in as both, so the unit
# tests need neither Node nor a text parser of ours.
# Usage: regen.sh [ORACLE_MODULES]   (default: build/dev/oracle/node_modules)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
export NODE_PATH=${1:-$root/build/dev/oracle/node_modules}
for w in "$here"/*.wat; do
  node "$root/tests/interop/oracle.mjs" parse "$w" "${w%.wat}.wasm"
  echo "${w##*/} -> $(basename "${w%.wat}.wasm")"
done
# a component cut short (malformed): the first 64 bytes of imports.wasm
head -c 64 "$here/imports.wasm" >"$here/truncated.wasm"
echo "imports.wasm -> truncated.wasm (64 bytes)"
