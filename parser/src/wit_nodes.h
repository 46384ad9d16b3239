/* SPDX-License-Identifier: Apache-2.0 */
/* The grammar's node kinds and field names as small integers. Comparing
 * node type strings (ts_node_type + strcmp) and looking fields up by name
 * (a linear strcmp over all field names per call) cost more than the rest of
 * lowering; these tables are filled once from the language by name. */
#ifndef WG_PARSER_WIT_NODES_H
#define WG_PARSER_WIT_NODES_H

#include <stdint.h>
#include <tree_sitter/api.h>

/* Every node kind the front-end tests for, by its grammar name. */
#define WIT_NODE_KINDS(X)               \
  X(COMMENT, "comment")                 \
  X(DOC_COMMENT, "doc_comment")         \
  X(IDENTIFIER, "identifier")           \
  X(VERSION, "version")                 \
  X(STRING, "string")                   \
  X(INTEGER, "integer")                 \
  X(PACKAGE_NAME, "package_name")       \
  X(NESTED_PACKAGE, "nested_package")   \
  X(TOPLEVEL_USE, "toplevel_use")       \
  X(INTERFACE_ITEM, "interface_item")   \
  X(WORLD_ITEM, "world_item")           \
  X(USE_ITEM, "use_item")               \
  X(USE_NAME, "use_name")               \
  X(IMPORT_ITEM, "import_item")         \
  X(EXPORT_ITEM, "export_item")         \
  X(INCLUDE_ITEM, "include_item")       \
  X(INCLUDE_NAME, "include_name")       \
  X(SINCE_GATE, "since_gate")           \
  X(UNSTABLE_GATE, "unstable_gate")     \
  X(DEPRECATED_GATE, "deprecated_gate") \
  X(EXTERNAL_ID, "external_id")         \
  X(TYPE_ITEM, "type_item")             \
  X(RECORD_ITEM, "record_item")         \
  X(FLAGS_ITEM, "flags_item")           \
  X(VARIANT_ITEM, "variant_item")       \
  X(ENUM_ITEM, "enum_item")             \
  X(RESOURCE_ITEM, "resource_item")     \
  X(RECORD_FIELD, "record_field")       \
  X(FLAG, "flag")                       \
  X(VARIANT_CASE, "variant_case")       \
  X(ENUM_CASE, "enum_case")             \
  X(FUNC_ITEM, "func_item")             \
  X(STATIC_FUNC, "static_func")         \
  X(CONSTRUCTOR, "constructor")         \
  X(NAMED_TYPE, "named_type")           \
  X(TUPLE_TYPE, "tuple_type")           \
  X(LIST_TYPE, "list_type")             \
  X(MAP_TYPE, "map_type")               \
  X(OPTION_TYPE, "option_type")         \
  X(RESULT_TYPE, "result_type")         \
  X(FUTURE_TYPE, "future_type")         \
  X(STREAM_TYPE, "stream_type")         \
  X(PRIMITIVE_TYPE, "primitive_type")   \
  X(NAMED_TYPE_REF, "named_type_ref")   \
  X(HANDLE_TYPE, "handle_type")

/* Every field name the front-end reads. */
#define WIT_FIELD_NAMES(X)  \
  X(ALIAS, "alias")         \
  X(ASYNC, "async")         \
  X(BODY, "body")           \
  X(ELEMENT, "element")     \
  X(ERR, "err")             \
  X(FEATURE, "feature")     \
  X(FUNC, "func")           \
  X(ID, "id")               \
  X(INTERFACE, "interface") \
  X(KEY, "key")             \
  X(KIND, "kind")           \
  X(LENGTH, "length")       \
  X(NAME, "name")           \
  X(NAMESPACE, "namespace") \
  X(OK, "ok")               \
  X(PACKAGE, "package")     \
  X(PARAMS, "params")       \
  X(PATH, "path")           \
  X(PAYLOAD, "payload")     \
  X(RESOURCE, "resource")   \
  X(RESULT, "result")       \
  X(TYPE, "type")           \
  X(VALUE, "value")         \
  X(VERSION, "version")

typedef enum WitKind {
  WIT_KIND_OTHER = 0, /* a kind not listed above */
  WIT_KIND_ERROR,     /* tree-sitter's ERROR node */
#define WIT_KIND_ENUM_(id, name) WIT_KIND_##id,
  WIT_NODE_KINDS(WIT_KIND_ENUM_)
#undef WIT_KIND_ENUM_
      WIT_KIND_COUNT
} WitKind;

typedef enum WitFieldName {
#define WIT_FIELD_ENUM_(id, name) WIT_FIELD_##id,
  WIT_FIELD_NAMES(WIT_FIELD_ENUM_)
#undef WIT_FIELD_ENUM_
      WIT_FIELD_COUNT
} WitFieldName;

/* Largest grammar symbol id the kind table covers. */
#define WIT_MAX_SYMBOLS 1024

/* Largest grammar field id the field table covers. */
#define WIT_MAX_FIELDS 256

extern uint8_t wit_kind_of_symbol[WIT_MAX_SYMBOLS];
/* WitFieldName + 1 of a grammar field id; 0 for fields not listed. */
extern uint8_t wit_field_of_id[WIT_MAX_FIELDS];

/* Fills the tables (once per process; thread-safe). Called before any tree
 * is parsed. */
void wit_nodes_init(void);

/* Grammar name of a kind ("" for WIT_KIND_OTHER). */
const char *wit_kind_name(WitKind k);

/* Kind of a tree-sitter node (by name, as ts_node_type would give). */
static inline WitKind wit_ts_kind(TSNode n) {
  if (ts_node_is_null(n)) return WIT_KIND_OTHER;
  TSSymbol s = ts_node_symbol(n);
  if (s == (TSSymbol)-1) return WIT_KIND_ERROR;
  return s < WIT_MAX_SYMBOLS ? (WitKind)wit_kind_of_symbol[s] : WIT_KIND_OTHER;
}

#endif
