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
#include <stdint.h>
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

/* Section: Parse table
 * Read access to the grammar's LR table, for diagnosis of syntax errors
 * (which tokens a parse state accepts). libtree-sitter 0.20.7 has neither
 * lookahead iterators nor ts_language_next_state, so the table of the
 * generated parser is read here, where its layout is known. Parsing starts
 * in state WG_WIT_START_STATE. All functions are pure and thread-safe. */

/** The state a parse starts in. */
#define WG_WIT_START_STATE 1

/** What the table says to do on a token. */
typedef enum WgWitActionKind {
  WG_WIT_ACTION_NONE,   /**< the token is a syntax error in this state */
  WG_WIT_ACTION_SHIFT,  /**< push `state` */
  WG_WIT_ACTION_REDUCE, /**< pop `child_count` states, then go to the state
                             wg_wit_grammar_goto() gives for `symbol` */
  WG_WIT_ACTION_ACCEPT, /**< the input is complete */
} WgWitActionKind;

typedef struct WgWitAction {
  WgWitActionKind kind;
  uint16_t state;      /**< SHIFT: the next state */
  TSSymbol symbol;     /**< REDUCE: the rule's symbol */
  uint8_t child_count; /**< REDUCE: states to pop */
} WgWitAction;

/**
 * The action for terminal `token` in `state`, as tree-sitter's parser
 * takes it: where the table holds a reduction and a repetition shift (the
 * only ambiguity the generated table has), the reduction. Out-of-range
 * arguments give WG_WIT_ACTION_NONE.
 */
WgWitAction wg_wit_grammar_action(uint16_t state, TSSymbol token);

/** The state after nonterminal `symbol` in `state` (0: none). */
uint16_t wg_wit_grammar_goto(uint16_t state, TSSymbol symbol);

/** Number of terminal symbols (tokens are 0, the end, up to this, exclusive;
 * extras and external tokens included). */
uint32_t wg_wit_grammar_token_count(void);

#endif
