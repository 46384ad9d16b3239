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

/* Fills the tables of this module and of wit_lex.c (cheap after the first
 * call; thread-safe). Call before wit_lex_is_keyword(). */
void wit_syntax_init(void);

/* True when wit-parser would not read bytes [start, end) of `text`, a
 * version the grammar accepts, as one version (its tokens end it earlier:
 * `1.0.0-a+type` stops before the keyword) or rejects it as semver does. */
bool wit_syntax_version_differs(WgStr text, uint32_t start, uint32_t end);

#endif
