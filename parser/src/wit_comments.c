/* SPDX-License-Identifier: Apache-2.0 */
/* Comments of a WIT file, found before parsing (see wit_comments.h).
 *
 * Two thirds of the WASI sources are `///` comments, and tree-sitter reads
 * every one of them a character at a time through the external scanner
 * (wit/src/scanner.c), about 90 instructions per byte. Comments are extras
 * the parse never needs, so runs of comments are cut out of the text
 * tree-sitter reads (its included ranges) and their spans are kept here for
 * doc comments. The scan mirrors the grammar's lexing exactly: a comment
 * starts at `//` or `/ *` outside string literals and other comments, block
 * comments nest, a line comment ends before the newline. A run is cut only
 * with white space (or either end of the text) beside it, so the tokens on
 * its two sides stay apart; a line comment is always followed by a newline.
 * When every comment is cut, the text is parsed with the scanner switched
 * off (tree_sitter_wit_without_comments), which then reads white space
 * once instead of twice. */
#include "wit_comments.h"

#include <stdlib.h>
#include <string.h>

typedef struct Scan {
  const char *s;
  uint32_t n, i;
  uint32_t row, line_start; /* of byte i */
  WitCommentScan *out;
  WgArena *arena;
  uint32_t kept_from; /* start of the range being kept */
  TSPoint kept_point;
  bool ok;
} Scan;

static bool push_range(Scan *sc, uint32_t end, TSPoint end_point) {
  WitCommentScan *o = sc->out;
  if (end == sc->kept_from) return true; /* nothing kept before the cut */
  if (o->range_count == o->range_cap) {
    size_t cap = o->range_cap ? o->range_cap * 2 : 16;
    TSRange *r = realloc(o->ranges, cap * sizeof *r);
    if (!r) return false;
    o->ranges = r;
    o->range_cap = cap;
  }
  o->ranges[o->range_count++] =
      (TSRange){ sc->kept_point, end_point, sc->kept_from, end };
  return true;
}

static bool push_comment(Scan *sc, uint32_t start, uint32_t end) {
  return WIT_PUSH(sc->arena, &sc->out->comments,
                  ((WgSpan){ sc->out->file, start, end }));
}

static TSPoint point_of(const Scan *sc, uint32_t byte) {
  return (TSPoint){ sc->row, byte - sc->line_start };
}

/* After a `"`: the grammar's string token, `"` ([^"\\\n] | \\[^\n])* `"`.
 * An unterminated string is left to the parser (it is an error anyway);
 * the scan goes on after it without cutting anything out of its line. */
static void skip_string(Scan *sc) {
  const char *s = sc->s;
  uint32_t i = sc->i + 1;
  while (i < sc->n && s[i] != '"' && s[i] != '\n') {
    if (s[i] == '\\' && i + 1 < sc->n && s[i + 1] != '\n') i++;
    i++;
  }
  if (i < sc->n && s[i] == '"') {
    sc->i = i + 1;
    return;
  }
  /* unterminated: skip to the end of the line, where no comment can hide
   * an error the parser would have reported */
  sc->i = i;
}

/* After `/ *`: a nested block comment, as the external scanner reads it.
 * False when it is not terminated (the rest of the text). */
static bool block_comment(Scan *sc) {
  const char *s = sc->s;
  uint32_t start = sc->i, n = sc->n, i = sc->i + 2;
  if (i < n && s[i] == '*') {
    i++;
    if (i < n && s[i] == '/') { /* the empty block comment */
      sc->i = i + 1;
      sc->ok = sc->ok && push_comment(sc, start, sc->i);
      return true;
    }
  }
  unsigned depth = 1;
  while (i < n) {
    char c = s[i++];
    if (c == '\n') {
      sc->row++;
      sc->line_start = i;
    } else if (c == '*' && i < n && s[i] == '/') {
      i++;
      if (--depth == 0) {
        sc->i = i;
        sc->ok = sc->ok && push_comment(sc, start, i);
        return true;
      }
    } else if (c == '/' && i < n && s[i] == '*') {
      i++;
      depth++;
    }
  }
  sc->i = n; /* one error token to the end, left to the parser */
  return false;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool at_comment(const Scan *sc, uint32_t i) {
  return i + 1 < sc->n && sc->s[i] == '/' &&
         (sc->s[i + 1] == '/' || sc->s[i + 1] == '*');
}

/* At a comment: the run of comments separated only by white space. It is
 * cut out when white space (or the start or end of the text) stays next to
 * it, so the tokens on its two sides cannot join; a line comment always
 * ends at a newline. */
static void comment_run(Scan *sc) {
  const char *s = sc->s;
  uint32_t n = sc->n;
  uint32_t cut = sc->i;
  TSPoint cut_point = point_of(sc, cut);
  for (;;) {
    if (s[sc->i + 1] == '/') {
      const char *nl = memchr(s + sc->i, '\n', n - sc->i);
      uint32_t end = nl ? (uint32_t)(nl - s) : n;
      sc->ok = sc->ok && push_comment(sc, sc->i, end);
      sc->i = end;
    } else if (!block_comment(sc)) {
      sc->out->is_comment_free = false;
      return;
    }
    uint32_t j = sc->i, row = sc->row, line_start = sc->line_start;
    while (j < n && is_space(s[j])) {
      if (s[j] == '\n') {
        row++;
        line_start = j + 1;
      }
      j++;
    }
    if (!at_comment(sc, j)) break;
    sc->i = j;
    sc->row = row;
    sc->line_start = line_start;
  }
  uint32_t end = sc->i;
  if (!(cut == 0 || is_space(s[cut - 1]) || end == n || is_space(s[end]))) {
    sc->out->is_comment_free = false; /* a comment between two tokens */
    return;
  }
  sc->ok = sc->ok && push_range(sc, cut, cut_point);
  sc->out->has_cut = true;
  sc->kept_from = end;
  sc->kept_point = point_of(sc, end);
}

bool wit_comments_scan(WgArena *arena, uint32_t file, WgStr text,
                       WitCommentScan *out) {
  memset(out, 0, sizeof *out);
  out->file = file;
  out->is_comment_free = true;
  Scan sc = { text.ptr, (uint32_t)text.len, 0,   0, 0, out, arena,
              0,        { 0, 0 },           true };
  const char *s = text.ptr;
  while (sc.i < sc.n && sc.ok) {
    char c = s[sc.i];
    if (c == '\n') {
      sc.row++;
      sc.line_start = ++sc.i;
    } else if (c == '"') {
      skip_string(&sc);
    } else if (c == '/' && at_comment(&sc, sc.i)) {
      comment_run(&sc);
    } else if ((unsigned char)c >= 0x80) {
      /* Outside comments and strings only white space the external scanner
       * skips may sit between a token and a comment; beyond ASCII the
       * tokenizer may see white space the scanner does not, so this file
       * is parsed whole. */
      out->is_exact = false;
      out->is_comment_free = false;
      out->has_cut = false;
      out->range_count = 0;
      out->comments.count = 0;
      return true;
    } else {
      sc.i++;
    }
  }
  if (!sc.ok) {
    free(out->ranges);
    out->ranges = NULL;
    return false;
  }
  out->is_exact = true;
  if (!out->has_cut) return true; /* nothing cut: parse it whole */
  if (!push_range(&sc, UINT32_MAX, (TSPoint){ UINT32_MAX, UINT32_MAX })) {
    free(out->ranges);
    out->ranges = NULL;
    return false;
  }
  return true;
}

void wit_comments_release(WitCommentScan *scan) {
  free(scan->ranges);
  scan->ranges = NULL;
  scan->range_count = scan->range_cap = 0;
}
