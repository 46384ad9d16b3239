#!/usr/bin/env bash
# `witgen new --adapt wasi_snapshot_preview1=ADAPTER.wasm`: a C program
# built for WASI preview1 (clang-19 --target=wasm32-wasi) becomes a WASI 0.2
# component through the adapters jco ships (test-time only). The oracle
# must validate it, it must export wasi:cli/run, and jco must run it: its
# argument, an environment variable, a line of stdin and stderr all pass,
# and a failing exit status shows. A command with a world of its own gets
# both worlds merged. A reactor goes through the reactor adapter. Bad
# inputs fail with a clear message.
# Usage: component_adapt.sh ORACLE_MODULES WITGEN CC SRC_DIR WIT_CODEGEN WORK
set -uo pipefail
modules=$1 witgen=$2 cc=$3 src=$4 cases=$5 work=$6
oracle="$src/oracle.mjs"
lib=$modules/@bytecodealliance/jco/lib
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ] || [ ! -f "$lib/wasi_snapshot_preview1.command.wasm" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
if ! command -v "$cc" >/dev/null; then
  echo "clang-19 not found: skipped"
  exit 77
fi
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"
passed=0 failed=0
failures=""
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+="FAIL $1"$'\n'; }

cmd=$lib/wasi_snapshot_preview1.command.wasm
reactor=$lib/wasi_snapshot_preview1.reactor.wasm
"$cc" --target=wasm32-wasi -O2 -o "$work/hello.wasm" "$src/adapt_hello.c" || exit 1
"$cc" --target=wasm32-wasi -mexec-model=reactor -O2 -o "$work/reactor.wasm" "$src/adapt_reactor.c" || exit 1

# command: validates, exports wasi:cli/run, runs
if "$witgen" new "$work/hello.wasm" -o "$work/hello.c.wasm" --adapt "wasi_snapshot_preview1=$cmd" 2>"$work/err"; then
  ok
  if node "$oracle" wit "$work/hello.c.wasm" >"$work/hello.wit" 2>"$work/err"; then
    ok
    grep -q "export wasi:cli/run@0.2" "$work/hello.wit" && ok || fail "command: no wasi:cli/run export"
  else
    fail "command: invalid component: $(head -2 "$work/err" | tail -1)"
  fi
  "$witgen" wit "$work/hello.c.wasm" >"$work/ours.wit" 2>"$work/err" &&
    grep -q "export wasi:cli/run@0.2" "$work/ours.wit" &&
    ok || fail "command: witgen wit: $(head -1 "$work/err")"
  out=$(echo "from stdin" | WG_GREETING=hi timeout 120 "$modules/.bin/jco" run "$work/hello.c.wasm" bob 2>"$work/stderr")
  rc=$?
  [ "$out" = "hi, bob: from stdin" ] && ok || fail "command: printed '$out'"
  [ $rc -eq 0 ] && ok || fail "command: exit $rc"
  grep -q "to stderr" "$work/stderr" && ok || fail "command: stderr: $(head -1 "$work/stderr")"
  echo | timeout 120 "$modules/.bin/jco" run "$work/hello.c.wasm" bob 7 >/dev/null 2>&1
  [ $? -ne 0 ] && ok || fail "command: exit status 7 not seen"
else
  fail "command: witgen new: $(head -1 "$work/err")"
fi

# a command with a world of its own: both worlds merged
"$cc" --target=wasm32-wasi -O2 -o "$work/own.wasm" "$src/adapt_world.c" || exit 1
node "$oracle" embed "$src/adapt_world.wit" with-export "$work/own.world.wasm" "$work/own.wasm" || exit 1
if "$witgen" new "$work/own.world.wasm" -o "$work/own.c.wasm" --adapt "wasi_snapshot_preview1=$cmd" 2>"$work/err" &&
   node "$oracle" wit "$work/own.c.wasm" >"$work/own.wit" 2>"$work/err"; then
  grep -q "export twice: func(x: s32) -> s32;" "$work/own.wit" &&
    grep -q "export wasi:cli/run@0.2" "$work/own.wit" && ok ||
    fail "own world: exports missing: $(grep export "$work/own.wit" | tr '\n' ' ')"
  out=$(timeout 120 "$modules/.bin/jco" run "$work/own.c.wasm" </dev/null 2>"$work/stderr")
  [ "$out" = "twice 21 = 42" ] && ok || fail "own world: printed '$out'"
else
  fail "own world: $(head -2 "$work/err" | tr '\n' ' ')"
fi

# reactor: validates (its initializer runs from the fixup's start)
if "$witgen" new "$work/reactor.wasm" -o "$work/reactor.c.wasm" --adapt "wasi_snapshot_preview1=$reactor" 2>"$work/err" &&
   node "$oracle" wit "$work/reactor.c.wasm" >/dev/null 2>"$work/err"; then
  ok
else
  fail "reactor: $(head -2 "$work/err" | tr '\n' ' ')"
fi

# bad inputs: exit code and message
expect() {
  local id=$1 code=$2 pattern=$3
  shift 3
  "$@" >/dev/null 2>"$work/err"
  local rc=$?
  if [ $rc -eq "$code" ] && grep -q -- "$pattern" "$work/err"; then ok
  else fail "$id: exit $rc, $(head -1 "$work/err")"; fi
}
head -c 100 "$cmd" >"$work/short.wasm"
node "$oracle" embed "$cases/simple-functions.wit" the-world "$work/world.wasm" "$work/hello.wasm"
expect "adapter/own-world-mismatch" 1 'export `foo:foo/simple#f1` missing from core module' "$witgen" new "$work/world.wasm" -o "$work/x.wasm" --adapt "wasi_snapshot_preview1=$cmd"
expect "usage/no-equals" 2 "NAME=FILE" "$witgen" new "$work/hello.wasm" -o "$work/x.wasm" --adapt "$cmd"
expect "adapter/truncated" 1 "the adapter: invalid core module" "$witgen" new "$work/hello.wasm" -o "$work/x.wasm" --adapt "wasi_snapshot_preview1=$work/short.wasm"
echo '(module (import "wasi_snapshot_preview1" "no_such_fn" (func)) (memory (export "memory") 1))' >"$work/missing.wat"
node "$oracle" parse "$work/missing.wat" "$work/missing.wasm"
expect "adapter/missing-function" 1 'the adapter does not provide `wasi_snapshot_preview1`.`no_such_fn`' "$witgen" new "$work/missing.wasm" -o "$work/x.wasm" --adapt "wasi_snapshot_preview1=$cmd"
# same arity, a later parameter of another type (i64 for the adapter's i32)
echo '(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i64) (result i32))) (memory (export "memory") 1) (func (export "_start")))' >"$work/wrongtype.wat"
node "$oracle" parse "$work/wrongtype.wat" "$work/wrongtype.wasm"
expect "adapter/wrong-type" 1 "fd_write\`: the adapter's function has another type" "$witgen" new "$work/wrongtype.wasm" -o "$work/x.wasm" --adapt "wasi_snapshot_preview1=$cmd"
expect "adapter/no-world" 1 "the adapter has no component-type custom section" "$witgen" new "$work/hello.wasm" -o "$work/x.wasm" --adapt "wasi_snapshot_preview1=$work/reactor.wasm"
expect "adapter/other-module" 1 "imports nothing from .other. (its import modules: .wasi_snapshot_preview1.)" "$witgen" new "$work/hello.wasm" -o "$work/x.wasm" --adapt "other=$cmd"

printf "%s" "$failures"
echo "witgen new --adapt: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
