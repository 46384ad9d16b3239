#!/usr/bin/env bash
# Runs the commands a document shows, as written (issue 19: the docs stay
# true). The blocks marked `<!-- doc-test: ID ... -->` in DOC become a bash
# script (doc_script.awk) run with `set -euo pipefail` in a fresh folder
# prepared for ID, with the built witgen first on PATH; then what the
# document says they make is checked. Any failing command fails the test.
# Usage: doc_test.sh ID DOC WITGEN CC ORACLE_MODULES SHARED_DIR WORK
# Exit 77 (skipped) when ID needs clang-19 or the jco oracle and it is missing.
set -uo pipefail
id=$1 doc=$2 witgen=$3 cc=$4 modules=$5 shared=$6 work=$7
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/fixtures
rm -rf "$work" && mkdir -p "$work/bin" "$work/run" || exit 1
ln -s "$witgen" "$work/bin/witgen"
export PATH=$work/bin:$PATH
# in=PATH blocks (doc_script.awk) are checked against the source tree
export DOC_ROOT=$(cd "$here/../.." && pwd) DOC_TOOLS=$here
need_cc() {
  command -v "$cc" >/dev/null || { echo "$cc not found: skipped"; exit 77; }
}
need_oracle() {
  [ -f "$modules/@bytecodealliance/jco/package.json" ] ||
    { echo "jco not installed in $modules: skipped"; exit 77; }
}
# `npm install @bytecodealliance/jco` as the documents say, without the
# network: the build's oracle is that package.
fake_npm() {
  cat >"$work/bin/npm" <<NPM
#!/usr/bin/env bash
if [ "\$1" = install ] && [[ "\${*: -1}" == @bytecodealliance/jco* ]]; then
  ln -sfn "$modules" node_modules && echo "added @bytecodealliance/jco (the test oracle)"
else
  echo "npm \$*: not what the documents run" >&2; exit 1
fi
NPM
  chmod +x "$work/bin/npm"
}
cd "$work/run" || exit 1

# ---- what each document needs before its commands ----
case $id in
  readme-usage)
    need_cc
    need_oracle
    cp -r "$shared/testdata/wasi/p2/0.2.12/wit" wasi-http
    cp "$modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm" .
    # guest.wasm: a core module with WIT bindings; prog.wasm: a preview1 C
    # program reading the folder it is granted
    "$witgen" --out-dir guest "$fixtures/guest.wit" &&
      "$cc" --target=wasm32-wasi -mexec-model=reactor -O2 -Iguest \
        guest/guest.c "$fixtures/guest_impl.c" -o guest.wasm &&
      "$cc" --target=wasm32-wasi -O2 "$fixtures/prog.c" -o prog.wasm || exit 1
    mkdir data && echo "hello from data" >data/hello.txt
    # app.wasm imports docs:kv/store, store.wasm exports it (plug, compose)
    "$witgen" --world store-impl --out-dir s "$fixtures/kv.wit" &&
      "$witgen" --world app --out-dir a "$fixtures/kv.wit" &&
      "$cc" --target=wasm32-wasi -mexec-model=reactor -O2 -Is s/store_impl.c \
        "$fixtures/store_impl.c" -o store.core.wasm &&
      "$cc" --target=wasm32-wasi -mexec-model=reactor -O2 -Ia a/app.c \
        "$fixtures/app_impl.c" -o app.core.wasm &&
      "$witgen" new store.core.wasm -o store.wasm &&
      "$witgen" new app.core.wasm -o app.wasm || exit 1
    cp "$fixtures/app.wac" "$fixtures/add.wast" . ;;
  bindings-example)
    need_cc
    need_oracle
    fake_npm
    cp "$fixtures/my_code.c" . ;;
  walkthrough | adapters-example)
    need_cc
    need_oracle
    fake_npm ;;
  host-bindings)
    # a C compiler for the host, and `pkg-config witgen` as an installed
    # witgen answers it, for this source tree
    command -v cc >/dev/null || { echo "cc not found: skipped"; exit 77; }
    cat >"$work/bin/pkg-config" <<PKG
