/* SPDX-License-Identifier: Apache-2.0 */
/* External scanner of the WIT grammar: comments.
 *
 * WIT block comments nest (an inner comment opener needs its own closer),
 * which a regular expression cannot express, so every comment is lexed here:
 *   two slashes: comment;  three slashes (not four): doc_comment;
 *   slash-star block: comment;  slash-star-star block: doc_comment, except
 *   the empty slash-star-star-slash.
 * An unterminated block comment becomes `unterminated_comment`, a token no
 * rule accepts, covering the rest of the input: the parse has an ERROR there
 * and the rest is scanned once (failing instead would make tree-sitter retry
 * from the next opener, quadratic in the number of openers). Stateless. */
#include "tree_sitter/parser.h"
#include <stdbool.h>

enum TokenType { COMMENT, DOC_COMMENT, ERROR_SENTINEL, UNTERMINATED_COMMENT };

void *tree_sitter_wit_external_scanner_create(void);
void tree_sitter_wit_external_scanner_destroy(void *payload);
unsigned tree_sitter_wit_external_scanner_serialize(void *payload,
                                                    char *buffer);
void tree_sitter_wit_external_scanner_deserialize(void *payload,
                                                  const char *buffer,
                                                  unsigned length);
bool tree_sitter_wit_external_scanner_scan(void *payload, TSLexer *lexer,
                                           const bool *valid_symbols);

void *tree_sitter_wit_external_scanner_create(void) {
  return NULL;
}
void tree_sitter_wit_external_scanner_destroy(void *payload) {
  (void)payload;
}
unsigned tree_sitter_wit_external_scanner_serialize(void *payload,
                                                    char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_wit_external_scanner_deserialize(void *payload,
                                                  const char *buffer,
                                                  unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static void advance(TSLexer *lexer) {
  lexer->advance(lexer, false);
}

static bool line_comment(TSLexer *lexer) {
  /* after the two slashes */
  bool doc = false;
  if (lexer->lookahead == '/') {
    advance(lexer);
    doc = lexer->lookahead != '/';
  }
  while (!lexer->eof(lexer) && lexer->lookahead != '\n')
    advance(lexer);
  lexer->mark_end(lexer);
  lexer->result_symbol = doc ? DOC_COMMENT : COMMENT;
  return true;
}

static bool block_comment(TSLexer *lexer) {
  /* after slash-star */
  bool doc = false;
  if (lexer->lookahead == '*') {
    advance(lexer);
    if (lexer->lookahead == '/') { /* empty block: not a doc comment */
      advance(lexer);
      lexer->mark_end(lexer);
      lexer->result_symbol = COMMENT;
      return true;
    }
    doc = true;
  }
  unsigned depth = 1;
  while (!lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '*' && lexer->lookahead == '/') {
      advance(lexer);
      if (--depth == 0) {
        lexer->mark_end(lexer);
        lexer->result_symbol = doc ? DOC_COMMENT : COMMENT;
        return true;
      }
    } else if (c == '/' && lexer->lookahead == '*') {
      advance(lexer);
      depth++;
    }
  }
  /* unterminated: everything up to the end is one token nothing expects */
  lexer->mark_end(lexer);
  lexer->result_symbol = UNTERMINATED_COMMENT;
  return true;
}

bool tree_sitter_wit_external_scanner_scan(void *payload, TSLexer *lexer,
                                           const bool *valid_symbols) {
  (void)payload;
  if (!valid_symbols[COMMENT] && !valid_symbols[DOC_COMMENT]) return false;
  while (lexer->lookahead == ' ' || lexer->lookahead == '\t' ||
         lexer->lookahead == '\n' || lexer->lookahead == '\r') {
    lexer->advance(lexer, true);
  }
  if (lexer->lookahead != '/') return false;
  advance(lexer);
  if (lexer->lookahead == '/') {
    advance(lexer);
    return line_comment(lexer);
  }
  if (lexer->lookahead == '*') {
    advance(lexer);
    return block_comment(lexer);
  }
  return false;
}
