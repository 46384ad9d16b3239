/* SPDX-License-Identifier: Apache-2.0 */
/* WIT's reserved words (WIT.md "Keywords", plus `error-context`, which
 * wit-parser reserves too). The grammar treats them as contextual keywords
 * (tree-sitter only picks a keyword where the parse state expects it), so
 * front ends check each bare identifier against this list. */
#include <stdlib.h>
#include <string.h>

#include "witgen/wit_grammar.h"

/* Sorted by strcmp for bsearch. */
static const char *const keywords[] = {
  "as",       "async",         "bool",   "borrow", "char",    "constructor",
  "enum",     "error-context", "export", "f32",    "f64",     "flags",
  "from",     "func",          "future", "import", "include", "interface",
  "list",     "map",           "option", "own",    "package", "record",
  "resource", "result",        "s16",    "s32",    "s64",     "s8",
  "static",   "stream",        "string", "tuple",  "type",    "u16",
  "u32",      "u64",           "u8",     "use",    "variant", "with",
  "world",
};

typedef struct Key {
  const char *text;
  size_t len;
} Key;

static int compare(const void *key, const void *elem) {
  const Key *k = key;
  const char *word = *(const char *const *)elem;
  size_t wlen = strlen(word);
  int c = memcmp(k->text, word, k->len < wlen ? k->len : wlen);
  if (c != 0) return c;
  return (k->len > wlen) - (k->len < wlen);
}

bool wg_wit_is_keyword(const char *text, size_t len) {
  if (!text) return false;
  Key key = { text, len };
  return bsearch(&key, keywords, sizeof keywords / sizeof *keywords,
                 sizeof *keywords, compare) != NULL;
}
