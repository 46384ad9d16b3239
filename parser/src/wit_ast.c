/* SPDX-License-Identifier: Apache-2.0 */
/* Syntax trees of WIT files: parsing with the tree-sitter grammar, syntax
 * error reporting, identifier checks, doc comments. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "utf8.h"
#include "wit_comments.h"
#include "wit_internal.h"
#include "wit_lex.h"
#include "wit_syntax.h"
#include "witgen/wit_grammar.h"

/* Deepest syntax-tree nesting accepted (wit-parser limits types to 100). */
#define WIT_MAX_DEPTH      400
#define WIT_MAX_TYPE_DEPTH 100

/* Text and span of tree-sitter nodes, during the walk. */
static WgStr ts_text(const WitFile *f, TSNode n) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > f->text.len) e = (uint32_t)f->text.len;
  if (s > e) s = e;
  return (WgStr){ f->text.ptr + s, e - s };
}

static WgSpan ts_span(const WitFile *f, TSNode n) {
  return (WgSpan){ f->file, ts_node_start_byte(n), ts_node_end_byte(n) };
}

WgStr wit_node_text(const WitFile *f, WitNode n) {
  uint32_t s = wit_node_start(n), e = wit_node_end(n);
  if (e > f->text.len) e = (uint32_t)f->text.len;
  if (s > e) s = e;
  return (WgStr){ f->text.ptr + s, e - s };
}

WgSpan wit_node_span(const WitFile *f, WitNode n) {
  return (WgSpan){ f->file, wit_node_start(n), wit_node_end(n) };
}

WgStr wit_ident(const WitFile *f, WitNode n) {
  WgStr s = wit_node_text(f, n);
  if (s.len && s.ptr[0] == '%') {
    s.ptr++;
    s.len--;
  }
  return s;
}

/* wit-parser's identifier rule: '-'-separated non-empty parts, each all
 * lower-case or all upper-case letters plus digits, the first part starting
 * with a letter. Returns the offending byte offset or -1. */
static long check_kebab(WgStr s) {
  if (s.len == 0) return 0;
  size_t start = 0;
  int part = 0;
  for (size_t i = 0; i <= s.len; i++) {
    if (i == s.len || s.ptr[i] == '-') {
      if (i == start) return (long)i;
      int upper = -1;
      for (size_t j = start; j < i; j++) {
        char c = s.ptr[j];
        if (c >= '0' && c <= '9') {
          if (j == start && part == 0) return (long)j;
        } else if (c >= 'A' && c <= 'Z') {
          if (upper == 0) return (long)j;
          upper = 1;
        } else if (c >= 'a' && c <= 'z') {
          if (upper == 1) return (long)j;
          upper = 0;
        } else {
          return (long)j;
        }
      }
      part++;
      start = i + 1;
    }
  }
  return -1;
}

static bool is_type_kind(WitKind k) {
  switch (k) {
    case WIT_KIND_TUPLE_TYPE:
    case WIT_KIND_LIST_TYPE:
    case WIT_KIND_MAP_TYPE:
    case WIT_KIND_OPTION_TYPE:
    case WIT_KIND_RESULT_TYPE:
    case WIT_KIND_FUTURE_TYPE:
    case WIT_KIND_STREAM_TYPE:
    case WIT_KIND_PRIMITIVE_TYPE:
    case WIT_KIND_NAMED_TYPE_REF:
    case WIT_KIND_HANDLE_TYPE:
      return true;
    default:
      return false;
  }
}

static bool is_comment_kind(WitKind k) {
  return k == WIT_KIND_COMMENT || k == WIT_KIND_DOC_COMMENT;
}

/* Checks the raw bytes as wit-parser's lexer does before tokenizing (its
 * messages): control codes other than tab, newline and carriage return,
 * bidirectional overrides, code points Unicode discourages. A carriage
 * return not before a newline is an error outside comments only, which
 * needs the tokens: `lone_cr` says one was seen. */
