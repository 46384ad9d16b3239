/* SPDX-License-Identifier: Apache-2.0 */
/* Syntax errors worded and placed as wit-parser reports them ("expected
 * '>', found keyword `type`", at the offending token). The tree-sitter
 * parse of a file says whether it has syntax errors; what was expected and
 * where comes from re-reading the file with a tokenizer that splits text as
 * wit-parser's does, driving the grammar's own LR table (wit/src/tables.c):
 * the first token the table rejects is the error, and the tokens the table
 * accepts in that state are what was expected. Only files with errors are
 * re-read. */
#ifndef WG_PARSER_WIT_SYNTAX_H
#define WG_PARSER_WIT_SYNTAX_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "witgen/common.h"

#define WIT_SYNTAX_MESSAGE_MAX 256

/* One syntax error: byte range in the file and its message. */
typedef struct WitSyntaxError {
  uint32_t start, end;
  char message[WIT_SYNTAX_MESSAGE_MAX];
} WitSyntaxError;

/* The first syntax or lexical error of `text` as wit-parser reports it
 * (one per file), into `out`. False when the text has none the LR table or
 * the tokenizer can see (or memory ran out); `out` is then unchanged. */
bool wit_syntax_first_error(WgStr text, WitSyntaxError *out);

/* Receives one error of wit_syntax_tree_errors(). */
typedef void (*WitSyntaxEmit)(void *ud, const WitSyntaxError *e);

/* For `--all-errors`: calls `emit`, in text order, once for every ERROR
 * and MISSING node of `root` (the tree-sitter tree of `text`) with what the
 * parse state at that node expected and the token found there. */
void wit_syntax_tree_errors(WgStr text, TSNode root, WitSyntaxEmit emit,
                            void *ud);

/* wit-parser's identifier rule on token `id` (a leading `%` allowed) at
 * byte `start`: false when valid, else true with the error in `out`. */
bool wit_syntax_check_id(WgStr id, uint32_t start, WitSyntaxError *out);

/* Fills the tables of this module; call before the two below (cheap after
 * the first call; thread-safe). */
void wit_syntax_init(void);

/* True when the `n` bytes at `p` spell one of wit-parser's keywords (which
 * it never reads as a name). Needs wit_syntax_init(). */
bool wit_syntax_is_keyword(const char *p, size_t n);

/* True when wit-parser would not read bytes [start, end) of `text`, a
 * version the grammar accepts, as one version (its tokens end it earlier:
 * `1.0.0-a+type` stops before the keyword) or rejects it as semver does. */
bool wit_syntax_version_differs(WgStr text, uint32_t start, uint32_t end);

/* Message for a bare keyword where a name is expected ("expected an
 * identifier or string, found keyword `u32`") into `out`. */
void wit_syntax_keyword_error(WgStr word, uint32_t start, WitSyntaxError *out);

#endif
