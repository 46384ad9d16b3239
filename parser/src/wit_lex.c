/* SPDX-License-Identifier: Apache-2.0 */
/* wit-parser's tokens (see wit_lex.h): the lexer, its lexical errors, and
 * its identifier and version rules, with its messages. */
#include "wit_lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* wit-parser's keywords (its lexer never makes these identifiers). */
static const char *const KEYWORDS[] = {
  "use",         "type",    "func",      "u8",
  "u16",         "u32",     "u64",       "s8",
  "s16",         "s32",     "s64",       "f32",
  "f64",         "char",    "resource",  "own",
  "borrow",      "record",  "flags",     "variant",
  "enum",        "bool",    "string",    "option",
  "result",      "future",  "stream",    "error-context",
  "list",        "map",     "_",         "as",
  "from",        "static",  "interface", "tuple",
  "world",       "import",  "export",    "package",
  "constructor", "include", "with",      "async",
};
#define KEYWORD_COUNT (int)(sizeof KEYWORDS / sizeof *KEYWORDS)
/* Per first byte: bit n set when a keyword of n bytes starts with it. */
static uint16_t g_kw_lengths[256];
static uint8_t g_kw_len[KEYWORD_COUNT];
/* Per first letter: 1 + the indexes of the keywords starting with it, 0
 * ending the list. */
static uint8_t g_kw_by_first[128][KEYWORD_COUNT + 1];


void wit_lex_init(void) {
  for (int i = 0; i < KEYWORD_COUNT; i++) {
    uint8_t *list = g_kw_by_first[(unsigned char)KEYWORDS[i][0] & 0x7f];
    while (*list)
      list++;
    *list = (uint8_t)(i + 1);
    g_kw_len[i] = (uint8_t)strlen(KEYWORDS[i]);
    g_kw_lengths[(unsigned char)KEYWORDS[i][0]] |=
        (uint16_t)(1u << g_kw_len[i]);
  }
}


/* Per kind: how wit-parser names it when found, and the grammar's name of
 * the terminal (NULL: the grammar has none). */
static const struct {
  const char *found;
  const char *grammar;
  bool named;
} TOK_INFO[] = {
  [TK_EOF] = { "eof", "end", true },
  [TK_EQUALS] = { "'='", "=", false },
  [TK_COMMA] = { "','", ",", false },
  [TK_COLON] = { "':'", ":", false },
  [TK_PERIOD] = { "'.'", ".", false },
  [TK_SEMI] = { "';'", ";", false },
  [TK_LPAREN] = { "'('", "(", false },
  [TK_RPAREN] = { "')'", ")", false },
  [TK_LBRACE] = { "'{'", "{", false },
  [TK_RBRACE] = { "'}'", "}", false },
  [TK_LT] = { "'<'", "<", false },
  [TK_GT] = { "'>'", ">", false },
  [TK_RARROW] = { "`->`", "->", false },
  [TK_STAR] = { "`*`", NULL, false },
  [TK_AT] = { "`@`", "@", false },
  [TK_SLASH] = { "`/`", "/", false },
  [TK_PLUS] = { "`+`", NULL, false },
  [TK_MINUS] = { "`-`", NULL, false },
  [TK_STRING] = { "a string literal", "string", true },
  [TK_ID] = { "an identifier", "identifier", true },
  [TK_EXPLICIT_ID] = { "an '%' identifier", "identifier", true },
  [TK_INTEGER] = { "an integer", "integer", true },
  [TK_KEYWORD] = { "a keyword", NULL, false },
};


void wit_lex_error(WitSyntaxError *e, uint32_t start, uint32_t end,
                   const char *fmt, ...) {
  e->start = start;
  e->end = end < start ? start : end;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
}

