/* SPDX-License-Identifier: Apache-2.0 */
/* Binary decoder of core WebAssembly 2.0 modules (spec: 5 Binary Format)
 * into the WgModule of witgen/core_module.h. Strict about malformed input,
 * with the reference interpreter's messages and its order of checks (see
 * decode_internal.h); validity is checked by validate.c. Function bodies
 * are scanned instruction by instruction here (opcodes and immediates by
 * the instruction reader, instr.c; block structure, decode_body.c) so that
 * malformed code is reported as malformed, and kept as byte spans for the
 * validator and the compiler. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "core/decode_internal.h"
#include "utf8.h"

#define MSG_EOS "unexpected end of section or function"

/* An implementation limit on the locals of one function (the format allows
 * up to 2^32 - 1); larger functions are rejected as "too many locals". */
#define MAX_LOCALS 50000

bool wg_dec_fail(WgDec *d, const char *fmt, ...) {
  if (d->failed) return false;
  d->failed = true;
  if (d->diags) {
    char message[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    wg_diag_list_add_at(d->diags, d->nomem ? WG_ERR_NOMEM : WG_ERR_MALFORMED,
                        (uint64_t)(d->p - d->base), "%s", message);
  }
  return false;
}

bool wg_dec_byte(WgDec *d, uint8_t *out) {
  *out = 0; /* defined even on failure (callers stop on false anyway) */
  if (d->p >= d->end) return wg_dec_fail(d, MSG_EOS);
  *out = *d->p++;
  return true;
}

/* LEB128 of at most `bits` bits, with the reference's messages (see
 * wg_read_uleb()). */
static bool dec_uleb(WgDec *d, int bits, uint64_t *out) {
  *out = 0;
  WgInstrStatus st = wg_read_uleb(&d->p, d->end, bits, out);
  return st == WG_INSTR_OK || wg_dec_fail(d, "%s", wg_instr_status_message(st));
}

static bool dec_sleb(WgDec *d, int bits, int64_t *out) {
  *out = 0;
  WgInstrStatus st = wg_read_sleb(&d->p, d->end, bits, out);
  return st == WG_INSTR_OK || wg_dec_fail(d, "%s", wg_instr_status_message(st));
}

bool wg_dec_u32(WgDec *d, uint32_t *out) {
  if (d->p < d->end && *d->p < 0x80) { /* one byte: the common case */
    *out = *d->p++;
    return true;
  }
  uint64_t v;
  bool ok = dec_uleb(d, 32, &v);
  *out = (uint32_t)v;
  return ok;
}

bool wg_dec_u64(WgDec *d, uint64_t *out) {
  return dec_uleb(d, 64, out);
}

bool wg_dec_s32(WgDec *d, int32_t *out) {
  int64_t v;
  bool ok = dec_sleb(d, 32, &v);
  *out = (int32_t)v;
  return ok;
}

bool wg_dec_s33(WgDec *d, int64_t *out) {
  return dec_sleb(d, 33, out);
}

bool wg_dec_s64(WgDec *d, int64_t *out) {
  return dec_sleb(d, 64, out);
}

bool wg_dec_len(WgDec *d, uint32_t *out) {
  const uint8_t *at = d->p;
  if (!wg_dec_u32(d, out)) return false;
  if (*out > (size_t)(d->end - at)) {
    d->p = at;
    return wg_dec_fail(d, "length out of bounds");
  }
  return true;
}

static void *dec_alloc(WgDec *d, size_t count, size_t size) {
  if (count == 0) return NULL;
  void *p = wg_arena_zalloc(d->m->arena, count * size);
  if (!p) {
    d->nomem = true;
    wg_dec_fail(d, "out of memory");
  }
  return p;
}

/* Storage for a vector of `count` elements of `size` bytes, each taking at
 * least `min_size` bytes in the binary. Only as many as the bytes left can
 * hold get their own slot: a longer vector fails while it is read, and its
 * surplus elements are read into one scratch slot (`*cap`) so the error is
 * the one the reference reports. */
static void *dec_vec(WgDec *d, uint32_t count, size_t min_size, size_t size,
                     uint32_t *cap) {
  size_t fit = (size_t)(d->end - d->p) / min_size;
  *cap = count < fit ? count : (uint32_t)fit;
  return dec_alloc(d, (size_t)*cap + 1, size);
}
#define SLOT(arr, i, cap) (&(arr)[(i) < (cap) ? (i) : (cap)])

static bool dec_bytes(WgDec *d, const uint8_t **out, uint32_t *len) {
  if (!wg_dec_len(d, len)) return false;
  if (*len > (size_t)(d->end - d->p)) {
    d->p = d->end;
    return wg_dec_fail(d, MSG_EOS);
  }
  *out = d->p;
  d->p += *len;
  return true;
}

static bool dec_name(WgDec *d, WgStr *out) {
  const uint8_t *at = d->p, *bytes = NULL;
  uint32_t len = 0;
  if (!dec_bytes(d, &bytes, &len)) return false;
  if (!wg_utf8_valid(bytes, len, NULL)) {
    d->p = at;
    return wg_dec_fail(d, "malformed UTF-8 encoding");
  }
  out->ptr = (const char *)bytes;
  out->len = len;
  return true;
}

bool wg_dec_valtype(WgDec *d, WgValType *out) {
  uint8_t b;
  if (!wg_dec_byte(d, &b)) return false;
  switch (b) {
    case WG_VT_I32:
    case WG_VT_I64:
    case WG_VT_F32:
    case WG_VT_F64:
    case WG_VT_V128:
    case WG_VT_FUNCREF:
    case WG_VT_EXTERNREF:
      *out = (WgValType)b;
      return true;
    default:
      d->p--;
      return wg_dec_fail(d, "malformed value type");
  }
}

bool wg_dec_reftype(WgDec *d, WgValType *out) {
  uint8_t b;
  if (!wg_dec_byte(d, &b)) return false;
  if (b != WG_VT_FUNCREF && b != WG_VT_EXTERNREF) {
    d->p--;
    return wg_dec_fail(d, "malformed reference type");
  }
  *out = (WgValType)b;
  return true;
}

static bool dec_limits(WgDec *d, WgLimits *out) {
  memset(out, 0, sizeof *out);
  uint64_t flags; /* a 1-bit LEB128 in wasm 2.0: "has maximum" */
  if (!dec_uleb(d, 1, &flags)) return false;
  uint32_t v;
  if (!wg_dec_u32(d, &v)) return false;
  out->min = v;
  if (flags) {
    if (!wg_dec_u32(d, &v)) return false;
    out->max = v;
    out->has_max = true;
  }
  return true;
}

static bool dec_table_type(WgDec *d, WgTableType *t) {
  return wg_dec_reftype(d, &t->elem) && dec_limits(d, &t->limits);
}

static bool dec_global_type(WgDec *d, WgGlobalType *g) {
  uint8_t mut;
  if (!wg_dec_valtype(d, &g->type) || !wg_dec_byte(d, &mut)) return false;
  if (mut > 1) {
    d->p--;
    return wg_dec_fail(d, "malformed mutability");
  }
  g->mutable_ = mut == 1;
  return true;
}

/* A constant expression: instructions up to and including `end`; which
 * instructions are allowed is validation's business. */
static bool dec_const_expr(WgDec *d, WgConstExpr *out) {
  out->code = d->p;
  out->offset = (size_t)(d->p - d->base);
  if (!wg_dec_scan_expr(d)) return false;
  out->len = (size_t)(d->p - out->code);
  return true;
}

/* ---- sections ----------------------------------------------------------- */

/* Per-decode state besides the reader. */
typedef struct Sections {
  bool seen_code, seen_data;
  uint32_t code_count;
  WgCustomSection *customs;
  uint32_t custom_count, custom_cap;
} Sections;

static bool sec_type(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->type_count)) return false;
  m->types = dec_vec(d, m->type_count, 3, sizeof *m->types, &cap);
  if (!m->types) return false;
  for (uint32_t i = 0; i < m->type_count; i++) {
    uint8_t form;
    if (!wg_dec_byte(d, &form)) return false;
    if (form != 0x60) {
      d->p--;
      return wg_dec_fail(d, "integer representation too long");
    }
    /* count both vectors first so the types can live in one array */
    const uint8_t *params_at = d->p;
    uint32_t np, nr;
    if (!wg_dec_len(d, &np)) return false;
    for (uint32_t k = 0; k < np; k++) {
      WgValType t;
      if (!wg_dec_valtype(d, &t)) return false;
    }
    if (!wg_dec_len(d, &nr)) return false;
    WgValType *types = dec_alloc(d, (size_t)np + nr, sizeof *types);
    if (np + nr && !types) return false;
    d->p = params_at;
    (void)wg_dec_u32(d, &np);
    for (uint32_t k = 0; k < np; k++)
      (void)wg_dec_valtype(d, &types[k]);
    (void)wg_dec_u32(d, &nr);
    for (uint32_t k = 0; k < nr; k++) {
      if (!wg_dec_valtype(d, &types[np + k])) return false;
    }
    /* never NULL, so `types + param_count` is defined for () -> () */
    static const WgValType no_types[1] = { WG_VT_I32 };
    *SLOT(m->types, i, cap) =
        (WgFuncType){ np, nr, np + nr ? types : no_types };
  }
  return true;
}