static bool check_bytes(WgWitResolve *r, WitFile *f, bool *lone_cr) {
  const uint8_t *p = (const uint8_t *)f->text.ptr;
  size_t n = f->text.len, i = 0;
  while (i < n) {
    /* eight bytes of printable ASCII at once: none below 0x20, none with
     * the top bit, no 0x7f */
    while (i + 8 <= n) {
      uint64_t x;
      memcpy(&x, p + i, 8);
      const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
      uint64_t below = (x - ones * 0x20) & ~x, del = x ^ (ones * 0x7f);
      if (((below | x | ((del - ones) & ~del)) & highs) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    /* printable ASCII, tab, newline, carriage return: nothing to check */
    uint8_t b = p[i];
    if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t' || b == '\r') {
      i++;
      continue;
    }
    uint32_t cp;
    size_t len = wg_utf8_decode(p + i, n - i, &cp);
    WgSpan sp = { f->file, (uint32_t)i, (uint32_t)i + 1 };
    if (len == 0) {
      wit_error(r, &sp, "input is not valid UTF-8");
      return false;
    }
    sp.end = (uint32_t)(i + len);
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      wit_error(r, &sp, "Control code '\\u{%x}'", (unsigned)cp);
      return false;
    }
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      wit_error(r, &sp,
                "Input contains bidirectional override codepoint '\\u{%x}'",
                (unsigned)cp);
      return false;
    }
    if (cp == 0x149 || cp == 0x673 || cp == 0xf77 || cp == 0xf79 ||
        (cp >= 0x17a3 && cp <= 0x17a4) || (cp >= 0x17b4 && cp <= 0x17b5)) {
      wit_error(r, &sp, "Codepoint '\\u{%x}' is discouraged by Unicode",
                (unsigned)cp);
      return false;
    }
    i += len;
  }
  /* carriage returns are rare: found by memchr, then looked at */
  for (const uint8_t *c = memchr(p, '\r', n); c && !*lone_cr;
       c = memchr(c + 1, '\r', n - (size_t)(c + 1 - p)))
    if (c + 1 == p + n || c[1] != '\n') *lone_cr = true;
  return true;
}

#define NO_DOC_START UINT32_MAX

typedef WG_WIT_ARRAY(WitSyntaxError) SyntaxErrors;

typedef struct Walk {
  WgWitResolve *r;
  WitFile *f;
  int errors;
  bool has_comments; /* found before parsing (wit_comments.c) */
  WG_WIT_ARRAY(WgSpan) comments;
  struct WitNodeData *nodes;
  size_t count, cap;
  bool oom;
  /* errors the walk itself finds (names, versions, depth); syntax errors
   * are described after the walk (wit_syntax.c) */
  SyntaxErrors found;
  /* text wit-parser may reject where tree-sitter did not complain: a lone
   * carriage return, escapes or tabs in a string */
  bool suspect;
} Walk;

static void walk_error(Walk *w, const WitSyntaxError *e) {
  w->errors++;
  if (!WIT_PUSH(&wit_internal(w->r)->arena, &w->found, *e)) w->oom = true;
}

static void walk_errorf(Walk *w, TSNode n, const char *msg) {
  WitSyntaxError e = { ts_node_start_byte(n), ts_node_end_byte(n), "" };
  snprintf(e.message, sizeof e.message, "%s", msg);
  walk_error(w, &e);
}

/* An identifier the grammar took and wit-parser does not: a bare keyword
 * (the grammar's keywords are contextual, wit-parser's are not) or a name
 * breaking its rule. Out of the walk's way. */
static __attribute__((noinline, cold)) void
identifier_error(Walk *w, TSNode n, WgStr s, bool keyword) {
  WitSyntaxError e;
  if (keyword)
    wit_lex_keyword_error(s, ts_node_start_byte(n), &e);
  else if (!wit_lex_id_error(s.ptr, (uint32_t)s.len, ts_node_start_byte(n), &e))
    e = (WitSyntaxError){ ts_node_start_byte(n), ts_node_end_byte(n),
                          "invalid identifier" };
  walk_error(w, &e);
}

