/* SPDX-License-Identifier: Apache-2.0 */
/* The text-format lexer (spec: core text format, 6.2 Lexical format, with
 * the annotations proposal's `(@id ...)`) and the parser helpers shared by
 * the core and component parsers: token tests, errors, identifier tables. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

/* idchar: 0-9 a-z A-Z ! # $ % & ' * + - . / : < = > ? @ \ ^ _ ` | ~ */
static const uint8_t IDCHAR[256] = {
  ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1,  ['&'] = 1, ['\''] = 1, ['*'] = 1,
  ['+'] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1,  [':'] = 1, ['<'] = 1,  ['='] = 1,
  ['>'] = 1, ['?'] = 1, ['@'] = 1, ['\\'] = 1, ['^'] = 1, ['_'] = 1,  ['`'] = 1,
  ['|'] = 1, ['~'] = 1, ['0'] = 1, ['1'] = 1,  ['2'] = 1, ['3'] = 1,  ['4'] = 1,
  ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,  ['9'] = 1, ['a'] = 1,  ['b'] = 1,
  ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,  ['g'] = 1, ['h'] = 1,  ['i'] = 1,
  ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,  ['n'] = 1, ['o'] = 1,  ['p'] = 1,
  ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,  ['u'] = 1, ['v'] = 1,  ['w'] = 1,
  ['x'] = 1, ['y'] = 1, ['z'] = 1, ['A'] = 1,  ['B'] = 1, ['C'] = 1,  ['D'] = 1,
  ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,  ['I'] = 1, ['J'] = 1,  ['K'] = 1,
  ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,  ['P'] = 1, ['Q'] = 1,  ['R'] = 1,
  ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,  ['W'] = 1, ['X'] = 1,  ['Y'] = 1,
  ['Z'] = 1,
};

typedef struct Lexer {
  const uint8_t *s;
  size_t len;
  size_t pos;
  WatLex *out;
  uint32_t *stack; /* token indices of open parens */
  uint32_t depth;
  uint32_t skip; /* > 0: inside an unknown annotation, at this depth */
  uint32_t err_start, err_end;
  const char *err_msg;
} Lexer;

static bool lex_fail(Lexer *lx, size_t start, size_t end, const char *msg) {
  lx->err_start = (uint32_t)start;
  lx->err_end = (uint32_t)(end > start ? end : start + 1);
  lx->err_msg = msg;
  return false;
}

static bool push(Lexer *lx, uint8_t kind, uint8_t flags, size_t start,
                 size_t len) {
  if (lx->skip) return true;
  WatLex *o = lx->out;
  if (o->count == o->cap) {
    uint32_t cap = o->cap ? o->cap * 2 : 256;
    WatTok *t = realloc(o->toks, (size_t)cap * sizeof *t);
    if (!t) return lex_fail(lx, start, start + len, "out of memory");
    o->toks = t;
    o->cap = cap;
  }
  o->toks[o->count++] =
      (WatTok){ kind, flags, (uint32_t)start, (uint32_t)len, 0 };
  return true;
}

