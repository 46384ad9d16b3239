# DEMO: run a component in witgen's own runtime: the VectorProcessor of examples/vector (a WIT resource in C) built, made a component and called with `witgen run --invoke` (values in WAVE)
set -euo pipefail
here=$(cd "$(dirname "$0")/../../vector" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$WITGEN" --rename example:vector/processor=vp --out-dir "$out" "$here/wit"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I"$out" "$out/vector.c" "$here/guest.c" -o "$out/core.wasm"
"$WITGEN" new "$out/core.wasm" -o "$out/vector.wasm"
echo "\$ witgen wit vector.wasm | grep -A9 'resource vector-processor'"
"$WITGEN" wit "$out/vector.wasm" | grep -A9 'resource vector-processor'
calls=('$v = vector-processor.new([4.5, -1, 10, 2.25])' '$v.push(0.25)'
  '$v.sum()' '$v.mean()' '$v.sorted()' '$v.stats()' 'drop($v)')
printf '$ witgen run --trace-imports vector.wasm'
printf " \\\\\n    --invoke '%s'" "${calls[@]}"
echo
invokes=()
for c in "${calls[@]}"; do invokes+=(--invoke "$c"); done
"$WITGEN" run --trace-imports "$out/vector.wasm" "${invokes[@]}" 2>&1
echo "(a wrong argument gets a located error and exit status 1)"
echo "\$ witgen run vector.wasm --invoke 'vector-processor.new([1, \"two\"])'"
set +e
"$WITGEN" run "$out/vector.wasm" --invoke 'vector-processor.new([1, "two"])' 2>&1
echo "exit status $?"