/* Versions, list sizes and strings wit-parser may read otherwise. */
static __attribute__((noinline)) void check_literal(Walk *w, TSNode n,
                                                    WitKind k) {
  WgStr t = ts_text(w->f, n);
  if (k == WIT_KIND_VERSION) {
    /* only pre-release or build parts (after `-`, `+`) can be split
     * otherwise by wit-parser's tokens */
    WitVersion v;
    if (!wit_version_parse(t, &v) ||
        ((v.pre.len || v.build.len) &&
         wit_syntax_version_differs(w->f->text, ts_node_start_byte(n),
                                    ts_node_end_byte(n))))
      walk_errorf(w, n, "invalid semver version");
  } else if (k == WIT_KIND_INTEGER) {
    /* a list length: wit-parser reads it as a u32 while parsing */
    uint64_t v = 0;
    for (size_t i = 0; i < t.len && v <= UINT32_MAX; i++)
      v = v * 10 + (uint64_t)(t.ptr[i] - '0');
    if (v > UINT32_MAX)
      walk_errorf(w, n,
                  "invalid list size: number too large to fit in target type");
  } else if (memchr(t.ptr, '\\', t.len) || memchr(t.ptr, '\t', t.len)) {
    w->suspect = true; /* escapes and tabs in a string */
  }
}

static void check_node(Walk *w, TSNode n, WitKind k, bool named) {
  if (!named) return;
  if (k == WIT_KIND_IDENTIFIER) {
    WgStr s = ts_text(w->f, n);
    if (s.len && s.ptr[0] != '%' && wit_lex_is_keyword(s.ptr, s.len)) {
      identifier_error(w, n, s, true);
      return;
    }
    size_t skip = (s.len && s.ptr[0] == '%') ? 1 : 0;
    if (check_kebab((WgStr){ s.ptr + skip, s.len - skip }) >= 0)
      identifier_error(w, n, s, false);
  } else if (k == WIT_KIND_VERSION || k == WIT_KIND_INTEGER ||
             k == WIT_KIND_STRING) {
    check_literal(w, n, k);
  } else if (is_comment_kind(k) && !w->has_comments) {
    WgSpan sp = ts_span(w->f, n);
    WIT_PUSH(&wit_internal(w->r)->arena, &w->comments, sp);
  }
}

static int by_start(const void *a, const void *b) {
  const WitSyntaxError *x = a, *y = b;
  return (x->start > y->start) - (x->start < y->start);
}

static void collect_tree_error(void *ud, const WitSyntaxError *e) {
  Walk *w = ud;
  if (!WIT_PUSH(&wit_internal(w->r)->arena, &w->found, *e)) w->oom = true;
}

static void report(Walk *w, const WitSyntaxError *e) {
  WgSpan sp = { w->f->file, e->start, e->end };
  wit_error(w->r, &sp, "%s", e->message);
}

/* Reports the errors of a file: the first as wit-parser finds it (the
 * grammar's table driven by wit-parser's tokens, wit_syntax.c), then, with
 * --all-errors, every later one the walk or tree-sitter's recovery found. */
static void report_errors(Walk *w, TSNode root, bool has_error) {
  WitSyntaxError first;
  bool precise = wit_syntax_first_error(w->f->text, &first);
  bool all = wit_internal(w->r)->all_errors;
  if (has_error && (all || !precise))
    wit_syntax_tree_errors(w->f->text, root, collect_tree_error, w);
  SyntaxErrors *list = &w->found;
  if (list->count > 1)
    qsort(list->items, list->count, sizeof *list->items, by_start);
  if (!precise && list->count == 0) {
    if (!has_error && w->errors == 0) return; /* only suspected: fine */
    first = (WitSyntaxError){ 0, 0, "syntax error" };
    precise = true;
  }
  w->errors++;
  bool reported = false;
  uint32_t last = 0;
  if (precise) {
    report(w, &first);
    reported = true;
    last = first.start;
  }
  for (size_t i = 0; i < list->count && (all || !reported); i++) {
    const WitSyntaxError *e = &list->items[i];
    if (reported && e->start <= last) continue;
    report(w, e);
    reported = true;
    last = e->start;
  }
}

