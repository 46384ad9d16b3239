#!/usr/bin/env bash
# Must-show of the C bindings: for every world of every wit-codegen case and
# the WASI 0.2.12 worlds wasi:http/proxy and wasi:cli/command,
#  1. witgen writes the bindings plus stub exports (--stubs);
#  2. the .c files compile with clang-19 --target=wasm32-wasi -Wall -Wextra
#     -Werror, the header as C11 with gcc for the host (and as C++17 when
#     g++ is installed);
#  3. they link into a core module (reactor);
#  4. the oracle's `component new` accepts it;
#  5. the component has the same world-level types, imports and exports as
#     the one wasm-tools makes from the WIT world alone (`embed --dummy` +
#     `new`), and `component wit` prints the same world for both. The
#     types are compared byte for byte by bindgen_check ("exact"); when the
#     two differ only in order (the world's component type orders some
#     functions differently, see world_type.known), the TypeScript
#     declarations jco's transpile derives from each must be equal ("same
#     types").
# Worlds witgen refuses (async, future, stream, error-context) are listed by
# name and not counted. Prints `N passed, M failed`.
# Usage: bindgen.sh ORACLE_MODULES WITGEN CHECKER CASES_DIR WASI_WIT_DIR WORK
set -uo pipefail
modules=$1 witgen=$2 checker=$3 cases=$4 wasi=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
for tool in clang-19 gcc; do
  command -v $tool >/dev/null || { echo "$tool missing: skipped"; exit 77; }
done
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work"

# Jobs: ID <tab> WIT path <tab> world.
jobs=$work/jobs.txt
: >"$jobs"
. "$(dirname "$0")/case_worlds.sh"
while IFS=$'\t' read -r -u 3 name wit world; do
  printf '%s\t%s\t%s\n' "$name.$world" "$wit" "$world" >>"$jobs"
done 3< <(case_worlds "$cases")
printf '%s\t%s\t%s\n' "wasi-0.2.12.http-proxy" "$wasi" "wasi:http/proxy" >>"$jobs"
printf '%s\t%s\t%s\n' "wasi-0.2.12.cli-command" "$wasi" "wasi:cli/command" >>"$jobs"

