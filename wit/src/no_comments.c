/* SPDX-License-Identifier: Apache-2.0 */
/* The WIT language for text known to hold no comments: the same tables as
 * tree_sitter_wit(), with an external scanner that never matches. Comments
 * are the scanner's only tokens, and on text without them it still skips
 * the white space before every token (which the lexer then reads again) to
 * look for one; the front-end cuts comments out before parsing
 * (parser/src/wit_comments.c) and parses with this. */
#include <pthread.h>

#include "tree_sitter/parser.h"
#include "witgen/wit_grammar.h"

static TSLanguage language;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static bool scan_nothing(void *payload, TSLexer *lexer,
                         const bool *valid_symbols) {
  (void)payload;
  (void)lexer;
  (void)valid_symbols;
  return false;
}

static void init(void) {
  language = *tree_sitter_wit();
  language.external_scanner.scan = scan_nothing;
}

const TSLanguage *tree_sitter_wit_without_comments(void) {
  pthread_once(&once, init);
  return &language;
}