/* Copies the node under the cursor (a child of node `parent`, or the root)
 * into the compact array when lowering can reach it: named, or in a field.
 * Returns its index, or `parent` when it is not kept. */
static uint32_t keep_node(Walk *w, const TSTreeCursor *cur, TSNode n, WitKind k,
                          bool named, uint32_t parent) {
  uint32_t start = ts_node_start_byte(n);
  if (w->count && !is_comment_kind(k) &&
      w->nodes[parent].doc_start == NO_DOC_START)
    w->nodes[parent].doc_start = start;
  TSFieldId fid = w->count ? ts_tree_cursor_current_field_id(cur) : 0;
  uint8_t field = fid < WIT_MAX_FIELDS ? wit_field_of_id[fid] : 0;
  if (w->count && !named && !field) return parent;
  if (w->count == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 256;
    struct WitNodeData *nodes = realloc(w->nodes, cap * sizeof *nodes);
    if (!nodes) {
      w->oom = true;
      return parent;
    }
    w->nodes = nodes;
    w->cap = cap;
  }
  uint32_t i = (uint32_t)w->count++;
  w->nodes[i] = (struct WitNodeData){ .start = start,
                                      .end = ts_node_end_byte(n),
                                      .doc_start = NO_DOC_START,
                                      .parent = i ? parent : 0,
                                      .kind = (uint8_t)k,
                                      .field = field,
                                      .is_named = named };
  return i;
}

/* Gives every kept node its kids (named ones first, then fielded ones),
 * stored contiguously in one array. */
static bool link_kids(WitFile *f) {
  size_t n = f->node_count;
  WitNode *list = malloc((n ? n : 1) * sizeof *list);
  size_t *next_named = malloc((n ? n : 1) * sizeof *next_named);
  size_t *next_other = malloc((n ? n : 1) * sizeof *next_other);
  if (!list || !next_named || !next_other) {
    free(list);
    free(next_named);
    free(next_other);
    return false;
  }
  struct WitNodeData *nodes = f->nodes;
  for (size_t i = 1; i < n; i++) {
    struct WitNodeData *p = &nodes[nodes[i].parent];
    p->kid_count++;
    p->named_count += nodes[i].is_named;
  }
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    nodes[i].kids = list + off;
    next_named[i] = off;
    next_other[i] = off + nodes[i].named_count;
    off += nodes[i].kid_count;
    if (nodes[i].doc_start == NO_DOC_START) nodes[i].doc_start = nodes[i].start;
  }
  for (size_t i = 1; i < n; i++) {
    uint32_t p = nodes[i].parent;
    list[nodes[i].is_named ? next_named[p]++ : next_other[p]++] = &nodes[i];
  }
  free(next_named);
  free(next_other);
  f->kid_list = list;
  return true;
}

void wit_file_release(WitFile *f) {
  free(f->nodes);
  free(f->kid_list);
  f->nodes = NULL;
  f->kid_list = NULL;
  f->node_count = 0;
}

