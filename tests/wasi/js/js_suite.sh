#!/usr/bin/env bash
# Components made by componentize-js (issue 16, must-show 2): SpiderMonkey
# with a JavaScript program pre-initialised, ~12 MB each, made here at test
# time (cached by their sources). hello.js prints with console.log: `witgen
# run` and `jco run` must print the same. echo.js is a wasi:http handler
# echoing method, path, headers and body: `witgen serve` and `jco serve`
# answer the same requests, compared by status, content-type, x-echo-method
# and body. Prints `N passed, M failed`. Skipped (77) without the oracle.
# Usage: js_suite.sh ORACLE_MODULES WITGEN SRC_DIR WIT_DIR WORK
set -uo pipefail
modules=$1 witgen=$2 src=$3 wit=$4 work=$5
if [ ! -f "$modules/@bytecodealliance/componentize-js/src/componentize.js" ] ||
  [ ! -x "$modules/.bin/jco" ]; then
  echo "componentize-js or jco not installed in $modules: skipped"
  exit 77
fi
mkdir -p "$work"
modules=$(realpath "$modules") work=$(realpath "$work") src=$(realpath "$src") wit=$(realpath "$wit")
passed=0 failed=0
expect() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $1: got '$2', want '$3'"
  fi
}

# WIT folders for the two worlds (the package, and the WASI packages as deps)
make_wit() { # DIR WORLD-TEXT
  rm -rf "$1" && mkdir -p "$1/deps"
  cp -r "$wit"/deps/* "$1/deps/"
  printf '%s\n' "$2" >"$1/world.wit"
}
# a component per source, remade when its inputs change
component() { # NAME WORLD WORLD-TEXT
  local key
  key=$( (cat "$src/$1.js" "$src/make.mjs"; echo "$3"; grep '"version"' \
    "$modules/@bytecodealliance/componentize-js/package.json") | sha256sum | cut -c1-16)
  if [ ! -f "$work/$1-$key.wasm" ]; then
    make_wit "$work/$1-wit" "$3"
    (cd "$work" && cp "$src/$1.js" "$1.js" &&
      node "$src/make.mjs" "$modules" "$1.js" "$1-wit" "$2" "$1-$key.wasm") ||
      { echo "FAIL $1: componentize-js failed"; exit 1; }
  fi
  echo "$work/$1-$key.wasm"
}
hello=$(component hello hello 'package witgen:js-hello;
world hello { export wasi:cli/run@0.2.12; }') || exit 1
echo_=$(component echo echo 'package witgen:js-echo;
world echo { include wasi:http/proxy@0.2.12; }') || exit 1

# console.log: the same lines, status 0
"$modules/.bin/jco" run "$hello" >"$work/hello.jco" 2>"$work/hello.jco.err"
expect "jco run: status" "$?" 0
"$witgen" run "$hello" >"$work/hello.witgen" 2>"$work/hello.witgen.err"
expect "witgen run: status" "$?" 0
expect "witgen run: output" "$(cat "$work/hello.witgen")" "$(cat "$work/hello.jco")"
expect "jco run: output" "$(head -1 "$work/hello.jco")" "hello from JavaScript"

# the echo handler, served by both
port_of() { # LOG
  for _ in $(seq 300); do
    p=$(grep -o '[0-9.a-z]*:[0-9][0-9]*' "$1" | grep -o '[0-9]*$' | head -1)
    [ -n "$p" ] && echo "$p" && return
    sleep 0.1
  done
}
free_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
setsid "$modules/.bin/jco" serve --port "$free_port" --host 127.0.0.1 "$echo_" >"$work/jco.log" 2>&1 &
jco_pid=$!
setsid "$witgen" serve --addr 127.0.0.1:0 "$echo_" >"$work/witgen.log" 2>&1 &
wg_pid=$!
trap 'kill -TERM -$jco_pid -$wg_pid 2>/dev/null' EXIT
wg_port=$(port_of "$work/witgen.log")
for _ in $(seq 300); do
  curl -s -o /dev/null "http://127.0.0.1:$free_port/" && break
  sleep 0.1
done
head -c 100000 /dev/urandom | base64 -w0 >"$work/big.txt"
ask() { # PORT OUT ARGS...: status, content-type, x-echo-method, body
  local port=$1 out=$2
  shift 2
  curl -s --max-time 60 -D "$out.head" -o "$out.body" "$@" "http://127.0.0.1:$port$path"
  {
    sed -n '1s/\r$//p' "$out.head" | cut -d' ' -f2
    grep -i '^content-type:\|^x-echo-method:' "$out.head" | tr -d '\r' | tr 'A-Z' 'a-z' | sort
    cat "$out.body"
  } >"$out"
}
n=0
for req in "GET /|" "POST /some/path?q=1&r=2|-H x-b:two -H x-a:one -H content-type:text/plain --data-binary hello" \
  "PUT /put|--data-binary @$work/big.txt -H content-type:application/octet-stream" \
  "DELETE /status/404|" "GET /status/503|-H x-only:one"; do
  n=$((n + 1))
  method=${req%% *}
  rest=${req#* }
  path=${rest%%|*}
  args=${rest#*|}
  # shellcheck disable=SC2086
  ask "$free_port" "$work/r$n.jco" -X "$method" $args
  # shellcheck disable=SC2086
  ask "$wg_port" "$work/r$n.witgen" -X "$method" $args
  if cmp -s "$work/r$n.jco" "$work/r$n.witgen" && [ -s "$work/r$n.jco.body" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $method $path: witgen differs from jco"
    diff "$work/r$n.jco" "$work/r$n.witgen" | head -5
  fi
done
kill -TERM -$wg_pid 2>/dev/null
wait $wg_pid
expect "witgen serve: SIGTERM status" "$?" 0
kill -TERM -$jco_pid 2>/dev/null
trap - EXIT
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
