#!/usr/bin/env bash
# Must-show 1 of the host bindings (issue 15): for every world of every
# wit-codegen case and the WASI 0.2.12 worlds wasi:cli/command and
# wasi:http/proxy,
#  1. witgen --host --stubs writes the host bindings (worlds it refuses,
#     async ones, are listed by name and not counted);
#  2. <world>_host.c and <world>_host_stubs.c compile as C11 with gcc and
#     with clang-19, -Wall -Wextra -Werror (and the project's -Wshadow
#     -Wstrict-prototypes -Wmissing-prototypes);
#  3. the header compiles as C++17 with g++ and clang++-19 (a .cpp
#     including it, the same warnings);
#  4. they link: a component of the same world (the guest bindings'
#     --stubs, clang-19 wasm32-wasi, witgen new) is instantiated with every
#     import defined by <world>_add_to_linker from the stub tables, and
#     every export bound (link_check.c): so each WIT signature the host
#     bindings declare is checked by the runtime against the component's.
#     When the guest side cannot make a component of the world, the world
#     is counted on steps 1-3 with a note.
# Prints `N passed, M failed`.
# Usage: hostgen.sh WITGEN CASES_DIR WASI_WIT_DIR WORK SOURCE_ROOT LIBWITGEN [SANITIZE]
set -uo pipefail
witgen=$1 cases=$2 wasi=$3 work=$4 root=$5 lib=$6 sanitize=${7:-}
here=$(cd "$(dirname "$0")" && pwd)
for tool in gcc clang-19 g++ clang++-19; do
  command -v $tool >/dev/null || { echo "$tool missing: skipped"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work"

jobs=$work/jobs.txt
: >"$jobs"
. "$root/tests/interop/case_worlds.sh"
while IFS=$'\t' read -r -u 3 name wit world; do
  printf '%s\t%s\t%s\n' "$name.$world" "$wit" "$world" >>"$jobs"
done 3< <(case_worlds "$cases")
printf '%s\t%s\t%s\n' "wasi-0.2.12.http-proxy" "$wasi" "wasi:http/proxy" >>"$jobs"
printf '%s\t%s\t%s\n' "wasi-0.2.12.cli-command" "$wasi" "wasi:cli/command" >>"$jobs"

# One job; writes $work/ID/status: refused|passed|compile-only|failed: why.
build_one() {
  local id=$1 wit=$2 world=$3 d=$work/$1
  mkdir -p "$d/guest"
  if ! "$witgen" --host --stubs --world "$world" --out-dir "$d" "$wit" 2>"$d/gen.err"; then
    if grep -q "not supported yet" "$d/gen.err"; then
      echo "refused: $(head -1 "$d/gen.err")" >"$d/status"
    else
      echo "failed: witgen --host: $(head -1 "$d/gen.err")" >"$d/status"
    fi
    return
  fi
  local h stem wp
  h=$(ls "$d"/*_host.h)
  stem=$(basename "$h" .h)
  wp=$(sed -n 's/^const \(.*\)_imports_t \1_stub_imports = {$/\1/p' "$d/${stem}_stubs.c")
  local inc="-I$d -I$root/runtime/include -I$root/base/include -I$root/binary/include"
  local warn="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror"
  local san=""
  [ -n "$sanitize" ] && san="-fsanitize=$sanitize"
  local cc f
  for cc in gcc clang-19; do
    for f in "$stem" "${stem}_stubs"; do
      if ! $cc -std=c11 $warn $inc $san -c "$d/$f.c" -o "$d/$cc.$f.o" 2>"$d/cc.err"; then
        echo "failed: $cc ($f.c): $(grep -m1 'error' "$d/cc.err")" >"$d/status"
        return
      fi
    done
  done
  printf '#include "%s.h"\n' "$stem" >"$d/header.cpp"
  for cc in g++ clang++-19; do
    if ! $cc -std=c++17 -Wall -Wextra -Wshadow -Werror $inc -fsyntax-only \
         "$d/header.cpp" 2>"$d/cc.err"; then
      echo "failed: $cc (header as C++17): $(grep -m1 'error' "$d/cc.err")" >"$d/status"
      return
    fi
  done
  # a component of the world, from the guest bindings' stubs
  local why=""
  if ! "$witgen" --stubs --world "$world" --out-dir "$d/guest" "$wit" 2>"$d/guest.err"; then
    why="guest bindings: $(head -1 "$d/guest.err")"
  else
    local gstem
    gstem=$(basename "$(ls "$d"/guest/*.h)" .h)
    if ! clang-19 --target=wasm32-wasi -mexec-model=reactor -O1 \
         "$d/guest/$gstem.c" "$d/guest/${gstem}_stubs.c" -o "$d/core.wasm" 2>"$d/guest.err"; then
      why="guest: clang: $(grep -m1 error "$d/guest.err")"
    elif ! "$witgen" new "$d/core.wasm" -o "$d/component.wasm" 2>"$d/guest.err"; then
      why="witgen new: $(head -1 "$d/guest.err")"
    fi
  fi
  if [ -n "$why" ]; then
    echo "compile-only: $why" >"$d/status"
    return
  fi
  if ! gcc -std=c11 $warn $inc $san -DWP="$wp" -DHEADER="\"$stem.h\"" \
       "$here/link_check.c" "$d/gcc.$stem.o" "$d/gcc.${stem}_stubs.o" "$lib" \
       -ltree-sitter -lxxhash -lm -o "$d/link_check" 2>"$d/cc.err"; then
    echo "failed: link_check: $(grep -m1 -E 'error|undefined' "$d/cc.err")" >"$d/status"
  elif ! "$d/link_check" "$d/component.wasm" 2>"$d/link.err"; then
    echo "failed: link: $(head -c 400 "$d/link.err")" >"$d/status"
  else
    echo passed >"$d/status"
  fi
}
export -f build_one
export work witgen root lib sanitize here
tr '\t' '\n' <"$jobs" | xargs -d '\n' -n 3 -P 2 bash -c 'build_one "$@"' _

passed=0 failed=0 linked=0 refused=()
while IFS=$'\t' read -r id wit world; do
  status=$(cat "$work/$id/status" 2>/dev/null || echo "failed: no status")
  case $status in
    refused*) refused+=("$id (${status#refused: witgen: error: })") ;;
    passed) passed=$((passed + 1)) linked=$((linked + 1)) ;;
    compile-only*)
      passed=$((passed + 1))
      echo "NOTE $id: compiled, not linked (${status#compile-only: })" | cut -c1-300 ;;
    *) failed=$((failed + 1)); echo "FAIL $id: ${status#failed: }" | cut -c1-400 ;;
  esac
done <"$jobs"
for r in "${refused[@]}"; do echo "REFUSED $r"; done
echo "host bindings: $passed passed ($linked linked against a component of the world), $failed failed, ${#refused[@]} refused (not supported yet)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
