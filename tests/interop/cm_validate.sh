#!/usr/bin/env bash
# interop_cm_validate: encodes the component forms of the Component Model's
# reference scripts with the oracle (cm_forms.mjs), then checks our
# validator against what each script expects (cm_validate.c). The scripts
# the suite itself lists as not yet implemented (nyi.txt) are left out.
# Usage: cm_validate.sh NODE_MODULES CM_VALIDATE SUITE_DIR WORK_DIR
set -euo pipefail
modules=$1 checker=$2 suite=$3 work=$4
if [ ! -d "$modules/@bytecodealliance/jco" ] || [ ! -d "$suite" ]; then
  echo "oracle or suite missing: skipped"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
mapfile -t scripts < <(cd "$suite" && find validation resources values linking binary async \
  -name '*.wast' | sort | grep -vxFf <(sed -n 's|^\./||p' nyi.txt))
NODE_PATH=$modules node "$here/cm_forms.mjs" "$work/forms" "${scripts[@]/#/$suite/}"
"$checker" "$work/forms" "$here/cm_validate.known"
