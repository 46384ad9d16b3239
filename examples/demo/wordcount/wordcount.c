/* SPDX-License-Identifier: Apache-2.0 */
/* The demo's WASI program: counts lines, words and bytes of the files named
 * on its command line, like `wc`. Files are readable only inside the folders
 * granted with `witgen run --dir`. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int count_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "wordcount: %s: %s\n", path, strerror(errno));
    return 1;
  }
  unsigned long lines = 0, words = 0, bytes = 0;
  int in_word = 0;
  for (int c; (c = fgetc(f)) != EOF;) {
    bytes++;
    if (c == '\n') lines++;
    if (isspace(c)) {
      in_word = 0;
    } else if (!in_word) {
      in_word = 1;
      words++;
    }
  }
  fclose(f);
  printf("%7lu %7lu %7lu %s\n", lines, words, bytes, path);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: wordcount FILE...\n");
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; i++)
    status |= count_file(argv[i]);
  return status;
}
