/* SPDX-License-Identifier: Apache-2.0 */
/* The component validator against the Component Model's reference tests:
 * reads the manifest cm_forms.mjs writes (each component form of the
 * scripts, encoded by the oracle, with what the script expects) and checks
 * that valid forms validate and invalid ones fail with a message that holds
 * the expected text. Prints each difference and the figures per script:
 *   cm_validate DIR [--quiet]
 *   cm_validate DIR KNOWN [--quiet]
 * KNOWN lists forms (`script:line`) known not to behave as expected yet;
 * they are counted apart, and one that starts passing is an error (so the
 * list stays exact). Exit status: 0 when every other form behaves as
 * expected (forms using features not supported yet, WG_ERR_UNSUPPORTED,
 * are counted apart too), 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"

typedef struct Tally {
  char script[128];
  int pass, fail, unsupported, known;
} Tally;

enum { MAX_KNOWN = 256 };
static char known[MAX_KNOWN][160];
static bool known_seen[MAX_KNOWN];
static int known_count;

static void read_known(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[512];
  while (known_count < MAX_KNOWN && fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    line[strcspn(line, " \t\n#")] = '\0';
    size_t n = strlen(line);
    if (n >= sizeof known[0]) n = sizeof known[0] - 1;
    if (n) {
      memcpy(known[known_count], line, n);
      known[known_count++][n] = '\0';
    }
  }
  fclose(f);
}

static int known_index(const char *where) {
  for (int i = 0; i < known_count; i++)
    if (strcmp(known[i], where) == 0) return i;
  return -1;
}

/* The message of validating `path`; the status is returned. */
static WgStatus check(const char *path, char *msg, size_t cap) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  msg[0] = '\0';
  if (wg_file_read(path, &bytes, &len) != WG_OK) {
    snprintf(msg, cap, "cannot read %.200s", path);
    return WG_ERR_IO;
  }
  WgDiagList *diags = wg_diag_list_new();
  WgComponent *c = NULL;
  WgStatus st = wg_component_decode(bytes, len, (WgAllocator){ 0 }, &c, diags);
  if (st == WG_OK) {
    WgCTypes *types = wg_ctypes_new((WgAllocator){ 0 });
    const WgCScope *scope;
    st = wg_component_validate(types, c, NULL, &scope, diags);
    wg_ctypes_delete(types);
  }
  snprintf(msg, cap, "%s", wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  wg_component_free(c);
  free(bytes);
  return st;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: cm_validate DIR KNOWN [--quiet]\n");
    return 2;
  }
  read_known(argv[2]);
  bool quiet = argc > 3 && strcmp(argv[3], "--quiet") == 0;
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.tsv", argv[1]);
  FILE *m = fopen(path, "r");
  if (!m) {
    fprintf(stderr, "cm_validate: no %s\n", path);
    return 2;
  }
  Tally tallies[64];
  int ntally = 0, pass = 0, fail = 0, unsupported = 0, nknown = 0;
  char line[8192];
  while (fgets(line, sizeof line, m)) {
    line[strcspn(line, "\n")] = '\0';
    char *file = strtok(line, "\t"), *where = strtok(NULL, "\t");
    char *kind = strtok(NULL, "\t"), *want = strtok(NULL, "");
    if (!file || !where || !kind || strcmp(kind, "unparsed") == 0) continue;
    char script[128];
    snprintf(script, sizeof script, "%.*s", (int)strcspn(where, ":"), where);
    Tally *t = NULL;
    for (int i = 0; i < ntally; i++)
      if (strcmp(tallies[i].script, script) == 0) t = &tallies[i];
    if (!t && ntally < 64) {
      t = &tallies[ntally++];
      memset(t, 0, sizeof *t);
      snprintf(t->script, sizeof t->script, "%s", script);
    }
    snprintf(path, sizeof path, "%s/%s", argv[1], file);
    char msg[1024];
    WgStatus st = check(path, msg, sizeof msg);
    bool ok;
    if (st == WG_ERR_UNSUPPORTED) {
      unsupported++;
      if (t) t->unsupported++;
      if (!quiet) printf("UNSUPPORTED %s: %s\n", where, msg);
      continue;
    }
    if (strcmp(kind, "valid") == 0)
      ok = st == WG_OK;
    else
      ok = st != WG_OK && want && strstr(msg, want);
    int k = known_index(where);
    if (k >= 0) {
      known_seen[k] = true;
      if (!ok) {
        nknown++;
        if (t) t->known++;
        continue;
      }
      printf("FAIL %s: listed as known but now passes: remove it from the "
             "known list\n",
             where);
      ok = false;
    }
    if (ok) {
      pass++;
      if (t) t->pass++;
    } else {
      fail++;
      if (t) t->fail++;
      if (!quiet)
        printf("FAIL %s: expected %s%s%s%s, got %s%s\n", where, kind,
               want ? " \"" : "", want ? want : "", want ? "\"" : "",
               st == WG_OK ? "valid" : "\"", st == WG_OK ? "" : msg);
    }
  }
  fclose(m);
  for (int i = 0; i < known_count; i++)
    if (!known_seen[i]) {
      printf("FAIL %s: in the known list but not in the suite\n", known[i]);
      fail++;
    }
  for (int i = 0; i < ntally; i++)
    printf("%-46s %3d passed, %3d failed, %3d known, %3d unsupported\n",
           tallies[i].script, tallies[i].pass, tallies[i].fail,
           tallies[i].known, tallies[i].unsupported);
  printf("component validation: %d passed, %d failed, %d known, %d "
         "unsupported\n",
         pass, fail, nknown, unsupported);
  return fail ? 1 : 0;
}
