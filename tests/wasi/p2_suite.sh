#!/usr/bin/env bash
# The WASI 0.2 acceptance suite (issue 16, must-show 1): every case of
# p2/cases.txt run by RUNNER (jco or witgen) on the program made a
# component with `witgen new --adapt` (jco's preview1 command adapter),
# its stdout compared with p2/expected/NAME.out and its exit status with
# the case's. Cases jco does not support are skipped for jco (listed).
# Network cases use loopback only; the HTTP server stops by itself.
# Prints one line per failure and `N passed, M failed` (plus skipped).
# With WG_P2_MIXED set (to "PKG=VERSION ...", may be empty), each component
# must import WASI at several 0.2.x versions: the imports of package PKG
# at 0.2.12 are first renamed to VERSION (witgen print, rename, witgen
# parse), and a component importing one version only fails its case.
# Usage: p2_suite.sh RUNNER ORACLE_MODULES WITGEN HTTP_SERVER SRC_DIR BUILD_DIR WORK [CASE...]
set -uo pipefail
runner=$1 modules=$2 witgen=$3 server=$4 src=$5 build=$6 work=$7
shift 7
only=("$@")
mkdir -p "$work"
modules=$(realpath -m "$modules") work=$(realpath "$work") src=$(realpath "$src") build=$(realpath "$build")
adapter=$modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm
if [ ! -f "$adapter" ]; then
  echo "oracle not installed in $modules (the preview1 adapter comes from it): skipped"
  exit 77
fi
jco=$modules/.bin/jco
shim=$modules/@bytecodealliance/jco/node_modules/@bytecodealliance/preview2-shim/dist/nodejs
[ -d "$shim" ] || shim=$modules/@bytecodealliance/preview2-shim/dist/nodejs
rm -rf "$work" && mkdir -p "$work"

# jco: environment and preopens set from WG_P2_ENV / WG_P2_PREOPENS (JSON)
# before the component runs, in the same preview2-shim instance jco uses.
cat >"$work/jco-setup.mjs" <<EOF
import { _setEnv, _setCwd } from 'file://$shim/cli.js';
import { _setPreopens } from 'file://$shim/filesystem.js';
_setEnv(JSON.parse(process.env.WG_P2_ENV || '{}'));
_setCwd(undefined);
_setPreopens(JSON.parse(process.env.WG_P2_PREOPENS || '{}'));
EOF

# the fixture folder the file cases see as /data
fixture() {
  rm -rf "$1" && mkdir -p "$1/sub"
  printf 'And stood awhile in thought.\n' >"$1/bar.txt"
  printf 'baz\n' >"$1/baz.txt"
  printf 'wow\n' >"$1/sub/wow.txt"
  printf 'yay\n' >"$1/sub/yay.txt"
  printf 'outside\n' >"$(dirname "$1")/outside.txt"
}

# the HTTP server, started on the first http case, stopped at exit
server_addr=""
server_pid=""
start_server() {
  [ -n "$server_addr" ] && return 0
  "$server" 300 >"$work/server.addr" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 50); do
    server_addr=$(head -1 "$work/server.addr" 2>/dev/null)
    [ -n "$server_addr" ] && return 0
    sleep 0.1
  done
  echo "FAIL: the HTTP test server did not start: $(cat "$work/server.err")"
  exit 1
}
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; }
trap stop_server EXIT

