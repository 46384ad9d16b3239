#!/usr/bin/env bash
# Builds and runs the VectorProcessor example: the guest (guest.c on
# witgen's guest bindings of wit/, clang-19 wasm32-wasi) made a component
# by `witgen new`, then the C host (host.c on the typed host bindings,
# built by CMake as `vector_host`) runs it. `--rename
# example:vector/processor=vp` gives the interface the short prefix `vp`
# on both sides.
# Usage: examples/vector/run.sh WITGEN HOST [WORK]
set -euo pipefail
witgen=$1 host=$2 work=${3:-${TMPDIR:-/tmp}/witgen-vector}
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$witgen" --rename example:vector/processor=vp --out-dir "$work" "$here/wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$work" "$work/vector.c" "$here/guest.c" -o "$work/core.wasm"
"$witgen" new "$work/core.wasm" -o "$work/vector.wasm"
"$witgen" wit "$work/vector.wasm"
"$host" "$work/vector.wasm"
