/* SPDX-License-Identifier: Apache-2.0 */
/* Syntax errors as wit-parser words and places them (see wit_syntax.h).
 *
 * Three parts:
 * - a tokenizer splitting text as wit-parser's lexer does: keywords are
 *   always keywords, `@since` is `@` then a name, a version is integers and
 *   periods, and its errors (unterminated comment, stray character) are
 *   wit-parser's;
 * - an LR driver over the grammar's table, fed those tokens mapped to the
 *   grammar's terminals; the first token with no action is the error, and
 *   the terminals with an action in that state are what was expected;
 * - a description of that set in wit-parser's words: its parser takes
 *   optional parts first (`eat`) and then requires one thing (`expect`), so
 *   the optional terminals are dropped and the required one is named, and
 *   the sets that start an item or a type get the phrase wit-parser uses
 *   for them ("`type`, `resource` or `func`", "a type").
 * Where wit-parser accepts more than the grammar (nested packages inside
 * nested packages, rejected later with their own message), the driver
 * reads them the way wit-parser does. */
#include "wit_syntax.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/wit_grammar.h"

/* wit-parser's limits on nesting: types, and `package x { }` blocks. */
#define MAX_TYPE_DEPTH    100
#define MAX_PACKAGE_DEPTH 100

/* ---- grammar symbols, by name ------------------------------------------ */

/* Terminals the description and the token mapping refer to. */
enum {
  G_END,
  G_IDENT,
  G_INTEGER,
  G_VERSION, /* the version token */
  G_STRING,  /* a string literal */
  G_W_VERSION,
  G_W_FEATURE, /* the words `version` and `feature` in gates */
  G_SINCE,
  G_UNSTABLE,
  G_DEPRECATED,
  G_EXTERNAL_ID,
  G_AT,
  G_PACKAGE,
  G_RESOURCE,
  G_INTERFACE,
  G_WORLD,
  G_IMPORT,
  G_CONSTRUCTOR,
  G_RECORD,
  G_U32,
  G_LT,
  G_GT,
  G_RPAREN,
  G_LBRACE,
  G_RBRACE,
  G_SEMI,
  G_COMMENT,
  G_DOC_COMMENT,
  G_ERROR_SENTINEL,
  G_UNTERMINATED,
  G_COUNT
};

static const struct {
  const char *name;
  bool named;
} G_NAMES[G_COUNT] = {
  [G_END] = { "end", true },
  [G_IDENT] = { "identifier", true },
  [G_INTEGER] = { "integer", true },
  [G_VERSION] = { "version", true },
  [G_STRING] = { "string", true },
  [G_W_VERSION] = { "version", false },
  [G_W_FEATURE] = { "feature", false },
  [G_SINCE] = { "@since", false },
  [G_UNSTABLE] = { "@unstable", false },
  [G_DEPRECATED] = { "@deprecated", false },
  [G_EXTERNAL_ID] = { "@external-id", false },
  [G_AT] = { "@", false },
  [G_PACKAGE] = { "package", false },
  [G_RESOURCE] = { "resource", false },
  [G_INTERFACE] = { "interface", false },
  [G_WORLD] = { "world", false },
  [G_IMPORT] = { "import", false },
  [G_CONSTRUCTOR] = { "constructor", false },
  [G_RECORD] = { "record", false },
  [G_U32] = { "u32", false },
  [G_LT] = { "<", false },
  [G_GT] = { ">", false },
  [G_RPAREN] = { ")", false },
  [G_LBRACE] = { "{", false },
  [G_RBRACE] = { "}", false },
  [G_SEMI] = { ";", false },
  [G_COMMENT] = { "comment", true },
  [G_DOC_COMMENT] = { "doc_comment", true },
  [G_ERROR_SENTINEL] = { "_error_sentinel", true },
  [G_UNTERMINATED] = { "unterminated_comment", true },
};

/* Terminals wit-parser takes only when present (`eat`), before requiring
 * something else: dropped from an expected set that holds more. */
static const char *const OPTIONAL[] = {
  ",", "->", "/", "as", "@",      "with",      "static",      "async",
  "_", "<",  "(", ":",  "@since", "@unstable", "@deprecated", "@external-id",
};
/* Closing brackets: a list may end at once (`eat`), else an item is
 * required. Dropped after OPTIONAL when something else remains. */
static const char *const CLOSERS[] = { "}", ")", ">" };

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

#define NO_SYMBOL  ((TSSymbol)0xffff)
#define MAX_TOKENS 256

static TSSymbol g_sym[G_COUNT];
static bool g_optional[MAX_TOKENS], g_closer[MAX_TOKENS];
static uint32_t g_token_count;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;


static TSSymbol symbol_named(const char *name, bool named) {
  const TSLanguage *l = tree_sitter_wit();
  TSSymbol s =
      ts_language_symbol_for_name(l, name, (uint32_t)strlen(name), named);
  return s ? s : NO_SYMBOL;
}

