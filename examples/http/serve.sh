#!/usr/bin/env bash
# Builds the example handler (guest bindings of wasi:http/proxy, clang-19,
# witgen new) and serves it: one command.
#   examples/http/serve.sh [--build-only DIR] [witgen serve options...]
# WITGEN names the witgen executable (default: build/release, then
# build/dev); the component goes to $OUT (default: a temporary folder).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
witgen=${WITGEN:-}
for w in "$root/build/release/cli/witgen" "$root/build/dev/cli/witgen"; do
  [ -z "$witgen" ] && [ -x "$w" ] && witgen=$w
done
[ -n "$witgen" ] || { echo "serve.sh: build witgen first (cmake --build --preset release)" >&2; exit 1; }
build_only=""
if [ "${1:-}" = "--build-only" ]; then
  build_only=$2
  shift 2
fi
out=${build_only:-${OUT:-$(mktemp -d)}}
mkdir -p "$out"
"$witgen" --world wasi:http/proxy --out-dir "$out" "$root/runtime/src/wasi/p2/wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I "$out" -o "$out/handler.core.wasm" "$here/handler.c" "$out/proxy.c"
"$witgen" new "$out/handler.core.wasm" -o "$out/handler.wasm"
[ -n "$build_only" ] && exit 0
exec "$witgen" serve "$@" "$out/handler.wasm"
