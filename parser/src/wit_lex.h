/* SPDX-License-Identifier: Apache-2.0 */
/* Text split into tokens as wit-parser's lexer splits it (ast/lex.rs):
 * keywords are never names, `%name` is a name, numbers are integers (a
 * version is several tokens), and its lexical errors with its messages.
 * Also its rules for identifiers and versions. Used by wit_syntax.c to
 * find and word syntax errors, and by the syntax-tree walk (wit_ast.c). */
#ifndef WG_PARSER_WIT_LEX_H
#define WG_PARSER_WIT_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "wit_syntax.h"

typedef enum WitTokKind {
  TK_EOF,
  TK_EQUALS,
  TK_COMMA,
  TK_COLON,
  TK_PERIOD,
  TK_SEMI,
  TK_LPAREN,
  TK_RPAREN,
  TK_LBRACE,
  TK_RBRACE,
  TK_LT,
  TK_GT,
  TK_RARROW,
  TK_STAR,
  TK_AT,
  TK_SLASH,
  TK_PLUS,
  TK_MINUS,
  TK_STRING,
  TK_ID,
  TK_EXPLICIT_ID,
  TK_INTEGER,
  TK_KEYWORD,
} WitTokKind;

typedef struct WitTok {
  WitTokKind kind;
  int kw; /* TK_KEYWORD: index for wit_lex_keyword() */
  uint32_t start, end;
} WitTok;

typedef struct WitLexer {
  const char *s;
  uint32_t len, pos;
} WitLexer;

/* Fills the keyword tables; wit_syntax_init() calls it once. */
void wit_lex_init(void);

/* Next token from the lexer's position, white space and comments skipped;
 * at the end a TK_EOF token. False on a lexical error (then `err` says
 * which, worded and placed as wit-parser does). */
bool wit_lex_next(WitLexer *lx, WitTok *t, WitSyntaxError *err);

/* How wit-parser names token `t` when it did not expect it ("keyword
 * `type`", "an identifier", "')'"). */
void wit_lex_found(const WitTok *t, char *buf, size_t size);

/* The same for a kind (for a token wit-parser requires). Static storage. */
const char *wit_lex_kind_found(WitTokKind k);

/* The grammar's name of the terminal a kind maps to (NULL: none) and
 * whether that terminal is named. Static storage. */
const char *wit_lex_kind_grammar(WitTokKind k, bool *named);

/* Keyword number `kw` of a TK_KEYWORD token. Static storage. */
const char *wit_lex_keyword(int kw);

/* True when the `n` bytes at `p` spell one of wit-parser's keywords (which
 * it never reads as a name). Needs wit_syntax_init(). */
bool wit_lex_is_keyword(const char *p, size_t n);

/* wit-parser's identifier rule on the `n` bytes at `p` (a leading `%`
 * allowed), a token starting at byte `start`: false when valid, else true
 * with the error in `out`. */
bool wit_lex_id_error(const char *p, uint32_t n, uint32_t start,
                      WitSyntaxError *out);

/* Message for a bare keyword where a name is expected ("expected an
 * identifier or string, found keyword `u32`") into `out`. */
void wit_lex_keyword_error(WgStr word, uint32_t start, WitSyntaxError *out);

/* Semver's parse of version text cut out of the tokens (`n` bytes at `v`,
 * starting at byte `start`): false when valid, else true with semver's
 * message, located at the whole version, in `out`. */
bool wit_lex_semver_error(const char *v, uint32_t n, uint32_t start,
                          WitSyntaxError *out);

/* Sets `e` to a message at bytes [start, end). */
void wit_lex_error(WitSyntaxError *e, uint32_t start, uint32_t end,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
