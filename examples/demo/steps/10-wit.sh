# DEMO: resolve WIT packages: the demo's own, then a broken one (located errors)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
echo "\$ witgen check examples/demo/wit && witgen print examples/demo/wit"
"$WITGEN" check "$here/wit"
"$WITGEN" print "$here/wit"
bad=$(mktemp -d)
trap 'rm -rf "$bad"' EXIT
cat >"$bad/broken.wit" <<'WIT'
package demo:broken;

interface store {
  get: func(key: string) -> option<lsit<u8>>;
}
WIT
echo "\$ witgen check broken.wit    # a typo: the error names file, line and column"
if "$WITGEN" check "$bad/broken.wit"; then
  echo "demo: the broken package was accepted" >&2
  exit 1
fi
