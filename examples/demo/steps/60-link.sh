# DEMO: a three-component C application (examples/multi: notes service, key-value store, formatter): linked at run time with `witgen run --link`, composed into one file with `witgen compose`, and a link error that names both WIT paths
set -euo pipefail
here=$(cd "$(dirname "$0")/../../multi" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for c in kv fmt app; do
  "$WITGEN" --world "$c" --out-dir "$out" "$here/wit"
  clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
    -I"$out" -I"$here" "$out/$c.c" "$here/$c.c" -o "$out/$c.core.wasm"
  "$WITGEN" new "$out/$c.core.wasm" -o "$out/$c.wasm"
done
echo "(kv.wasm, fmt.wasm and app.wasm built from C with witgen's bindings; app imports:)"
"$WITGEN" wit "$out/app.wasm" | grep -E '^\s*(import|export)'
calls=('handle("PUT", "/notes/milk", "2 litres")' 'handle("PUT", "/notes/café", "à 8h")'
  'handle("GET", "/notes", "")' 'handle("GET", "/notes?view=table", "")')
invokes=()
for c in "${calls[@]}"; do invokes+=(--invoke "$c"); done
echo "\$ witgen run app.wasm --link kv.wasm --link fmt.wasm --invoke 'handle(\"PUT\", ...)' ..."
"$WITGEN" run "$out/app.wasm" --link "$out/kv.wasm" --link "$out/fmt.wasm" "${invokes[@]}"
echo "\$ witgen compose multi.wac --dep ... -o notes.wasm && witgen run notes.wasm --invoke ..."
deps=()
for d in $(grep -oE 'new [a-z-]+:[a-z-]+' "$here/multi.wac" | awk '{print $2}' | sort -u); do
  deps+=(--dep "$d=$out/${d#*:}.wasm")
done
"$WITGEN" compose "$here/multi.wac" "${deps[@]}" -o "$out/notes.wasm"
echo "$(wc -c <"$out/notes.wasm") bytes"
"$WITGEN" validate "$out/notes.wasm"
"$WITGEN" run "$out/notes.wasm" "${invokes[@]}"
set +e
echo "(two components exporting the same interface: refused, both named)"
echo "\$ witgen run app.wasm --link kv.wasm --link fmt.wasm --link fmt.wasm --invoke ..."
"$WITGEN" run "$out/app.wasm" --link "$out/kv.wasm" --link "$out/fmt.wasm" --link "$out/fmt.wasm" \
  --invoke 'handle("GET", "/notes", "")' 2>&1 | sed "s|$out/||g"
echo "exit status ${PIPESTATUS[0]}"
echo "(the formatter left out: its import is a stub that traps, naming it, when called)"
echo "\$ witgen run app.wasm --link kv.wasm --invoke 'handle(\"GET\", \"/notes?view=table\", \"\")'"
"$WITGEN" run "$out/app.wasm" --link "$out/kv.wasm" --invoke 'handle("GET", "/notes?view=table", "")' 2>&1 |
  sed "s|$out/||g"
echo "exit status ${PIPESTATUS[0]}"
