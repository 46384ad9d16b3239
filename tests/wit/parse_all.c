/* SPDX-License-Identifier: Apache-2.0 */
/* Grammar coverage check: parses every `.wit` file under the given folders
 * with the WIT grammar and reports those whose tree has ERROR or MISSING
 * nodes, with the first error's line and column. Folders named on the
 * command line after `--fail` hold files expected to have syntax errors
 * somewhere (they are only parsed, to prove the parser copes).
 * Prints `N parsed cleanly, M with errors`; exit 1 when M > 0. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "witgen/wit_grammar.h"

static int clean, broken;

static bool first_error(TSNode node, TSPoint *at) {
  if (ts_node_is_missing(node) || strcmp(ts_node_type(node), "ERROR") == 0) {
    *at = ts_node_start_point(node);
    return true;
  }
  if (!ts_node_has_error(node)) return false;
  uint32_t n = ts_node_child_count(node);
  for (uint32_t i = 0; i < n; i++) {
    if (first_error(ts_node_child(node, i), at)) return true;
  }
  *at = ts_node_start_point(node);
  return true;
}

static void parse_file(TSParser *parser, const char *path, bool expect_clean) {
  uint8_t *text = NULL;
  size_t len = 0;
  if (wg_file_read(path, &text, &len) != WG_OK) {
    printf("cannot read %s\n", path);
    broken++;
    return;
  }
  TSTree *tree =
      ts_parser_parse_string(parser, NULL, (const char *)text, (uint32_t)len);
  TSPoint at;
  bool has_error = first_error(ts_tree_root_node(tree), &at);
  if (expect_clean) {
    if (has_error) {
      printf("syntax error: %s:%u:%u\n", path, at.row + 1, at.column + 1);
      broken++;
    } else {
      clean++;
    }
  }
  ts_tree_delete(tree);
  free(text);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(TSParser *parser, const char *dir, bool expect_clean) {
  DIR *d = opendir(dir);
  if (!d) {
    parse_file(parser, dir, expect_clean);
    return;
  }
  char **names = NULL;
  size_t count = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    names = realloc(names, (count + 1) * sizeof *names);
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    names[count] = malloc(n);
    snprintf(names[count++], n, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof *names, by_name);
  for (size_t i = 0; i < count; i++) {
    struct stat st;
    const char *base = strrchr(names[i], '/') + 1;
    if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      /* failing cases are named after `--fail`, never walked as clean */
      if (!expect_clean || strcmp(base, "parse-fail") != 0) {
        walk(parser, names[i], expect_clean);
      }
    } else {
      size_t n = strlen(names[i]);
      if (n > 4 && strcmp(names[i] + n - 4, ".wit") == 0) {
        parse_file(parser, names[i], expect_clean);
      }
    }
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_wit());
  bool expect_clean = true;
  if (argc == 3 && strcmp(argv[1], "--print") == 0) { /* debugging aid */
    uint8_t *text = NULL;
    size_t len = 0;
    if (wg_file_read(argv[2], &text, &len) != WG_OK) return 1;
    TSTree *tree =
        ts_parser_parse_string(parser, NULL, (const char *)text, (uint32_t)len);
    char *sexp = ts_node_string(ts_tree_root_node(tree));
    puts(sexp);
    free(sexp);
    ts_tree_delete(tree);
    ts_parser_delete(parser);
    free(text);
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--fail") == 0) {
      expect_clean = false;
      continue;
    }
    walk(parser, argv[i], expect_clean);
  }
  ts_parser_delete(parser);
  printf("wit grammar: %d parsed cleanly, %d with errors\n", clean, broken);
  return broken == 0 && clean > 0 ? 0 : 1;
}