bool wit_parse_file(WgWitResolve *r, WitFile *f) {
  bool lone_cr = false;
  if (!check_bytes(r, f, &lone_cr)) return false;
  if (f->text.len > UINT32_MAX / 2) {
    wit_error(r, NULL, "%s: file too large", f->path);
    return false;
  }
  wit_nodes_init();
  wit_syntax_init();
  WitCommentScan scan;
  if (!wit_comments_scan(&wit_internal(r)->arena, f->file, f->text, &scan))
    return false;
  WitResolveInternal *in = wit_internal(r);
  if (!in->parser) in->parser = ts_parser_new();
  TSParser *parser = in->parser;
  if (!parser) {
    wit_comments_release(&scan);
    return false;
  }
  ts_parser_set_language(parser, scan.is_comment_free
                                     ? tree_sitter_wit_without_comments()
                                     : tree_sitter_wit());
  /* no ranges: the whole text */
  ts_parser_set_included_ranges(parser, scan.ranges,
                                (uint32_t)scan.range_count);
  TSTree *tree =
      ts_parser_parse_string(parser, NULL, f->text.ptr, (uint32_t)f->text.len);
  bool was_cut = scan.has_cut || scan.is_comment_free;
  wit_comments_release(&scan);
  if (tree && was_cut && ts_node_has_error(ts_tree_root_node(tree))) {
    /* Error recovery weighs the comments it skips: the text as written
     * gives the syntax errors users saw before comments were cut out (a
     * file with errors is rare, so this parses it twice). */
    ts_tree_delete(tree);
    ts_parser_set_language(parser, tree_sitter_wit());
    ts_parser_set_included_ranges(parser, NULL, 0);
    tree = ts_parser_parse_string(parser, NULL, f->text.ptr,
                                  (uint32_t)f->text.len);
  }
  if (!tree) {
    wit_error(r, NULL, "%s: could not parse", f->path);
    return false;
  }
  Walk w = { r, f, 0, scan.is_exact, { 0 }, NULL, 0, 0, false, { 0 }, lone_cr };
  if (scan.is_exact) {
    w.comments.items = scan.comments.items;
    w.comments.count = scan.comments.count;
  }
  /* without errors in the tree, no node is ERROR or MISSING */
  bool has_error = ts_node_has_error(ts_tree_root_node(tree));
  TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
  int depth = 0, tdepth = 0;
  bool too_deep = false;
  bool is_type[WIT_MAX_DEPTH + 2] = { false };
  uint32_t kept[WIT_MAX_DEPTH + 2]; /* kept node index per depth */
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    bool descend = true;
    WitKind k = wit_ts_kind(n);
    bool ty = is_type_kind(k);
    bool named = ts_node_is_named(n);
    kept[depth] = keep_node(&w, &cur, n, k, named, depth ? kept[depth - 1] : 0);
    if (ty && tdepth >= WIT_MAX_TYPE_DEPTH && !too_deep) {
      walk_errorf(&w, n, "type nesting too deep");
      too_deep = true;
      descend = false;
    }
    if (k == WIT_KIND_ERROR || (has_error && ts_node_is_missing(n))) {
      descend = false; /* described after the walk */
    } else {
      check_node(&w, n, k, named);
    }
    if (depth > WIT_MAX_DEPTH) {
      if (!too_deep) walk_errorf(&w, n, "type nesting too deep");
      too_deep = true;
      descend = false;
    }
    if (descend && ts_tree_cursor_goto_first_child(&cur)) {
      is_type[depth] = ty;
      tdepth += ty;
      depth++;
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cur)) {
      if (!ts_tree_cursor_goto_parent(&cur)) goto done;
      depth--;
      tdepth -= is_type[depth];
    }
  }
done:
  ts_tree_cursor_delete(&cur);
  f->comments = w.comments.items;
  f->ncomments = w.comments.count;
  if (w.errors || has_error || w.suspect)
    report_errors(&w, ts_tree_root_node(tree), has_error);
  ts_tree_delete(tree);
  f->nodes = w.nodes;
  f->node_count = w.count;
  if (w.oom || w.errors || !link_kids(f)) {
    wit_file_release(f); /* lowering never reads a file with errors */
    return false;
  }
  return true;
}

static bool only_ws(const WitFile *f, uint32_t a, uint32_t b) {
  for (uint32_t i = a; i < b && i < f->text.len; i++) {
    char c = f->text.ptr[i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

static bool starts_with(WgStr s, const char *p) {
  size_t n = strlen(p);
  return s.len >= n && memcmp(s.ptr, p, n) == 0;
}

static WgStr trim_end(WgStr s) {
  while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' ||
                   s.ptr[s.len - 1] == '\n' || s.ptr[s.len - 1] == '\r' ||
                   s.ptr[s.len - 1] == '\f'))
    s.len--;
  return s;
}

/* The run of comments right before node `n` (only white space between):
 * indexes [*first, *last) of f->comments. */
static void comment_run(const WitFile *f, WitNode n, size_t *first,
                        size_t *last) {
  uint32_t start = n ? n->doc_start : 0;
  /* last comment ending at or before `start` */
  size_t lo = 0, hi = f->ncomments;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (f->comments[mid].end <= start)
      lo = mid + 1;
    else
      hi = mid;
  }
  *last = *first = lo;
  uint32_t pos = start;
  while (*first > 0 && only_ws(f, f->comments[*first - 1].end, pos)) {
    --*first;
    pos = f->comments[*first].start;
  }
}

