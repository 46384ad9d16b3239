#!/usr/bin/env bash
# Runs one guest program under `witgen run` and checks exit status and output.
# Usage: guest_test.sh CASE WITGEN GUEST_DIR WORK_DIR
set -uo pipefail
case_name=$1 witgen=$2 guests=$3 work=$4/$1
rm -rf "$work" && mkdir -p "$work"
out=$work/out.txt

# expect STATUS REGEX...: runs the prepared command, checks status and that
# every REGEX matches the combined output.
expect() {
  local want=$1; shift
  local got=$status
  if [ "$got" != "$want" ]; then
    echo "FAIL $case_name: exit status $got, expected $want"; cat "$out"; exit 1
  fi
  for re in "$@"; do
    if ! grep -Eq -- "$re" "$out"; then
      echo "FAIL $case_name: output lacks /$re/"; cat "$out"; exit 1
    fi
  done
  cat "$out"
  echo "PASS $case_name"
}
run() { "$witgen" run "$@" >"$out" 2>&1; status=$?; }

case $case_name in
hello)
  run --env WHO=tester "$guests/hello.wasm" one "two words"
  expect 0 '^hello from wasm$' '^arg 1: one$' '^arg 2: two words$' '^WHO=tester$' ;;
exit-code)
  run "$guests/hello.wasm" x
  expect 7 '^hello from wasm$' '^WHO=\(unset\)$' ;;
files)
  mkdir -p "$work/data"
  run --dir "$work/data::/data" "$guests/files.wasm"
  expect 0 '^read 2 lines$' '^entry moved.txt$' '^size 18$' '^files ok$'
  [ -z "$(ls -A "$work/data")" ] || { echo "FAIL: data not cleaned"; exit 1; } ;;
no-dir)
  run "$guests/files.wasm"   # nothing granted: the guest cannot create files
  expect 1 'create' ;;
escape)
  mkdir -p "$work/data"
  echo "TOP SECRET" >"$work/secret.txt"
  echo "inside" >"$work/data/inner.txt"
  ln -s ../secret.txt "$work/data/link-out"
  ln -s "$work/secret.txt" "$work/data/abs-link"
  ln -s .. "$work/data/dirlink"
  ln -s inner.txt "$work/data/link-in"
  run --dir "$work/data::/data" "$guests/escape.wasm"
  expect 0 '^sandbox held$' '^inner link: inside$' '^refused /data/\.\./secret\.txt' \
    '^refused /etc/passwd' '^refused /data/link-out' '^refused /data/abs-link' \
    '^refused /data/dirlink/secret\.txt' '^refused /data/dirlink/( then secret\.txt)?:' \
    '^refused /data/dirlink/\.( then secret\.txt)?:'
  if grep -q "TOP SECRET" "$out"; then echo "FAIL: secret leaked"; exit 1; fi ;;
fuel)
  run --fuel 5000000 "$guests/spin.wasm"
  expect 134 '^spinning$' 'trap: .*fuel' ;;
recursion)
  run "$guests/recurse.wasm"
  expect 134 'trap: .*(call stack exhausted|stack)' ;;
memory-limit)
  run --max-memory-pages 40 "$guests/grow.wasm"
  expect 0 'size 40 pages' ;;
bad-module)
  printf '\0asm\1\0\0\0\1\5' >"$work/bad.wasm"
  run "$work/bad.wasm"
  expect 1 'bad\.wasm' ;;
missing-file)
  run "$work/nope.wasm"
  expect 1 'nope\.wasm' ;;
*)
  echo "unknown case $case_name"; exit 2 ;;
esac