static bool sec_import(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->import_count)) return false;
  m->imports = dec_vec(d, m->import_count, 4, sizeof *m->imports, &cap);
  if (!m->imports) return false;
  for (uint32_t i = 0; i < m->import_count; i++) {
    WgImport *im = SLOT(m->imports, i, cap);
    uint8_t kind;
    if (!dec_name(d, &im->module) || !dec_name(d, &im->name) ||
        !wg_dec_byte(d, &kind)) {
      return false;
    }
    im->kind = (WgExternKind)kind;
    switch (kind) {
      case WG_EXTERN_FUNC:
        if (!wg_dec_u32(d, &im->desc.func_type)) return false;
        m->func_import_count++;
        break;
      case WG_EXTERN_TABLE:
        if (!dec_table_type(d, &im->desc.table)) return false;
        m->table_import_count++;
        break;
      case WG_EXTERN_MEMORY:
        if (!dec_limits(d, &im->desc.memory.limits)) return false;
        m->memory_import_count++;
        break;
      case WG_EXTERN_GLOBAL:
        if (!dec_global_type(d, &im->desc.global)) return false;
        m->global_import_count++;
        break;
      default:
        d->p--;
        return wg_dec_fail(d, "malformed import kind");
    }
  }
  return true;
}

static bool sec_function(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->func_count)) return false;
  m->funcs = dec_vec(d, m->func_count, 1, sizeof *m->funcs, &cap);
  if (!m->funcs) return false;
  for (uint32_t i = 0; i < m->func_count; i++) {
    if (!wg_dec_u32(d, &SLOT(m->funcs, i, cap)->type_index)) return false;
  }
  return true;
}

