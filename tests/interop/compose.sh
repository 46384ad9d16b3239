#!/usr/bin/env bash
# interop_compose: `witgen plug` and `witgen compose` (issue 17) on
# components the oracle makes from tests/interop/compose/*.wit (dummy core
# modules: composition needs only their types). Every composition must be
# accepted by wasm-tools (the oracle's `component wit` validates it), and
# the world it prints must import and export what the case expects; our
# own `witgen wit` of it must print the same import and export lines. The
# error cases check that the message names both sides.
# Usage: compose.sh ORACLE_MODULES WITGEN CASES_DIR WORK_DIR
set -uo pipefail
modules=$1 witgen=$2 cases=$3 work=$4
oracle="$(dirname "$0")/oracle.mjs"
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
batch=$work/batch
: >"$batch"
make() { # make NAME WIT WORLD
  printf 'embed\t%s\t%s\t%s\n' "$cases/$2" "$3" "$work/$1.core.wasm" >>"$batch"
  printf 'new\t%s\t%s\n' "$work/$1.core.wasm" "$work/$1.wasm" >>"$batch"
}
make kv kv.wit kv; make fmt kv.wit fmt; make logger kv.wit logger
make app kv.wit app; make kvnew kv-new.wit kv; make kvbad kv-bad.wit kv
make c chain.wit c; make b chain.wit b; make a chain.wit a
node "$oracle" batch "$batch" >/dev/null || { echo "FAIL: the oracle could not make the inputs"; exit 1; }

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "PASS $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# lines LABEL FILE: the sorted import/export lines of the world printed in FILE
lines() { grep -E '^\s*(import|export) ' "$1" | sed 's/^ *//; s/;$//' | sort; }

# check NAME OUT.wasm EXPECTED-LINES...: validated by wasm-tools, the world
# as expected, and ours printing the same
check() {
  local name=$1 out=$2
  shift 2
  if ! node "$oracle" wit "$out" >"$name.oracle.wit" 2>"$name.err"; then
    bad "$name" "wasm-tools refuses it: $(head -1 "$name.err")"
    return
  fi
  local want got ours
  want=$(printf '%s\n' "$@" | sort)
  got=$(lines "$name.oracle.wit")
  if [ "$want" != "$got" ]; then
    bad "$name" "world differs: expected [$(echo $want)], wasm-tools prints [$(echo $got)]"
    return
  fi
  if ! "$witgen" wit "$out" >"$name.ours.wit" 2>"$name.err"; then
    bad "$name" "witgen wit: $(head -1 "$name.err")"
    return
  fi
  ours=$(lines "$name.ours.wit")
  [ "$ours" = "$got" ] && ok "$name" || bad "$name" "witgen wit prints [$(echo $ours)]"
}

# fails NAME EXPECTED-TEXT... -- COMMAND: exit 1 and every text in stderr
fails() {
  local name=$1
  shift
  local texts=()
  while [ "$1" != "--" ]; do texts+=("$1"); shift; done
  shift
  "$@" >"$name.out" 2>&1
  local rc=$?
  if [ $rc -ne 1 ]; then bad "$name" "exit $rc, expected 1"; return; fi
  for t in "${texts[@]}"; do
    if ! grep -qF -- "$t" "$name.out"; then
      bad "$name" "message lacks '$t': $(head -3 "$name.out" | tr '\n' ' ')"
      return
    fi
  done
  ok "$name"
}

W=$witgen
# plug: one plug; the socket's other imports and the plug's stay imports
$W plug app.wasm --plug kv.wasm -o one.wasm &&
  check plug-one one.wasm "import demo:kv/types@0.1.0" "import demo:kv/log@0.1.0" \
    "import demo:kv/format@0.1.0" "export run: func() -> u32" ||
  bad plug-one "witgen plug failed: $($W plug app.wasm --plug kv.wasm -o one.wasm 2>&1)"
# several plugs, sharing the logger import and the resource-carrying types
$W plug app.wasm --plug kv.wasm --plug fmt.wasm -o several.wasm &&
  check plug-several several.wasm "import demo:kv/types@0.1.0" \
    "import demo:kv/log@0.1.0" "export run: func() -> u32" ||
  bad plug-several "witgen plug failed"
