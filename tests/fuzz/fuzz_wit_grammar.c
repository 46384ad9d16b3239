/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of the WIT grammar (tree-sitter's generated parser plus
 * our comment scanner): any byte string must parse into a tree that can be
 * walked, printed and deleted, and every byte range the tree reports must
 * lie inside the input. Crashes, hangs, leaks and sanitizer reports are
 * bugs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "witgen/wit_grammar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(TSTree *tree, size_t size) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    if (start > end || end > size) abort();
    (void)ts_tree_cursor_current_field_name(&cursor);
    (void)ts_node_type(node);
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return;
      }
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > UINT32_MAX) return 0;
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_wit());
  TSTree *tree =
      ts_parser_parse_string(parser, NULL, (const char *)data, (uint32_t)size);
  if (!tree) abort();
  walk(tree, size);
  if (size < 4096) { /* printing is recursive: keep it for small inputs */
    char *sexp = ts_node_string(ts_tree_root_node(tree));
    free(sexp);
  }
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  return 0;
}