static bool sec_table(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->table_count)) return false;
  m->tables = dec_vec(d, m->table_count, 3, sizeof *m->tables, &cap);
  if (!m->tables) return false;
  for (uint32_t i = 0; i < m->table_count; i++) {
    if (!dec_table_type(d, SLOT(m->tables, i, cap))) return false;
  }
  return true;
}

static bool sec_memory(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->memory_count)) return false;
  m->memories = dec_vec(d, m->memory_count, 2, sizeof *m->memories, &cap);
  if (!m->memories) return false;
  for (uint32_t i = 0; i < m->memory_count; i++) {
    if (!dec_limits(d, &SLOT(m->memories, i, cap)->limits)) return false;
  }
  return true;
}

static bool sec_global(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->global_count)) return false;
  m->globals = dec_vec(d, m->global_count, 3, sizeof *m->globals, &cap);
  if (!m->globals) return false;
  for (uint32_t i = 0; i < m->global_count; i++) {
    WgGlobal *g = SLOT(m->globals, i, cap);
    if (!dec_global_type(d, &g->type) || !dec_const_expr(d, &g->init)) {
      return false;
    }
  }
  return true;
}

static bool sec_export(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->export_count)) return false;
  m->exports = dec_vec(d, m->export_count, 3, sizeof *m->exports, &cap);
  if (!m->exports) return false;
  for (uint32_t i = 0; i < m->export_count; i++) {
    WgExport *e = SLOT(m->exports, i, cap);
    uint8_t kind;
    if (!dec_name(d, &e->name) || !wg_dec_byte(d, &kind)) return false;
    if (kind > WG_EXTERN_GLOBAL) {
      d->p--;
      return wg_dec_fail(d, "malformed export kind");
    }
    e->kind = (WgExternKind)kind;
    if (!wg_dec_u32(d, &e->index)) return false;
  }
  return true;
}

