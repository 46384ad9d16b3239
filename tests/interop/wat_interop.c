/* SPDX-License-Identifier: Apache-2.0 */
/* Helper of wat_interop.sh: our text encoding against wasm-tools'.
 *
 *   wat_interop write DIR FILE.wast...  every module and component written
 *       in text in the scripts (not binary or quote forms, not definitions)
 *       that we encode: DIR/N.wat (its text), DIR/N.ours.wasm (our binary),
 *       DIR/manifest (N <TAB> file:line), and DIR/batch, the oracle's
 *       commands to encode each text into DIR/N.oracle.wasm.
 *   wat_interop compare DIR  for each entry, our binary against the
 *       oracle's: prints `N identical, M different, K the oracle refuses`
 *       and every difference; exit 1 when M > 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/wat.h"

static int write_all(const char *dir, int argc, char **argv) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest", dir);
  FILE *manifest = fopen(path, "w");
  snprintf(path, sizeof path, "%s/batch", dir);
  FILE *batch = fopen(path, "w");
  if (!manifest || !batch) {
    fprintf(stderr, "cannot write in %s\n", dir);
    return 2;
  }
  int n = 0;
  for (int i = 0; i < argc; i++) {
    uint8_t *text;
    size_t len;
    if (wg_file_read(argv[i], &text, &len) != WG_OK) continue;
    WgWast *w = NULL;
    WgStatus st =
        wg_wast_parse((WgStr){ (const char *)text, len }, argv[i], NULL, &w);
    free(text);
    if (st != WG_OK) continue;
    for (size_t k = 0; k < wg_wast_count(w); k++) {
      const WgWastCommand *c = wg_wast_command(w, k);
      const WgWastModule *m = &c->module;
      if (!c->has_module || m->status != WG_OK || m->is_binary || m->is_quote ||
          c->kind == WG_WAST_MODULE_DEFINITION || !m->source.len)
        continue;
      snprintf(path, sizeof path, "%s/%d.wat", dir, n);
      wg_file_write(path, m->source.ptr, m->source.len);
      snprintf(path, sizeof path, "%s/%d.ours.wasm", dir, n);
      wg_file_write(path, m->bytes, m->len);
      fprintf(manifest, "%d\t%s:%u\n", n, argv[i], c->line);
      fprintf(batch, "parse\t%s/%d.wat\t%s/%d.oracle.wasm\n", dir, n, dir, n);
      n++;
    }
    wg_wast_delete(w);
  }
  fclose(manifest);
  fclose(batch);
  printf("%d text modules and components written\n", n);
  return 0;
}

static int compare_all(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest", dir);
  FILE *manifest = fopen(path, "r");
  if (!manifest) return 2;
  int same = 0, differ = 0, refused = 0;
  char line[4096];
  while (fgets(line, sizeof line, manifest)) {
    int n = atoi(line);
    char *where = strchr(line, '\t');
    if (!where) continue;
    where++;
    where[strcspn(where, "\n")] = '\0';
    uint8_t *ours, *theirs;
    size_t ours_len, theirs_len;
    snprintf(path, sizeof path, "%s/%d.oracle.wasm", dir, n);
    if (wg_file_read(path, &theirs, &theirs_len) != WG_OK) {
      refused++;
      printf("REFUSED by the oracle %s\n", where);
      continue;
    }
    snprintf(path, sizeof path, "%s/%d.ours.wasm", dir, n);
    if (wg_file_read(path, &ours, &ours_len) != WG_OK) {
      free(theirs);
      return 2;
    }
    if (ours_len == theirs_len && !memcmp(ours, theirs, ours_len)) {
      same++;
    } else {
      differ++;
      printf("DIFF %s (%d.wat): %zu bytes, the oracle's %zu\n", where, n,
             ours_len, theirs_len);
    }
    free(ours);
    free(theirs);
  }
  fclose(manifest);
  printf("text encoded as wasm-tools does: %d identical, %d different, %d "
         "the oracle refuses\n",
         same, differ, refused);
  return differ || !same ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "write"))
    return write_all(argv[2], argc - 3, argv + 3);
  if (argc == 3 && !strcmp(argv[1], "compare")) return compare_all(argv[2]);
  fprintf(stderr, "usage: wat_interop write DIR FILE.wast... | compare DIR\n");
  return 2;
}
