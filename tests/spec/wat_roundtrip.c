/* SPDX-License-Identifier: Apache-2.0 */
/* Round trips through the text format over spec-test scripts: every module
 * (and component) written in text is encoded (binary 1), printed, and the
 * printed text encoded again (binary 2): binary 2 must equal binary 1, and
 * printing binary 2 must give the same text. Modules written as binaries
 * (`(module binary ...)`) that decode are printed and re-encoded too; they
 * are counted apart (a binary that is not in canonical form, e.g. with a
 * 5-byte LEB128 or empty sections between custom sections, cannot come
 * back byte for byte) and must at least print and re-encode.
 *
 * Usage: wat_roundtrip FILE.wast...   (prints counts; exit 1 on a failure) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/wat.h"

typedef struct Counts {
  int text_same, text_failed, bin_same, bin_noncanonical, bin_undecodable,
      bin_failed;
} Counts;

static bool print_bytes(const uint8_t *b, size_t n, WgBuf *out, char *why,
                        size_t size) {
  WgDiagList *d = wg_diag_list_new();
  WgStatus st = wg_wat_print(b, n, d, out);
  if (st != WG_OK)
    snprintf(why, size, "print: %s", wg_diag_list_first_error(d));
  wg_diag_list_delete(d);
  return st == WG_OK;
}

static bool parse_text(const WgBuf *text, WgBuf *out, char *why, size_t size) {
  WgDiagList *d = wg_diag_list_new();
  WgStatus st =
      wg_wat_parse((WgStr){ text->data, text->len }, "printed", d, out);
  if (st != WG_OK)
    snprintf(why, size, "re-parse: %s", wg_diag_list_first_error(d));
  wg_diag_list_delete(d);
  return st == WG_OK;
}

/* 0 same, 1 different bytes or text, 2 failed to print or re-parse. */
static int round_trip(const uint8_t *b1, size_t n1, char *why, size_t size) {
  WgBuf t1 = { 0 }, b2 = { 0 }, t2 = { 0 };
  int rc = 2;
  if (print_bytes(b1, n1, &t1, why, size) && parse_text(&t1, &b2, why, size) &&
      print_bytes((const uint8_t *)b2.data, b2.len, &t2, why, size)) {
    if (t1.len != t2.len || memcmp(t1.data, t2.data, t1.len) != 0) {
      snprintf(why, size, "printing the re-encoded binary gives other text");
      rc = 1;
    } else if (b2.len == n1 && memcmp(b2.data, b1, n1) == 0) {
      rc = 0;
    } else {
      snprintf(why, size, "binaries differ (%zu vs %zu bytes)", n1, b2.len);
      rc = 1;
    }
  }
  wg_buf_free(&t1);
  wg_buf_free(&b2);
  wg_buf_free(&t2);
  return rc;
}

static void run_file(const char *path, Counts *c) {
  uint8_t *text;
  size_t len;
  if (wg_file_read(path, &text, &len) != WG_OK) {
    printf("FAIL %s: cannot read\n", path);
    c->text_failed++;
    return;
  }
  WgWast *w = NULL;
  WgStatus st =
      wg_wast_parse((WgStr){ (const char *)text, len }, path, NULL, &w);
  free(text);
  if (st != WG_OK) {
    printf("FAIL %s: the script does not parse\n", path);
    c->text_failed++;
    return;
  }
  for (size_t i = 0; i < wg_wast_count(w); i++) {
    const WgWastCommand *cmd = wg_wast_command(w, i);
    const WgWastModule *m = &cmd->module;
    if (!cmd->has_module || m->status != WG_OK) continue;
    if (cmd->kind == WG_WAST_ASSERT_MALFORMED) continue;
    char why[300] = "";
    int rc = round_trip(m->bytes, m->len, why, sizeof why);
    if (!m->is_binary) {
      if (rc == 0) {
        c->text_same++;
      } else {
        c->text_failed++;
        printf("FAIL %s:%u: %s\n", path, cmd->line, why);
      }
    } else if (rc == 0) {
      c->bin_same++;
    } else if (rc == 1) {
      c->bin_noncanonical++;
    } else if (!strncmp(why, "print:", 6)) {
      /* a binary module the decoders refuse (e.g. a construct of a later
       * proposal) cannot be printed: counted apart */
      c->bin_undecodable++;
    } else {
      c->bin_failed++;
      printf("FAIL %s:%u (binary): %s\n", path, cmd->line, why);
    }
  }
  wg_wast_delete(w);
}

int main(int argc, char **argv) {
  Counts c = { 0 };
  for (int i = 1; i < argc; i++)
    run_file(argv[i], &c);
  printf("text round trips: %d identical, %d failed\n", c.text_same,
         c.text_failed);
  printf("binary-form modules: %d identical, %d not canonical (re-encoded "
         "differently), %d not decodable, %d failed\n",
         c.bin_same, c.bin_noncanonical, c.bin_undecodable, c.bin_failed);
  return c.text_failed || c.bin_failed || c.text_same == 0 ? 1 : 0;
}