static bool sec_start(WgDec *d) {
  d->m->has_start = true;
  return wg_dec_u32(d, &d->m->start);
}

static bool elem_funcs(WgDec *d, WgElemSegment *s) {
  uint32_t cap;
  if (!wg_dec_len(d, &s->count)) return false;
  uint32_t *idx = dec_vec(d, s->count, 1, sizeof *idx, &cap);
  if (!idx) return false;
  for (uint32_t i = 0; i < s->count; i++) {
    if (!wg_dec_u32(d, SLOT(idx, i, cap))) return false;
  }
  s->func_indices = s->count ? idx : NULL;
  return true;
}

static bool elem_exprs(WgDec *d, WgElemSegment *s) {
  uint32_t cap;
  if (!wg_dec_len(d, &s->count)) return false;
  WgConstExpr *e = dec_vec(d, s->count, 1, sizeof *e, &cap);
  if (!e) return false;
  for (uint32_t i = 0; i < s->count; i++) {
    if (!dec_const_expr(d, SLOT(e, i, cap))) return false;
  }
  s->exprs = s->count ? e : NULL;
  return true;
}

static bool sec_elem(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->elem_count)) return false;
  m->elems = dec_vec(d, m->elem_count, 3, sizeof *m->elems, &cap);
  if (!m->elems) return false;
  for (uint32_t i = 0; i < m->elem_count; i++) {
    WgElemSegment *s = SLOT(m->elems, i, cap);
    const uint8_t *at = d->p;
    uint32_t flags;
    if (!wg_dec_u32(d, &flags)) return false;
    if (flags > 7) {
      d->p = at;
      return wg_dec_fail(d, "malformed elements segment kind");
    }
    /* bit 0: passive or declarative; bit 1: explicit table index (active)
     * or declarative; bit 2: element expressions instead of indices */
    s->type = WG_VT_FUNCREF;
    bool uses_exprs = flags & 4;
    if (!(flags & 1)) {
      s->mode = WG_SEGMENT_ACTIVE;
      if ((flags & 2) && !wg_dec_u32(d, &s->table)) return false;
      if (!dec_const_expr(d, &s->offset)) return false;
    } else {
      s->mode = flags & 2 ? WG_SEGMENT_DECLARATIVE : WG_SEGMENT_PASSIVE;
    }
    /* flags 0 and 4 imply funcref; the others name the kind / type */
    if (flags != 0 && flags != 4) {
      if (uses_exprs) {
        if (!wg_dec_reftype(d, &s->type)) return false;
      } else {
        uint8_t kind;
        if (!wg_dec_byte(d, &kind)) return false;
        if (kind != 0x00) {
          d->p--;
          return wg_dec_fail(d, "malformed elements segment kind");
        }
      }
    }
    if (!(uses_exprs ? elem_exprs(d, s) : elem_funcs(d, s))) return false;
  }
  return true;
}

