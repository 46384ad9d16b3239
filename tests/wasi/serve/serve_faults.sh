#!/usr/bin/env bash
# `witgen serve` under faults and hostile input (issue 16, must-show 4), on
# loopback: a handler that traps (500), loops (503 within the time limit),
# allocates without bound (stopped by the memory limit), sets no response
# (500); request heads and bodies over the limits (431, 413, also chunked);
# malformed requests (4xx or closed); a slow client (closed by the idle
# timeout while others are served); clients gone mid-body and mid-response;
# 1,000 connections at once. After each, the server must still answer, and
# at the end its open descriptors and memory are what they were after the
# warm-up; SIGTERM stops it with status 0. Prints `N passed, M failed`.
# Usage: serve_faults.sh WITGEN RAWCLIENT FAULTS.wasm WORK
set -uo pipefail
witgen=$1 raw=$2 comp=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
}
expect() { # NAME GOT WANT
  if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}

setsid "$witgen" serve --addr 127.0.0.1:0 --time-limit 500 --max-memory-pages 256 \
  --max-body-size 1048576 --max-header-size 16384 --idle-timeout 2 --head-timeout 2 --quiet \
  "$comp" >"$work/out" 2>"$work/err" &
pid=$!
trap 'kill -9 $pid 2>/dev/null' EXIT
for _ in $(seq 50); do
  port=$(sed -n 's/.*http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: the server did not start: $(cat "$work/err")"; exit 1; }
url=http://127.0.0.1:$port
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$@"; }
alive() { expect "still serving after $1" "$(code "$url/ok")" 200; }
fds() { ls /proc/$pid/fd | wc -l; }
rss() { awk '/RssAnon/ {print $2}' /proc/$pid/status; } # heap and stacks, not code pages

# warm-up: every path once, a burst and a load, so that the allocator and
# the thread caches reach their working size before the first measure
for p in ok trap loop bomb silent "big?64" nope; do code "$url/$p" >/dev/null; done
head -c 2000000 /dev/zero >"$work/2mb"
head -c 500000 /dev/urandom >"$work/500k"
code -X POST --data-binary @"$work/500k" "$url/echo" >/dev/null
code -X POST --data-binary @"$work/2mb" "$url/echo" >/dev/null
"$raw" many "$port" 1000 /ok >/dev/null
for _ in $(seq 300); do code "$url/ok" >/dev/null; done
sleep 3
fds0=$(fds) rss0=$(rss)

expect "trap: status" "$(code "$url/trap")" 500
alive trap
start=$(date +%s%N)
expect "infinite loop: status" "$(code "$url/loop")" 503
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$ms" -lt 3000 ]; then ok; else fail "infinite loop: answered after $ms ms (limit 500)"; fi
alive loop
body=$(curl -s --max-time 20 "$url/bomb")
case "$body" in "allocated 1"[0-5]" MiB") ok ;; *) fail "memory bomb: '$body' (want at most 16 MiB)" ;; esac
alive bomb
expect "no response: status" "$(code "$url/silent")" 500
alive silent
expect "header of 20 KB: status" \
  "$(code -H "x-big: $(head -c 20000 /dev/zero | tr '\0' a)" "$url/ok")" 431
alive "big header"
expect "body of 2 MB: status" "$(code -X POST --data-binary @"$work/2mb" "$url/echo")" 413
expect "chunked body of 2 MB: status" \
  "$(code -X POST -H 'Transfer-Encoding: chunked' --data-binary @"$work/2mb" "$url/echo")" 413
alive "big body"
curl -s --max-time 20 -X POST --data-binary @"$work/500k" "$url/echo" -o "$work/500k.back"
if cmp -s "$work/500k" "$work/500k.back"; then ok; else fail "echo of 500 KB: different"; fi
for req in 'GARBAGE\r\n\r\n' 'GET /ok HTTP/9.9\r\n\r\n' 'GET /ok HTTP/1.1\r\n\r\n' \
  'GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n' \
  'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n'; do
  line=$("$raw" send "$port" "$req")
  case "$line" in "HTTP/1."[01]" 4"* | "HTTP/1."[01]" 505"* | closed) ok ;; *) fail "malformed '$req': $line" ;; esac
done
alive malformed
"$raw" slow "$port" 8 >"$work/slow" &
slow=$!
sleep 0.5
start=$(date +%s%N)
expect "served while a slow client waits" "$(code "$url/ok")" 200
ms=$((($(date +%s%N) - start) / 1000000))
# (well before the slow client's 2 s idle timeout frees anything)
if [ "$ms" -lt 1500 ]; then ok; else fail "a request during a slow client took $ms ms"; fi
wait $slow
case "$(cat "$work/slow")" in "closed after "[1-5]" s") ok ;; *) fail "slow client: $(cat "$work/slow") (idle timeout 2 s)" ;; esac
expect "client gone mid-body" "$("$raw" gone-body "$port")" gone
expect "client gone mid-response" "$("$raw" gone-response "$port")" gone
alive "clients gone"
expect "1,000 connections at once" "$("$raw" many "$port" 1000 /ok)" "1000 of 1000: 200"
alive "1,000 connections"

# the same descriptors and about the same memory as after the warm-up
for _ in $(seq 300); do code "$url/ok" >/dev/null; done
# connection threads end, idle keep-alive connections time out (2 s) and
# the server gives memory back once quiet; on a loaded machine that may
# take longer: wait up to 15 s
for _ in $(seq 30); do
  sleep 0.5
  if [ "$(fds)" = "$fds0" ] && { [ -n "${WG_SANITIZED:-}" ] || [ $(($(rss) - rss0)) -lt 8192 ]; }; then
    break
  fi
done
fds1=$(fds) rss1=$(rss)
expect "open descriptors before and after" "$fds1" "$fds0"
# (under AddressSanitizer freed memory waits in its quarantine: resident
# memory is not checked there, LeakSanitizer checks the server at exit)
if [ -n "${WG_SANITIZED:-}" ]; then
  echo "resident memory not checked (sanitized build)"
# (the baseline itself varies by +-2 MB between runs: thread caches and
# stacks; a leak grows with every request and shows in bench/http_run's
# 100,000-request soak, and LeakSanitizer checks the server in asan)
elif [ $((rss1 - rss0)) -lt 8192 ]; then ok; else fail "memory grew from $rss0 KB to $rss1 KB"; fi
echo "server: $fds0 -> $fds1 descriptors, $rss0 -> $rss1 KB resident anonymous memory"

kill -TERM $pid
for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
wait $pid
expect "SIGTERM: exit status" "$?" 0
trap - EXIT
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
