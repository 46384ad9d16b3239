/* SPDX-License-Identifier: Apache-2.0 */
/* Comments of a WIT file, found by a byte scan before parsing: their spans
 * (for doc comments) and the ranges tree-sitter reads, which leave runs of
 * line comments out so the parser does not scan them a character at a
 * time. */
#ifndef WG_PARSER_WIT_COMMENTS_H
#define WG_PARSER_WIT_COMMENTS_H

#include "wit_internal.h"

typedef struct WitCommentScan {
  uint32_t file;
  /* False when the file has bytes beyond ASCII outside comments and strings:
   * then `comments` is empty, there are no ranges, and the comments must be
   * taken from the syntax tree. */
  bool is_exact;
  WG_WIT_ARRAY(WgSpan) comments; /* every comment in order (arena) */
  TSRange *ranges; /* for ts_parser_set_included_ranges; NULL: all */
  size_t range_count, range_cap;
  bool has_cut;
  /* True when the ranges leave no comment (nor an unterminated one). */
  bool is_comment_free;
} WitCommentScan;

/* Scans `text` (of diagnostics file `file`); the comment list goes into
 * `arena`. False on out-of-memory. Release with wit_comments_release(). */
bool wit_comments_scan(WgArena *arena, uint32_t file, WgStr text,
                       WitCommentScan *out);
void wit_comments_release(WitCommentScan *scan);

#endif