#!/usr/bin/env bash
[ "\$1" = --cflags ] && [ "\$2" = witgen ] || { echo "pkg-config \$*: not what the documents run" >&2; exit 1; }
echo "-I$DOC_ROOT/runtime/include -I$DOC_ROOT/base/include -I$DOC_ROOT/binary/include"
PKG
    chmod +x "$work/bin/pkg-config" ;;
  runtime) ;; # quotes of examples/vector only
  planted-broken)
    cp -r "$shared/testdata/wasi/p2/0.2.12/wit" wasi-http ;;
  planted-drift) ;;
  *)
    echo "unknown doc-test id $id"; exit 2 ;;
esac

# ---- the document's commands ----
awk -v id="$id" -f "$here/doc_script.awk" "$doc" >"$work/doc.sh" || exit 1
export DOC_OUT=$work/out DOC_ERR=$work/err DOC_EXPECT=$work/expect
: >"$DOC_OUT"
: >"$DOC_ERR"
if ! bash -euo pipefail "$work/doc.sh"; then
  echo "FAIL: a command of $doc (marked doc-test: $id) failed; the end of"
  echo "its block's output:"
  tail -n 20 "$DOC_OUT"
  tail -n 20 "$DOC_ERR"
  exit 1
fi

# ---- what the document says the commands make ----
fail=0
expect_file() { [ -s "$1" ] || { echo "FAIL: $doc says it makes $1"; fail=1; }; }
case $id in
  readme-usage)
    for f in gen/proxy.h gen/proxy.c gen/command.h gen/command.c \
             guest.component.wasm prog.component.wasm root.h root.c; do
      expect_file "$f"
    done
    grep -q "prog.wasm: valid" "$DOC_OUT" && grep -q "guest.component.wasm: valid component" "$DOC_OUT" ||
      { echo "FAIL: validate did not report both valid"; fail=1; }
    grep -q "add.wast: 3 passed, 0 failed" "$DOC_OUT" || { echo "FAIL: witgen wast add.wast did not pass its 3 commands"; fail=1; }
    # print then parse keeps the component (its custom sections may move:
    # @producers is placed last, as wasm-tools places it)
    "$witgen" validate guest.again.wasm >/dev/null &&
      cmp -s <("$witgen" wit guest.component.wasm) <("$witgen" wit guest.again.wasm) ||
      { echo "FAIL: print then parse changed guest.component.wasm's world"; fail=1; }
    grep -q "hello from data" "$DOC_OUT" || { echo "FAIL: prog.wasm did not read /data"; fail=1; }
    grep -qx "3" "$DOC_OUT" || { echo "FAIL: witgen run --invoke 'add(1, 2)' did not print 3"; fail=1; }
    # the compositions run: app's run() returns what store's get() gives
    for c in plugged composed; do
      expect_file $c.wasm
      ln -sfn "$modules" node_modules
      got=$(NODE_PATH=$modules "$modules/.bin/jco" transpile $c.wasm -o js-$c -q >/dev/null &&
        node -e "import('./js-$c/$c.js').then(m => console.log(m.run()))")
      [ "$got" = 42 ] || { echo "FAIL: $c.wasm's run() gave '$got', not 42"; fail=1; }
    done ;;
  bindings-example)
    for f in shop.h shop.c core.wasm shop.wasm; do expect_file "$f"; done
    "$witgen" validate shop.wasm || fail=1 ;;
  walkthrough)
    expect_file greeter/greeter.wasm ;;
  adapters-example)
    "$witgen" validate hello.component.wasm || fail=1 ;;
  host-bindings)
    for f in hello_host.h hello.o hello_host.o; do expect_file "$f"; done ;;
esac
[ $fail -eq 0 ] && echo "$doc: every command marked doc-test: $id ran as written"
exit $fail