# WG_P2_MIXED: renames the 0.2.12 imports of the packages it names, then
# requires several versions among the imports (listed on stdout).
mix_versions() {
  local comp=$1 rule pkg ver sed_args=() versions
  for rule in $WG_P2_MIXED; do
    pkg=${rule%%=*} ver=${rule#*=}
    sed_args+=(-e "s#\"wasi:$pkg/([a-z-]+)@0\\.2\\.12\"#\"wasi:$pkg/\\1@$ver\"#g")
  done
  if ((${#sed_args[@]})); then
    "$witgen" print "$comp" -o "$comp.wat" 2>"$work/mix.err" &&
      sed -E "${sed_args[@]}" "$comp.wat" >"$comp.mixed.wat" &&
      "$witgen" parse "$comp.mixed.wat" -o "$comp" 2>"$work/mix.err" || return 1
  fi
  versions=$("$witgen" wit "$comp" | sed -nE 's/^  import wasi:([a-z]+)\/[a-z-]+@(0\.2\.[0-9]+);$/\1@\2/p' | sort -u | tr '\n' ' ')
  echo "$(basename "$comp"): imports $versions"
  if [ "$(printf '%s' "$versions" | tr ' ' '\n' | sed 's/.*@//' | sort -u | wc -l)" -lt 2 ]; then
    echo "imports one WASI version only: $versions" >"$work/mix.err"
    return 1
  fi
}

passed=0 failed=0 skipped=0
skips=""
declare -A made
trim() {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  printf '%s' "${s%"${s##*[![:space:]]}"}"
}
while IFS='|' read -r name program args grants want jco_ok; do
  name=$(trim "$name")
  case "$name" in "" | \#*) continue ;; esac
  if ((${#only[@]})) && [[ ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  program=$(trim "$program") want=$(trim "$want") jco_ok=$(trim "$jco_ok")
  if [ "$runner" = jco ] && [ "$jco_ok" != yes ]; then
    skipped=$((skipped + 1))
    skips+="  $name (${jco_ok#no: })"$'\n'
    continue
  fi
  comp=$work/$program.component.wasm
  if [ -z "${made[$program]:-}" ]; then
    if ! "$witgen" new "$build/$program.wasm" -o "$comp" --adapt "wasi_snapshot_preview1=$adapter" 2>"$work/new.err"; then
      echo "FAIL $name: witgen new: $(head -1 "$work/new.err")"
      failed=$((failed + 1))
      continue
    fi
    if [ -n "${WG_P2_MIXED+set}" ] && ! mix_versions "$comp"; then
      echo "FAIL $name: $(cat "$work/mix.err")"
      failed=$((failed + 1))
      continue
    fi
    made[$program]=1
  fi
  eval "argv=($args)"
  dir=$work/fixture-$name
  fixture "$dir"
  stdin_file=/dev/null closed=0
  envs=() wflags=() preopens="{}" envjson="{}"
  addenv() {
    envs+=("$1")
    wflags+=(--env "$1")
  }
  for g in $grants; do
    case $g in
      dir) wflags+=(--dir "$dir::/data") preopens="{\"/data\": \"$dir\"}" ;;
      rodir) wflags+=(--dir-ro "$dir::/data") preopens="{\"/data\": \"$dir\"}" ;;
      env) addenv frabjous=day; addenv callooh=callay; addenv "with_equals=a=b c" ;;
      stdin=*) stdin_file=$src/${g#stdin=} ;;
      net) wflags+=(--allow-net '*:*') ;;
      http) start_server; addenv "HTTP_SERVER=$server_addr"; wflags+=(--allow-net "$server_addr" --allow-net 127.0.0.1:1) ;;
      closed-stdout) closed=1 ;;
      setenv:*) addenv "${g#setenv:}" ;;
      links) ln -s /etc "$dir/escape" && ln -s ../.. "$dir/up" && ln -s bar.txt "$dir/inside" ;;
      allow:*) wflags+=(--allow-net "${g#allow:}") ;;
      invoke) wflags+=(--invoke 'run()') ;;
      *) echo "bad grant '$g' in case $name"; exit 2 ;;
    esac
  done
  if ((${#envs[@]})); then
    envjson=$(printf '%s\n' "${envs[@]}" | node -e '
      const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
      const o = {}; for (const l of lines) { const i = l.indexOf("="); o[l.slice(0, i)] = l.slice(i + 1); }
      process.stdout.write(JSON.stringify(o));')
  fi
  if [ "$runner" = jco ]; then
    cmd=(env "WG_P2_ENV=$envjson" "WG_P2_PREOPENS=$preopens" "$jco" run --jco-import "$work/jco-setup.mjs" "$comp" "${argv[@]}")
  else
    cmd=("$witgen" run "${wflags[@]}" "$comp" "${argv[@]}")
  fi
  out=$work/$name.out err=$work/$name.err
  if ((closed)); then
    # stdout is a pipe whose reader has exited
    { timeout 120 "${cmd[@]}" <"$stdin_file" 2>"$err"; echo $? >"$work/$name.rc"; } | true
    : >"$out"
    rc=$(cat "$work/$name.rc")
  else
    timeout 120 "${cmd[@]}" <"$stdin_file" >"$out" 2>"$err"
    rc=$?
  fi
  why=""
  if [ "$want" = trap ]; then
    { [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ]; } && why="exit status $rc, a trap expected"
  elif [ "$rc" != "$want" ]; then
    why="exit status $rc, expected $want"
  fi
  if [ -z "$why" ] && [ -f "$src/expected/$name.out" ] && ! cmp -s "$out" "$src/expected/$name.out"; then
    why="stdout differs: $(diff "$src/expected/$name.out" "$out" | grep '^[<>]' | head -3 | tr '\n' ' ')"
  fi
  if [ -z "$why" ] && [ -f "$src/expected/$name.err" ] && ! grep -qF -- "$(cat "$src/expected/$name.err")" "$err"; then
    why="stderr lacks '$(cat "$src/expected/$name.err")': $(head -2 "$err" | tr '\n' ' ')"
  fi
  if [ -n "$why" ]; then
    echo "FAIL $name: $why"
    [ -s "$err" ] && sed -n '1,3s/^/    stderr: /p' "$err"
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done <"$src/cases.txt"

if ((skipped)); then
  echo "skipped for $runner:"
  printf '%s' "$skips"
fi
echo "$runner: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