/* UTF-8 sequence length from its first byte (the text is valid UTF-8). */
static uint32_t utf8_len(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static uint32_t utf8_code(const char *p, uint32_t n) {
  const unsigned char *u = (const unsigned char *)p;
  if (n == 1) return u[0];
  uint32_t cp = u[0] & (0x7f >> n);
  for (uint32_t i = 1; i < n; i++)
    cp = (cp << 6) | (u[i] & 0x3f);
  return cp;
}

typedef const uint32_t CodeRange[2];

static bool in_ranges(uint32_t cp, const CodeRange *r, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (cp >= r[i][0] && cp <= r[i][1]) return true;
  return false;
}

/* Unicode tables, approximated for the blocks WIT text is likely to meet
 * (wit-parser uses the full tables): code points that are not identifier
 * characters (XID_Continue): spaces, punctuation, symbols, emoji, private
 * use, specials; everything else non-ASCII counts as a letter. */
static const CodeRange NOT_ID[] = {
  { 0x80, 0xa9 },       { 0xab, 0xb4 },        { 0xb6, 0xb6 },
  { 0xb8, 0xb9 },       { 0xbb, 0xbf },        { 0xd7, 0xd7 },
  { 0xf7, 0xf7 },       { 0x2000, 0x200b },    { 0x200e, 0x203e },
  { 0x2041, 0x2053 },   { 0x2055, 0x2070 },    { 0x2072, 0x207e },
  { 0x2080, 0x208f },   { 0x20a0, 0x20cf },    { 0x2190, 0x2bff },
  { 0x2e00, 0x2e7f },   { 0x3000, 0x3004 },    { 0x3008, 0x3020 },
  { 0x3030, 0x3030 },   { 0xd800, 0xf8ff },    { 0xfd3e, 0xfd3f },
  { 0xfe10, 0xfe19 },   { 0xfe30, 0xfe32 },    { 0xfe35, 0xfe4c },
  { 0xfe50, 0xfe6f },   { 0xfeff, 0xfeff },    { 0xff01, 0xff0f },
  { 0xff1a, 0xff20 },   { 0xff3b, 0xff3e },    { 0xff40, 0xff40 },
  { 0xff5b, 0xff65 },   { 0xffe0, 0xffff },    { 0x1f000, 0x1faff },
  { 0xe0000, 0xe007f }, { 0xf0000, 0x10ffff },
};
/* Identifier characters that cannot start one (XID_Continue but not
 * XID_Start): combining marks, joiners, connector punctuation. */
static const CodeRange NOT_ID_START[] = {
  { 0xb7, 0xb7 },     { 0x300, 0x36f },   { 0x483, 0x489 },
  { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200c, 0x200d },
  { 0x203f, 0x2040 }, { 0x2054, 0x2054 }, { 0x20d0, 0x20ff },
  { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xfe33, 0xfe34 },
  { 0xfe4d, 0xfe4f }, { 0xff3f, 0xff3f },
};
/* Characters Rust's `{:?}` escapes: controls, spaces other than ' ',
 * format characters, combining marks, private use, specials. */
static const CodeRange ESCAPED[] = {
  { 0x0, 0x1f },         { 0x7f, 0xa0 },     { 0xad, 0xad },
  { 0x300, 0x36f },      { 0x483, 0x489 },   { 0x1ab0, 0x1aff },
  { 0x1dc0, 0x1dff },    { 0x2000, 0x200f }, { 0x2028, 0x202f },
  { 0x205f, 0x206f },    { 0x20d0, 0x20ff }, { 0x3000, 0x3000 },
  { 0xd800, 0xf8ff },    { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
  { 0xfeff, 0xfeff },    { 0xfff0, 0xffff }, { 0xe0000, 0xe0fff },
  { 0xf0000, 0x10ffff },
};
#define RANGES(t) (t), sizeof(t) / sizeof *(t)

/* A character as Rust's `{:?}` shows it: quoted, with escapes. */
static void char_debug(const char *p, uint32_t n, char *buf, size_t size) {
  uint32_t cp = utf8_code(p, n);
  switch (cp) {
    case '\t':
      snprintf(buf, size, "'\\t'");
      return;
    case '\r':
      snprintf(buf, size, "'\\r'");
      return;
    case '\n':
      snprintf(buf, size, "'\\n'");
      return;
    case '\'':
      snprintf(buf, size, "'\\''");
      return;
    case '\\':
      snprintf(buf, size, "'\\\\'");
      return;
    case 0:
      snprintf(buf, size, "'\\0'");
      return;
    default:
      break;
  }
  if (in_ranges(cp, RANGES(ESCAPED)))
    snprintf(buf, size, "'\\u{%x}'", (unsigned)cp);
  else
    snprintf(buf, size, "'%.*s'", (int)n, p);
}

/* The code point at byte `at` of the lexer's text and its length. */
static uint32_t code_at(const WitLexer *lx, uint32_t at, uint32_t *len) {
  uint32_t n = utf8_len((unsigned char)lx->s[at]);
  if (at + n > lx->len) n = lx->len - at;
  *len = n;
  return utf8_code(lx->s + at, n);
}

/* Letters, `_`, `-` and Unicode identifier characters start a word
 * (wit-parser rejects the non-ASCII ones when it validates the
 * identifier); digits and Unicode identifier marks continue one. */
static bool keylike_start(uint32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
  return !in_ranges(c, RANGES(NOT_ID)) && !in_ranges(c, RANGES(NOT_ID_START));
}

static bool keylike_continue(uint32_t c) {
  if (c < 0x80) return keylike_start(c) || (c >= '0' && c <= '9');
  return !in_ranges(c, RANGES(NOT_ID));
}

/* Advances over word characters. */
static void skip_word(WitLexer *lx) {
  uint32_t n;
  while (lx->pos < lx->len && keylike_continue(code_at(lx, lx->pos, &n)))
    lx->pos += n;
}

bool wit_lex_is_keyword(const char *p, size_t n) {
  unsigned char c = (unsigned char)p[0];
  if (n == 0 || n > 15 || !(g_kw_lengths[c] & (1u << n))) return false;
  for (const uint8_t *k = g_kw_by_first[c & 0x7f]; *k; k++)
    if (g_kw_len[*k - 1] == n && memcmp(KEYWORDS[*k - 1], p, n) == 0)
      return true;
  return false;
}

static int keyword_index(const char *p, uint32_t n) {
  for (int i = 0; i < KEYWORD_COUNT; i++)
    if (strlen(KEYWORDS[i]) == n && memcmp(KEYWORDS[i], p, n) == 0) return i;
  return -1;
}

/* The character at the lexer's position, consumed; false at the end
 * (then `err` is wit-parser's "unexpected end of file"). */
static bool string_char(WitLexer *lx, uint32_t *at, uint32_t *cp,
                        WitSyntaxError *err) {
  if (lx->pos >= lx->len) {
    wit_lex_error(err, lx->len, lx->len, "unexpected end of file");
    return false;
  }
  uint32_t n;
  *at = lx->pos;
  *cp = code_at(lx, lx->pos, &n);
  lx->pos += n;
  return true;
}

static bool is_hex(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static uint32_t hex_value(uint32_t c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static bool bad_char(WitSyntaxError *err, const WitLexer *lx, uint32_t at,
                     const char *what) {
  char dbg[32];
  char_debug(lx->s + at, utf8_len((unsigned char)lx->s[at]), dbg, sizeof dbg);
  wit_lex_error(err, at, at + 1, "%s %s", what, dbg);
  return false;
}

/* A hex digit (wit-parser's eat_hexdigit). */
static bool string_hex(WitLexer *lx, uint32_t *at, uint32_t *v,
                       WitSyntaxError *err) {
  uint32_t c;
  if (!string_char(lx, at, &c, err)) return false;
  if (!is_hex(c)) return bad_char(err, lx, *at, "invalid hex digit");
  *v = hex_value(c);
  return true;
}

/* `{hex}` after `\u` at `u_at` (wit-parser's eat_hexnum and checks). */
static bool string_unicode(WitLexer *lx, uint32_t u_at, WitSyntaxError *err) {
  uint32_t at, c, v;
  if (!string_char(lx, &at, &c, err)) return false;
  if (c != '{') {
    wit_lex_error(err, at, at + 1, "expected character '{'");
    return false;
  }
  uint32_t first;
  if (!string_hex(lx, &first, &v, err)) return false;
  bool underscore = false;
  for (;;) {
    if (lx->pos < lx->len && lx->s[lx->pos] == '_') {
      lx->pos++;
      underscore = true;
      continue;
    }
    if (lx->pos >= lx->len) {
      wit_lex_error(err, lx->len, lx->len, "unexpected end of file");
      return false;
    }
    uint32_t d = (unsigned char)lx->s[lx->pos];
    if (!is_hex(d)) break;
    if (v > (UINT32_MAX - hex_value(d)) / 16) {
      wit_lex_error(err, lx->pos, lx->pos + 1,
                    "number is too big to fit in a u32");
      return false;
    }
    v = v * 16 + hex_value(d);
    underscore = false;
    lx->pos++;
  }
  if (underscore) {
    wit_lex_error(err, first, first + 1, "trailing underscore in number");
    return false;
  }
  if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
    wit_lex_error(err, u_at, u_at + 1, "invalid unicode value %#x",
                  (unsigned)v);
    return false;
  }
  if (!string_char(lx, &at, &c, err)) return false;
  if (c != '}') {
    wit_lex_error(err, at, at + 1, "expected character '}'");
    return false;
  }
  return true;
}

/* A string literal after its opening quote, as wit-parser checks it (the
 * UTF-8 validity of bytes written as hex escapes is not checked). */
static bool lex_string(WitLexer *lx, WitSyntaxError *err) {
  for (;;) {
    uint32_t at, c, v;
    if (!string_char(lx, &at, &c, err)) return false;
    if (c == '"') return true;
    if (c == '\\') {
      if (!string_char(lx, &at, &c, err)) return false;
      if (c == '"' || c == '\'' || c == 't' || c == 'n' || c == 'r' ||
          c == '\\')
        continue;
      if (c == 'u') {
        if (!string_unicode(lx, at, err)) return false;
        continue;
      }
      if (is_hex(c)) {
        if (!string_hex(lx, &at, &v, err)) return false;
        continue;
      }
      return bad_char(err, lx, at, "invalid string escape");
    }
    if (c < 0x20 || c == 0x7f)
      return bad_char(err, lx, at, "invalid string character");
  }
}

/* Skips white space and comments: line comments and block comments,
 * which nest. False, with `err` set, on an unterminated block comment. */
static bool skip_trivia(WitLexer *lx, WitSyntaxError *err) {
  const char *s = lx->s;
  while (lx->pos < lx->len) {
    char c = s[lx->pos];
    if (c == ' ' || c == '\t' || c == '\n') {
      lx->pos++;
      continue;
    }
    if (c == '\r' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '\n') {
      lx->pos += 2;
      continue;
    }
    if (c == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '/') {
      while (lx->pos < lx->len && s[lx->pos] != '\n')
        lx->pos++;
      continue;
    }
    if (c == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '*') {
      uint32_t start = lx->pos;
      int depth = 1;
      lx->pos += 2;
      while (depth > 0) {
        if (lx->pos >= lx->len) {
          wit_lex_error(err, start, start + 2, "unterminated block comment");
          return false;
        }
        char d = s[lx->pos++];
        if (d == '/' && lx->pos < lx->len && s[lx->pos] == '*') {
          lx->pos++;
          depth++;
        } else if (d == '*' && lx->pos < lx->len && s[lx->pos] == '/') {
          lx->pos++;
          depth--;
        }
      }
      continue;
    }
    break;
  }
  return true;
}

/* The token of a one-character punctuation mark, or TK_EOF. */
static WitTokKind punct_kind(unsigned char c) {
  switch (c) {
    case '=':
      return TK_EQUALS;
    case ',':
      return TK_COMMA;
    case ':':
      return TK_COLON;
    case '.':
      return TK_PERIOD;
    case ';':
      return TK_SEMI;
    case '(':
      return TK_LPAREN;
    case ')':
      return TK_RPAREN;
    case '{':
      return TK_LBRACE;
    case '}':
      return TK_RBRACE;
    case '<':
      return TK_LT;
    case '>':
      return TK_GT;
    case '*':
      return TK_STAR;
    case '@':
      return TK_AT;
    case '/':
      return TK_SLASH;
    case '+':
      return TK_PLUS;
    default:
      return TK_EOF;
  }
}

/* The next token (wit-parser's Tokenizer::next after its trivia): one
 * punctuation mark, `->`, an explicit `%id`, a string, a word (keyword or
 * identifier) or an integer. */
bool wit_lex_next(WitLexer *lx, WitTok *t, WitSyntaxError *err) {
  if (!skip_trivia(lx, err)) return false;
  if (lx->pos >= lx->len) {
    *t = (WitTok){ TK_EOF, -1, lx->len, lx->len };
    return true;
  }
  const char *s = lx->s;
  uint32_t start = lx->pos;
  unsigned char c = (unsigned char)s[lx->pos];
  WitTokKind k = punct_kind(c);
  int kw = -1;
  if (k != TK_EOF) {
    lx->pos++;
  } else if (c == '-') {
    lx->pos++;
    k = TK_MINUS;
    if (lx->pos < lx->len && s[lx->pos] == '>') {
      lx->pos++;
      k = TK_RARROW;
    }
  } else if (c == '%') {
    lx->pos++;
    uint32_t n;
    if (lx->pos < lx->len && keylike_start(code_at(lx, lx->pos, &n)))
      skip_word(lx);
    k = TK_EXPLICIT_ID;
  } else if (c == '"') {
    lx->pos++;
    if (!lex_string(lx, err)) return false;
    k = TK_STRING;
  } else if (keylike_start(code_at(lx, start, &(uint32_t){ 0 }))) {
    skip_word(lx);
    kw = keyword_index(s + start, lx->pos - start);
    k = kw >= 0 ? TK_KEYWORD : TK_ID;
  } else if (c >= '0' && c <= '9') {
    while (lx->pos < lx->len && s[lx->pos] >= '0' && s[lx->pos] <= '9')
      lx->pos++;
    k = TK_INTEGER;
  } else {
    uint32_t n = utf8_len(c);
    if (start + n > lx->len) n = lx->len - start;
    char dbg[32];
    char_debug(s + start, n, dbg, sizeof dbg);
    wit_lex_error(err, start, start + n, "unexpected character %s", dbg);
    return false;
  }
  if (lx->pos > lx->len) lx->pos = lx->len;
  *t = (WitTok){ k, kw, start, lx->pos };
  return true;
}

void wit_lex_found(const WitTok *t, char *buf, size_t size) {
  if (t->kind == TK_KEYWORD)
    snprintf(buf, size, "keyword `%s`", KEYWORDS[t->kw]);
  else
    snprintf(buf, size, "%s", TOK_INFO[t->kind].found);
}

const char *wit_lex_kind_found(WitTokKind k) {
  return TOK_INFO[k].found;
}

const char *wit_lex_kind_grammar(WitTokKind k, bool *named) {
  *named = TOK_INFO[k].named;
  return TOK_INFO[k].grammar;
}

const char *wit_lex_keyword(int kw) {
  return kw >= 0 && kw < KEYWORD_COUNT ? KEYWORDS[kw] : "";
}

/* ---- identifiers and versions ------------------------------------------ */

bool wit_lex_id_error(const char *p, uint32_t n, uint32_t start,
                      WitSyntaxError *out) {
  const char *s = p;
  uint32_t len = n;
  if (len && s[0] == '%') {
    s++;
    len--;
  }
  uint32_t end = start + n;
  if (len == 0) {
    wit_lex_error(out, start, end,
                  "identifiers must have characters between '-'s");
    return true;
  }
  uint32_t i = 0;
  for (int part = 0; i <= len; part++) {
    uint32_t j = i;
    while (j < len && s[j] != '-')
      j++;
    if (j == i) {
      wit_lex_error(out, start, end,
                    "identifiers must have characters between '-'s");
      return true;
    }
    int upper = -1;
    for (uint32_t k = i; k < j;) {
      unsigned char c = (unsigned char)s[k];
      uint32_t cn = utf8_len(c);
      if (k + cn > j) cn = j - k;
      bool digit = c >= '0' && c <= '9';
      bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z';
      bool bad = (!digit && !up && !low) || (k == i && part == 0 && digit) ||
                 (up && upper == 0) || (low && upper == 1);
      if (bad) {
        char dbg[32];
        char_debug(s + k, cn, dbg, sizeof dbg);
        wit_lex_error(out, start, end, "invalid character in identifier %s",
                      dbg);
        return true;
      }
      if (up) upper = 1;
      if (low) upper = 0;
      k += cn;
    }
    i = j + 1;
  }
  return false;
}

void wit_lex_keyword_error(WgStr word, uint32_t start, WitSyntaxError *out) {
  wit_lex_error(out, start, start + (uint32_t)word.len,
                "expected an identifier or string, found keyword `%.*s`",
                (int)word.len, word.ptr);
}

/* Semver's parse of a version wit-parser has cut out of the tokens (which
 * may hold white space: tokens are joined as written), with semver's
 * messages. */
static const char *const SEMVER_PART[] = {
  "major version number", "minor version number", "patch version number",
  "pre-release identifier", "build metadata"
};
enum { SV_MAJOR, SV_MINOR, SV_PATCH, SV_PRE, SV_BUILD };

typedef struct Semver {
  const char *v;
  uint32_t n, i;
  WitSyntaxError *out;
  uint32_t start;
} Semver;

static bool sv_fail(Semver *s, const char *what, int part) {
  char ch[32] = "";
  if (s->i < s->n)
    char_debug(s->v + s->i, utf8_len((unsigned char)s->v[s->i]), ch, sizeof ch);
  if (strcmp(what, "char") == 0)
    wit_lex_error(s->out, s->start, s->start + s->n,
                  "unexpected character %s while parsing %s", ch,
                  SEMVER_PART[part]);
  else if (strcmp(what, "after") == 0)
    wit_lex_error(s->out, s->start, s->start + s->n,
                  "unexpected character %s after %s", ch, SEMVER_PART[part]);
  else
    wit_lex_error(s->out, s->start, s->start + s->n, "%s %s", what,
                  SEMVER_PART[part]);
  return true;
}

/* A dotted identifier after `-` or `+`; sets *empty when there is none. */
static bool sv_identifier(Semver *s, int part, bool *empty) {
  uint32_t acc = 0, seg = 0;
  bool nondigit = false;
  *empty = false;
  for (;;) {
    uint32_t at = s->i + acc + seg;
    char c = at < s->n ? s->v[at] : '\0';
    bool end = at >= s->n;
    if (!end &&
        ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) {
      seg++;
      nondigit = true;
      continue;
    }
    if (!end && c >= '0' && c <= '9') {
      seg++;
      continue;
    }
    if (seg == 0) {
      if (acc == 0 && (end || c != '.')) {
        *empty = true;
        return false;
      }
      return sv_fail(s, "empty identifier segment in", part);
    }
    if (part == SV_PRE && seg > 1 && !nondigit && s->v[s->i + acc] == '0')
      return sv_fail(s, "invalid leading zero in", part);
    acc += seg;
    if (!end && c == '.') {
      acc++;
      seg = 0;
      nondigit = false;
      continue;
    }
    s->i += acc;
    return false;
  }
}

bool wit_lex_semver_error(const char *v, uint32_t n, uint32_t start,
                          WitSyntaxError *out) {
  Semver s = { v, n, 0, out, start };
  for (int part = SV_MAJOR; part <= SV_PATCH; part++) {
    uint32_t len = 0;
    unsigned long long value = 0;
    while (s.i < n && v[s.i] >= '0' && v[s.i] <= '9') {
      unsigned d = (unsigned)(v[s.i] - '0');
      if (value == 0 && len > 0)
        return sv_fail(&s, "invalid leading zero in", part);
      if (value > (~0ull - d) / 10) {
        wit_lex_error(out, start, start + n, "value of %s exceeds u64::MAX",
                      SEMVER_PART[part]);
        return true;
      }
      value = value * 10 + d;
      len++;
      s.i++;
    }
    if (len == 0)
      return sv_fail(
          &s, s.i < n ? "char" : "unexpected end of input while parsing", part);
    if (part == SV_PATCH) break;
    if (s.i < n && v[s.i] == '.')
      s.i++;
    else
      return sv_fail(
          &s, s.i < n ? "after" : "unexpected end of input while parsing",
          part);
  }
  int part = SV_PATCH;
  bool empty;
  if (s.i < n && v[s.i] == '-') {
    part = SV_PRE;
    s.i++;
    if (sv_identifier(&s, part, &empty)) return true;
    if (empty) return sv_fail(&s, "empty identifier segment in", part);
  }
  if (s.i < n && v[s.i] == '+') {
    part = SV_BUILD;
    s.i++;
    if (sv_identifier(&s, part, &empty)) return true;
    if (empty) return sv_fail(&s, "empty identifier segment in", part);
  }
  if (s.i < n) return sv_fail(&s, "after", part);
  return false;
}
