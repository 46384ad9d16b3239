#!/usr/bin/env bash
# For doc_script.awk's `in=PATH` blocks: BLOCK's lines must appear, in a
# row and unchanged, in file PATH of the source tree ($DOC_ROOT).
# Usage: doc_contains.sh BLOCK PATH N   (N: the block's number, for the message)
set -uo pipefail
block=$1 path=$2 n=$3
if awk 'NR == FNR { want[c++] = $0; next }
        { have[h++] = $0 }
        END { for (i = 0; i + c <= h; i++) {
                for (k = 0; k < c && have[i + k] == want[k]; k++) ;
                if (k == c) exit 0 }
              exit 1 }' "$block" "$DOC_ROOT/$path"; then
  exit 0
fi
echo "block $n is not in $path: the document quotes code that is not there" >&2
exit 1