static void init_symbols(void) {
  g_token_count = wg_wit_grammar_token_count();
  if (g_token_count > MAX_TOKENS) g_token_count = MAX_TOKENS;
  for (int i = 1; i < G_COUNT; i++)
    g_sym[i] = symbol_named(G_NAMES[i].name, G_NAMES[i].named);
  g_sym[G_END] = 0;
  for (int i = 0; i < KEYWORD_COUNT; i++) {
    uint8_t *list = g_kw_by_first[(unsigned char)KEYWORDS[i][0] & 0x7f];
    while (*list)
      list++;
    *list = (uint8_t)(i + 1);
    g_kw_len[i] = (uint8_t)strlen(KEYWORDS[i]);
    g_kw_lengths[(unsigned char)KEYWORDS[i][0]] |=
        (uint16_t)(1u << g_kw_len[i]);
  }
  for (size_t i = 0; i < sizeof OPTIONAL / sizeof *OPTIONAL; i++) {
    TSSymbol s = symbol_named(OPTIONAL[i], false);
    if (s < MAX_TOKENS) g_optional[s] = true;
  }
  for (size_t i = 0; i < sizeof CLOSERS / sizeof *CLOSERS; i++) {
    TSSymbol s = symbol_named(CLOSERS[i], false);
    if (s < MAX_TOKENS) g_closer[s] = true;
  }
}

static void init(void) {
  pthread_once(&g_once, init_symbols);
}

void wit_syntax_init(void) {
  init();
}

/* ---- wit-parser's tokens ----------------------------------------------- */

typedef enum TokKind {
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
} TokKind;

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


typedef struct Tok {
  TokKind kind;
  int kw; /* TK_KEYWORD: index in KEYWORDS */
  uint32_t start, end;
} Tok;

typedef struct Lexer {
  const char *s;
  uint32_t len, pos;
} Lexer;

