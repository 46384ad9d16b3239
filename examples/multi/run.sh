#!/usr/bin/env bash
# Builds and runs the multi-component example: three C components on
# witgen's guest bindings of wit/multi.wit (clang-19 wasm32-wasi, made
# components by `witgen new`): kv (the store), fmt (the formatter) and app
# (the notes service importing both). The requests of calls.txt are then
# answered four ways, in one instance each time:
#  1. linked at run time: witgen run app.wasm --link kv.wasm --link fmt.wasm
#  1b. linked at run time by a C host on witgen/component.h (host.c, CMake
#     target `multi_host`: a WgComponentGraph)
#  2. plugged into one file: witgen plug app.wasm --plug kv.wasm --plug fmt.wasm
#  3. composed into one file by multi.wac: witgen compose
#  4. the file of 3 run by jco in Node (client.mjs), when the oracle (npm)
#     is installed.
# Each prints the responses in WAVE, one a line: the outputs must be
# identical. With witgen's WASI 0.2 host (and curl):
#  5. web.c, a wasi:http/proxy front importing app's api, served by
#     witgen serve web.wasm --link app.wasm --link kv.wasm --link fmt.wasm
#     and composed (web.wac), asked by curl: each answer as a fresh
#     witgen run --invoke gives it;
#  6. cmd.c, a WASI command importing the formatter (made a component with
#     jco's preview1 adapter): witgen run cmd.wasm --link fmt.wasm prints
#     what the plugged component prints, on witgen and on jco run.
# Usage: examples/multi/run.sh WITGEN MULTI_HOST [WORK [NODE_MODULES]]
set -euo pipefail
witgen=$1 host=$2 work=${3:-${TMPDIR:-/tmp}/witgen-multi} modules=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
host=$(cd "$(dirname "$host")" && pwd)/$(basename "$host") # run from $work
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
for c in kv fmt app; do
  "$witgen" --world "$c" --out-dir "$work" "$here/wit"
  clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
    -I"$work" -I"$here" "$work/$c.c" "$here/$c.c" -o "$work/$c.core.wasm"
  "$witgen" new "$work/$c.core.wasm" -o "$work/$c.wasm"
done
invokes=()
while IFS= read -r call; do
  [ -n "$call" ] && invokes+=(--invoke "$call")
done <"$here/calls.txt"

echo "== 1. linked at run time: witgen run app.wasm --link kv.wasm --link fmt.wasm"
"$witgen" run "$work/app.wasm" --link "$work/kv.wasm" --link "$work/fmt.wasm" \
  "${invokes[@]}" >"$work/linked.out"
cat "$work/linked.out"
echo "== 1b. linked at run time by the component.h host (host.c)"
(cd "$work" && "$host" app.wasm kv.wasm fmt.wasm "$here/calls.txt" \
  >host.out 2>host.err)
cat "$work/host.err"
echo "(same requests, $(wc -l <"$work/host.out") responses)"
echo "== 2. plugged: witgen plug app.wasm --plug kv.wasm --plug fmt.wasm"
"$witgen" plug "$work/app.wasm" --plug "$work/kv.wasm" --plug "$work/fmt.wasm" \
  -o "$work/plugged.wasm"
"$witgen" run "$work/plugged.wasm" "${invokes[@]}" >"$work/plugged.out"
echo "(same requests, $(wc -l <"$work/plugged.out") responses)"
echo "== 3. composed: witgen compose multi.wac"
"$witgen" compose "$here/multi.wac" --dep example:kv="$work/kv.wasm" \
  --dep example:fmt="$work/fmt.wasm" --dep example:app="$work/app.wasm" \
  -o "$work/multi.wasm"
