# DEMO: serve a wasi:http handler written in C (examples/http) with `witgen serve` on loopback, a fresh instance per request, and ask it with curl; then a WASI 0.2 command component run with `witgen run`
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
echo "\$ examples/http/serve.sh --build-only out        # bindings, clang-19, witgen new"
WITGEN=$WITGEN "$root/examples/http/serve.sh" --build-only "$out"
echo "\$ witgen serve --addr 127.0.0.1:0 --time-limit 1000 handler.wasm &"
"$WITGEN" serve --addr 127.0.0.1:0 --time-limit 1000 "$out/handler.wasm" >"$out/serve.out" 2>&1 &
pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$out/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$out/serve.out"; exit 1; }
url=http://127.0.0.1:$port
echo "\$ curl -s '$url/json?name=demo'"
curl -s --max-time 10 "$url/json?name=demo"; echo
echo "\$ curl -s -X POST --data 'hello, body' $url/echo"
curl -s --max-time 10 -X POST --data 'hello, body' "$url/echo"; echo
echo "\$ curl -s -o /dev/null -w '%{http_code}' $url/status/418"
curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' "$url/status/418"
kill -INT "$pid"
status=0
wait "$pid" || status=$?
pid=""
if [ "$status" -ne 0 ]; then
  echo "witgen serve exited with status $status after SIGINT:"
  cat "$out/serve.out"
  exit 1
fi
echo "(SIGINT: the server stopped cleanly, exit status 0)"

echo
# The preview1 adapter comes from jco's npm package (docs/adapters.md);
# scripts/test installs it into the build tree.
adapter=""
for d in "$root"/build/*/oracle/node_modules/@bytecodealliance/jco/lib; do
  [ -f "$d/wasi_snapshot_preview1.command.wasm" ] && adapter=$d/wasi_snapshot_preview1.command.wasm
done
if [ -z "$adapter" ]; then
  echo "(a WASI 0.2 command needs the preview1 adapter of npm's jco: run scripts/test once, or see docs/adapters.md)"
  exit 0
fi
echo "A WASI 0.2 command in C: wasi-libc, made a component with witgen new --adapt"
cat >"$out/hello.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  const char *who = getenv("WHO");
  printf("hello %s from a component, %d argument(s)\n", who ? who : "nobody", argc - 1);
  FILE *f = fopen("/data/note.txt", "r");
  char line[128];
  if (f && fgets(line, sizeof line, f)) printf("note.txt: %s", line);
  if (f) fclose(f);
  return argc > 2 ? 3 : 0;
}
C
clang-19 --target=wasm32-wasi -O2 "$out/hello.c" -o "$out/hello.core.wasm"
echo "\$ witgen new hello.core.wasm --adapt wasi_snapshot_preview1=wasi_snapshot_preview1.command.wasm -o hello.wasm"
"$WITGEN" new "$out/hello.core.wasm" --adapt "wasi_snapshot_preview1=$adapter" -o "$out/hello.wasm"
mkdir -p "$out/data" && echo "granted with --dir" >"$out/data/note.txt"
echo "\$ witgen run --env WHO=you --dir data::/data hello.wasm one two"
set +e
"$WITGEN" run --env WHO=you --dir "$out/data::/data" "$out/hello.wasm" one two
echo "exit status $? (main returned 3; WASI 0.2.12's exit carries ok or err, and err is status 1)"
