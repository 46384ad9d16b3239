#!/usr/bin/env bash
# interop_compose (issue 17, must-shows 1 and 3): composition and linking
# of C components built on witgen's guest bindings (compose/*.c, worlds of
# compose/kv.wit and compose/chain.wit, clang-19, `witgen new`).
#  - Every case is composed with `witgen compose` from its .wac file, and
#    with `witgen plug` where plug semantics can express it. Every output
#    must be accepted by wasm-tools (the oracle's `component wit`) with the
#    world the case expects, which our `witgen wit` must print too.
#  - Every output runs on jco (transpile + Node, link_run.mjs) and on
#    witgen's runtime (link_run): the two must print the same result, and
#    it must be the case's (the first jco result of the case, which must
#    show what the case is about: which formatter ran, what was logged,
#    which destructors ran).
#  - Every case also runs linked at run time from its input components
#    (link_run APP --link LIB..., a WgComponentGraph): the same result.
#  - Errors: static composition and run-time linking refuse what cannot
#    link, each message naming both sides' WIT paths and signatures.
# Prints `N passed, M failed`. Skipped (77) without the oracle or clang-19.
# Usage: compose.sh ORACLE_MODULES WITGEN LINK_RUN CASES_DIR WORK_DIR
set -uo pipefail
modules=$1 witgen=$2 link_run=$3 cases=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
oracle=$here/oracle.mjs
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ] || [ ! -x "$modules/.bin/jco" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1

# build NAME WIT WORLD SOURCE [CFLAGS]: the C component NAME.wasm
build() {
  mkdir -p "gen-$1"
  "$witgen" --world "$3" --out-dir "gen-$1" "$cases/$2" &&
    clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
      ${5:-} -I "gen-$1" -I "$cases" "gen-$1/$(echo "$3" | tr - _).c" "$cases/$4" \
      -o "$1.core.wasm" &&
    "$witgen" new "$1.core.wasm" -o "$1.wasm" ||
    { echo "FAIL: could not build $1"; exit 1; }
}
build kv kv.wit kv kv.c
build kvnew kv-new.wit kv kv.c -DKV_NEW
build kvbad kv-bad.wit kv kv.c -DKV_BAD
build kv2 kv-v2.wit kv kv.c
build fmt kv.wit fmt fmt.c
build logger kv.wit logger logger.c
build app kv.wit app app.c
build appnew kv-new.wit app app.c
build walker kv.wit walker walker.c
build walkeralt kv-alt.wit walker walker_alt.c
build appres kv.wit app-res app_res.c
build c chain.wit c chain_c.c
build c2 chain.wit c2 chain_c2.c
build b chain.wit b chain_b.c
build a chain.wit a chain_a.c

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "PASS $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# the sorted import/export lines of the world printed in FILE
lines() { grep -E '^\s*(import|export) ' "$1" | sed 's/^ *//; s/;$//' | sort; }

# valid NAME OUT.wasm EXPECTED-LINES...: wasm-tools validates it and
# prints the expected world; our `witgen wit` prints the same
valid() {
  local name=$1 out=$2
  shift 2
  if ! node "$oracle" wit "$out" >"$name.oracle.wit" 2>"$name.err"; then
    bad "$name valid" "wasm-tools refuses it: $(head -1 "$name.err")"
    return
  fi
  local want got ours
  want=$(printf '%s\n' "$@" | sort)
  got=$(lines "$name.oracle.wit")
  if [ "$want" != "$got" ]; then
    bad "$name valid" "world differs: expected [$(echo $want)], wasm-tools prints [$(echo $got)]"
    return
  fi
  if ! "$witgen" wit "$out" >"$name.ours.wit" 2>"$name.err"; then
    bad "$name valid" "witgen wit: $(head -1 "$name.err")"
    return
  fi
  ours=$(lines "$name.ours.wit")
  [ "$ours" = "$got" ] && ok "$name valid" || bad "$name valid" "witgen wit prints [$(echo $ours)]"
}

declare -A ref # the result of each case, from jco

# same NAME CASE FILE: FILE's result is the case's
same() {
  local want=${ref[$2]:-}
  if [ -n "$want" ] && [ "$(cat "$3")" = "$want" ]; then
    ok "$1"
  else
    bad "$1" "got [$(head -c 300 "$3")], the case's result is [${want:0:300}]"
  fi
}

# runs NAME CASE OUT.wasm MUST-SHOW...: jco and witgen's runtime run it to
# the case's result; the first jco result of a case is its result, and
# must contain every MUST-SHOW text
runs() {
  local name=$1 case=$2 out=$3
  shift 3
  if ! "$modules/.bin/jco" transpile "$out" -o "js-$name" --name "$name" \
      --instantiation async -q >/dev/null 2>"$name.jco.err" ||
     ! node "$here/link_run.mjs" "js-$name" "$name" >"$name.jco" 2>>"$name.jco.err"; then
    bad "$name runs" "jco: $(head -3 "$name.jco.err" "$name.jco" 2>/dev/null | tr '\n' ' ')"
    return
  fi
  if [ -z "${ref[$case]:-}" ]; then
    ref[$case]=$(cat "$name.jco")
    for t in "$@"; do
      if ! grep -qF -- "$t" "$name.jco"; then
        bad "$name runs" "jco's result lacks '$t': $(head -c 300 "$name.jco")"
        return
      fi
    done
  fi
  "$link_run" "$out" >"$name.ours" 2>&1
  if [ "$(cat "$name.ours")" != "$(cat "$name.jco")" ]; then
    bad "$name runs" "witgen [$(head -c 300 "$name.ours")], jco [$(head -c 300 "$name.jco")]"
    return
  fi
  same "$name runs" "$case" "$name.jco"
}

# linked NAME CASE APP LIB...: linked at run time, the case's result
linked() {
  local name=$1 case=$2 app=$3
  shift 3
  local args=()
  for l in "$@"; do args+=(--link "$l"); done
  "$link_run" "$app" "${args[@]}" >"$name.linked" 2>&1
  same "$name linked" "$case" "$name.linked"
}

# fails NAME EXPECTED-TEXT... -- COMMAND: exit 1 and every text in its output
fails() {
  local name=$1
  shift
  local texts=()
  while [ "$1" != "--" ]; do texts+=("$1"); shift; done
  shift
  "$@" >"$name.out" 2>&1
  local rc=$?
  if [ $rc -ne 1 ]; then bad "$name" "exit $rc, expected 1: $(head -3 "$name.out" | tr '\n' ' ')"; return; fi
  for t in "${texts[@]}"; do
    if ! grep -qF -- "$t" "$name.out"; then
      bad "$name" "message lacks '$t': $(head -3 "$name.out" | tr '\n' ' ')"
      return
    fi
  done
  ok "$name"
}

W=$witgen
compose() { # OUT WAC DEP...
  local out=$1 wac=$2
  shift 2
  local deps=()
  for d in "$@"; do deps+=(--dep "$d"); done
  "$W" compose "$cases/$wac" "${deps[@]}" -o "$out" 2>"$out.err" ||
    bad "$out" "witgen compose: $(head -2 "$out.err" | tr '\n' ' ')"
}
plug() { # OUT SOCKET PLUG...
  local out=$1 socket=$2
  shift 2
  local plugs=()
  for p in "$@"; do plugs+=(--plug "$p"); done
  "$W" plug "$socket" "${plugs[@]}" -o "$out" 2>"$out.err" ||
    bad "$out" "witgen plug: $(head -2 "$out.err" | tr '\n' ' ')"
}
RUN="export run: func() -> string"

# one plug: the store fills the app; the app's formatter and log and the
# store's log stay imports (one log import), served by the host
compose one.wasm one.wac demo:kv=kv.wasm demo:app=app.wasm
plug plug-one.wasm app.wasm kv.wasm
for f in one plug-one; do
  valid "$f" "$f.wasm" "import demo:kv/types@0.1.0" "import demo:kv/log@0.1.0" \
    "import demo:kv/format@0.1.0" "$RUN"
  runs "$f" one "$f.wasm" "get a1=h0102fa" "scan a: a1=3 a2=1" \
    "kv: drop cursor a | kv: get zz"
done
linked one one app.wasm kv.wasm

# several plugs: the store and the formatter
compose several.wasm several.wac demo:kv=kv.wasm demo:fmt=fmt.wasm demo:app=app.wasm
plug plug-several.wasm app.wasm kv.wasm fmt.wasm
for f in several plug-several; do
  valid "$f" "$f.wasm" "import demo:kv/types@0.1.0" "import demo:kv/log@0.1.0" "$RUN"
  runs "$f" several "$f.wasm" "get a1=<0102fa>" "fmt: show 3" "kv: put b"
done
linked several several app.wasm kv.wasm fmt.wasm

# a semver-compatible plug: the store at 0.1.7 fills an import of 0.1.0
# (one import of each shared interface, at the newest version)
compose version.wasm version.wac demo:kvnew=kvnew.wasm demo:fmt=fmt.wasm demo:app=app.wasm
plug plug-version.wasm app.wasm kvnew.wasm fmt.wasm
for f in version plug-version; do
  valid "$f" "$f.wasm" "import demo:kv/types@0.1.7" "import demo:kv/log@0.1.7" "$RUN"
  runs "$f" version "$f.wasm" "get a1=<0102fa>" "fmt: show 3"
done
linked version version app.wasm kvnew.wasm fmt.wasm

# a chain a -> b -> c (plugged twice: c into b, then that into a)
compose chain.wasm chain.wac demo:a=a.wasm demo:b=b.wasm demo:c=c.wasm
plug bc.wasm b.wasm c.wasm
plug plug-chain.wasm a.wasm bc.wasm
for f in chain plug-chain; do
  valid "$f" "$f.wasm" "export go: func() -> string"
  runs "$f" chain "$f.wasm" "abab#5 / étéété#11"
done
linked chain chain a.wasm b.wasm c.wasm

# a dependency shared by three importers: one logger for the store, the
# formatter and the app, re-exported
compose shared.wasm app.wac demo:logger=logger.wasm demo:kv=kv.wasm \
  demo:fmt=fmt.wasm demo:app=app.wasm
valid shared shared.wasm "import demo:kv/types@0.1.0" "$RUN" "export demo:kv/log@0.1.0"
runs shared shared shared.wasm "get a1=<0102fa>" "log: kv: put a1 |" "| fmt: show 3 |"
linked shared shared app.wasm kv.wasm fmt.wasm logger.wasm

# resources crossing two boundaries: the store's cursor goes to the app,
# which lends one to the walker (who calls the store with it) and gives
# another to the walker (who drops it); the store is shared by two
# importers. Plug semantics cannot say this (the walker's store import
# would stay an import): WAC and run-time linking only.
compose res.wasm res.wac demo:logger=logger.wasm demo:kv=kv.wasm \
  demo:walker=walker.wasm demo:app-res=appres.wasm
valid res res.wasm "import demo:kv/types@0.1.0" "$RUN"
runs res res res.wasm "count k: 3; collect k: k1 k2 k3" \
  "kv: drop cursor k | kv: scan k | kv: drop cursor k | kv: get end"
linked res res appres.wasm kv.wasm walker.wasm logger.wasm

# errors of static composition: each names what is at fault on both sides
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
fails wac-missing-argument "a (a.wasm)" "no argument for import \`demo:chain/bb\`" -- \
  $W compose nodep.wac --dep demo:a=a.wasm -o x.wasm
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

# errors of run-time linking (witgen/component.h's component graph): the
# same words as the static ones where the fault is the same
fails link-missing-export \
  "appnew.wasm imports \`demo:kv/store@0.1.7#size: func() -> u64\`" \
  "kv.wasm exports \`demo:kv/store@0.1.0\` without it" -- \
  "$link_run" appnew.wasm --link kv.wasm
fails link-wrong-type \
  "app.wasm imports \`demo:kv/store@0.1.0#get: func(key: string) -> option<list<u8>>\`" \
  "kvbad.wasm exports it as \`func(key: string) -> option<string>\`" -- \
  "$link_run" app.wasm --link kvbad.wasm
fails link-wrong-resource \
  "appres.wasm imports \`demo:kv/walk@0.1.0#count: func(c: borrow<cursor>) -> u32\`" \
  "walkeralt.wasm exports it as \`func(c: borrow<cursor>) -> u32\`, with another \`cursor\`" \
  "appres.wasm's \`cursor\` is \`demo:kv/store@0.1.0#cursor\` of kv.wasm" \
  "walkeralt.wasm's is \`demo:kv/cursors@0.1.0#cursor\` of the host" -- \
  "$link_run" appres.wasm --link kv.wasm --link walkeralt.wasm
fails link-incompatible-version \
  "app.wasm imports \`demo:kv/store@0.1.0\`" \
  "kv2.wasm exports \`demo:kv/store@0.2.0\`, which is not semver-compatible with it (versions 0.1.0 and 0.2.0)" -- \
  "$link_run" app.wasm --link kv2.wasm
fails link-cycle \
  "components import from each other in a cycle: b.wasm imports \`demo:chain/cc\` from c2.wasm, which imports \`demo:chain/bb\` from b.wasm" -- \
  "$link_run" b.wasm --link c2.wasm
fails link-name-clash \
  "app.wasm imports \`demo:kv/store@0.1.0\`, which two linked components export: kv.wasm as \`demo:kv/store@0.1.0\` and kvnew.wasm as \`demo:kv/store@0.1.7\`" -- \
  "$link_run" app.wasm --link kv.wasm --link kvnew.wasm

echo "composition: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