"$witgen" wit "$work/multi.wasm"
"$witgen" run "$work/multi.wasm" "${invokes[@]}" >"$work/composed.out"
echo "(same requests, $(wc -l <"$work/composed.out") responses)"
outputs=(host plugged composed)
if [ -n "$modules" ] && [ -x "$modules/.bin/jco" ] && command -v node >/dev/null; then
  echo "== 4. jco: multi.wasm transpiled to JavaScript, run by Node (client.mjs)"
  "$modules/.bin/jco" transpile "$work/multi.wasm" -o "$work/js" --name multi \
    --instantiation async -q >/dev/null
  node "$here/client.mjs" "$work/js" "$here/calls.txt" >"$work/jco.out"
  echo "(same requests, $(wc -l <"$work/jco.out") responses)"
  outputs+=(jco)
else
  echo "NOTE jco (npm) not installed: witgen's outputs compared only"
fi

# 5. over HTTP, when witgen has `serve` (the WASI 0.2 host): web.c, a
# wasi:http/proxy front importing app's api, served linked at run time
# (witgen serve web.wasm --link app.wasm --link kv.wasm --link fmt.wasm)
# and composed (web.wac), asked by curl. Each request gets fresh instances
# (wasi:http's model), so each answer must equal a fresh `witgen run
# --invoke` of the same request.
root=$(cd "$here/../.." && pwd)
wasi_wit=$root/runtime/src/wasi/p2/wit/deps
http_status=0
if [ -d "$wasi_wit" ] && "$witgen" serve --help >/dev/null 2>&1 &&
  command -v curl >/dev/null; then
  echo "== 5. served over HTTP: witgen serve web.wasm --link app.wasm --link kv.wasm --link fmt.wasm"
  mkdir -p "$work/web-wit/deps/multi"
  cp "$here/http/web.wit" "$work/web-wit/"
  cp -r "$wasi_wit"/. "$work/web-wit/deps/"
  cp "$here/wit/multi.wit" "$work/web-wit/deps/multi/"
  "$witgen" --world web --out-dir "$work" "$work/web-wit"
  clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
    -I"$work" -I"$here" "$work/web.c" "$here/web.c" -o "$work/web.core.wasm"
  "$witgen" new "$work/web.core.wasm" -o "$work/web.wasm"
  "$witgen" compose "$here/web.wac" --dep example:kv="$work/kv.wasm" \
    --dep example:fmt="$work/fmt.wasm" --dep example:app="$work/app.wasm" \
    --dep example:web="$work/web.wasm" -o "$work/web-composed.wasm"
  # a WAVE string of FILE's bytes, as witgen run prints one
  wave_string() {
    local s
    s=$(cat "$1"; echo x)
    s=${s%x}
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\n'/\\n}
    s=${s//$'\t'/\\t}
    s=${s//$'\r'/\\r}
    printf '"%s"' "$s"
  }
  server=""
  stop_server() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    server=""
  }
  trap stop_server EXIT
  # serve NAME ARGS...: starts witgen serve on a free port ($port)
  serve() {
    local name=$1
    shift
    "$witgen" serve --addr 127.0.0.1:0 "$@" >"$work/$name.serve.out" \
      2>"$work/$name.serve.err" &
    server=$!
    port=""
    for _ in $(seq 100); do
      port=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$work/$name.serve.out")
      [ -n "$port" ] && return 0
      kill -0 "$server" 2>/dev/null || break
      sleep 0.1
    done
    echo "FAIL witgen serve $*: did not start"
    cat "$work/$name.serve.err"
    return 1
  }
  requests=("PUT|/notes/milk|2 litres" "GET|/notes/milk|" "GET|/notes?view=table|"
            "GET|/notes|" "DELETE|/notes/milk|" "POST|/notes/milk|x"
            "GET|/elsewhere|" "PUT|/notes/caf%C3%A9|d\"quoted\" \\ slash")
  : >"$work/http-invoke.out"
  for r in "${requests[@]}"; do
    IFS='|' read -r m p b <<<"$r"
    bw=${b//\\/\\\\}
    bw=${bw//\"/\\\"}
    "$witgen" run "$work/app.wasm" --link "$work/kv.wasm" --link "$work/fmt.wasm" \
      --invoke "handle(\"$m\", \"$p\", \"$bw\")" >>"$work/http-invoke.out"
  done
  for form in linked composed; do
    if [ $form = linked ]; then
      serve $form "$work/web.wasm" --link "$work/app.wasm" --link "$work/kv.wasm" \
        --link "$work/fmt.wasm" || { http_status=1; continue; }
    else
      serve $form "$work/web-composed.wasm" || { http_status=1; continue; }
    fi
    : >"$work/http-$form.out"
    for r in "${requests[@]}"; do
      IFS='|' read -r m p b <<<"$r"
      data=()
      [ -n "$b" ] && data=(--data-binary "$b")
      read -r code ct < <(curl -s -o "$work/body" -X "$m" "${data[@]}" \
        -w '%{http_code} %{content_type}\n' "http://127.0.0.1:$port$p")
      printf '%s\n' "{status: $code, content-type: \"$ct\", body: $(wave_string "$work/body")}" \
        >>"$work/http-$form.out"
    done
    stop_server
    echo "(curl: $(wc -l <"$work/http-$form.out") requests, served $form)"
    if ! diff -u "$work/http-invoke.out" "$work/http-$form.out" >"$work/http-$form.diff"; then
      echo "FAIL served $form differs from witgen run --invoke:"
      cat "$work/http-$form.diff"
      http_status=1
    fi
  done
  trap - EXIT
  [ $http_status -eq 0 ] && head -3 "$work/http-linked.out" &&
    echo "served over HTTP (linked, composed): answers identical to witgen run --invoke"
else
  echo "NOTE witgen serve (the WASI 0.2 host) not built here: HTTP skipped"
fi

# 6. a WASI command (cmd.c: main, printf) importing the formatter, made a
# component with the preview1 adapter jco ships: its wasi:cli/run run
# linked to fmt.wasm, plugged, and (plugged) by jco run.
adapter=$modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
cmd_status=0
if [ -d "$wasi_wit" ] && [ -f "$adapter" ] && command -v node >/dev/null; then
  echo "== 6. a WASI command linked at run time: witgen run cmd.wasm --link fmt.wasm"
  mkdir -p "$work/cmd-wit/deps/multi"
  cp "$here/http/cmd.wit" "$work/cmd-wit/"
  cp "$here/wit/multi.wit" "$work/cmd-wit/deps/multi/"
  "$witgen" --world cmd --out-dir "$work" "$work/cmd-wit"
  clang-19 --target=wasm32-wasi -O2 -Wall -Wextra -Werror -I"$work" \
    "$work/cmd.c" "$here/cmd.c" -o "$work/cmd.core.wasm"
  "$witgen" new "$work/cmd.core.wasm" --adapt wasi_snapshot_preview1="$adapter" \
    -o "$work/cmd.wasm"
  "$witgen" run "$work/cmd.wasm" --link "$work/fmt.wasm" >"$work/cmd-linked.out"
  cat "$work/cmd-linked.out"
  "$witgen" plug "$work/cmd.wasm" --plug "$work/fmt.wasm" -o "$work/cmd-plugged.wasm"
  "$witgen" run "$work/cmd-plugged.wasm" >"$work/cmd-plugged.out"
  "$modules/.bin/jco" run "$work/cmd-plugged.wasm" >"$work/cmd-jco.out"
  for o in plugged jco; do
    if ! diff -u "$work/cmd-linked.out" "$work/cmd-$o.out"; then
      echo "FAIL the command $o differs from the linked run"
      cmd_status=1
    fi
  done
  [ $cmd_status -eq 0 ] && echo "(the same from the plugged component, by witgen and by jco run)"
else
  echo "NOTE no WASI 0.2 host or no preview1 adapter (jco): the command skipped"
fi

status=$((http_status | cmd_status))
for o in "${outputs[@]}"; do
  if ! diff -u "$work/linked.out" "$work/$o.out" >"$work/$o.diff"; then
    echo "FAIL $o differs from the run-time linked run:"
    cat "$work/$o.diff"
    status=1
  fi
done
[ $status -eq 0 ] &&
  echo "outputs identical (linked ${outputs[*]}): $(wc -l <"$work/linked.out") responses"
exit $status
