/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the printers (core_print.c, instr_print.c, comp_print.c):
 * a bounds-checked binary reader, text output helpers and the printed
 * identifiers of index spaces, in the layout wasm-tools prints. */
#ifndef WG_TEXT_PRINT_H
#define WG_TEXT_PRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "strbuf.h"
#include "witgen/common.h"

/* Section: Reading */

typedef struct PrReader {
  const uint8_t *base; /* start of the whole binary (for offsets) */
  const uint8_t *pos;
  const uint8_t *end;
  bool failed; /* sticky: a read went past the end or was malformed */
  const char *error;
  size_t error_offset;
} PrReader;

bool pr_fail(PrReader *r, const char *msg);
uint8_t pr_u8(PrReader *r);
uint32_t pr_u32(PrReader *r);
uint64_t pr_u64(PrReader *r);
int32_t pr_s32(PrReader *r);
int64_t pr_s64(PrReader *r);
int64_t pr_s33(PrReader *r);
/* A length-prefixed byte string (not checked for UTF-8). */
WgStr pr_name(PrReader *r);
/* `n` raw bytes (NULL when past the end). */
const uint8_t *pr_bytes(PrReader *r, size_t n);
static inline bool pr_at_end(const PrReader *r) {
  return r->pos >= r->end;
}

/* Section: Output */

/* Appends a string literal: printable ASCII other than `"` and `\` as is;
 * for names (valid UTF-8) every other character as \u{hex}, for data every
 * other byte as \hh (what wasm-tools prints). */
void pr_name_str(WgBuf *out, WgStr s);
void pr_data_str(WgBuf *out, const uint8_t *bytes, size_t len);
void pr_indent(WgBuf *out, int level);
/* A decimal number (no printf: the printer's hot path). */
void pr_udec(WgBuf *out, uint64_t v);
void pr_sdec(WgBuf *out, int64_t v);
/* ` N`: a space, then the number. */
static inline void pr_sp_udec(WgBuf *out, uint64_t v) {
  wg_buf_putc(out, ' ');
  pr_udec(out, v);
}
/* f32 / f64 constants: hex float plus a decimal comment, as wasm-tools. */
void pr_f32(WgBuf *out, uint32_t bits);
void pr_f64(WgBuf *out, uint64_t bits);
/* A value type byte (i32 ... externref); unknown bytes as `(;0xNN;)`. */
const char *pr_valtype_name(uint8_t b);

/* Section: Identifiers */

/* The printed identifiers of one index space: for each index either
 * nothing (printed by number), `$name`, `$"name"`, or, for a name that is
 * empty or taken, `$"#kindN name"` with `(@name "name")` at the
 * definition. */
typedef struct PrIds {
  uint32_t count;
  WgStr *names;     /* NULL ptr: no name */
  uint8_t *forms;   /* 0 none, 1 plain $id, 2 quoted, 3 renamed */
  const char *kind; /* "func", "type", ... for renamed ids */
} PrIds;

/* Builds the ids of `count` indices from (index, name) pairs (the order of
 * a name section: the first holder of a name keeps it). */
bool pr_ids_init(PrIds *ids, WgArena *arena, const char *kind, uint32_t count,
                 const uint32_t *indices, const WgStr *names, size_t n);
/* True when index `index` has a name. */
static inline bool pr_ids_has(const PrIds *ids, uint32_t index) {
  return index < ids->count && ids->forms && ids->forms[index];
}
/* Prints ` $id` for a reference (nothing printed and false when the index
 * has no name). */
bool pr_ids_ref(WgBuf *out, const PrIds *ids, uint32_t index);
/* Prints the reference to index `index`: its id or its number. */
void pr_ids_use(WgBuf *out, const PrIds *ids, uint32_t index);
/* Prints ` $id (@name "...")?` for a definition (nothing when unnamed). */
void pr_ids_def(WgBuf *out, const PrIds *ids, uint32_t index);

/* Section: Core modules (core_print.c, instr_print.c) */

/* One function type of the type section. */
typedef struct PrFuncType {
  bool is_func;
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
} PrFuncType;

/* (index, name) of an indirect name map (locals, labels). */
typedef struct PrAssoc {
  uint32_t func, index;
  WgStr name;
} PrAssoc;

typedef struct PrCore {
  WgBuf *out;
  WgArena *arena;
  int indent; /* of the module's fields */
  PrFuncType *types;
  uint32_t ntypes;
  uint32_t *func_types; /* type index of every function */
  uint32_t nfuncs, nfunc_imports, ntables, nmems, nglobals, nelems, ndatas;
  PrIds func_ids, type_ids, table_ids, mem_ids, global_ids, elem_ids, data_ids;
  PrAssoc *locals, *labels;
  size_t nlocals, nlabels;
} PrCore;

/* Prints the body of function `func` (after its locals) from `r` up to the
 * function's end: one instruction a line at `indent`. `local_ids` names
 * its locals. False on a malformed body (r->failed). */
bool pr_code(const PrCore *c, PrReader *r, uint32_t func, int indent,
             const PrIds *local_ids);

/* Prints a constant expression up to its `end` on the current line (each
 * instruction after a space); *count (may be NULL) receives the number of
 * instructions. */
bool pr_const_expr(const PrCore *c, PrReader *r, int *count);

/* Prints the core module `bytes` with its fields at nesting `indent` + 1,
 * starting with `(` + `head` and ending with `)` (no newline). A NULL
 * `head` prints `module` and the module's own name. On a malformed module
 * reports the error in `diags` at its offset plus `base` (the module's
 * offset in an enclosing binary) and returns false. */
bool pr_core_module(WgBuf *out, const uint8_t *bytes, size_t len, int indent,
                    const char *head, WgDiagList *diags, size_t base);

/* Section: Components (comp_print.c) */

/* Prints the component `bytes` like pr_core_module() prints a module; a
 * NULL `head` prints `component` and the component's own name. */
bool pr_component(WgBuf *out, const uint8_t *bytes, size_t len, int indent,
                  const char *head, WgDiagList *diags, size_t base);

#endif
