#!/usr/bin/env bash
# examples/http: built with its one command (serve.sh), served by `witgen
# serve`, answered by curl: routing, JSON, headers, status codes and the
# body echo as the handler's comment describes them; stopped by SIGTERM.
# Usage: serve_example.sh WITGEN EXAMPLE_DIR WORK
set -uo pipefail
witgen=$1 example=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
passed=0 failed=0
expect() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $1: got '$2', want '$3'"
  fi
}
WITGEN=$witgen OUT=$work setsid "$example/serve.sh" --addr 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!
trap 'kill -9 -$pid 2>/dev/null' EXIT
for _ in $(seq 100); do
  port=$(sed -n 's/.*http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: not served: $(cat "$work/err")"; exit 1; }
url=http://127.0.0.1:$port
get() { curl -s --max-time 20 "$@"; }
expect "GET /" "$(get "$url/")" "Hello from a C component served by witgen!"
expect "GET / content-type" "$(get -o /dev/null -w '%{content_type}' "$url/")" "text/plain; charset=utf-8"
expect "x-powered-by" "$(get -D - -o /dev/null "$url/" | tr -d '\r' | sed -n 's/^x-powered-by: //p')" witgen
expect "GET /json" "$(get "$url/json?name=bob")" '{"hello": "bob", "method": "GET", "path": "/json"}'
expect "GET /json content-type" "$(get -o /dev/null -w '%{content_type}' "$url/json")" application/json
expect "PUT /json" "$(get -X PUT "$url/json")" '{"hello": "world", "method": "PUT", "path": "/json"}'
expect "GET /headers" "$(get -H 'x-test: "quoted"' "$url/headers" | grep -o '"x-test": "\\"quoted\\""')" '"x-test": "\"quoted\""'
expect "POST /echo" "$(get -X POST -H 'content-type: text/x-test' --data-binary 'echo me' "$url/echo")" "echo me"
expect "POST /echo content-type" "$(get -o /dev/null -w '%{content_type}' -X POST -H 'content-type: text/x-test' --data-binary x "$url/echo")" text/x-test
head -c 300000 /dev/urandom >"$work/blob"
get -X POST --data-binary @"$work/blob" "$url/echo" -o "$work/blob.back"
cmp -s "$work/blob" "$work/blob.back" && expect "echo of 300 KB" same same || expect "echo of 300 KB" different same
expect "GET /status/418" "$(get -o /dev/null -w '%{http_code}' "$url/status/418")" 418
expect "GET /status/204" "$(get -o /dev/null -w '%{http_code}' "$url/status/204")" 204
expect "GET /nope" "$(get -w '%{http_code}' "$url/nope" | tr '\n' ' ')" '{"error": "not found", "path": "/nope"} 404'
expect "GET /echo (not POST)" "$(get -o /dev/null -w '%{http_code}' "$url/echo")" 404
kill -TERM $pid
for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
wait $pid
expect "SIGTERM: exit status" "$?" 0
trap - EXIT
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
