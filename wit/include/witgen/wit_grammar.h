/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/wit_grammar.h
 * The tree-sitter language of WIT (wit/grammar.js). Node types and fields
 * are listed in wit/NODES.md. Internal to witgen's layers and its tests.
 */
#ifndef WITGEN_WIT_GRAMMAR_H
#define WITGEN_WIT_GRAMMAR_H

#include <tree_sitter/api.h>

/** The WIT language for ts_parser_set_language(). Static storage. */
const TSLanguage *tree_sitter_wit(void);

#endif