static int hexval(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Scans a string starting at the `"` at lx->pos; leaves pos after the
 * closing quote. Checks characters and escapes. */
static bool scan_string(Lexer *lx, bool *escapes) {
  size_t start = lx->pos++;
  for (;;) {
    if (lx->pos >= lx->len)
      return lex_fail(lx, start, lx->pos, "unterminated string");
    uint8_t c = lx->s[lx->pos];
    if (c == '"') {
      lx->pos++;
      return true;
    }
    if (c < 0x20 || c == 0x7f)
      return lex_fail(lx, lx->pos, lx->pos + 1,
                      c == '\n' ? "unterminated string"
                                : "control character in string");
    if (c != '\\') {
      lx->pos++;
      continue;
    }
    *escapes = true;
    size_t esc = lx->pos++;
    if (lx->pos >= lx->len)
      return lex_fail(lx, start, lx->pos, "unterminated string");
    c = lx->s[lx->pos];
    switch (c) {
      case 't':
      case 'n':
      case 'r':
      case '"':
      case '\'':
      case '\\':
        lx->pos++;
        continue;
      case 'u': {
        lx->pos++;
        if (lx->pos >= lx->len || lx->s[lx->pos] != '{')
          return lex_fail(lx, esc, lx->pos, "malformed unicode escape");
        lx->pos++;
        uint32_t v = 0;
        int digits = 0;
        bool big = false;
        while (lx->pos < lx->len && lx->s[lx->pos] != '}') {
          uint8_t d = lx->s[lx->pos];
          if (d == '_' && digits > 0 && lx->pos + 1 < lx->len &&
              hexval(lx->s[lx->pos + 1]) >= 0) {
            lx->pos++;
            continue;
          }
          int h = hexval(d);
          if (h < 0)
            return lex_fail(lx, esc, lx->pos + 1, "malformed unicode escape");
          if (v > 0x10ffff) big = true;
          v = v * 16 + (uint32_t)h;
          digits++;
          lx->pos++;
        }
        if (lx->pos >= lx->len || digits == 0)
          return lex_fail(lx, esc, lx->pos, "malformed unicode escape");
        lx->pos++;
        if (big || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
          return lex_fail(lx, esc, lx->pos, "malformed unicode escape");
        continue;
      }
      default:
        if (hexval(c) >= 0 && lx->pos + 1 < lx->len &&
            hexval(lx->s[lx->pos + 1]) >= 0) {
          lx->pos += 2;
          continue;
        }
        return lex_fail(lx, esc, lx->pos + 1, "unknown escape sequence");
    }
  }
}

/* Skips a block comment `(; ... ;)` (nested) starting at pos. */
static bool skip_block_comment(Lexer *lx) {
  size_t start = lx->pos;
  int depth = 0;
  while (lx->pos + 1 < lx->len) {
    uint8_t c = lx->s[lx->pos], d = lx->s[lx->pos + 1];
    if (c == '(' && d == ';') {
      depth++;
      lx->pos += 2;
    } else if (c == ';' && d == ')') {
      lx->pos += 2;
      if (--depth == 0) return true;
    } else {
      lx->pos++;
    }
  }
  return lex_fail(lx, start, start + 2, "unterminated block comment");
}

/* A number token: a sign, then inf, nan, nan:0x..., or a digit followed
 * by characters numbers are made of (num.c checks the exact grammar). */
static bool is_number(const uint8_t *s, size_t n) {
  size_t i = 0;
  if (n && (s[0] == '+' || s[0] == '-')) i++;
  if (i >= n) return false;
  if (n - i == 3 && memcmp(s + i, "inf", 3) == 0) return true;
  if (n - i >= 3 && memcmp(s + i, "nan", 3) == 0)
    return n - i == 3 || (n - i > 6 && memcmp(s + i + 3, ":0x", 3) == 0);
  if (!(s[i] >= '0' && s[i] <= '9')) return false;
  for (; i < n; i++) {
    uint8_t c = s[i];
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
              (c >= 'A' && c <= 'F') || c == 'x' || c == 'p' || c == 'P' ||
              c == '.' || c == '_' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return true;
}

/* An open paren: plain, or an annotation `(@name`. */
static bool open_paren(Lexer *lx) {
  size_t start = lx->pos++;
  uint8_t kind = WAT_LPAREN;
  size_t tstart = start, tlen = 1;
  if (lx->pos < lx->len && lx->s[lx->pos] == '@') {
    size_t id = ++lx->pos;
    while (lx->pos < lx->len && IDCHAR[lx->s[lx->pos]])
      lx->pos++;
    if (lx->pos == id)
      return lex_fail(lx, start, lx->pos, "empty annotation id");
    tstart = id;
    tlen = lx->pos - id;
    const char *a = (const char *)lx->s + id;
    bool known = (tlen == 4 && !memcmp(a, "name", 4)) ||
                 (tlen == 6 && !memcmp(a, "custom", 6)) ||
                 (tlen == 9 && !memcmp(a, "producers", 9));
    if (!known && !lx->skip) lx->skip = lx->depth + 1;
    kind = WAT_ANNOT;
  }
  if (lx->depth >= WAT_MAX_DEPTH)
    return lex_fail(lx, start, start + 1, "nesting too deep");
  lx->stack[lx->depth++] = lx->out->count;
  return push(lx, kind, 0, tstart, tlen);
}

static bool close_paren(Lexer *lx) {
  size_t start = lx->pos++;
  if (lx->depth == 0) return lex_fail(lx, start, start + 1, "unexpected `)`");
  uint32_t open = lx->stack[--lx->depth];
  if (lx->skip) {
    if (lx->depth + 1 == lx->skip) lx->skip = 0;
    return true;
  }
  lx->out->toks[open].close = lx->out->count;
  return push(lx, WAT_RPAREN, 0, start, 1);
}

/* A run of idchars and strings: one token. */
static bool word(Lexer *lx) {
  size_t start = lx->pos;
  int strings = 0;
  bool escapes = false, idchars = false;
  size_t first_string = 0;
  for (;;) {
    if (lx->pos >= lx->len) break;
    uint8_t c = lx->s[lx->pos];
    if (IDCHAR[c]) {
      idchars = true;
      lx->pos++;
    } else if (c == '"') {
      if (!strings) first_string = lx->pos;
      strings++;
      if (!scan_string(lx, &escapes)) return false;
    } else {
      break;
    }
  }
  size_t len = lx->pos - start;
  const uint8_t *s = lx->s + start;
  uint8_t flags = escapes ? WAT_TF_ESCAPES : 0;
  if (strings == 1 && !idchars) return push(lx, WAT_STRING, flags, start, len);
  if (strings == 1 && first_string == start + 1 && s[0] == '$')
    return push(lx, WAT_ID, flags | WAT_TF_QUOTED, start, len);
  if (strings) return push(lx, WAT_RESERVED, 0, start, len);
  if (s[0] == '$' && len > 1) return push(lx, WAT_ID, 0, start, len);
  if (is_number(s, len)) return push(lx, WAT_NUM, 0, start, len);
  if (s[0] >= 'a' && s[0] <= 'z') return push(lx, WAT_KEYWORD, 0, start, len);
  return push(lx, WAT_RESERVED, 0, start, len);
}

bool wat_lex(const char *text, size_t len, WatLex *out, uint32_t *err_start,
             uint32_t *err_end, const char **err_msg) {
  memset(out, 0, sizeof *out);
  Lexer lx = { (const uint8_t *)text, len, 0, out, NULL, 0, 0, 0, 0, NULL };
  bool ok = true;
  size_t bad;
  if (len > UINT32_MAX - 1) {
    ok = lex_fail(&lx, 0, 1, "text too large");
  } else if (!wg_utf8_valid(lx.s, len, &bad)) {
    ok = lex_fail(&lx, bad, bad + 1, "malformed UTF-8 encoding");
  } else if (!(lx.stack = malloc(WAT_MAX_DEPTH * sizeof *lx.stack))) {
    ok = lex_fail(&lx, 0, 1, "out of memory");
  }
  while (ok && lx.pos < len) {
    uint8_t c = lx.s[lx.pos];
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        lx.pos++;
        break;
      case ';':
        if (lx.pos + 1 < len && lx.s[lx.pos + 1] == ';') {
          while (lx.pos < len && lx.s[lx.pos] != '\n' && lx.s[lx.pos] != '\r')
            lx.pos++;
        } else {
          ok = lex_fail(&lx, lx.pos, lx.pos + 1, "unexpected character `;`");
        }
        break;
      case '(':
        if (lx.pos + 1 < len && lx.s[lx.pos + 1] == ';') {
          ok = skip_block_comment(&lx);
        } else {
          ok = open_paren(&lx);
        }
        break;
      case ')':
        ok = close_paren(&lx);
        break;
      default:
        if (IDCHAR[c] || c == '"') {
          ok = word(&lx);
        } else {
          ok = lex_fail(&lx, lx.pos, lx.pos + 1, "unexpected character");
        }
    }
  }
  if (ok && lx.depth) {
    uint32_t open = lx.stack[lx.depth - 1];
    size_t at = lx.skip ? len : out->toks[open].start;
    ok = lex_fail(&lx, at, at + 1, "unclosed `(`");
  }
  if (ok) ok = push(&lx, WAT_EOF, 0, len, 0);
  free(lx.stack);
  if (!ok) {
    *err_start = lx.err_start;
    *err_end = lx.err_end;
    *err_msg = lx.err_msg;
    wat_lex_free(out);
  }
  return ok;
}

void wat_lex_free(WatLex *lex) {
  free(lex->toks);
  memset(lex, 0, sizeof *lex);
}

/* ---- parser helpers ----------------------------------------------------- */

static bool verror(WatParser *p, uint32_t start, uint32_t end, WgStatus status,
                   const char *fmt, va_list ap) {
  if (p->failed) return false;
  p->failed = true;
  p->status = status;
  if (p->diags) {
    if (p->file == UINT32_MAX && p->path)
      p->file =
          wg_diag_list_add_file(p->diags, p->path, (WgStr){ p->text, p->len });
    WgSpan span = { p->file, start, end };
    wg_diag_list_vaddf(p->diags, WG_SEVERITY_ERROR, status,
                       p->file == UINT32_MAX ? NULL : &span, fmt, ap);
  }
  return false;
}

bool wat_error_span(WatParser *p, uint32_t start, uint32_t end, const char *fmt,
                    ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(p, start, end, WG_ERR_MALFORMED, fmt, ap);
  va_end(ap);
  return false;
}

bool wat_error_at(WatParser *p, uint32_t tok, const char *fmt, ...) {
  if (tok >= p->count) tok = p->count - 1;
  const WatTok *t = &p->toks[tok];
  uint32_t start = t->kind == WAT_ANNOT ? t->start - 2 : t->start;
  uint32_t end = t->start + (t->len ? t->len : 1);
  va_list ap;
  va_start(ap, fmt);
  verror(p, start, end, WG_ERR_MALFORMED, fmt, ap);
  va_end(ap);
  return false;
}

bool wat_error(WatParser *p, const char *fmt, ...) {
  uint32_t tok = p->pos < p->count ? p->pos : p->count - 1;
  const WatTok *t = &p->toks[tok];
  va_list ap;
  va_start(ap, fmt);
  verror(p, t->start, t->start + (t->len ? t->len : 1), WG_ERR_MALFORMED, fmt,
         ap);
  va_end(ap);
  return false;
}

bool wat_nomem(WatParser *p) {
  if (p->failed) return false;
  p->failed = true;
  p->status = WG_ERR_NOMEM;
  wg_diag_list_addf(p->diags, WG_SEVERITY_ERROR, WG_ERR_NOMEM, NULL,
                    "out of memory");
  return false;
}

bool wat_tok_is(const WatParser *p, const WatTok *t, const char *kw) {
  if (t->kind != WAT_KEYWORD) return false;
  size_t n = strlen(kw);
  return t->len == n && memcmp(p->text + t->start, kw, n) == 0;
}

bool wat_peek_form_at(const WatParser *p, uint32_t pos, const char *kw) {
  if (pos + 1 >= p->count || p->toks[pos].kind != WAT_LPAREN) return false;
  return wat_tok_is(p, &p->toks[pos + 1], kw);
}

bool wat_peek_form(const WatParser *p, const char *kw) {
  return wat_peek_form_at(p, p->pos, kw);
}

bool wat_accept_kw(WatParser *p, const char *kw) {
  if (!wat_tok_is(p, wat_peek(p), kw)) return false;
  p->pos++;
  return true;
}

bool wat_expect_kw(WatParser *p, const char *kw) {
  if (wat_accept_kw(p, kw)) return true;
  return wat_error(p, "expected `%s`", kw);
}

bool wat_expect_lparen(WatParser *p) {
  if (wat_peek(p)->kind == WAT_LPAREN) {
    p->pos++;
    return true;
  }
  return wat_error(p, "expected `(`");
}

bool wat_expect_rparen(WatParser *p) {
  if (wat_peek(p)->kind == WAT_RPAREN) {
    p->pos++;
    return true;
  }
  return wat_error(p, "unexpected token, expected `)`");
}

bool wat_name_annot(WatParser *p, WgStr *out, bool *present) {
  *present = false;
  const WatTok *t = wat_peek(p);
  if (t->kind != WAT_ANNOT || t->len != 4 ||
      memcmp(p->text + t->start, "name", 4) != 0)
    return true;
  p->pos++;
  if (wat_peek(p)->kind != WAT_STRING)
    return wat_error(p, "unexpected token, expected a name");
  *out = wat_string(p, wat_peek(p));
  if (!out->ptr) return false;
  if (!wg_utf8_valid((const uint8_t *)out->ptr, out->len, NULL))
    return wat_error(p, "malformed UTF-8 encoding");
  p->pos++;
  *present = true;
  return wat_expect_rparen(p);
}

void wat_skip_form(WatParser *p) {
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_LPAREN || t->kind == WAT_ANNOT) {
    p->pos = t->close + 1;
  } else if (t->kind != WAT_EOF) {
    p->pos++;
  }
}

/* ---- identifier tables -------------------------------------------------- */

static uint32_t name_hash(WgStr s) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < s.len; i++)
    h = (h ^ (uint8_t)s.ptr[i]) * 16777619u;
  return h;
}