# a semver-compatible plug (0.1.7 fills 0.1.0): one import of the newest
$W plug app.wasm --plug kvnew.wasm --plug fmt.wasm -o version.wasm &&
  check plug-version version.wasm "import demo:kv/types@0.1.7" \
    "import demo:kv/log@0.1.7" "export run: func() -> u32" ||
  bad plug-version "witgen plug failed: $($W plug app.wasm --plug kvnew.wasm --plug fmt.wasm -o version.wasm 2>&1)"
# a chain by two plugs: c into b, then that into a
$W plug b.wasm --plug c.wasm -o bc.wasm && $W plug a.wasm --plug bc.wasm -o abc.wasm &&
  check plug-chain abc.wasm "export go: func() -> string" ||
  bad plug-chain "witgen plug failed"
# WAC: a dependency (the logger) shared by two importers, re-exported
$W compose "$cases/app.wac" --dep demo:logger=logger.wasm --dep demo:kv=kv.wasm \
  --dep demo:fmt=fmt.wasm --dep demo:app=app.wasm -o shared.wasm &&
  check wac-shared shared.wasm "import demo:kv/types@0.1.0" \
    "export run: func() -> u32" "export demo:kv/log@0.1.0" ||
  bad wac-shared "witgen compose failed: $($W compose "$cases/app.wac" --dep demo:logger=logger.wasm --dep demo:kv=kv.wasm --dep demo:fmt=fmt.wasm --dep demo:app=app.wasm -o shared.wasm 2>&1)"
# WAC: the chain in one file
$W compose "$cases/chain.wac" --dep demo:a=a.wasm --dep demo:b=b.wasm \
  --dep demo:c=c.wasm -o chain.wasm &&
  check wac-chain chain.wasm "export go: func() -> string" ||
  bad wac-chain "witgen compose failed"

# errors: each names what is at fault on both sides
fails plug-wrong-type "app.wasm imports \`demo:kv/store@0.1.0#get: func(key: string) -> option<list<u8>>\`" \
  "kvbad.wasm exports it as \`func(key: string) -> option<string>\`" -- \
  $W plug app.wasm --plug kvbad.wasm -o x.wasm
fails plug-fills-nothing "c.wasm fills no import of app.wasm" -- \
  $W plug app.wasm --plug c.wasm -o x.wasm
fails plug-not-a-component "a.core.wasm" -- \
  $W plug app.wasm --plug a.core.wasm -o x.wasm
printf 'package x:y;\nlet a = new demo:a { };\nexport a.go;\n' >nodep.wac
fails wac-unknown-package "nodep.wac:2:" "demo:a" "--dep demo:a=FILE.wasm" -- \
  $W compose nodep.wac -o x.wasm
printf 'package x:y;\nlet a = new demo:a { };\nexport a.go;\n' >missing.wac
fails wac-missing-argument "a (a.wasm)" "no argument for import \`demo:chain/bb\`" -- \
  $W compose missing.wac --dep demo:a=a.wasm -o x.wasm
printf 'package x:y;\nlet c = new demo:c { };\nlet a = new demo:a { "demo:chain/bb": c["demo:chain/cc"] };\nexport a.go;\n' >wrong.wac
fails wac-wrong-interface "a (a.wasm) imports \`demo:chain/bb#twice: func(s: string) -> string\`" \
  "c (c.wasm) exports \`demo:chain/cc\` without it" -- \
  $W compose wrong.wac --dep demo:a=a.wasm --dep demo:c=c.wasm -o x.wasm
printf 'package x:y;\nlet c = new demo:c { };\nexport c.nope;\n' >noexport.wac
fails wac-no-export "noexport.wac:3:8" "\`c\` (c.wasm) exports no \`nope\`" -- \
  $W compose noexport.wac --dep demo:c=c.wasm -o x.wasm
printf 'package x:y;\nlet c = new demo:c { }\n' >syntax.wac
fails wac-syntax "syntax.wac:3:1" "expected \`;\`" -- \
  $W compose syntax.wac --dep demo:c=c.wasm -o x.wasm

echo "composition: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
