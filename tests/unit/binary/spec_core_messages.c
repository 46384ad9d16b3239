/* SPDX-License-Identifier: Apache-2.0 */
/* Decoder and validator against the spec suite's own expectations, message
 * included: for every wast2json command file under DIR (DIR/<name>/
 * <name>.json), each binary `module` must decode and validate, each binary
 * assert_malformed must fail decoding and each assert_invalid validation,
 * with a message starting with the command's text (the reference
 * interpreter's rule). Text-format modules are wast2json's business and are
 * skipped. Prints "N passed, M failed" and exits 1 if M > 0; exits 77
 * (skipped) when DIR holds no command files. With --report the exit status
 * is 0 whatever the failures (for suites beyond wasm 2.0). With --wasm-2.0
 * modules are decoded without the features beyond WebAssembly 2.0 (as the
 * 2.0 suite expects), else with every feature witgen implements. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "json.h"
#include "witgen/core_module.h"

/* Commands whose binary cannot carry what the text says: wast2json encodes
 * `select (result)` with no types as plain `select`, so only "type
 * mismatch" can be found in it. */
static const struct {
  const char *file;
  int line;
} k_known[] = { { "select.json", 324 } };

/* The WgFeature bits modules are decoded with. */
static uint32_t g_features = WG_FEATURES_ALL;

typedef struct Tally {
  int passed, failed, known, skipped, files;
  bool verbose;
} Tally;

static bool is_known(const char *file, int line) {
  for (size_t i = 0; i < sizeof k_known / sizeof *k_known; i++) {
    if (!strcmp(k_known[i].file, file) && k_known[i].line == line) return true;
  }
  return false;
}

/* Decodes and validates file `path`; the error goes to `diags`. */
static WgStatus check_file(const char *path, WgDiagList *diags) {
  uint8_t *bytes;
  size_t len;
  if (wg_file_read(path, &bytes, &len) != WG_OK) {
    wg_diag_list_addf(diags, WG_SEVERITY_ERROR, WG_ERR_IO, NULL,
                      "cannot read %s", path);
    return WG_ERR_IO;
  }
  WgModule *m = NULL;
  WgStatus st =
      wg_module_decode(bytes, len, (WgAllocator){ 0 }, g_features, &m, diags);
  if (st == WG_OK) st = wg_module_validate(m, diags);
  wg_module_free(m);
  free(bytes);
  return st;
}

static void run_command(Tally *t, const char *dir, const char *file,
                        const JsonValue *cmd) {
  const char *type = json_get_str(cmd, "type");
  const char *mt = json_get_str(cmd, "module_type");
  const char *filename = json_get_str(cmd, "filename");
  if (!type || !filename) return;
  WgStatus want;
  if (!strcmp(type, "module")) {
    want = WG_OK;
  } else if (!strcmp(type, "assert_malformed")) {
    want = WG_ERR_MALFORMED;
  } else if (!strcmp(type, "assert_invalid")) {
    want = WG_ERR_INVALID;
  } else {
    return;
  }
  if (mt && strcmp(mt, "binary") != 0) {
    t->skipped++;
    return;
  }
  const JsonValue *line_v = json_get(cmd, "line");
  int line = line_v && line_v->text ? atoi(line_v->text) : 0;
  const char *text = json_get_str(cmd, "text");
  char path[4096];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, filename) >=
      sizeof path) {
    return; /* cannot happen for the suite's short names */
  }
  WgDiagList *diags = wg_diag_list_new();
  WgStatus st = check_file(path, diags);
  const char *message = wg_diag_list_first_error(diags);
  bool ok = st == want && (want == WG_OK || !text ||
                           strncmp(message, text, strlen(text)) == 0);
  if (ok) {
    t->passed++;
  } else if (is_known(file, line)) {
    t->known++;
  } else {
    t->failed++;
    printf("%s:%d: %s: expected %s%s%s%s, got %s%s%s\n", file, line, type,
           wg_status_str(want), text ? " \"" : "", text ? text : "",
           text ? "\"" : "", wg_status_str(st), st ? ": " : "",
           st ? message : "");
  }
  wg_diag_list_delete(diags);
}

static void run_json(Tally *t, const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s/%s.json", dir, name, name);
  uint8_t *text;
  size_t len;
  if (wg_file_read(path, &text, &len) != WG_OK) return;
  char err[256];
  JsonValue *doc = json_parse((const char *)text, len, err, sizeof err);
  free(text);
  if (!doc) {
    printf("%s: %s\n", path, err);
    t->failed++;
    return;
  }
  t->files++;
  char sub[2048], file[512];
  snprintf(sub, sizeof sub, "%s/%s", dir, name);
  snprintf(file, sizeof file, "%s.json", name);
  const JsonValue *cmds = json_get(doc, "commands");
  for (size_t i = 0; cmds && i < cmds->count; i++) {
    run_command(t, sub, file, &cmds->items[i]);
  }
  json_free(doc);
}

int main(int argc, char **argv) {
  bool report = false;
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--report")) {
      report = true;
    } else if (!strcmp(argv[i], "--wasm-2.0")) {
      g_features = WG_FEATURES_WASM2;
    } else {
      dir = argv[i];
    }
  }
  if (!dir) {
    fprintf(stderr, "usage: spec_core_messages [--report] [--wasm-2.0] DIR\n");
    return 2;
  }
  Tally t = { 0 };
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] != '.') run_json(&t, dir, e->d_name);
    }
    closedir(d);
  }
  if (t.files == 0) {
    printf("no command files under %s: skipped\n", dir);
    return 77;
  }
  printf("core decode/validate: %d files: %d passed, %d failed, %d known "
         "(binary cannot express the text), %d skipped (text format)\n",
         t.files, t.passed, t.failed, t.known, t.skipped);
  return t.failed && !report ? 1 : 0;
}
