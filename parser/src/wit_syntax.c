/* SPDX-License-Identifier: Apache-2.0 */
/* Syntax errors as wit-parser words and places them (see wit_syntax.h).
 *
 * Three parts:
 * - wit-parser's tokens (wit_lex.c): keywords are always keywords, `@since`
 *   is `@` then a name, a version is integers and periods, and lexical
 *   errors (unterminated comment, stray character) are wit-parser's; here
 *   they are mapped to the grammar's terminals (`@` and a name to `@since`,
 *   a version's tokens to the version token);
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wit_lex.h"
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
  wit_lex_init();
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
  WitLexer lx;
  Stack stack;
  WitSyntaxError *err;
  bool oom;
  /* `<` of types still open: whether each nests a type (not own/borrow) */
  uint8_t angle[MAX_TYPE_DEPTH + 8];
  int angles, type_depth;
  WitTokKind prev_kind;
  int prev_kw;
  /* `package x { }` read inside a nested package, as wit-parser reads it */
  int inner_packages;
  bool has_inner;
  uint32_t inner_start, inner_end;
} Check;

static bool fail_expected(Check *c, const WitTok *t, const char *expected) {
  char found[64];
  wit_lex_found(t, found, sizeof found);
  wit_lex_error(c->err, t->start, t->end, "expected %s, found %s", expected,
                found);
  return false;
}

/* Reports token `t`, which the state on the stack does not accept. */
static bool fail_unexpected(Check *c, const WitTok *t) {
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
    if (wit_lex_id_error(p, len, t->start, c->err)) return false;
    if (*p == '%') p++, len--;
    wit_lex_error(c->err, t->start, t->end, "expected `%s`, found `%.*s`", w,
                  (int)len, p);
    return false;
  }
  char buf[160];
  describe_expected(&c->stack, &e, buf, sizeof buf);
  return fail_expected(c, t, buf);
}

static bool next(Check *c, WitTok *t) {
  return wit_lex_next(&c->lx, t, c->err);
}

static bool is_id(const WitTok *t) {
  return t->kind == TK_ID || t->kind == TK_EXPLICIT_ID;
}

/* wit-parser's parse_id on the next token. */
static bool expect_id(Check *c, WitTok *t) {
  if (!next(c, t)) return false;
  if (!is_id(t)) return fail_expected(c, t, "an identifier or string");
  return !wit_lex_id_error(c->lx.s + t->start, t->end - t->start, t->start,
                           c->err);
}

static bool expect_kind(Check *c, WitTok *t, WitTokKind k) {
  if (!next(c, t)) return false;
  if (t->kind == k) return true;
  return fail_expected(c, t, wit_lex_kind_found(k));
}

/* The rest of a version after its first integer `t`, as wit-parser cuts it
 * out of the tokens: `.N.N`, then `-` and `+` followed by names, integers,
 * `-` and periods between them. On success `t` spans the version. */
