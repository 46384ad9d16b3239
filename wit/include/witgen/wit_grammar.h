/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/wit_grammar.h
 * The tree-sitter language of WIT (wit/grammar.js). Node types and fields
 * are listed in wit/NODES.md. Internal to witgen's layers and its tests.
 */
#ifndef WITGEN_WIT_GRAMMAR_H
#define WITGEN_WIT_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

/**
 * The WIT language for ts_parser_set_language() (ABI 14, loaded by
 * libtree-sitter 0.20.7 and later). Static storage: never freed.
 */
const TSLanguage *tree_sitter_wit(void);

/**
 * The same language for text known to hold no comments (`//`, `/ *`): its
 * external scanner, which only reads comments, never matches, so white space
 * is read once. Trees are those tree_sitter_wit() gives for the same text;
 * a comment left in the text is a syntax error. Static storage; thread-safe.
 */
const TSLanguage *tree_sitter_wit_without_comments(void);

/**
 * True when the `len` bytes at `text` (not NUL-terminated; NULL allowed when
 * `len` is 0) spell a WIT keyword, such as `type`, `u32` or `from`. The
 * grammar's keywords are contextual: where the parse state expects only a
 * name, a bare keyword is lexed as an `identifier`, so a front end must reject
 * every bare `identifier` whose text passes this test (the `%`-escaped form,
 * e.g. `%type`, is always a name). Pure; thread-safe.
 */
bool wg_wit_is_keyword(const char *text, size_t len);

#endif
