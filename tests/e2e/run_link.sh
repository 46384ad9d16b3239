#!/usr/bin/env bash
# `witgen run APP.wasm --link LIB.wasm... --invoke CALL` (issue 17): C
# components of tests/interop/compose (clang-19, witgen's bindings, witgen
# new; no Node needed) linked at run time by the CLI. Checks the chain
# a -> b -> c, a session with the store's cursor resource (made, walked,
# dropped across kv -> logger), imports left to witgen run (stubs that
# trap, or traced), and the errors: a cycle, the same file linked twice, a
# wrong function type, --link with a core module; each message naming both
# sides; the same refusals by witgen serve --link.
# Prints `N passed, M failed`. Skipped (77) without clang-19.
# Usage: run_link.sh WITGEN CASES_DIR WORK_DIR
set -uo pipefail
witgen=$1 cases=$2 work=$3
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
build() { # NAME WIT WORLD SOURCE [CFLAGS]
  mkdir -p "gen-$1"
  "$witgen" --world "$3" --out-dir "gen-$1" "$cases/$2" &&
    clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
      ${5:-} -I "gen-$1" -I "$cases" "gen-$1/$(echo "$3" | tr - _).c" "$cases/$4" \
      -o "$1.core.wasm" &&
    "$witgen" new "$1.core.wasm" -o "$1.wasm" ||
    { echo "FAIL: could not build $1"; exit 1; }
}
build a chain.wit a chain_a.c
build b chain.wit b chain_b.c
build c chain.wit c chain_c.c
build c2 chain.wit c2 chain_c2.c
build kv kv.wit kv kv.c
build kvbad kv-bad.wit kv kv.c -DKV_BAD
build logger kv.wit logger logger.c
build app kv.wit app app.c

passed=0 failed=0
# expect NAME STATUS TEXT... -- ARGS: `witgen ARGS` exits STATUS and its
# output (stdout and stderr) contains every TEXT
expect() {
  local name=$1 want=$2
  shift 2
  local texts=()
  while [ "$1" != "--" ]; do texts+=("$1"); shift; done
  shift
  "$witgen" "$@" >"$name.out" 2>&1
  local rc=$?
  if [ $rc -ne "$want" ]; then
    failed=$((failed + 1))
    echo "FAIL $name: exit $rc, expected $want: $(head -3 "$name.out" | tr '\n' ' ')"
    return
  fi
  for t in "${texts[@]}"; do
    if ! grep -qF -- "$t" "$name.out"; then
      failed=$((failed + 1))
      echo "FAIL $name: output lacks '$t': $(head -5 "$name.out" | tr '\n' ' ')"
      return
    fi
  done
  passed=$((passed + 1))
  echo "PASS $name"
}

expect chain 0 '"abab#5 / étéété#11"' -- \
  run a.wasm --link b.wasm --link c.wasm --invoke 'go()'
expect chain-direct 0 '"xx#3"' -- \
  run b.wasm --link c.wasm --invoke 'twice("x")'
expect cursor-session 0 'some([1, 250])' 'some({key: "k1", value: [1, 250]})' \
  'some({key: "k2", value: []})' 'none' -- \
  run kv.wasm --link logger.wasm --invoke 'put({key: "k1", value: [1, 250]})' \
  --invoke 'put({key: "k2", value: []})' --invoke 'get("k1")' \
  --invoke '$c = scan("k")' --invoke '$c.next()' --invoke '$c.next()' \
  --invoke '$c.next()' --invoke 'drop($c)' --invoke 'get("z")'
# the app's formatter and log are nobody's: witgen run's stubs trap
expect host-stub 134 "unimplemented import \`demo:kv/log@0.1.0#write\` called" -- \
  run app.wasm --link kv.wasm --invoke 'run()'
expect host-traced 134 'demo:kv/log@0.1.0#write("kv: put a1")' -- \
  run app.wasm --link kv.wasm --trace-imports --invoke 'run()'
expect cycle 1 "components import from each other in a cycle: b.wasm imports \`demo:chain/cc\` from c2.wasm, which imports \`demo:chain/bb\` from b.wasm" -- \
  run b.wasm --link c2.wasm --invoke 'twice("x")'
expect same-file-twice 1 "b.wasm imports \`demo:chain/cc\`, which two linked components export: c.wasm as \`demo:chain/cc\` and c.wasm (--link #2) as \`demo:chain/cc\`" -- \
  run b.wasm --link c.wasm --link c.wasm --invoke 'twice("x")'
expect wrong-type 1 "app.wasm imports \`demo:kv/store@0.1.0#get: func(key: string) -> option<list<u8>>\`; kvbad.wasm exports it as \`func(key: string) -> option<string>\`" -- \
  run app.wasm --link kvbad.wasm --invoke 'run()'
expect not-a-component 1 "c.core.wasm: " -- \
  run a.wasm --link c.core.wasm --invoke 'go()'
expect core-app 1 "a.core.wasm is a core module: --link links it to other components" -- \
  run --link b.wasm a.core.wasm
# witgen serve takes --link too: the same checks before it listens
expect serve-wrong-type 1 "app.wasm imports \`demo:kv/store@0.1.0#get: func(key: string) -> option<list<u8>>\`; kvbad.wasm exports it as \`func(key: string) -> option<string>\`" -- \
  serve --addr 127.0.0.1:0 app.wasm --link kvbad.wasm
expect serve-two-components 2 "serve: one component only (others with --link), not 'kv.wasm'" -- \
  serve --addr 127.0.0.1:0 app.wasm kv.wasm

echo "witgen run --link: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