# Steps 1-3 for one job; writes $work/ID/status (refused|built|failed: why).
build_one() {
  local id=$1 wit=$2 world=$3 d=$work/$1
  mkdir -p "$d"
  if ! "$witgen" --stubs --world "$world" --out-dir "$d" "$wit" 2>"$d/gen.err"; then
    if grep -q "not supported yet" "$d/gen.err"; then
      echo "refused: $(head -1 "$d/gen.err")" >"$d/status"
    else
      echo "failed: witgen: $(head -1 "$d/gen.err")" >"$d/status"
    fi
    return
  fi
  local h stem
  h=$(ls "$d"/*.h)
  stem=$(basename "$h" .h)
  local cflags="--target=wasm32-wasi -Wall -Wextra -Werror -O1"
  if ! clang-19 $cflags -c "$d/$stem.c" -o "$d/bindings.o" 2>"$d/cc.err"; then
    echo "failed: clang: $(grep -m1 error "$d/cc.err")" >"$d/status"
  elif ! clang-19 $cflags -c "$d/${stem}_stubs.c" -o "$d/stubs.o" 2>"$d/cc.err"; then
    echo "failed: clang (stubs): $(grep -m1 error "$d/cc.err")" >"$d/status"
  elif ! gcc -std=c11 -Wall -Wextra -Werror -fsyntax-only -x c "$h" 2>"$d/cc.err"; then
    echo "failed: gcc (header): $(grep -m1 error "$d/cc.err")" >"$d/status"
  elif command -v g++ >/dev/null &&
       ! g++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -x c++ "$h" 2>"$d/cc.err"; then
    echo "failed: g++ (header as C++): $(grep -m1 error "$d/cc.err")" >"$d/status"
  elif ! clang-19 --target=wasm32-wasi -mexec-model=reactor "$d/bindings.o" \
         "$d/stubs.o" -o "$d/core.wasm" 2>"$d/cc.err"; then
    echo "failed: link: $(head -1 "$d/cc.err")" >"$d/status"
  else
    echo built >"$d/status"
  fi
}
export -f build_one
export work witgen
tr '\t' '\n' <"$jobs" | xargs -d '\n' -n 3 -P 2 bash -c 'build_one "$@"' _

# Step 4-5 through one oracle process.
batch=$work/oracle.txt
: >"$batch"
while IFS=$'\t' read -r id wit world; do
  d=$work/$id
  [ "$(cat "$d/status")" = built ] || continue
  printf '%s\tnew\t%s\t%s\n' "$id ours" "$d/core.wasm" "$d/ours.wasm"
  printf '%s\twit\t%s\t%s\n' "$id ours-wit" "$d/ours.wasm" "$d/ours.wit"
  printf '%s\tembed\t%s\t%s\t%s\n' "$id ref-embed" "$wit" "$world" "$d/ref.core.wasm"
  printf '%s\tnew\t%s\t%s\n' "$id ref" "$d/ref.core.wasm" "$d/ref.wasm"
  printf '%s\twit\t%s\t%s\n' "$id ref-wit" "$d/ref.wasm" "$d/ref.wit"
  printf '%s\ttypes\t%s\t%s\n' "$id ours-types" "$d/ours.wasm" "$d/ours.d.ts"
  printf '%s\ttypes\t%s\t%s\n' "$id ref-types" "$d/ref.wasm" "$d/ref.d.ts"
done <"$jobs" >"$batch"
node "$here/oracle_batch.mjs" <"$batch" >"$work/oracle.out"

passed=0 failed=0 exact=0 known=0 refused=()
known_file="$here/bindgen.known"
# fail ID MESSAGE: counts a failure, or a known one when ID is listed.
fail() {
  if grep -qxF "$1" "$known_file"; then
    echo "KNOWN $1: $2" | cut -c1-300
    known=$((known + 1))
  else
    echo "FAIL $1: $2" | cut -c1-300
    failed=$((failed + 1))
  fi
}
while IFS=$'\t' read -r id wit world; do
  d=$work/$id
  status=$(cat "$d/status")
  case $status in
    refused*) refused+=("$id (${status#refused: witgen: error: })"); continue ;;
    failed*) fail "$id" "${status#failed: }"; continue ;;
  esac
  why=$(grep "^$id ours error" "$work/oracle.out" | head -1)
  if [ -n "$why" ]; then
    fail "$id" "oracle new refuses it: ${why#"$id ours error "}"
    continue
  fi
  why=$(grep "^$id ref" "$work/oracle.out" | grep -v " ok$" | head -1)
  if [ -n "$why" ]; then
    fail "$id" "no reference component: $why"
    continue
  fi
  if ! cmp -s "$d/ours.wit" "$d/ref.wit"; then
    fail "$id" "component wit differs (see $d/ours.wit, $d/ref.wit)"
  elif out=$("$checker" "$d/ours.wasm" "$d/ref.wasm"); then
    exact=$((exact + 1))
    passed=$((passed + 1))
    grep -qxF "$id" "$known_file" && echo "NOTE $id passes now: remove it from bindgen.known"
  elif [ -s "$d/ours.d.ts" ] && cmp -s "$d/ours.d.ts" "$d/ref.d.ts"; then
    passed=$((passed + 1))
    grep -qxF "$id" "$known_file" && echo "NOTE $id passes now: remove it from bindgen.known"
  else
    fail "$id" "$out; TypeScript declarations differ too"
  fi
done <"$jobs"
for r in "${refused[@]}"; do echo "REFUSED $r"; done
echo "C bindings: $passed passed ($exact exact, $((passed - exact)) same types in another order), $failed failed, $known known failures, ${#refused[@]} refused (not supported yet)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