static bool read_version(Check *c, WitTok *t) {
  WitTok u;
  if (!expect_kind(c, &u, TK_PERIOD) || !expect_kind(c, &u, TK_INTEGER) ||
      !expect_kind(c, &u, TK_PERIOD) || !expect_kind(c, &u, TK_INTEGER))
    return false;
  uint32_t end = u.end;
  WitSyntaxError ignored;
  for (int section = 0; section < 2; section++) {
    WitLexer save = c->lx;
    if (!wit_lex_next(&c->lx, &u, &ignored) ||
        u.kind != (section == 0 ? TK_MINUS : TK_PLUS)) {
      c->lx = save;
      continue;
    }
    for (;;) {
      save = c->lx;
      if (!wit_lex_next(&c->lx, &u, &ignored)) {
        c->lx = save;
        break;
      }
      if (u.kind == TK_ID || u.kind == TK_INTEGER || u.kind == TK_MINUS) {
        end = u.end;
        continue;
      }
      if (u.kind == TK_PERIOD) {
        WitTok w;
        if (wit_lex_next(&c->lx, &w, &ignored) &&
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
  return !wit_lex_semver_error(c->lx.s + t->start, t->end - t->start, t->start,
                               c->err);
}

bool wit_syntax_version_differs(WgStr text, uint32_t start, uint32_t end) {
  init();
  WitSyntaxError err;
  Check c;
  memset(&c, 0, sizeof c);
  c.lx = (WitLexer){ text.ptr, end, start };
  c.err = &err;
  WitTok t;
  if (!next(&c, &t) || t.kind != TK_INTEGER || t.start != start) return true;
  return !read_version(&c, &t) || t.end != end;
}

/* `package a:b@1.0.0 {` inside a nested package, after its `package`
 * token `t`: wit-parser reads it (and rejects it after parsing the file),
 * the grammar does not. */
static bool read_inner_package(Check *c, const WitTok *t) {
  if (c->inner_packages + 1 >= MAX_PACKAGE_DEPTH) {
    wit_lex_error(c->err, t->start, t->end, "package nesting too deep");
    return false;
  }
  WitTok ns, u;
  if (!expect_id(c, &ns) || !expect_kind(c, &u, TK_COLON) || !expect_id(c, &u))
    return false;
  uint32_t end = u.end;
  WitLexer save = c->lx;
  WitSyntaxError ignored;
  if (wit_lex_next(&c->lx, &u, &ignored) && u.kind == TK_AT) {
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
static bool classify(Check *c, WitTok *t, TSSymbol *out) {
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
      WitTok u;
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
      wit_lex_error(c->err, u.start, u.end, "unknown attribute `%.*s`", (int)n,
                    p);
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
          wit_lex_error(c->err, t->start, t->end,
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
      *out = symbol_named(wit_lex_keyword(t->kw), false);
      return true;
    default: {
      bool named;
      const char *g = wit_lex_kind_grammar(t->kind, &named);
      if (g) *out = symbol_named(g, named);
    }
      if (t->kind == TK_EOF) *out = 0;
      return true;
  }
}

/* Keeps the count of open type brackets after shifting `t`. */
static void track_types(Check *c, const WitTok *t) {
  if (t->kind == TK_LT) {
    bool nests = !(c->prev_kind == TK_KEYWORD &&
                   (strcmp(wit_lex_keyword(c->prev_kw), "own") == 0 ||
                    strcmp(wit_lex_keyword(c->prev_kw), "borrow") == 0));
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

static bool is_keyword(const WitTok *t, const char *kw) {
  return t->kind == TK_KEYWORD && strcmp(wit_lex_keyword(t->kw), kw) == 0;
}

/* False with c->err set on the first error; true when the text parses. */
static bool check_text(Check *c) {
  WitTok t;
  for (;;) {
    if (!next(c, &t)) return false;
    const Stack *s = &c->stack;
    bool items = accepts(s, g_sym[G_INTERFACE]) && accepts(s, g_sym[G_WORLD]);
    if (items && is_keyword(&t, "package") && !accepts(s, g_sym[G_PACKAGE])) {
      /* a package inside a nested package, or after attributes */
      if (c->prev_kind == TK_RPAREN) {
        wit_lex_error(c->err, t.start, t.end,
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
      wit_lex_error(c->err, t.start, t.end, "type nesting too deep");
      return false;
    }
    TSSymbol sym;
    if (!classify(c, &t, &sym)) return false;
    if (sym == g_sym[G_IDENT] && accepts(s, sym) &&
        wit_lex_id_error(c->lx.s + t.start, t.end - t.start, t.start, c->err))
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
    wit_lex_error(c->err, c->inner_start, c->inner_end,
                  "nested packages must be placed at the top-level");
    return false;
  }
  return true;
}

bool wit_syntax_first_error(WgStr text, WitSyntaxError *out) {
  init();
  Check c;
  memset(&c, 0, sizeof c);
  c.lx = (WitLexer){ text.ptr, (uint32_t)text.len, 0 };
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
static void token_at(WgStr text, uint32_t at, WitTok *t, WitSyntaxError *lexerr,
                     bool *bad) {
  WitLexer lx = { text.ptr, (uint32_t)text.len, at };
  *bad = !wit_lex_next(&lx, t, lexerr);
}

static void emit_at(TreeWalk *w, const Stack *s, uint32_t at) {
  WitSyntaxError e;
  WitTok t;
  bool bad;
  token_at(w->text, at, &t, &e, &bad);
  if (!bad) {
    /* the token as the first-error check reads it: a version, an
     * attribute or a name may be wrong in itself */
    Check c;
    memset(&c, 0, sizeof c);
    c.lx = (WitLexer){ w->text.ptr, (uint32_t)w->text.len, t.end };
    c.stack = *s;
    c.err = &e;
    TSSymbol sym;
    if (classify(&c, &t, &sym) &&
        !(sym == g_sym[G_IDENT] && accepts(s, sym) &&
          wit_lex_id_error(w->text.ptr + t.start, t.end - t.start, t.start,
                           &e)))
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
