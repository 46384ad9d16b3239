#!/usr/bin/env bash
# The round trip split across two C components (issue 17, must-show 2).
# The guest of guest.c imports `host`; peer.c (world `peer`, added to
# roundtrip.wit here) exports `host` and passes every call on to the
# `host` it imports, which host.c implements. The same 132 checks of
# host.c (and host.mjs) run
#  1. linked at run time: host GUEST --link PEER (a WgComponentGraph);
#  2. composed by `witgen plug` and by `witgen compose split.wac`;
#  3. with the oracle: the plugged component on jco (host.mjs);
# and the value logs of every run must be identical: each value crossed
# guest -> peer (a fused call) -> host and back.
# Skipped (exit 77) without clang-19; without the oracle, no jco run.
# Usage: split.sh WITGEN HOST WORK [ORACLE_MODULES]
set -euo pipefail
witgen=$1 host=$2 work=$3 modules=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
command -v clang-19 >/dev/null || { echo "clang-19 missing: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work/wit"
{
  cat "$here/wit/roundtrip.wit"
  printf '\n/// The split round trip: exports every `host` function the guest\n'
  printf '/// imports and passes each call on to the host'"'"'s.\n'
  printf 'world peer {\n  import host;\n  export host;\n}\n'
} >"$work/wit/roundtrip.wit"
build() { # NAME WORLD SOURCE
  "$witgen" --world "$2" --out-dir "$work/$1" "$work/wit"
  clang-19 --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
    -I"$work/$1" "$work/$1/$2.c" "$here/$3" -o "$work/$1.core.wasm"
  "$witgen" new "$work/$1.core.wasm" -o "$work/$1.wasm"
}
build guest roundtrip guest.c
build peer peer peer.c
"$witgen" plug "$work/guest.wasm" --plug "$work/peer.wasm" -o "$work/plugged.wasm"
"$witgen" compose "$here/split.wac" --dep witgen:guest="$work/guest.wasm" \
  --dep witgen:peer="$work/peer.wasm" -o "$work/composed.wasm"
status=0
run() { # NAME ARGS...: host.c's checks, with a value log
  local name=$1
  shift
  echo "== $name, run by witgen's runtime"
  "$host" "$@" --log "$work/$name.log" || status=1
}
run linked "$work/guest.wasm" --link "$work/peer.wasm"
run plugged "$work/plugged.wasm"
run composed "$work/composed.wasm"
logs=(plugged composed)
if [ -n "$modules" ] && [ -x "$modules/.bin/jco" ] &&
   [ -d "$modules/@bytecodealliance/jco-transpile" ] && command -v node >/dev/null; then
  echo "== plugged, run by jco"
  "$modules/.bin/jco" transpile "$work/plugged.wasm" -o "$work/js-plugged" --name rt \
    --instantiation async -q >/dev/null
  NODE_PATH=$modules node "$here/host.mjs" "$work/js-plugged" --log "$work/jco.log" || status=1
  logs+=(jco)
else
  echo "NOTE oracle not installed: no jco run"
fi
for l in "${logs[@]}"; do
  if diff -u "$work/linked.log" "$work/$l.log" >"$work/$l.diff"; then
    echo "value logs identical: linked and $l ($(wc -l <"$work/$l.log") cases)"
  else
    echo "FAIL value logs differ (linked -, $l +):"
    head -20 "$work/$l.diff"
    status=1
  fi
done
exit $status
