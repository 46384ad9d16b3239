# DEMO: build a C program for WASI with clang-19 and run it sandboxed in witgen's interpreter
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
clang-19 --target=wasm32-wasi -O2 -o "$out/wordcount.wasm" "$here/wordcount/wordcount.c"
echo "\$ witgen validate wordcount.wasm"
"$WITGEN" validate "$out/wordcount.wasm"
echo "\$ witgen run --dir $here/wordcount::/texts wordcount.wasm /texts/poem.txt"
"$WITGEN" run --dir "$here/wordcount::/texts" "$out/wordcount.wasm" /texts/poem.txt
echo "\$ witgen run wordcount.wasm /etc/passwd   # not granted: refused"
if "$WITGEN" run "$out/wordcount.wasm" /etc/passwd; then
  echo "demo: the sandbox let the program read /etc/passwd" >&2
  exit 1
fi
