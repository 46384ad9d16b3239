#!/usr/bin/env bash
# Checks the code of a document (doc test): a fenced block right after a
# line `<!-- test: NAME -->` is written to WORK/NAME; one after
# `<!-- test: in PATH -->` must appear, line for line, in the file PATH of
# the source tree (so a worked example quoted from examples/ cannot drift
# from the code a test builds and runs). Then every WORK/*.wit gets its host
# bindings (witgen --host) and every WORK/*.c is compiled with them (C11,
# -Wall -Wextra -Werror). Prints one line per block; exit 1 on a failure.
# Usage: doc_blocks.sh WITGEN SOURCE_ROOT DOC WORK
set -euo pipefail
witgen=$1 root=$2 doc=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
# Split the blocks: WORK/block.N holds block N, WORK/block.N.target its
# marker's argument.
awk -v work="$work" '
  /^<!-- test: .* -->$/ { target = $0; sub(/^<!-- test: /, "", target);
                          sub(/ -->$/, "", target); want = 1; next }
  want && /^```/ { inblock = 1; want = 0; n++; file = work "/block." n;
                   printf "" > file; print target > (file ".target"); next }
  inblock && /^```$/ { inblock = 0; close(file); next }
  inblock { print > file }
' "$doc"
status=0 count=0
for b in "$work"/block.*[0-9]; do
  [ -e "$b" ] || continue
  count=$((count + 1))
  target=$(cat "$b.target")
  case $target in
    in\ *)
      path=$root/${target#in }
      if awk 'NR == FNR { want[n++] = $0; next }
              { have[m++] = $0 }
              END { for (i = 0; i + n <= m; i++) {
                      for (k = 0; k < n && have[i + k] == want[k]; k++) ;
                      if (k == n) exit 0 }
                    exit 1 }' "$b" "$path"; then
        echo "ok   block $count: in ${target#in }"
      else
        echo "FAIL block $count: not in ${target#in } (the document quotes code that is not there)"
        status=1
      fi ;;
    *)
      cp "$b" "$work/$target"
      echo "ok   block $count: $target" ;;
  esac
done
inc="-I$work -I$root/runtime/include -I$root/base/include -I$root/binary/include"
for w in "$work"/*.wit; do
  [ -e "$w" ] || continue
  "$witgen" --host --out-dir "$work" "$w"
done
for c in "$work"/*.c; do
  [ -e "$c" ] || continue
  if gcc -std=c11 -Wall -Wextra -Werror $inc -c "$c" -o "$c.o"; then
    echo "ok   compiles: $(basename "$c")"
  else
    echo "FAIL does not compile: $(basename "$c")"
    status=1
  fi
done
[ "$count" -gt 0 ] || { echo "FAIL no test blocks in $doc"; exit 1; }
exit $status
