# DEMO: a C component: generate bindings for world `app`, compile with clang-19, make a component with `witgen new`, read its WIT back
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "\$ witgen --out-dir out examples/demo/wit          # bindings for world app"
"$WITGEN" --out-dir "$out" "$here/wit"
ls "$out"
echo "(the functions of app.h)"
grep -E '^[a-z_0-9]+_t [a-z_0-9]+\(' "$out/app.h"
echo "\$ clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 app/app.c out/app.c -o app.core.wasm"
clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
  -I "$out" -o "$out/app.core.wasm" "$here/app/app.c" "$out/app.c"
echo "\$ witgen new app.core.wasm -o app.wasm             # the world is embedded by the bindings"
"$WITGEN" new "$out/app.core.wasm" -o "$out/app.wasm"
echo "$(wc -c <"$out/app.wasm") bytes"
echo "\$ witgen wit app.wasm"
"$WITGEN" wit "$out/app.wasm"