bool wat_names_get(const WatNames *names, WgStr name, uint32_t *out) {
  if (!names->cap) return false;
  uint32_t mask = names->cap - 1;
  for (uint32_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
    WgStr k = names->keys[i];
    if (!k.ptr) return false;
    if (k.len == name.len && memcmp(k.ptr, name.ptr, k.len) == 0) {
      *out = names->vals[i];
      return true;
    }
  }
}

bool wat_names_add(WgArena *arena, WatNames *names, WgStr name, uint32_t index,
                   uint32_t *out_prev) {
  *out_prev = UINT32_MAX;
  if (wat_names_get(names, name, out_prev)) return false;
  if ((names->count + 1) * 4 > names->cap * 3) {
    uint32_t cap = names->cap ? names->cap * 2 : 16;
    WgStr *keys = wg_arena_zalloc(arena, cap * sizeof *keys);
    uint32_t *vals = wg_arena_alloc(arena, cap * sizeof *vals);
    if (!keys || !vals) return false;
    for (uint32_t i = 0; i < names->cap; i++) {
      if (!names->keys[i].ptr) continue;
      uint32_t j = name_hash(names->keys[i]) & (cap - 1);
      while (keys[j].ptr)
        j = (j + 1) & (cap - 1);
      keys[j] = names->keys[i];
      vals[j] = names->vals[i];
    }
    names->keys = keys;
    names->vals = vals;
    names->cap = cap;
  }
  uint32_t j = name_hash(name) & (names->cap - 1);
  while (names->keys[j].ptr)
    j = (j + 1) & (names->cap - 1);
  /* an empty name needs a non-NULL pointer to mark the slot used */
  names->keys[j] = name.ptr ? name : (WgStr){ "", 0 };
  names->vals[j] = index;
  names->count++;
  return true;
}
