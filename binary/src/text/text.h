/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the text format (binary/src/text): the token array the lexer
 * makes, the parser state shared by the core-module and component parsers,
 * number and string literals, and identifier tables.
 *
 * Text is lexed once into an array of tokens. Every `(` records the index of
 * its matching `)`, so a parser can skip any form in O(1) and look at a
 * form's fields before parsing them (identifiers are defined before use). */
#ifndef WG_TEXT_TEXT_H
#define WG_TEXT_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "strbuf.h"
#include "witgen/common.h"

/* Section: Tokens (lex.c) */

typedef enum WatTokKind {
  WAT_EOF = 0,
  WAT_LPAREN,   /* ( */
  WAT_RPAREN,   /* ) */
  WAT_KEYWORD,  /* idchars starting with a-z: func, i32.add, offset=4 */
  WAT_ID,       /* $name or $"quoted name" */
  WAT_NUM,      /* integer or float literal, also inf, nan, nan:0x.. */
  WAT_STRING,   /* "..." */
  WAT_RESERVED, /* any other run of idchars */
  WAT_ANNOT,    /* (@name, (@custom, (@producers: an open paren too */
} WatTokKind;

enum {
  WAT_TF_ESCAPES = 1, /* a string or quoted id with backslash escapes */
  WAT_TF_QUOTED = 2,  /* an id of the form $"..." */
};

typedef struct WatTok {
  uint8_t kind;
  uint8_t flags;
  uint32_t start; /* byte offset of the token in the text */
  uint32_t len;   /* bytes; for WAT_ANNOT the `(@` is not counted */
  uint32_t close; /* WAT_LPAREN / WAT_ANNOT: index of the matching ) */
} WatTok;

/* Deepest paren nesting the lexer accepts (the parsers recurse on forms). */
#define WAT_MAX_DEPTH 2000

typedef struct WatLex {
  WatTok *toks; /* ends with a WAT_EOF token */
  uint32_t count;
  uint32_t cap;
} WatLex;

/* Lexes `text` into `out` (tokens allocated with malloc; free with
 * wat_lex_free). Unknown annotations `(@x ...)` are dropped; comments and
 * white space too. On a lexical error returns false with the offending byte
 * range in *err_start / *err_end and a static message in *err_msg. */
bool wat_lex(const char *text, size_t len, WatLex *out, uint32_t *err_start,
             uint32_t *err_end, const char **err_msg);
void wat_lex_free(WatLex *lex);

/* Section: Parser state (lex.c) */

typedef struct WatParser {
  const char *text;
  size_t len;
  const WatTok *toks;
  uint32_t count;
  uint32_t pos;      /* the next token */
  WgDiagList *diags; /* may be NULL */
  const char *path;  /* names the text in diagnostics; NULL: errors
                        carry no location */
  uint32_t file;     /* the text's index in diags; UINT32_MAX until
                        the first error registers it */
  WgArena *arena;    /* scratch for this parse */
  bool failed;       /* an error was reported */
  WgStatus status;   /* of the first error */
  int depth;         /* recursion guard */
} WatParser;

/* Reports an error at token `tok` (first error only); returns false. */
bool wat_error_at(WatParser *p, uint32_t tok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports an error at the current token. */
bool wat_error(WatParser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reports an error at bytes [start, end) of the text. */
bool wat_error_span(WatParser *p, uint32_t start, uint32_t end, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
/* An out-of-memory error. */
bool wat_nomem(WatParser *p);

static inline const WatTok *wat_peek(const WatParser *p) {
  return &p->toks[p->pos];
}
static inline const WatTok *wat_peek2(const WatParser *p) {
  return p->pos + 1 < p->count ? &p->toks[p->pos + 1] : &p->toks[p->count - 1];
}
static inline WgStr wat_tok_str(const WatParser *p, const WatTok *t) {
  return (WgStr){ p->text + t->start, t->len };
}
/* True when token `t` is the keyword `kw` (NUL-terminated). */
bool wat_tok_is(const WatParser *p, const WatTok *t, const char *kw);
/* True when the next tokens are `(` and the keyword `kw`. */
bool wat_peek_form(const WatParser *p, const char *kw);
/* Like wat_peek_form, one token later (after the current token). */
bool wat_peek_form_at(const WatParser *p, uint32_t pos, const char *kw);
/* Consumes the keyword `kw` when it is next. */
bool wat_accept_kw(WatParser *p, const char *kw);
/* Requires the keyword `kw`. */
bool wat_expect_kw(WatParser *p, const char *kw);
bool wat_expect_lparen(WatParser *p);
bool wat_expect_rparen(WatParser *p);
/* True at `)` or the end. */
static inline bool wat_at_close(const WatParser *p) {
  uint8_t k = p->toks[p->pos].kind;
  return k == WAT_RPAREN || k == WAT_EOF;
}
/* An optional `(@name "...")` at the current token: *present tells
 * whether it was there; *out receives the name (checked UTF-8). */
bool wat_name_annot(WatParser *p, WgStr *out, bool *present);
/* Skips the form that starts at the current `(`. */
void wat_skip_form(WatParser *p);

/* Section: Literals (num.c) */

/* Parses the token as an unsigned integer of at most `bits` bits (u32,
 * u64; no sign). */
bool wat_tok_u32(const WatParser *p, const WatTok *t, uint32_t *out);
bool wat_tok_u64(const WatParser *p, const WatTok *t, uint64_t *out);
/* An iN literal (N = 8, 16, 32, 64): unsigned in [0, 2^N) or signed in
 * [-2^(N-1), 2^(N-1)). The result is the N-bit pattern. False when the
 * token is not an integer; *out_range is set when it is one but out of
 * range. */
bool wat_int_bits(WgStr s, unsigned bits, uint64_t *out, bool *out_range);
/* f32 / f64 literals as IEEE bit patterns (decimal, hex, inf, nan,
 * nan:0xN). False when malformed; *out_range on a finite value that
 * rounds to infinity or a bad NaN payload. */
bool wat_f32_bits(WgStr s, uint32_t *out, bool *out_range);
bool wat_f64_bits(WgStr s, uint64_t *out, bool *out_range);

/* Decodes the string token `t` (escapes resolved) into `out` (appended).
 * The lexer has checked its escapes. */
void wat_string_decode(const WatParser *p, const WatTok *t, WgBuf *out);
/* The decoded bytes of a string token in the arena; NULL ptr on OOM. */
WgStr wat_string(WatParser *p, const WatTok *t);
/* The name of an id token without `$` (quoted ids decoded). */
WgStr wat_id_name(WatParser *p, const WatTok *t);

/* Section: Identifier tables (lex.c) */

/* Maps names to indices; an open-addressing table in an arena. */
typedef struct WatNames {
  WgStr *keys;
  uint32_t *vals;
  uint32_t cap; /* power of two, 0 when empty */
  uint32_t count;
} WatNames;

/* Adds `name` -> `index`; false when `name` is already there (index of the
 * first definition in *out_prev) or out of memory (*out_prev UINT32_MAX). */
bool wat_names_add(WgArena *arena, WatNames *names, WgStr name, uint32_t index,
                   uint32_t *out_prev);
/* Looks `name` up; false when absent. */
bool wat_names_get(const WatNames *names, WgStr name, uint32_t *out);

#endif