static bool sec_datacount(WgDec *d) {
  d->m->has_data_count = true;
  return wg_dec_u32(d, &d->m->data_count);
}

/* One entry of the code section (its size already read). */
static bool dec_code(WgDec *d, WgFunc *f) {
  uint32_t runs, cap;
  if (!wg_dec_len(d, &runs)) return false;
  WgLocalRun *lr = dec_vec(d, runs, 2, sizeof *lr, &cap);
  if (!lr) return false;
  uint64_t total = 0;
  for (uint32_t k = 0; k < runs; k++) {
    WgLocalRun *r = SLOT(lr, k, cap);
    if (!wg_dec_u32(d, &r->count) || !wg_dec_valtype(d, &r->type)) {
      return false;
    }
    total += r->count;
  }
  if (total > MAX_LOCALS) return wg_dec_fail(d, "too many locals");
  f->local_runs = runs ? lr : NULL;
  f->local_run_count = runs;
  f->local_count = (uint32_t)total;
  f->code = d->p;
  f->code_offset = (size_t)(d->p - d->base);
  if (!wg_dec_scan_expr(d)) return false;
  f->code_len = (size_t)(d->p - f->code);
  return true;
}

static bool sec_code(WgDec *d, Sections *st) {
  WgModule *m = d->m;
  uint32_t count;
  if (!wg_dec_len(d, &count)) return false;
  st->code_count = count;
  /* with a count unlike the function section's, the module fails at its
   * end ("inconsistent lengths"): bodies are read into a scratch entry */
  WgFunc scratch;
  for (uint32_t i = 0; i < count; i++) {
    WgFunc *f = count == m->func_count ? &m->funcs[i] : &scratch;
    uint32_t size;
    if (!wg_dec_len(d, &size)) return false;
    const uint8_t *start = d->p;
    if (!dec_code(d, f)) return false;
    if ((size_t)(d->p - start) != size) {
      d->p = start;
      return wg_dec_fail(d, "section size mismatch");
    }
  }
  return true;
}

static bool sec_data(WgDec *d) {
  WgModule *m = d->m;
  uint32_t cap;
  if (!wg_dec_len(d, &m->data_segment_count)) return false;
  m->datas = dec_vec(d, m->data_segment_count, 2, sizeof *m->datas, &cap);
  if (!m->datas) return false;
  for (uint32_t i = 0; i < m->data_segment_count; i++) {
    WgDataSegment *s = SLOT(m->datas, i, cap);
    const uint8_t *at = d->p;
    uint32_t flags;
    if (!wg_dec_u32(d, &flags)) return false;
    if (flags > 2) {
      d->p = at;
      return wg_dec_fail(d, "malformed data segment kind");
    }
    s->mode = flags == 1 ? WG_SEGMENT_PASSIVE : WG_SEGMENT_ACTIVE;
    if (flags == 2 && !wg_dec_u32(d, &s->memory)) return false;
    if (flags != 1 && !dec_const_expr(d, &s->offset)) return false;
    uint32_t len;
    if (!dec_bytes(d, &s->bytes, &len)) return false;
    s->len = len;
  }
  return true;
}

static bool sec_custom(WgDec *d, Sections *st, const uint8_t *start,
                       uint32_t size) {
  WgStr name;
  if (!dec_name(d, &name)) return false;
  /* the rest of the section is skipped, as far as its size says */
  size_t used = (size_t)(d->p - start);
  if (used > size || size - used > (size_t)(d->end - d->p)) {
    return wg_dec_fail(d, MSG_EOS);
  }
  const uint8_t *section_end = d->p + (size - used);
  if (st->custom_count == st->custom_cap) {
    uint32_t cap = st->custom_cap ? st->custom_cap * 2 : 4;
    WgCustomSection *items = dec_alloc(d, cap, sizeof *items);
    if (!items) return false;
    if (st->custom_count) {
      memcpy(items, st->customs, st->custom_count * sizeof *items);
    }
    st->customs = items;
    st->custom_cap = cap;
  }
  st->customs[st->custom_count++] =
      (WgCustomSection){ name, d->p, (size_t)(section_end - d->p) };
  d->p = section_end;
  return true;
}

