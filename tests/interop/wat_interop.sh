#!/usr/bin/env bash
# interop_wat: our text format against wasm-tools' (through the oracle).
#  1. Every module of the WebAssembly 2.0 suite and every component of the
#     Component Model's reference tests written in text: our binary equals
#     wasm-tools' for the same text (wat_interop write/compare).
#  2. The components wasm-tools makes for every world of the wit-codegen
#     cases and wasi:http/proxy, wasi:cli/command 0.2.12 (77): our `print`
#     gives wasm-tools' text exactly; that text (wasm-tools' print) parses
#     with ours to wasm-tools' binary of it; and printing then parsing with
#     ours gives that same binary.
# Usage: wat_interop.sh ORACLE_MODULES WITGEN HELPER CORE_SUITE CM_SUITE
#                       WIT_CODEGEN WASI_0_2_12 WORK
set -uo pipefail
modules=$1 witgen=$2 helper=$3 core=$4 cm=$5 cases=$6 wasi=$7 work=$8
oracle="$(dirname "$0")/oracle.mjs"
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ]; then
  echo "oracle not installed in $modules: skipped"
  exit 77
fi
export NODE_PATH=$modules
rm -rf "$work" && mkdir -p "$work/text" "$work/components"
status=0

# 1. text of the suites
mapfile -t scripts < <(ls "$core"/*.wast; find "$cm" -name '*.wast' | sort)
"$helper" write "$work/text" "${scripts[@]}"
node "$oracle" batch "$work/text/batch"
"$helper" compare "$work/text" || status=1

# 2. components made by wasm-tools
. "$(dirname "$0")/case_worlds.sh"
batch=$work/components/batch
: >"$batch"
dirs=()
add() {
  local dir=$work/components/$3
  mkdir -p "$dir"
  dirs+=("$dir")
  printf 'embed\t%s\t%s\t%s\n' "$1" "$2" "$dir/core.wasm" >>"$batch"
  printf 'new\t%s\t%s\n' "$dir/core.wasm" "$dir/c.wasm" >>"$batch"
  printf 'print\t%s\t%s\n' "$dir/c.wasm" "$dir/oracle.wat" >>"$batch"
  printf 'parse\t%s\t%s\n' "$dir/oracle.wat" "$dir/oracle.wasm" >>"$batch"
}
while IFS=$'\t' read -r -u 3 name wit world; do
  add "$wit" "$world" "$name-$world"
done 3< <(case_worlds "$cases")
add "$wasi" "wasi:http/proxy" p2-http-proxy
add "$wasi" "wasi:cli/command" p2-cli-command
node "$oracle" batch "$batch"
made=0 print_same=0 parse_same=0 round_same=0 failures=""
for dir in "${dirs[@]}"; do
  [ -f "$dir/oracle.wasm" ] || continue
  made=$((made + 1))
  id=$(basename "$dir")
  if "$witgen" print "$dir/c.wasm" >"$dir/ours.wat" 2>"$dir/err" &&
     cmp -s "$dir/ours.wat" "$dir/oracle.wat"; then
    print_same=$((print_same + 1))
  else
    failures+="FAIL $id: our print differs from wasm-tools' $(head -1 "$dir/err")"$'\n'
  fi
  if "$witgen" parse "$dir/oracle.wat" -o "$dir/parsed.wasm" 2>"$dir/err" &&
     cmp -s "$dir/parsed.wasm" "$dir/oracle.wasm"; then
    parse_same=$((parse_same + 1))
  else
    failures+="FAIL $id: wasm-tools' text parses differently $(head -1 "$dir/err")"$'\n'
  fi
  if "$witgen" parse "$dir/ours.wat" -o "$dir/round.wasm" 2>"$dir/err" &&
     cmp -s "$dir/round.wasm" "$dir/oracle.wasm"; then
    round_same=$((round_same + 1))
  else
    failures+="FAIL $id: print+parse differs from wasm-tools' $(head -1 "$dir/err")"$'\n'
  fi
done
printf "%s" "$failures"
echo "components made by wasm-tools: $made; our print = wasm-tools' print: $print_same; wasm-tools' print parsed by us = by wasm-tools: $parse_same; our print+parse = wasm-tools' print+parse: $round_same"
if [ "$made" -lt 77 ] || [ -n "$failures" ]; then status=1; fi
exit $status
