# Sourced by the interop scripts that go over the wit-codegen cases (not run
# alone). case_worlds DIR prints one line "name<TAB>wit<TAB>world" for every
# world of every case under DIR: a case is a .wit file or a folder whose
# wit/ holds the package (wit is then that folder).
case_worlds() {
  local path name wit world files
  for path in "$1"/*; do
    name=$(basename "$path" .wit)
    wit=$path
    [ -d "$path/wit" ] && wit=$path/wit
    if [ -d "$wit" ]; then files=$(find "$wit" -maxdepth 1 -name '*.wit'); else files=$wit; fi
    # shellcheck disable=SC2086 # a list of file names without spaces
    for world in $(sed -n 's/^[[:space:]]*world[[:space:]]\+\([a-z0-9%-]\+\).*/\1/p' $files | sort -u); do
      printf '%s\t%s\t%s\n' "$name" "$wit" "$world"
    done
  done
}