/* Position of each known section id in the required order. */
static int section_rank(uint8_t id) {
  static const int8_t rank[13] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4,   [5] = 5,   [6] = 6,
    [7] = 7, [8] = 8, [9] = 9, [12] = 10, [10] = 11, [11] = 12,
  };
  return id < 13 ? rank[id] : 0;
}

static bool dec_section(WgDec *d, uint8_t id, Sections *st,
                        const uint8_t *start, uint32_t size) {
  switch (id) {
    case 0:
      return sec_custom(d, st, start, size);
    case 1:
      return sec_type(d);
    case 2:
      return sec_import(d);
    case 3:
      return sec_function(d);
    case 4:
      return sec_table(d);
    case 5:
      return sec_memory(d);
    case 6:
      return sec_global(d);
    case 7:
      return sec_export(d);
    case 8:
      return sec_start(d);
    case 9:
      return sec_elem(d);
    case 10:
      st->seen_code = true;
      return sec_code(d, st);
    case 11:
      st->seen_data = true;
      return sec_data(d);
    default:
      return sec_datacount(d);
  }
}

static bool decode_sections(WgDec *d) {
  WgModule *m = d->m;
  Sections st = { 0 };
  int last_rank = 0;
  while (d->p < d->end) {
    uint8_t id = *d->p;
    if (id != 0 && section_rank(id) == 0) {
      return wg_dec_fail(d, "malformed section id");
    }
    if (id != 0) {
      int rank = section_rank(id);
      if (rank <= last_rank) {
        return wg_dec_fail(d, "unexpected content after last section");
      }
      last_rank = rank;
    }
    d->p++;
    uint32_t size;
    if (!wg_dec_len(d, &size)) return false;
    const uint8_t *start = d->p;
    if (!dec_section(d, id, &st, start, size)) return false;
    if ((size_t)(d->p - start) != size) {
      d->p = start;
      return wg_dec_fail(d, "section size mismatch");
    }
  }
  if ((st.seen_code ? st.code_count : 0) != m->func_count) {
    return wg_dec_fail(d,
                       "function and code section have inconsistent lengths");
  }
  if (m->has_data_count && m->data_count != m->data_segment_count) {
    return wg_dec_fail(d,
                       "data count and data section have inconsistent lengths");
  }
  /* The format requires a data count section for memory.init / data.drop;
   * without any data section the index is left to validation ("unknown
   * data segment"), as wast2json leaves the section out then. */
  if (d->needs_data_count && !m->has_data_count && st.seen_data) {
    return wg_dec_fail(d, "data count section required");
  }
  m->customs = st.customs;
  m->custom_count = st.custom_count;
  return true;
}

