#!/usr/bin/env bash
# One error message of the CLI (issue 19): the command fails with the
# expected exit status, and its output names the cause and the remedy
# (the flag, the file, the qualified name or the folder to use).
# Usage: message.sh ID WITGEN CC WASI_HTTP_WIT WORK
# Exit 77 (skipped) when ID needs clang-19 and it is missing.
set -uo pipefail
id=$1 witgen=$2 cc=$3 http=$4 work=$5/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# check EXIT CAUSE_REGEX REMEDY_REGEX CMD...: runs CMD, checks both.
check() {
  local code=$1 cause=$2 remedy=$3
  shift 3
  "$@" >out 2>&1
  local rc=$?
  local bad=0
  [ "$rc" -eq "$code" ] || { echo "FAIL $id: exit $rc, expected $code"; bad=1; }
  grep -Eq -- "$cause" out || { echo "FAIL $id: no cause /$cause/"; bad=1; }
  grep -Eq -- "$remedy" out || { echo "FAIL $id: no remedy /$remedy/"; bad=1; }
  # two lines: the error and its remedy (a WIT excerpt under the error aside)
  [ "$(grep -Evc "^ +[0-9]* \\|" out)" -le 2 ] || { echo "FAIL $id: more than two lines"; bad=1; }
  echo "--- $*"
  cat out
  return $bad
}

need_cc() {
  command -v "$cc" >/dev/null || { echo "$cc not found: skipped"; exit 77; }
}

# a world exporting one function, its bindings, a C file using printf
hello_guest() {
  printf 'package demo:hello;\nworld hello {\n  export greet: func(who: string) -> string;\n}\n' >hello.wit
  "$witgen" hello.wit || exit 1
  cat >greet.c <<'C'
#include <stdio.h>
#include "hello.h"
hello_string_t exports_hello_greet(hello_string_t who) {
  char buf[64];
  snprintf(buf, sizeof buf, "hello %.*s", (int)who.len, (char *)who.ptr);
  printf("%s\n", buf);
  hello_string_t r;
  hello_string_dup(&r, buf);
  hello_string_free(&who);
  return r;
}
C
  "$cc" --target=wasm32-wasi -mexec-model=reactor -O2 hello.c greet.c -o core.wasm || exit 1
}

P1='imports WASI preview1 \(`wasi_snapshot_preview1`\.`[a-z_]+`'
case $id in
  new-preview1-reactor)
    need_cc
    hello_guest
    check 1 "$P1" '--adapt wasi_snapshot_preview1=wasi_snapshot_preview1\.reactor\.wasm .*jco npm package.*docs/adapters\.md' \
      "$witgen" new core.wasm -o c.wasm ;;
  new-preview1-command)
    need_cc
    printf '#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n' >main.c
    "$cc" --target=wasm32-wasi -O2 main.c -o prog.wasm || exit 1
    check 1 "$P1" '--adapt wasi_snapshot_preview1=wasi_snapshot_preview1\.command\.wasm \(the module exports `_start`' \
      "$witgen" new prog.wasm -o c.wasm ;;
  new-adapt-unknown)
    need_cc
    hello_guest
    # the module itself stands in for the adapter: the name is checked first
    check 1 'adapt `wasi_snapshot_preview`: the core module imports nothing from `wasi_snapshot_preview` \(its import modules: `wasi_snapshot_preview1`\)' \
      'NAME in --adapt NAME=ADAPTER\.wasm .* wasi_snapshot_preview1$' \
      "$witgen" new core.wasm -o c.wasm --adapt wasi_snapshot_preview=core.wasm ;;
  bindgen-rename-unknown)
    cat >w.wit <<'W'
package demo:names@1.0.0;
interface store { get: func() -> u32; }
world app {
  import store;
  import backup: interface { save: func(); }
  import primary: store;
  export run: func();
}
W
    check 1 '--rename nope=x: world `app` has no interface, import or world named `nope`' \
      '`app` \(the world\), `demo:names/store@1\.0\.0` \(`names_store`\), `backup` \(`backup`\), `primary` \(`primary`\)' \
      "$witgen" --rename nope=x w.wit || exit 1
    # every name the note offers is one --rename takes: the bindings use NEW
    names=$(sed -n 's/^witgen: note: //p' out | grep -o '`[^`]*`' | tr -d '`' | sort -u)
    [ -n "$names" ] || { echo "FAIL $id: no names listed"; exit 1; }
    extra="demo:names/store"   # the WIT name without @version
    for old in $names $extra; do
      rm -rf g && "$witgen" --out-dir g --rename "$old=zz" w.wit >/dev/null 2>&1 &&
        grep -q 'zz_' g/app.h || { echo "FAIL $id: --rename $old=zz not applied"; exit 1; }
    done
    echo "each of: $(echo $names $extra) renames" ;;
  validate-component)
    printf '\0asm\r\0\1\0' >empty.component.wasm
    printf '\0asm\r\0\1\0\1\5' >truncated.component.wasm
    "$witgen" validate empty.component.wasm >out 2>&1 && grep -q 'empty.component.wasm: valid component' out ||
      { echo "FAIL $id: $(cat out)"; exit 1; }
    check 1 'truncated\.component\.wasm:0x[0-9a-f]+: malformed: .*\(a component\)' 'malformed' \
      "$witgen" validate truncated.component.wasm ;;
  run-component)
    printf '\0asm\r\0\1\0' >app.component.wasm
    check 1 'app\.component\.wasm: no `wasi:cli/run` export to run' \
      "call an export with --invoke 'NAME\(ARGS\)'; serve a wasi:http/proxy component with \`witgen serve app\.component\.wasm\`" \
      "$witgen" run app.component.wasm ;;
  run-invoke-core)
    # (module) with --invoke: components only
    printf '\0asm\1\0\0\0' >core.wasm
    check 1 'core\.wasm is a core module: --invoke calls the exports of components' \
      'witgen new core\.wasm' \
      "$witgen" run --invoke 'f()' core.wasm ;;
  run-unknown-import)
    # (module (import "env" "host_log" (func)))
    printf '\0asm\1\0\0\0\1\4\1\x60\0\0\2\20\1\3env\10host_log\0\0' >imp.wasm
    check 1 'unlinkable: unknown import `env`\.`host_log`' 'provides the WASI preview1 functions \(`wasi_snapshot_preview1`\) and nothing else' \
      "$witgen" run imp.wasm ;;
  bindgen-world-unqualified)
    check 1 'no world `command` in package `wasi:http@0\.2\.12` \(its worlds: imports, proxy\)' \
      'wasi:cli/command is a world of a dependency: pass the qualified name, --world wasi:cli/command$' \
      "$witgen" --world command --out-dir g "$http" ;;
  bindgen-world-several)
    check 1 'package `wasi:http@0\.2\.12` has 2 worlds \(imports, proxy\)' \
      'pick one: --world imports, --world proxy' \
      "$witgen" --out-dir g "$http" ;;
  wit-file-needs-folder)
    check 1 'interface or world `outgoing-handler` does not exist' \
      'note: `proxy\.wit` is one file of the package folder `.*/wit/` \(2 more \.wit files and deps/\): load the folder instead of the file' \
      "$witgen" --out-dir g "$http/proxy.wit" ;;
  *)
    echo "unknown message id $id"
    exit 2 ;;
esac
