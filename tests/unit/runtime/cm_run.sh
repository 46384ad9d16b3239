#!/usr/bin/env bash
# interop_cm_runtime: runs the Component Model's reference scripts of
# values/, resources/ and linking/ on witgen's component runtime. The
# oracle encodes their components and cm_run.mjs turns the commands and
# component values into JSON (witgen has no text parser yet); cm_run
# instantiates, invokes and checks results and trap messages. Failures
# listed in cm_run.known (by file:line, with the reason) are reported as
# known. Skipped (exit 77) without the oracle or the suite.
# Usage: cm_run.sh NODE_MODULES CM_RUN SUITE_DIR WORK_DIR KNOWN
set -euo pipefail
modules=$1 runner=$2 suite=$3 work=$4 known=$5
if [ ! -d "$modules/@bytecodealliance/jco-transpile" ] || [ ! -d "$suite" ]; then
  echo "oracle or suite missing: skipped"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
NODE_PATH=$modules node "$here/cm_run.mjs" "$work" \
  "$suite"/values/*.wast "$suite"/resources/*.wast "$suite"/linking/*.wast
"$runner" "$work" "$known"