WgSpan wit_docs_span(const WitFile *f, WitNode n) {
  size_t first, last;
  comment_run(f, n, &first, &last);
  if (first == last) return wit_node_span(f, n);
  return (WgSpan){ f->file, f->comments[first].start,
                   f->comments[last - 1].end };
}

WgWitDocs wit_docs_before(WgWitResolve *r, const WitFile *f, WitNode n) {
  size_t first, last;
  comment_run(f, n, &first, &last);
  if (first == last) return (WgWitDocs){ NULL, 0 };
  /* Strip comment markers as wit-parser does. */
  size_t n_docs = last - first;
  WgStr few[32];
  WgStr *docs = n_docs <= 32 ? few : malloc(n_docs * sizeof *docs);
  if (!docs) return (WgWitDocs){ NULL, 0 };
  for (size_t i = 0; i < n_docs; i++) {
    WgSpan sp = f->comments[first + i];
    WgStr s = { f->text.ptr + sp.start, sp.end - sp.start };
    if (starts_with(s, "/**")) {
      s.ptr += 3;
      s.len -= 3;
      if (s.len >= 2 && s.ptr[s.len - 2] == '*' && s.ptr[s.len - 1] == '/')
        s.len -= 2;
    } else {
      while (s.len && s.ptr[0] == '/') {
        s.ptr++;
        s.len--;
      }
    }
    docs[i] = trim_end(s);
  }
  size_t min_ws = SIZE_MAX;
  for (size_t i = 0; i < n_docs; i++) {
    if (!docs[i].len) continue;
    size_t k = 0;
    while (k < docs[i].len &&
           (docs[i].ptr[k] == ' ' || docs[i].ptr[k] == '\t' ||
            docs[i].ptr[k] == '\n' || docs[i].ptr[k] == '\r' ||
            docs[i].ptr[k] == '\f'))
      k++;
    if (k < min_ws) min_ws = k;
  }
  if (min_ws == SIZE_MAX) min_ws = 0;
  if (min_ws > 0) {
    for (size_t i = 0; i < n_docs; i++) {
      size_t k = 0;
      while (k < min_ws && k < docs[i].len && docs[i].ptr[k] == ' ')
        k++;
      if (k == min_ws) {
        docs[i].ptr += k;
        docs[i].len -= k;
      }
    }
  }
  WgArena *arena = &wit_internal(r)->arena;
  size_t total = 0;
  for (size_t i = 0; i < n_docs; i++)
    total += docs[i].len + 2;
  char *out = wg_arena_alloc(arena, total + 1);
  size_t len = 0;
  if (out) {
    for (size_t i = 0; i < n_docs; i++) {
      WgStr d = docs[i];
      if (!d.len) {
        out[len++] = '\n';
        continue;
      }
      size_t ls = 0;
      while (ls < d.len) {
        const char *nl = memchr(d.ptr + ls, '\n', d.len - ls);
        size_t le = nl ? (size_t)(nl - d.ptr) : d.len;
        size_t e = le;
        if (e > ls && d.ptr[e - 1] == '\r') e--;
        if (e > ls) memcpy(out + len, d.ptr + ls, e - ls);
        len += e - ls;
        out[len++] = '\n';
        ls = le + 1;
      }
    }
    while (len && out[len - 1] == '\n')
      len--;
    out[len] = '\0';
  }
  if (docs != few) free(docs);
  return (WgWitDocs){ out ? out : "", out ? len : 0 };
}
