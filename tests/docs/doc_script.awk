# Turns the blocks of a Markdown file marked for test ID into a bash
# script, in document order. A marker is an HTML comment on the line before
# a fenced block:
#   <!-- doc-test: ID run -->          the block's commands run as written
#                                      (stdout to $DOC_OUT, stderr to $DOC_ERR)
#   <!-- doc-test: ID file=NAME -->    the block is written to file NAME
#   <!-- doc-test: ID output -->       the stdout of the last run block must
#                                      equal the block
#   <!-- doc-test: ID in=PATH -->      the block's lines must appear, in a
#                                      row, in file PATH of the source tree
#                                      (code quoted from examples/)
# Usage: awk -v id=ID -f doc_script.awk FILE.md
BEGIN { mode = ""; inblock = 0; count = 0 }
{
  if (inblock) {
    if ($0 ~ /^```/) {
      inblock = 0
      if (mode == "run") {
        print "} >\"$DOC_OUT\" 2>\"$DOC_ERR\""
      } else {
        print "WITGEN_DOC_EOF"
        if (mode == "output") print "diff -u \"$DOC_EXPECT\" \"$DOC_OUT\""
        if (mode ~ /^in=/)
          print "\"$DOC_TOOLS/doc_contains.sh\" \"$DOC_EXPECT\" '" \
                substr(mode, 4) "' " count
      }
      mode = ""
      next
    }
    print
    next
  }
  if (match($0, /^<!-- doc-test: [^ ]+ [^ ]+ -->$/)) {
    split($0, f, " ")
    if (f[3] != id) next
    mode = f[4]
    getline fence
    if (fence !~ /^```/) {
      print "echo 'doc-test marker not followed by a code block' >&2; exit 2"
      exit
    }
    inblock = 1
    count++
    if (mode == "run") {
      print "echo '$ block " count "' >&2"
      print "{"
    } else if (mode ~ /^file=/) {
      print "cat >'" substr(mode, 6) "' <<'WITGEN_DOC_EOF'"
    } else if (mode == "output" || mode ~ /^in=/) {
      print "cat >\"$DOC_EXPECT\" <<'WITGEN_DOC_EOF'"
    } else {
      print "echo 'unknown doc-test mode " mode "' >&2; exit 2"
      exit
    }
  }
}
END {
  if (inblock) print "echo 'unterminated code block' >&2; exit 2"
  if (!count) print "echo 'no block marked doc-test: " id "' >&2; exit 2"
}
