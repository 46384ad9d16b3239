# DEMO: the witgen command line
set -euo pipefail
"$WITGEN" --help