/* The whole index spaces (imports first), for O(1) accessors. */
static bool build_index_spaces(WgDec *d) {
  WgModule *m = d->m;
  uint32_t nf = wg_module_total_funcs(m), nt = wg_module_total_tables(m);
  uint32_t nm = wg_module_total_memories(m), ng = wg_module_total_globals(m);
  m->func_space = dec_alloc(d, (size_t)nf + 1, sizeof *m->func_space);
  m->table_space = dec_alloc(d, (size_t)nt + 1, sizeof *m->table_space);
  m->memory_space = dec_alloc(d, (size_t)nm + 1, sizeof *m->memory_space);
  m->global_space = dec_alloc(d, (size_t)ng + 1, sizeof *m->global_space);
  if (!m->func_space || !m->table_space || !m->memory_space ||
      !m->global_space) {
    return false;
  }
  uint32_t f = 0, t = 0, mem = 0, g = 0;
  for (uint32_t i = 0; i < m->import_count; i++) {
    const WgImport *im = &m->imports[i];
    switch (im->kind) {
      case WG_EXTERN_FUNC:
        m->func_space[f++] = im->desc.func_type;
        break;
      case WG_EXTERN_TABLE:
        m->table_space[t++] = &im->desc.table;
        break;
      case WG_EXTERN_MEMORY:
        m->memory_space[mem++] = &im->desc.memory;
        break;
      default:
        m->global_space[g++] = &im->desc.global;
        break;
    }
  }
  for (uint32_t i = 0; i < m->func_count; i++) {
    m->func_space[f++] = m->funcs[i].type_index;
  }
  for (uint32_t i = 0; i < m->table_count; i++) {
    m->table_space[t++] = &m->tables[i];
  }
  for (uint32_t i = 0; i < m->memory_count; i++) {
    m->memory_space[mem++] = &m->memories[i];
  }
  for (uint32_t i = 0; i < m->global_count; i++) {
    m->global_space[g++] = &m->globals[i].type;
  }
  return true;
}

WgStatus wg_module_decode(const uint8_t *bytes, size_t len, WgAllocator alloc,
                          uint32_t features, WgModule **out,
                          WgDiagList *diags) {
  *out = NULL;
  if (len > UINT32_MAX) {
    wg_diag_list_add_at(diags, WG_ERR_MALFORMED, 0, "module too large");
    return WG_ERR_MALFORMED;
  }
  WgArena *arena = wg_arena_new(alloc);
  WgModule *m = arena ? wg_arena_zalloc(arena, sizeof *m) : NULL;
  if (!m) {
    wg_arena_delete(arena);
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  m->arena = arena;
  m->features = features & WG_FEATURES_ALL;
  uint8_t *copy = wg_arena_alloc(m->arena, len ? len : 1);
  if (!copy) {
    wg_module_free(m);
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  if (len) memcpy(copy, bytes, len);
  m->binary = copy;
  m->binary_len = len;
  WgDec d = {
    .base = copy, .p = copy, .end = copy + len, .m = m, .diags = diags
  };
  static const uint8_t magic[4] = { 0x00, 0x61, 0x73, 0x6d };
  static const uint8_t version[4] = { 0x01, 0x00, 0x00, 0x00 };
  bool ok;
  if (len < 4) {
    d.p = d.end;
    ok = wg_dec_fail(&d, MSG_EOS);
  } else if (memcmp(copy, magic, 4) != 0) {
    ok = wg_dec_fail(&d, "magic header not detected");
  } else if (len < 8) {
    d.p = d.end;
    ok = wg_dec_fail(&d, MSG_EOS);
  } else if (memcmp(copy + 4, version, 4) != 0) {
    d.p = copy + 4;
    ok = wg_dec_fail(&d, "unknown binary version");
  } else {
    d.p = copy + 8;
    ok = decode_sections(&d) && build_index_spaces(&d);
  }
  free(d.frames);
  if (!ok) {
    WgStatus st = d.nomem ? WG_ERR_NOMEM : WG_ERR_MALFORMED;
    wg_module_free(m);
    return st;
  }
  *out = m;
  return WG_OK;
}

void wg_module_free(WgModule *m) {
  if (m) wg_arena_delete(m->arena); /* m itself lives in its arena */
}

uint32_t wg_module_func_type_index(const WgModule *m, uint32_t index) {
  return m->func_space[index];
}

const WgTableType *wg_module_table_type(const WgModule *m, uint32_t index) {
  return m->table_space[index];
}

const WgMemType *wg_module_memory_type(const WgModule *m, uint32_t index) {
  return m->memory_space[index];
}

const WgGlobalType *wg_module_global_type(const WgModule *m, uint32_t index) {
  return m->global_space[index];
}
