/* SPDX-License-Identifier: Apache-2.0 */
/* Reading component values from text, typed by a WgCValTy: what the two
 * syntaxes share (cread.c): the cursor and its located errors, whitespace
 * and comments, quoted strings and chars with their escapes, numbers
 * checked against the type's range, labels looked up in the type, growing
 * item lists, records completed with `none` for left-out option fields.
 * The syntaxes themselves: WAVE (cwave.c) and the `.wast` forms
 * (cwast.c).
 *
 * Values are built in malloc'ed memory shaped as wg_cval_clone() makes
 * it, so wg_cval_free() releases them; a function that fails leaves its
 * output holding nothing to free. */
#ifndef WG_RUNTIME_COMPONENT_CREAD_H
#define WG_RUNTIME_COMPONENT_CREAD_H

#include "witgen/component.h"

/* How deep values may nest (each level is a C stack frame or two). */
enum { CREAD_MAX_DEPTH = 500 };

typedef enum CReadSyntax { CREAD_WAVE, CREAD_WAST } CReadSyntax;

typedef struct CRead {
  const char *s; /* the whole text */
  size_t len;
  size_t pos;
  CReadSyntax syntax;
  const char *path;
  const WgCVal *(*lookup)(void *env, WgStr name);
  void *env;
  WgDiagList *diags;
  WgStatus status; /* the first error; WG_OK */
  int depth;
} CRead;

void cr_init(CRead *r, WgStr text, const WgCValReadOptions *opt,
             WgDiagList *diags, CReadSyntax syntax);

/* Records an error over text[start, end) (only the first error is kept)
 * and returns false. */
bool cr_fail(CRead *r, WgStatus code, size_t start, size_t end, const char *fmt,
             ...) __attribute__((format(printf, 5, 6)));
/* WG_ERR_INVALID: "expected `TYPE` (WHAT), found ..." over [start, end). */
bool cr_fail_type(CRead *r, const WgCValTy *t, size_t start, size_t end,
                  const char *found);
bool cr_nomem(CRead *r);

/* Skips whitespace and comments (`//` for WAVE; `;;` and `(; ;)` for
 * wast). */
void cr_skip(CRead *r);
/* The next character after whitespace, or -1 at the end. */
int cr_peek(CRead *r);
/* Skips whitespace, then consumes `c` if it is next. */
bool cr_accept(CRead *r, char c);
/* Like cr_accept(), failing with "expected `c` WHERE" (malformed). */
bool cr_expect(CRead *r, char c, const char *where);
/* Everything read and only whitespace after it (or, with `end`, stops). */
bool cr_finish(CRead *r, size_t *end);

/* A word: letters, digits, `-`, `_`, `.`, `:` (a WAVE label or keyword, a
 * wast keyword such as `u32.const`, a number), without a leading `%`
 * (`*escaped` says whether there was one; may be NULL). Empty when none. */
WgStr cr_word(CRead *r, bool *escaped);

/* A quoted string at the cursor (`quote` is `"` or `'`), decoded into
 * malloc'ed memory (caller frees; NUL-terminated for convenience). WAVE
 * escapes: \t \n \r \' \" \\ \u{X}; wast adds \hh (a byte). WAVE also reads
 * `"""` multiline strings. The result must be UTF-8. */
bool cr_string(CRead *r, char **out, size_t *len);

/* The number in `tok` (at [start, start + tok.len)) as a value of
 * integer or float type `t` (`kind` its WgCValKind). WAVE: decimal
 * integers; floats as JSON numbers, nan, inf, -inf. wast: also `+`,
 * underscores, hex integers and floats, nan:0xPAYLOAD. */
bool cr_number(CRead *r, WgCValKind kind, const WgCValTy *t, WgStr tok,
               size_t start, WgCVal *out);

/* The index of `name` among the labels of `t`, or -1. */
int cr_label(const WgCValTy *t, WgStr name);
/* Fails with "unknown WHAT `name`; TYPE has: a, b, c". */
bool cr_fail_label(CRead *r, const WgCValTy *t, const char *what, WgStr name,
                   size_t start);

/* A growing list of values. */
typedef struct CItems {
  WgCVal *items;
  size_t count, cap;
} CItems;
bool cr_push(CRead *r, CItems *l, const WgCVal *v);
void cr_items_free(CItems *l);
/* A list, record or tuple value that takes the items of `l`. */
WgCVal cr_seq(WgCValKind kind, CItems *l);

/* A malloc'ed copy of `v` (a case payload), NULL when out of memory (the
 * error is recorded and `v` freed). */
WgCVal *cr_box(CRead *r, WgCVal *v);

/* Records: `fields` has t->count zeroed slots; `present[i]` says which were
 * given. Fills left-out option fields with none; fails naming the first
 * other missing field. */
bool cr_complete_record(CRead *r, const WgCValTy *t, WgCVal *fields,
                        const bool *present, size_t start);

/* Depth accounting around nested values: false (WG_ERR_LIMIT) when too
 * deep. */
bool cr_enter(CRead *r);
static inline void cr_leave(CRead *r) {
  r->depth--;
}

/* `$name` where a value of `t` is expected (WAVE): a copy of the bound
 * value, checked against `t`. */
bool cr_variable(CRead *r, const WgCValTy *t, WgCVal *out);

/* An empty value that holds nothing to free. */
static inline WgCVal cr_nothing(void) {
  return wg_cval_bool(false);
}

#endif
