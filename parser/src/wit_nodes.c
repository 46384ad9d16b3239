/* SPDX-License-Identifier: Apache-2.0 */
/* Node kind and field id tables of the WIT grammar (see wit_nodes.h). */
#include "wit_nodes.h"

#include <pthread.h>
#include <string.h>

#include "witgen/wit_grammar.h"

uint8_t wit_kind_of_symbol[WIT_MAX_SYMBOLS];
uint8_t wit_field_of_id[WIT_MAX_FIELDS];

static const char *const kind_names[WIT_KIND_COUNT] = {
  [WIT_KIND_OTHER] = "",
  [WIT_KIND_ERROR] = "ERROR",
#define WIT_KIND_NAME_(id, name) [WIT_KIND_##id] = name,
  WIT_NODE_KINDS(WIT_KIND_NAME_)
#undef WIT_KIND_NAME_
};

static const char *const field_names[WIT_FIELD_COUNT] = {
#define WIT_FIELD_NAME_(id, name) [WIT_FIELD_##id] = name,
  WIT_FIELD_NAMES(WIT_FIELD_NAME_)
#undef WIT_FIELD_NAME_
};

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void fill(void) {
  const TSLanguage *lang = tree_sitter_wit();
  /* By name over every symbol, named or not, so aliases and a token
   * spelled like a rule (`version`) match exactly as strcmp did. */
  uint32_t count = ts_language_symbol_count(lang);
  for (uint32_t s = 0; s < count && s < WIT_MAX_SYMBOLS; s++) {
    const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
    if (!name) continue;
    for (int k = WIT_KIND_ERROR + 1; k < WIT_KIND_COUNT; k++)
      if (strcmp(name, kind_names[k]) == 0) {
        wit_kind_of_symbol[s] = (uint8_t)k;
        break;
      }
  }
  for (int f = 0; f < WIT_FIELD_COUNT; f++) {
    TSFieldId id = ts_language_field_id_for_name(
        lang, field_names[f], (uint32_t)strlen(field_names[f]));
    if (id && id < WIT_MAX_FIELDS) wit_field_of_id[id] = (uint8_t)(f + 1);
  }
}

const char *wit_kind_name(WitKind k) {
  return k < WIT_KIND_COUNT ? kind_names[k] : "";
}

void wit_nodes_init(void) {
  pthread_once(&once, fill);
}
