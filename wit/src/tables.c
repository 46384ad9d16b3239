/* SPDX-License-Identifier: Apache-2.0 */
/* Read access to the LR table of the generated parser (parser.c, ABI 14),
 * laid out as tree-sitter's lib/src/language.h reads it: states below
 * large_state_count have a full row per symbol, the others a list of
 * (value, symbols...) groups. For a terminal the value indexes the action
 * list; for a nonterminal it is the next state. */
#include "tree_sitter/parser.h"
#include "witgen/wit_grammar.h"

static uint16_t lookup(const TSLanguage *l, TSStateId state, TSSymbol sym) {
  if (state >= l->state_count || sym >= l->symbol_count) return 0;
  if (state < l->large_state_count)
    return l->parse_table[(size_t)state * l->symbol_count + sym];
  const uint16_t *data =
      &l->small_parse_table[l->small_parse_table_map[state -
                                                     l->large_state_count]];
  uint16_t groups = *data++;
  for (uint16_t g = 0; g < groups; g++) {
    uint16_t value = *data++, count = *data++;
    for (uint16_t i = 0; i < count; i++)
      if (data[i] == sym) return value;
    data += count;
  }
  return 0;
}

WgWitAction wg_wit_grammar_action(uint16_t state, TSSymbol token) {
  const TSLanguage *l = tree_sitter_wit();
  WgWitAction out = { WG_WIT_ACTION_NONE, 0, 0, 0 };
  if (token >= l->token_count) return out;
  const TSParseActionEntry *e = &l->parse_actions[lookup(l, state, token)];
  uint8_t count = e->entry.count;
  for (uint8_t i = 1; i <= count; i++) {
    const TSParseAction *a = &e[i].action;
    switch (a->type) {
      case TSParseActionTypeReduce:
        out.kind = WG_WIT_ACTION_REDUCE;
        out.symbol = a->reduce.symbol;
        out.child_count = a->reduce.child_count;
        return out; /* taken before any repetition shift */
      case TSParseActionTypeShift:
        if (a->shift.repetition || a->shift.extra) break;
        out.kind = WG_WIT_ACTION_SHIFT;
        out.state = a->shift.state;
        break;
      case TSParseActionTypeAccept:
        if (out.kind == WG_WIT_ACTION_NONE) out.kind = WG_WIT_ACTION_ACCEPT;
        break;
      default: /* recover: an error */
        break;
    }
  }
  return out;
}

uint16_t wg_wit_grammar_goto(uint16_t state, TSSymbol symbol) {
  const TSLanguage *l = tree_sitter_wit();
  if (symbol < l->token_count) return 0;
  return lookup(l, state, symbol);
}

uint32_t wg_wit_grammar_token_count(void) {
  return tree_sitter_wit()->token_count;
}