static void set_error(WitSyntaxError *e, uint32_t start, uint32_t end,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void set_error(WitSyntaxError *e, uint32_t start, uint32_t end,
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
static uint32_t code_at(const Lexer *lx, uint32_t at, uint32_t *len) {
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
static void skip_word(Lexer *lx) {
  uint32_t n;
  while (lx->pos < lx->len && keylike_continue(code_at(lx, lx->pos, &n)))
    lx->pos += n;
}

bool wit_syntax_is_keyword(const char *p, size_t n) {
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
static bool string_char(Lexer *lx, uint32_t *at, uint32_t *cp,
                        WitSyntaxError *err) {
  if (lx->pos >= lx->len) {
    set_error(err, lx->len, lx->len, "unexpected end of file");
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

static bool bad_char(WitSyntaxError *err, const Lexer *lx, uint32_t at,
                     const char *what) {
  char dbg[32];
  char_debug(lx->s + at, utf8_len((unsigned char)lx->s[at]), dbg, sizeof dbg);
  set_error(err, at, at + 1, "%s %s", what, dbg);
  return false;
}

/* A hex digit (wit-parser's eat_hexdigit). */
static bool string_hex(Lexer *lx, uint32_t *at, uint32_t *v,
                       WitSyntaxError *err) {
  uint32_t c;
  if (!string_char(lx, at, &c, err)) return false;
  if (!is_hex(c)) return bad_char(err, lx, *at, "invalid hex digit");
  *v = hex_value(c);
  return true;
}

/* `{hex}` after `\u` at `u_at` (wit-parser's eat_hexnum and checks). */
static bool string_unicode(Lexer *lx, uint32_t u_at, WitSyntaxError *err) {
  uint32_t at, c, v;
  if (!string_char(lx, &at, &c, err)) return false;
  if (c != '{') {
    set_error(err, at, at + 1, "expected character '{'");
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
      set_error(err, lx->len, lx->len, "unexpected end of file");
      return false;
    }
    uint32_t d = (unsigned char)lx->s[lx->pos];
    if (!is_hex(d)) break;
    if (v > (UINT32_MAX - hex_value(d)) / 16) {
      set_error(err, lx->pos, lx->pos + 1, "number is too big to fit in a u32");
      return false;
    }
    v = v * 16 + hex_value(d);
    underscore = false;
    lx->pos++;
  }
  if (underscore) {
    set_error(err, first, first + 1, "trailing underscore in number");
    return false;
  }
  if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
    set_error(err, u_at, u_at + 1, "invalid unicode value %#x", (unsigned)v);
    return false;
  }
  if (!string_char(lx, &at, &c, err)) return false;
  if (c != '}') {
    set_error(err, at, at + 1, "expected character '}'");
    return false;
  }
  return true;
}

/* A string literal after its opening quote, as wit-parser checks it (the
 * UTF-8 validity of bytes written as hex escapes is not checked). */
static bool lex_string(Lexer *lx, WitSyntaxError *err) {
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

/* Next token, white space and comments skipped; false on a lexical error
 * (then `err` says which). */
static bool lex_next(Lexer *lx, Tok *t, WitSyntaxError *err) {
  const char *s = lx->s;
  for (;;) {
    if (lx->pos >= lx->len) {
      *t = (Tok){ TK_EOF, -1, lx->len, lx->len };
      return true;
    }
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
          set_error(err, start, start + 2, "unterminated block comment");
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
  uint32_t start = lx->pos;
  unsigned char c = (unsigned char)s[lx->pos];
  TokKind k = TK_EOF;
  int kw = -1;
  switch (c) {
    case '=':
      k = TK_EQUALS;
      break;
    case ',':
      k = TK_COMMA;
      break;
    case ':':
      k = TK_COLON;
      break;
    case '.':
      k = TK_PERIOD;
      break;
    case ';':
      k = TK_SEMI;
      break;
    case '(':
      k = TK_LPAREN;
      break;
    case ')':
      k = TK_RPAREN;
      break;
    case '{':
      k = TK_LBRACE;
      break;
    case '}':
      k = TK_RBRACE;
      break;
    case '<':
      k = TK_LT;
      break;
    case '>':
      k = TK_GT;
      break;
    case '*':
      k = TK_STAR;
      break;
    case '@':
      k = TK_AT;
      break;
    case '/':
      k = TK_SLASH;
      break;
    case '+':
      k = TK_PLUS;
      break;
    default:
      break;
  }
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
    set_error(err, start, start + n, "unexpected character %s", dbg);
    return false;
  }
  if (lx->pos > lx->len) lx->pos = lx->len;
  *t = (Tok){ k, kw, start, lx->pos };
  return true;
}

/* How wit-parser names a token it did not expect. */
static void tok_found(const Lexer *lx, const Tok *t, char *buf, size_t size) {
  if (t->kind == TK_KEYWORD)
    snprintf(buf, size, "keyword `%s`", KEYWORDS[t->kw]);
  else
    snprintf(buf, size, "%s", TOK_INFO[t->kind].found);
  (void)lx;
}

/* ---- identifiers and versions ------------------------------------------ */

static bool id_error(const char *p, uint32_t n, uint32_t start,
                     WitSyntaxError *out) {
  const char *s = p;
  uint32_t len = n;
  if (len && s[0] == '%') {
    s++;
    len--;
  }
  uint32_t end = start + n;
  if (len == 0) {
    set_error(out, start, end, "identifiers must have characters between '-'s");
    return true;
  }
  uint32_t i = 0;
  for (int part = 0; i <= len; part++) {
    uint32_t j = i;
    while (j < len && s[j] != '-')
      j++;
    if (j == i) {
      set_error(out, start, end,
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
        set_error(out, start, end, "invalid character in identifier %s", dbg);
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

bool wit_syntax_check_id(WgStr id, uint32_t start, WitSyntaxError *out) {
  return id_error(id.ptr, (uint32_t)id.len, start, out);
}

void wit_syntax_keyword_error(WgStr word, uint32_t start, WitSyntaxError *out) {
  set_error(out, start, start + (uint32_t)word.len,
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
    set_error(s->out, s->start, s->start + s->n,
              "unexpected character %s while parsing %s", ch,
              SEMVER_PART[part]);
  else if (strcmp(what, "after") == 0)
    set_error(s->out, s->start, s->start + s->n,
              "unexpected character %s after %s", ch, SEMVER_PART[part]);
  else
    set_error(s->out, s->start, s->start + s->n, "%s %s", what,
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

static bool semver_error(const char *v, uint32_t n, uint32_t start,
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
        set_error(out, start, start + n, "value of %s exceeds u64::MAX",
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

/* ---- the LR driver ------------------------------------------------------ */

typedef struct Stack {
  uint16_t *state;
  TSSymbol *sym; /* the symbol each state was entered by */
  size_t count, cap;
} Stack;

static bool stack_push(Stack *s, uint16_t state, TSSymbol sym) {
  if (s->count == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    uint16_t *st = realloc(s->state, cap * sizeof *st);
    if (!st) return false;
    s->state = st;
    TSSymbol *sy = realloc(s->sym, cap * sizeof *sy);
    if (!sy) return false;
    s->sym = sy;
    s->cap = cap;
  }
  s->state[s->count] = state;
  s->sym[s->count++] = sym;
  return true;
}

static void stack_free(Stack *s) {
  free(s->state);
  free(s->sym);
  s->state = NULL;
  s->sym = NULL;
  s->count = s->cap = 0;
}

static bool stack_copy(Stack *dst, const Stack *src) {
  dst->count = 0;
  for (size_t i = 0; i < src->count; i++)
    if (!stack_push(dst, src->state[i], src->sym[i])) return false;
  return true;
}

typedef enum Fed { FED_ERROR, FED_SHIFT, FED_ACCEPT, FED_OOM } Fed;

/* Applies the table to terminal `sym`: reductions, then its shift. */
static Fed feed(Stack *s, TSSymbol sym) {
  if (sym == NO_SYMBOL) return FED_ERROR;
  for (int guard = 0; guard < 10000; guard++) {
    WgWitAction a = wg_wit_grammar_action(s->state[s->count - 1], sym);
    switch (a.kind) {
      case WG_WIT_ACTION_SHIFT:
        return stack_push(s, a.state, sym) ? FED_SHIFT : FED_OOM;
      case WG_WIT_ACTION_ACCEPT:
        return FED_ACCEPT;
      case WG_WIT_ACTION_REDUCE: {
        if (a.child_count >= s->count) return FED_ERROR;
        s->count -= a.child_count;
        uint16_t g = wg_wit_grammar_goto(s->state[s->count - 1], a.symbol);
        if (!g) return FED_ERROR;
        if (!stack_push(s, g, a.symbol)) return FED_OOM;
        break;
      }
      default:
        return FED_ERROR;
    }
  }
  return FED_ERROR;
}

/* Whether terminal `sym` would be shifted (or accepted) from `s`, which is
 * left as it is: reductions are played on a small overlay. */
static bool accepts(const Stack *s, TSSymbol sym) {
  if (sym == NO_SYMBOL) return false;
  size_t depth = s->count;
  uint16_t extra[64];
  size_t ne = 0;
  for (int guard = 0; guard < 1000; guard++) {
    uint16_t top = ne ? extra[ne - 1] : s->state[depth - 1];
    WgWitAction a = wg_wit_grammar_action(top, sym);
    if (a.kind == WG_WIT_ACTION_SHIFT || a.kind == WG_WIT_ACTION_ACCEPT)
      return true;
    if (a.kind != WG_WIT_ACTION_REDUCE) return false;
    size_t k = a.child_count;
    if (k <= ne) {
      ne -= k;
    } else {
      if (k - ne >= depth) return false;
      depth -= k - ne;
      ne = 0;
    }
    top = ne ? extra[ne - 1] : s->state[depth - 1];
    uint16_t g = wg_wit_grammar_goto(top, a.symbol);
    if (!g) return false;
    if (ne == sizeof extra / sizeof *extra) return true; /* give up: allow */
    extra[ne++] = g;
  }
  return false;
}

/* ---- describing what was expected --------------------------------------- */

static bool is_keyword_name(const char *name) {
  return strcmp(name, "_") == 0 || wg_wit_is_keyword(name, strlen(name));
}

/* How wit-parser names terminal `sym` when it requires it. */
static void describe_symbol(TSSymbol sym, char *buf, size_t size) {
  const char *name = ts_language_symbol_name(tree_sitter_wit(), sym);
  if (sym == 0) {
    snprintf(buf, size, "eof");
  } else if (sym == g_sym[G_IDENT]) {
    snprintf(buf, size, "an identifier or string");
  } else if (sym == g_sym[G_INTEGER]) {
    snprintf(buf, size, "fixed-length");
  } else if (sym == g_sym[G_VERSION]) {
    snprintf(buf, size, "an integer");
  } else if (sym == g_sym[G_STRING]) {
    snprintf(buf, size, "a string literal");
  } else if (!name) {
    snprintf(buf, size, "a token");
  } else if (name[0] == '@' || strcmp(name, "->") == 0 ||
             strcmp(name, "/") == 0) {
    snprintf(buf, size, "`%.*s`", name[0] == '@' ? 1 : (int)strlen(name), name);
  } else if (is_keyword_name(name)) {
    snprintf(buf, size, "keyword `%s`", name);
  } else if ((name[0] >= 'a' && name[0] <= 'z')) {
    snprintf(buf, size, "`%s`", name); /* `version`, `feature` */
  } else {
    snprintf(buf, size, "'%s'", name);
  }
}

typedef struct Expected {
  bool ok[MAX_TOKENS];
} Expected;

static void expected_set(const Stack *s, Expected *e) {
  memset(e, 0, sizeof *e);
  for (uint32_t t = 0; t < g_token_count; t++) {
    if (t == g_sym[G_COMMENT] || t == g_sym[G_DOC_COMMENT] ||
        t == g_sym[G_ERROR_SENTINEL] || t == g_sym[G_UNTERMINATED])
      continue;
    e->ok[t] = accepts(s, (TSSymbol)t);
  }
}

static bool has(const Expected *e, int g) {
  TSSymbol s = g_sym[g];
  return s < MAX_TOKENS && e->ok[s];
}

/* The keyword nearest the top of the stack among `package` and
 * `resource`: after `package a:b` a block is required (wit-parser re-reads
 * a header not ended by `;` as a nested package), after `resource r` a
 * semicolon. */
static bool after_package_name(const Stack *s) {
  for (size_t i = s->count; i-- > 0;) {
    if (s->sym[i] == g_sym[G_PACKAGE]) return true;
    if (s->sym[i] == g_sym[G_RESOURCE]) return false;
  }
  return false;
}

/* wit-parser's words for the expected set `e` in the state of `s`. */
static void describe_expected(const Stack *s, const Expected *e, char *buf,
                              size_t size) {
  /* the starts of items and types, named as wit-parser names them */
  if (has(e, G_INTERFACE) && has(e, G_WORLD)) {
    snprintf(buf, size, "`world`, `interface` or `use`");
    return;
  }
  if (has(e, G_IMPORT)) {
    snprintf(buf, size,
             "`import`, `export`, `include`, `use`, or type definition");
    return;
  }
  if (has(e, G_CONSTRUCTOR)) {
    snprintf(buf, size, "`constructor` or identifier");
    return;
  }
  if (has(e, G_RECORD)) {
    snprintf(buf, size, "`type`, `resource` or `func`");
    return;
  }
  if (has(e, G_U32)) {
    snprintf(buf, size, "a type");
    return;
  }
  /* what is required once the optional parts are left out */
  Expected r = *e;
  const bool *layers[2] = { g_optional, g_closer };
  for (int l = 0; l < 2; l++) {
    bool other = false;
    for (uint32_t t = 0; t < g_token_count; t++)
      if (r.ok[t] && !layers[l][t]) other = true;
    if (!other) continue;
    for (uint32_t t = 0; t < g_token_count; t++)
      if (layers[l][t]) r.ok[t] = false;
  }
  if (has(&r, G_SEMI) && has(&r, G_LBRACE))
    r.ok[g_sym[after_package_name(s) ? G_SEMI : G_LBRACE]] = false;
  if (has(&r, G_IDENT)) {
    describe_symbol(g_sym[G_IDENT], buf, size);
    return;
  }
  size_t len = 0;
  buf[0] = '\0';
  int n = 0, total = 0;
  for (uint32_t t = 0; t < g_token_count; t++)
    total += r.ok[t];
  for (uint32_t t = 0; t < g_token_count && len < size; t++) {
    if (!r.ok[t]) continue;
    char one[64];
    describe_symbol((TSSymbol)t, one, sizeof one);
    const char *sep = n == 0 ? "" : n == total - 1 ? " or " : ", ";
    int w = snprintf(buf + len, size - len, "%s%s", sep, one);
    if (w < 0) break;
    len += (size_t)w;
    n++;
  }
  if (n == 0) snprintf(buf, size, "nothing");
}

/* ---- the first error of a file ------------------------------------------ */

typedef struct Check {
  Lexer lx;
  Stack stack;
  WitSyntaxError *err;
  bool oom;
  /* `<` of types still open: whether each nests a type (not own/borrow) */
  uint8_t angle[MAX_TYPE_DEPTH + 8];
  int angles, type_depth;
  TokKind prev_kind;
  int prev_kw;
  /* `package x { }` read inside a nested package, as wit-parser reads it */
  int inner_packages;
  bool has_inner;
  uint32_t inner_start, inner_end;
} Check;

static bool fail_expected(Check *c, const Tok *t, const char *expected) {
  char found[64];
  tok_found(&c->lx, t, found, sizeof found);
  set_error(c->err, t->start, t->end, "expected %s, found %s", expected, found);
  return false;
}

/* Reports token `t`, which the state on the stack does not accept. */
static bool fail_unexpected(Check *c, const Tok *t) {
  Expected e;
  expected_set(&c->stack, &e);
  uint32_t n = 0;
  for (uint32_t i = 0; i < g_token_count; i++)
    n += e.ok[i];
  bool word = n == 1 && (has(&e, G_W_VERSION) || has(&e, G_W_FEATURE));
  if (word) {
    /* wit-parser reads a name, then compares it */
    const char *w = has(&e, G_W_VERSION) ? "version" : "feature";
    if (t->kind != TK_ID && t->kind != TK_EXPLICIT_ID)
      return fail_expected(c, t, "an identifier or string");
    const char *p = c->lx.s + t->start;
    uint32_t len = t->end - t->start;
    if (id_error(p, len, t->start, c->err)) return false;
    if (*p == '%') p++, len--;
    set_error(c->err, t->start, t->end, "expected `%s`, found `%.*s`", w,
              (int)len, p);
    return false;
  }
  char buf[160];
  describe_expected(&c->stack, &e, buf, sizeof buf);
  return fail_expected(c, t, buf);
}

static bool next(Check *c, Tok *t) {
  return lex_next(&c->lx, t, c->err);
}

static bool is_id(const Tok *t) {
  return t->kind == TK_ID || t->kind == TK_EXPLICIT_ID;
}

/* wit-parser's parse_id on the next token. */
static bool expect_id(Check *c, Tok *t) {
  if (!next(c, t)) return false;
  if (!is_id(t)) return fail_expected(c, t, "an identifier or string");
  return !id_error(c->lx.s + t->start, t->end - t->start, t->start, c->err);
}

static bool expect_kind(Check *c, Tok *t, TokKind k) {
  if (!next(c, t)) return false;
  if (t->kind == k) return true;
  return fail_expected(c, t, TOK_INFO[k].found);
}

/* The rest of a version after its first integer `t`, as wit-parser cuts it
 * out of the tokens: `.N.N`, then `-` and `+` followed by names, integers,
 * `-` and periods between them. On success `t` spans the version. */
static bool read_version(Check *c, Tok *t) {
  Tok u;
  if (!expect_kind(c, &u, TK_PERIOD) || !expect_kind(c, &u, TK_INTEGER) ||
      !expect_kind(c, &u, TK_PERIOD) || !expect_kind(c, &u, TK_INTEGER))
    return false;
  uint32_t end = u.end;
  WitSyntaxError ignored;
  for (int section = 0; section < 2; section++) {
    Lexer save = c->lx;
    if (!lex_next(&c->lx, &u, &ignored) ||
        u.kind != (section == 0 ? TK_MINUS : TK_PLUS)) {
      c->lx = save;
      continue;
    }
    for (;;) {
      save = c->lx;
      if (!lex_next(&c->lx, &u, &ignored)) {
        c->lx = save;
        break;
      }
      if (u.kind == TK_ID || u.kind == TK_INTEGER || u.kind == TK_MINUS) {
        end = u.end;
        continue;
      }
      if (u.kind == TK_PERIOD) {
        Tok w;
        if (lex_next(&c->lx, &w, &ignored) &&
            (w.kind == TK_ID || w.kind == TK_INTEGER || w.kind == TK_MINUS)) {
          end = w.end;
          continue;
        }
      }
      c->lx = save;
      break;
    }
  }
  t->end = end;
  return !semver_error(c->lx.s + t->start, t->end - t->start, t->start, c->err);
}

bool wit_syntax_version_differs(WgStr text, uint32_t start, uint32_t end) {
  init();
  WitSyntaxError err;
  Check c;
  memset(&c, 0, sizeof c);
  c.lx = (Lexer){ text.ptr, end, start };
  c.err = &err;
  Tok t;
  if (!next(&c, &t) || t.kind != TK_INTEGER || t.start != start) return true;
  return !read_version(&c, &t) || t.end != end;
}

/* `package a:b@1.0.0 {` inside a nested package, after its `package`
 * token `t`: wit-parser reads it (and rejects it after parsing the file),
 * the grammar does not. */
static bool read_inner_package(Check *c, const Tok *t) {
  if (c->inner_packages + 1 >= MAX_PACKAGE_DEPTH) {
    set_error(c->err, t->start, t->end, "package nesting too deep");
    return false;
  }
  Tok ns, u;
  if (!expect_id(c, &ns) || !expect_kind(c, &u, TK_COLON) || !expect_id(c, &u))
    return false;
  uint32_t end = u.end;
  Lexer save = c->lx;
  WitSyntaxError ignored;
  if (lex_next(&c->lx, &u, &ignored) && u.kind == TK_AT) {
    if (!expect_kind(c, &u, TK_INTEGER) || !read_version(c, &u)) return false;
    end = u.end;
  } else {
    c->lx = save;
  }
  if (!expect_kind(c, &u, TK_LBRACE)) return false;
  if (!c->has_inner) {
    c->has_inner = true;
    c->inner_start = ns.start;
    c->inner_end = end;
  }
  c->inner_packages++;
  return true;
}

/* The grammar's terminal for token `t` in the current state; may read
 * more tokens (an attribute's name, a version's parts). NO_SYMBOL: none
 * (the token is an error here). False on an error, reported. */
static bool classify(Check *c, Tok *t, TSSymbol *out) {
  const Stack *s = &c->stack;
  *out = NO_SYMBOL;
  switch (t->kind) {
    case TK_AT: {
      static const int attrs[] = { G_SINCE, G_UNSTABLE, G_DEPRECATED,
                                   G_EXTERNAL_ID };
      static const char *const names[] = { "since", "unstable", "deprecated",
                                           "external-id" };
      bool any = false;
      for (int i = 0; i < 4; i++)
        any = any || accepts(s, g_sym[attrs[i]]);
      if (accepts(s, g_sym[G_AT]) || !any) {
        *out = g_sym[G_AT];
        return true;
      }
      Tok u;
      if (!expect_id(c, &u)) return false;
      const char *p = c->lx.s + u.start;
      uint32_t n = u.end - u.start;
      if (*p == '%') p++, n--;
      for (int i = 0; i < 4; i++) {
        if (strlen(names[i]) == n && memcmp(names[i], p, n) == 0) {
          *out = g_sym[attrs[i]];
          t->end = u.end;
          return true;
        }
      }
      set_error(c->err, u.start, u.end, "unknown attribute `%.*s`", (int)n, p);
      return false;
    }
    case TK_INTEGER:
      if (accepts(s, g_sym[G_VERSION])) {
        *out = g_sym[G_VERSION];
        return read_version(c, t);
      }
      *out = g_sym[G_INTEGER];
      if (accepts(s, *out)) {
        unsigned long long v = 0;
        for (uint32_t i = t->start; i < t->end && v <= 0xffffffffull; i++)
          v = v * 10 + (unsigned)(c->lx.s[i] - '0');
        if (v > 0xffffffffull) {
          set_error(c->err, t->start, t->end,
                    "invalid list size: number too large to fit in target "
                    "type");
          return false;
        }
      }
      return true;
    case TK_ID: {
      const char *p = c->lx.s + t->start;
      uint32_t n = t->end - t->start;
      static const int words[] = { G_W_VERSION, G_W_FEATURE };
      for (int i = 0; i < 2; i++) {
        const char *w = G_NAMES[words[i]].name;
        if (strlen(w) == n && memcmp(w, p, n) == 0 &&
            accepts(s, g_sym[words[i]])) {
          *out = g_sym[words[i]];
          return true;
        }
      }
      *out = g_sym[G_IDENT];
      return true;
    }
    case TK_KEYWORD:
      *out = symbol_named(KEYWORDS[t->kw], false);
      return true;
    default:
      if (TOK_INFO[t->kind].grammar)
        *out = symbol_named(TOK_INFO[t->kind].grammar, TOK_INFO[t->kind].named);
      if (t->kind == TK_EOF) *out = 0;
      return true;
  }
}

/* Keeps the count of open type brackets after shifting `t`. */
static void track_types(Check *c, const Tok *t) {
  if (t->kind == TK_LT) {
    bool nests = !(c->prev_kind == TK_KEYWORD &&
                   (strcmp(KEYWORDS[c->prev_kw], "own") == 0 ||
                    strcmp(KEYWORDS[c->prev_kw], "borrow") == 0));
    if (c->angles < (int)sizeof c->angle) c->angle[c->angles] = nests;
    c->angles++;
    c->type_depth += nests;
  } else if (t->kind == TK_GT && c->angles > 0) {
    c->angles--;
    if (c->angles < (int)sizeof c->angle) c->type_depth -= c->angle[c->angles];
  }
  c->prev_kind = t->kind;
  c->prev_kw = t->kw;
}

static bool is_keyword(const Tok *t, const char *kw) {
  return t->kind == TK_KEYWORD && strcmp(KEYWORDS[t->kw], kw) == 0;
}

/* False with c->err set on the first error; true when the text parses. */
static bool check_text(Check *c) {
  Tok t;
  for (;;) {
    if (!next(c, &t)) return false;
    const Stack *s = &c->stack;
    bool items = accepts(s, g_sym[G_INTERFACE]) && accepts(s, g_sym[G_WORLD]);
    if (items && is_keyword(&t, "package") && !accepts(s, g_sym[G_PACKAGE])) {
      /* a package inside a nested package, or after attributes */
      if (c->prev_kind == TK_RPAREN) {
        set_error(c->err, t.start, t.end,
                  "cannot place attributes on nested packages");
        return false;
      }
      if (!read_inner_package(c, &t)) return false;
      continue;
    }
    if (items && t.kind == TK_RBRACE && c->inner_packages > 0) {
      c->inner_packages--;
      continue;
    }
    if (c->type_depth >= MAX_TYPE_DEPTH && accepts(s, g_sym[G_U32])) {
      set_error(c->err, t.start, t.end, "type nesting too deep");
      return false;
    }
    TSSymbol sym;
    if (!classify(c, &t, &sym)) return false;
    if (sym == g_sym[G_IDENT] && accepts(s, sym) &&
        id_error(c->lx.s + t.start, t.end - t.start, t.start, c->err))
      return false;
    Fed f = feed(&c->stack, sym);
    if (f == FED_OOM) {
      c->oom = true;
      return false;
    }
    if (f == FED_ERROR) return fail_unexpected(c, &t);
    if (f == FED_ACCEPT) break;
    track_types(c, &t);
  }
  if (c->has_inner) {
    set_error(c->err, c->inner_start, c->inner_end,
              "nested packages must be placed at the top-level");
    return false;
  }
  return true;
}

bool wit_syntax_first_error(WgStr text, WitSyntaxError *out) {
  init();
  Check c;
  memset(&c, 0, sizeof c);
  c.lx = (Lexer){ text.ptr, (uint32_t)text.len, 0 };
  /* a byte-order mark is skipped */
  if (text.len >= 3 && memcmp(text.ptr, "\xef\xbb\xbf", 3) == 0) c.lx.pos = 3;
  c.prev_kind = TK_EOF;
  WitSyntaxError err;
  c.err = &err;
  bool found = false;
  if (stack_push(&c.stack, WG_WIT_START_STATE, 0)) {
    found = !check_text(&c) && !c.oom;
  }
  stack_free(&c.stack);
  if (found) *out = err;
  return found;
}

/* ---- every error of a tree (for --all-errors) --------------------------- */

typedef struct TreeWalk {
  WgStr text;
  Stack stack;
  bool lost; /* the table no longer follows the tree */
  WitSyntaxEmit emit;
  void *ud;
} TreeWalk;

/* The token of the text at or after byte `at`, as wit-parser lexes it. */
static void token_at(WgStr text, uint32_t at, Tok *t, WitSyntaxError *lexerr,
                     bool *bad) {
  Lexer lx = { text.ptr, (uint32_t)text.len, at };
  *bad = !lex_next(&lx, t, lexerr);
}

static void emit_at(TreeWalk *w, const Stack *s, uint32_t at) {
  WitSyntaxError e;
  Tok t;
  bool bad;
  token_at(w->text, at, &t, &e, &bad);
  if (!bad) {
    /* the token as the first-error check reads it: a version, an
     * attribute or a name may be wrong in itself */
    Check c;
    memset(&c, 0, sizeof c);
    c.lx = (Lexer){ w->text.ptr, (uint32_t)w->text.len, t.end };
    c.stack = *s;
    c.err = &e;
    TSSymbol sym;
    if (classify(&c, &t, &sym) &&
        !(sym == g_sym[G_IDENT] && accepts(s, sym) &&
          id_error(w->text.ptr + t.start, t.end - t.start, t.start, &e)))
      fail_unexpected(&c, &t);
  }
  w->emit(w->ud, &e);
}

static bool is_extra_leaf(TSNode n) {
  return ts_node_is_extra(n);
}

/* Leaves of `n` fed to `s` until one is rejected: its start, or the end of
 * `n` when all are taken (the error is then the token after). */
/* Deepest tree walked for --all-errors (recursion; the parse itself stops
 * at wit-parser's limits long before in any file it accepts). */
#define MAX_TREE_DEPTH 1000

static uint32_t first_rejected(Stack *s, TSNode n, bool *failed, int depth) {
  uint32_t count = ts_node_child_count(n);
  if (count == 0) {
    if (is_extra_leaf(n) || ts_node_start_byte(n) == ts_node_end_byte(n))
      return ts_node_end_byte(n);
    TSSymbol sym = ts_node_symbol(n);
    if (sym == (TSSymbol)-1 || feed(s, sym) != FED_SHIFT) {
      *failed = true;
      return ts_node_start_byte(n);
    }
    return ts_node_end_byte(n);
  }
  for (uint32_t i = 0; i < count; i++) {
    uint32_t at =
        depth < MAX_TREE_DEPTH
            ? first_rejected(s, ts_node_child(n, i), failed, depth + 1)
            : ts_node_start_byte(n);
    if (depth >= MAX_TREE_DEPTH) *failed = true;
    if (*failed) return at;
  }
  return ts_node_end_byte(n);
}

static void walk_tree(TreeWalk *w, TSNode n, int depth) {
  if (w->lost) return;
  if (depth > MAX_TREE_DEPTH) {
    w->lost = true;
    return;
  }
  bool error = ts_node_symbol(n) == (TSSymbol)-1;
  if (error) {
    Stack copy = { 0 };
    if (!stack_copy(&copy, &w->stack)) {
      w->lost = true;
      return;
    }
    bool failed = false;
    uint32_t at = first_rejected(&copy, n, &failed, depth);
    /* every token in it taken: the one after it is the error */
    emit_at(w, &copy, at);
    stack_free(&copy);
    return; /* the parse resumed in the state before the error */
  }
  uint32_t count = ts_node_child_count(n);
  if (count == 0) {
    if (is_extra_leaf(n)) return;
    if (ts_node_is_missing(n)) {
      emit_at(w, &w->stack, ts_node_end_byte(n));
    }
    if (feed(&w->stack, ts_node_symbol(n)) != FED_SHIFT) w->lost = true;
    return;
  }
  for (uint32_t i = 0; i < count && !w->lost; i++)
    walk_tree(w, ts_node_child(n, i), depth + 1);
}

void wit_syntax_tree_errors(WgStr text, TSNode root, WitSyntaxEmit emit,
                            void *ud) {
  init();
  TreeWalk w = { text, { 0 }, false, emit, ud };
  if (stack_push(&w.stack, WG_WIT_START_STATE, 0)) walk_tree(&w, root, 0);
  stack_free(&w.stack);
}
