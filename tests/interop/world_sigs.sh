# Sourced by the interop scripts that compare worlds (not run alone).
# world_sigs DIR WIT WORLD_SIG: the oracle's WIT of a component
# (DIR/oracle.wit) names the interfaces of the package it was made from
# without printing them, so it is resolved with that package (WIT, a file or
# a folder with deps/) as a dependency; writes its signatures to
# DIR/oracle.sig and those of our WIT (DIR/ours.wit) to DIR/ours.sig.
# Prints why and returns 1 when either does not resolve.
world_sigs() {
  local dir=$1 wit=$2 sig=$3
  mkdir -p "$dir/o/deps"
  cp "$dir/oracle.wit" "$dir/o/root.wit"
  if [ -d "$wit" ]; then
    mkdir -p "$dir/o/deps/main"
    cp "$wit"/*.wit "$dir/o/deps/main/"
    if [ -d "$wit/deps" ]; then cp -r "$wit"/deps/* "$dir/o/deps/"; fi
  else
    cp "$wit" "$dir/o/deps/main.wit"
  fi
  if ! "$sig" "$dir/o" >"$dir/oracle.sig" 2>"$dir/err"; then
    echo "oracle's WIT does not resolve: $(head -1 "$dir/err")"
    return 1
  fi
  if ! "$sig" "$dir/ours.wit" >"$dir/ours.sig" 2>"$dir/err"; then
    echo "our WIT does not resolve: $(head -1 "$dir/err")"
    return 1
  fi
}
