/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the core-module text parser: the module being encoded, shared
 * by core_parse.c (module fields, sections, names) and core_instr.c
 * (instructions, function bodies, type uses). */
#ifndef WG_TEXT_CORE_H
#define WG_TEXT_CORE_H

#include "text.h"
#include "vec.h"

/* One index space: identifiers and the number of entries so far. */
typedef struct WatSpace {
  WatNames ids;
  uint32_t count;
} WatSpace;

/* A function type: value-type bytes, params then results. */
typedef struct WatFuncType {
  uint32_t nparams, nresults;
  const uint8_t *types;
} WatFuncType;

/* One (index, name) entry of the name section. */
typedef struct WatName {
  uint32_t index;
  WgStr name;
} WatName;

typedef WgVec(WatName) WatNameVec;

/* Names of one function's locals or labels: entries [first, first+count)
 * of a shared WatNameVec. */
typedef struct WatIndirect {
  uint32_t func;
  uint32_t first, count;
} WatIndirect;

/* A custom section from `(@custom "name" (before|after anchor)? "bytes"*)`.
 * `place` is -1 for "after last" (the default), else section id * 2 +
 * (after ? 1 : 0), where id 0 stands for "before first" and 13 for the tag
 * section. */
typedef struct WatCustom {
  WgStr name;
  WgBuf bytes;
  int place;
} WatCustom;

typedef struct WatCore {
  WatParser *p;
  WatSpace funcs, tables, mems, globals, elems, datas, types;
  /* every type: explicit ones, then those type uses added */
  WgVec(WatFuncType) ftypes;
  uint32_t explicit_types;
  WatNames sigs; /* signature bytes -> first type index with it */
  bool has_defs; /* a func/table/memory/global definition seen */
  const char *last_def;
  bool has_start;

  /* section bodies (without count) and counts */
  WgBuf sec_type, sec_import, sec_func, sec_table, sec_mem, sec_global,
      sec_export, sec_elem, sec_code, sec_data;
  uint32_t n_import, n_func, n_table, n_mem, n_global, n_export, n_elem, n_data;
  uint32_t start_func;
  bool needs_data_count;

  /* the name section */
  WgStr module_name;
  bool has_module_name;
  WatNameVec names_func, names_type, names_table, names_mem, names_global,
      names_elem, names_data, names_local, names_label;
  WgVec(WatIndirect) locals, labels;

  WgVec(WatCustom) customs;

  /* scratch for function bodies */
  WatNames local_ids;
  WgVec(WgStr) label_stack;
  uint32_t label_count; /* blocks seen in the current function */
  uint32_t func_index;  /* index of the function being encoded */
  uint32_t nlocals;     /* params + locals of that function */
} WatCore;

/* Section: core_instr.c */

/* Builds the instruction-name table (once per process). */
void wat_instr_init(void);

/* A value type at the current token (i32 ... externref, or a ref form);
 * returns its byte, 0 on error (reported). */
uint8_t wat_valtype(WatCore *m);

/* Parses a type use `(type x)? (param ...)* (result ...)*` into the type
 * index *out_type (a type is added when needed). When `param_ids` is
 * non-NULL (function definitions), param identifiers are allowed and added
 * to it with their local indices, and `(type x)` must name a known type.
 * *out_nparams (may be NULL) receives the number of params, UINT32_MAX
 * when unknown. */
bool wat_typeuse(WatCore *m, WatNames *param_ids, WatNameVec *param_names,
                 uint32_t *out_type, uint32_t *out_nparams);

/* Index of the type with these params/results, added when missing. */
bool wat_type_for(WatCore *m, const uint8_t *params, uint32_t np,
                  const uint8_t *results, uint32_t nr, uint32_t *out);

/* Encodes the body of the function at the current token (after its type
 * use): locals and instructions up to the closing paren, appended to
 * `out` as a code-section entry (size-prefixed). */
bool wat_func_body(WatCore *m, uint32_t nparams, WgBuf *out);

/* Encodes a constant expression: instructions up to the closing paren,
 * then `end`. */
bool wat_const_expr(WatCore *m, WgBuf *out);

/* Encodes one folded instruction `(op ...)` (elem item / offset sugar). */
bool wat_folded_expr(WatCore *m, WgBuf *out);

/* An index at the current token into `space` (number or id); `what` names
 * the space in errors ("function"). */
bool wat_index(WatCore *m, WatSpace *space, const char *what, uint32_t *out);

/* Section: core_parse.c */

/* Parses module fields from the current token to the closing paren (or the
 * end) and appends the binary to `out`. `module_name` may be empty. */
bool wat_core_module(WatParser *p, WgStr module_name, bool has_name,
                     WgBuf *out);

#endif
