/* SPDX-License-Identifier: Apache-2.0 */
/* Binary decoder of core WebAssembly 2.0 modules (spec: 5 Binary Format)
 * into the WgModule of module.h. Strict about malformed input, with the
 * reference interpreter's messages; validity is checked by validate.c.
 * Function bodies are scanned instruction by instruction here (opcodes and
 * immediates, see decode_body.c) so that malformed code is reported as
 * malformed, and kept as byte spans for the validator and the compiler. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decode_internal.h"
#include "leb128.h"
#include "utf8.h"

bool wg_dec_fail(WgDec *d, const char *fmt, ...) {
  if (d->err->message[0] == '\0') {
    d->err->status = WG_ERR_MALFORMED;
    d->err->offset = (size_t)(d->p - d->base);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err->message, sizeof d->err->message, fmt, ap);
    va_end(ap);
  }
  return false;
}

bool wg_dec_byte(WgDec *d, uint8_t *out) {
  *out = 0; /* defined even on failure (callers stop on false anyway) */
  if (d->p >= d->end) return wg_dec_fail(d, "unexpected end");
  *out = *d->p++;
  return true;
}

/* LEB128 readers report the reference interpreter's two messages: a value
 * whose unused bits are not a sign/zero extension is "integer too large",
 * one longer than the type allows "integer representation too long". */
static bool leb_fail(WgDec *d, const uint8_t *start, unsigned max_bytes) {
  const uint8_t *q = start;
  unsigned n = 0;
  while (q < d->end && n < max_bytes && (*q & 0x80)) {
    q++;
    n++;
  }
  if (q >= d->end) return wg_dec_fail(d, "unexpected end");
  if (n >= max_bytes) return wg_dec_fail(d, "integer representation too long");
  return wg_dec_fail(d, "integer too large");
}

bool wg_dec_u32(WgDec *d, uint32_t *out) {
  const uint8_t *start = d->p;
  if (!wg_leb_u32(&d->p, d->end, out)) {
    d->p = start;
    return leb_fail(d, start, 5);
  }
  return true;
}

bool wg_dec_s32(WgDec *d, int32_t *out) {
  const uint8_t *start = d->p;
  if (!wg_leb_s32(&d->p, d->end, out)) {
    d->p = start;
    return leb_fail(d, start, 5);
  }
  return true;
}

bool wg_dec_s33(WgDec *d, int64_t *out) {
  const uint8_t *start = d->p;
  if (!wg_leb_s33(&d->p, d->end, out)) {
    d->p = start;
    return leb_fail(d, start, 5);
  }
  return true;
}

bool wg_dec_s64(WgDec *d, int64_t *out) {
  const uint8_t *start = d->p;
  if (!wg_leb_s64(&d->p, d->end, out)) {
    d->p = start;
    return leb_fail(d, start, 10);
  }
  return true;
}

bool wg_dec_u64(WgDec *d, uint64_t *out) {
  const uint8_t *start = d->p;
  if (!wg_leb_u64(&d->p, d->end, out)) {
    d->p = start;
    return leb_fail(d, start, 10);
  }
  return true;
}

static void *dec_alloc(WgDec *d, size_t count, size_t size) {
  if (count == 0) return NULL;
  void *p = wg_arena_zalloc(&d->m->arena, count * size);
  if (!p) {
    d->nomem = true;
    wg_dec_fail(d, "out of memory");
  }
  return p;
}

/* A vector length; each element takes at least `min_size` bytes, so a count
 * beyond the bytes left is reported before anything is allocated. */
static bool dec_count(WgDec *d, uint32_t *out, size_t min_size) {
  if (!wg_dec_u32(d, out)) return false;
  if (min_size && *out > (size_t)(d->end - d->p) / min_size) {
    return wg_dec_fail(d, "length out of bounds");
  }
  return true;
}

static bool dec_name(WgDec *d, WgStr *out) {
  uint32_t len;
  if (!wg_dec_u32(d, &len)) return false;
  if (len > (size_t)(d->end - d->p)) {
    return wg_dec_fail(d, "length out of bounds");
  }
  if (!wg_utf8_valid(d->p, len, NULL)) {
    return wg_dec_fail(d, "malformed UTF-8 encoding");
  }
  out->ptr = (const char *)d->p;
  out->len = len;
  d->p += len;
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

static bool dec_limits(WgDec *d, WgLimits *out, bool memory) {
  uint8_t flags;
  memset(out, 0, sizeof *out);
  if (!wg_dec_byte(d, &flags)) return false;
  /* wasm 2.0: 0x00 / 0x01 (and 0x03 shared for threads, not supported) */
  if (flags > 1) {
    d->p--;
    return wg_dec_fail(d, memory && flags <= 7 ? "integer too large"
                                               : "integer too large");
  }
  uint32_t v;
  if (!wg_dec_u32(d, &v)) return false;
  out->min = v;
  if (flags & 1) {
    if (!wg_dec_u32(d, &v)) return false;
    out->max = v;
    out->has_max = true;
  }
  return true;
}

static bool dec_table_type(WgDec *d, WgTableType *t) {
  return wg_dec_reftype(d, &t->elem) && dec_limits(d, &t->limits, false);
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

static bool sec_type(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->type_count, 3)) return false;
  m->types = dec_alloc(d, m->type_count, sizeof *m->types);
  if (m->type_count && !m->types) return false;
  for (uint32_t i = 0; i < m->type_count; i++) {
    uint8_t form;
    if (!wg_dec_byte(d, &form)) return false;
    if (form != 0x60) {
      d->p--;
      return wg_dec_fail(d, "integer representation too long");
    }
    uint32_t np, nr;
    const uint8_t *params_at = d->p;
    if (!dec_count(d, &np, 1)) return false;
    d->p += np;
    if (!dec_count(d, &nr, 1)) return false;
    /* one spare entry: `types` is never NULL, even for () -> () */
    WgValType *types = dec_alloc(d, (size_t)np + nr + 1, sizeof *types);
    if (!types) return false;
    d->p = params_at;
    if (!wg_dec_u32(d, &np)) return false;
    for (uint32_t k = 0; k < np; k++) {
      if (!wg_dec_valtype(d, &types[k])) return false;
    }
    if (!wg_dec_u32(d, &nr)) return false;
    for (uint32_t k = 0; k < nr; k++) {
      if (!wg_dec_valtype(d, &types[np + k])) return false;
    }
    m->types[i] = (WgFuncType){ np, nr, types };
  }
  return true;
}

static bool sec_import(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->import_count, 4)) return false;
  m->imports = dec_alloc(d, m->import_count, sizeof *m->imports);
  if (m->import_count && !m->imports) return false;
  for (uint32_t i = 0; i < m->import_count; i++) {
    WgImport *im = &m->imports[i];
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
        if (!dec_limits(d, &im->desc.memory.limits, true)) return false;
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
  if (!dec_count(d, &m->func_count, 1)) return false;
  m->funcs = dec_alloc(d, m->func_count, sizeof *m->funcs);
  if (m->func_count && !m->funcs) return false;
  for (uint32_t i = 0; i < m->func_count; i++) {
    if (!wg_dec_u32(d, &m->funcs[i].type_index)) return false;
  }
  return true;
}

static bool sec_table(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->table_count, 3)) return false;
  m->tables = dec_alloc(d, m->table_count, sizeof *m->tables);
  if (m->table_count && !m->tables) return false;
  for (uint32_t i = 0; i < m->table_count; i++) {
    if (!dec_table_type(d, &m->tables[i])) return false;
  }
  return true;
}

static bool sec_memory(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->memory_count, 2)) return false;
  m->memories = dec_alloc(d, m->memory_count, sizeof *m->memories);
  if (m->memory_count && !m->memories) return false;
  for (uint32_t i = 0; i < m->memory_count; i++) {
    if (!dec_limits(d, &m->memories[i].limits, true)) return false;
  }
  return true;
}

static bool sec_global(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->global_count, 3)) return false;
  m->globals = dec_alloc(d, m->global_count, sizeof *m->globals);
  if (m->global_count && !m->globals) return false;
  for (uint32_t i = 0; i < m->global_count; i++) {
    if (!dec_global_type(d, &m->globals[i].type) ||
        !dec_const_expr(d, &m->globals[i].init)) {
      return false;
    }
  }
  return true;
}

static bool sec_export(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->export_count, 3)) return false;
  m->exports = dec_alloc(d, m->export_count, sizeof *m->exports);
  if (m->export_count && !m->exports) return false;
  for (uint32_t i = 0; i < m->export_count; i++) {
    WgExport *e = &m->exports[i];
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

static bool elem_kind(WgDec *d) {
  uint8_t kind;
  if (!wg_dec_byte(d, &kind)) return false;
  if (kind != 0x00) {
    d->p--;
    return wg_dec_fail(d, "malformed elements segment kind");
  }
  return true;
}

static bool elem_funcs(WgDec *d, WgElemSegment *s) {
  if (!dec_count(d, &s->count, 1)) return false;
  uint32_t *idx = dec_alloc(d, s->count, sizeof *idx);
  if (s->count && !idx) return false;
  for (uint32_t i = 0; i < s->count; i++) {
    if (!wg_dec_u32(d, &idx[i])) return false;
  }
  s->func_indices = idx;
  return true;
}

static bool elem_exprs(WgDec *d, WgElemSegment *s) {
  if (!dec_count(d, &s->count, 2)) return false;
  WgConstExpr *e = dec_alloc(d, s->count, sizeof *e);
  if (s->count && !e) return false;
  for (uint32_t i = 0; i < s->count; i++) {
    if (!dec_const_expr(d, &e[i])) return false;
  }
  s->exprs = e;
  return true;
}

static bool sec_elem(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->elem_count, 1)) return false;
  m->elems = dec_alloc(d, m->elem_count, sizeof *m->elems);
  if (m->elem_count && !m->elems) return false;
  for (uint32_t i = 0; i < m->elem_count; i++) {
    WgElemSegment *s = &m->elems[i];
    uint32_t flags;
    if (!wg_dec_u32(d, &flags)) return false;
    if (flags > 7) return wg_dec_fail(d, "malformed elements segment kind");
    s->type = WG_VT_FUNCREF;
    bool passive_or_declarative = flags & 1;
    bool explicit_table = flags & 2;
    bool uses_exprs = flags & 4;
    if (!passive_or_declarative) {
      s->mode = WG_SEGMENT_ACTIVE;
      if (explicit_table && !wg_dec_u32(d, &s->table)) return false;
      if (!dec_const_expr(d, &s->offset)) return false;
    } else {
      s->mode = explicit_table ? WG_SEGMENT_DECLARATIVE : WG_SEGMENT_PASSIVE;
    }
    /* flags 0 and 4 imply funcref; the others name the kind / type */
    if (flags != 0 && flags != 4) {
      if (uses_exprs) {
        if (!wg_dec_reftype(d, &s->type)) return false;
      } else if (!elem_kind(d)) {
        return false;
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

static bool sec_code(WgDec *d) {
  WgModule *m = d->m;
  uint32_t count;
  if (!dec_count(d, &count, 1)) return false;
  if (count != m->func_count) {
    return wg_dec_fail(d,
                       "function and code section have inconsistent lengths");
  }
  for (uint32_t i = 0; i < count; i++) {
    WgFunc *f = &m->funcs[i];
    uint32_t size;
    if (!wg_dec_u32(d, &size)) return false;
    if (size > (size_t)(d->end - d->p)) {
      return wg_dec_fail(d, "length out of bounds");
    }
    const uint8_t *section_end = d->end;
    d->end = d->p + size;
    uint32_t runs;
    if (!dec_count(d, &runs, 2)) return false;
    WgLocalRun *lr = dec_alloc(d, runs, sizeof *lr);
    if (runs && !lr) return false;
    uint64_t total = 0;
    for (uint32_t k = 0; k < runs; k++) {
      if (!wg_dec_u32(d, &lr[k].count)) return false;
      total += lr[k].count;
      if (total > 50000) return wg_dec_fail(d, "too many locals");
      if (!wg_dec_valtype(d, &lr[k].type)) return false;
    }
    f->local_runs = lr;
    f->local_run_count = runs;
    f->local_count = (uint32_t)total;
    f->code = d->p;
    f->code_offset = (size_t)(d->p - d->base);
    d->in_function = true;
    bool ok = wg_dec_scan_expr(d);
    d->in_function = false;
    if (!ok) return false;
    if (d->p != d->end) return wg_dec_fail(d, "section size mismatch");
    f->code_len = (size_t)(d->p - f->code);
    d->end = section_end;
  }
  return true;
}

static bool sec_data(WgDec *d) {
  WgModule *m = d->m;
  if (!dec_count(d, &m->data_segment_count, 1)) return false;
  if (m->has_data_count && m->data_count != m->data_segment_count) {
    return wg_dec_fail(d,
                       "data count and data section have inconsistent lengths");
  }
  m->datas = dec_alloc(d, m->data_segment_count, sizeof *m->datas);
  if (m->data_segment_count && !m->datas) return false;
  for (uint32_t i = 0; i < m->data_segment_count; i++) {
    WgDataSegment *s = &m->datas[i];
    uint32_t flags;
    if (!wg_dec_u32(d, &flags)) return false;
    if (flags > 2) return wg_dec_fail(d, "malformed data segment kind");
    s->mode = flags == 1 ? WG_SEGMENT_PASSIVE : WG_SEGMENT_ACTIVE;
    if (flags == 2 && !wg_dec_u32(d, &s->memory)) return false;
    if (flags != 1 && !dec_const_expr(d, &s->offset)) return false;
    uint32_t len;
    if (!wg_dec_u32(d, &len)) return false;
    if (len > (size_t)(d->end - d->p)) {
      return wg_dec_fail(d, "unexpected end of section or function");
    }
    s->bytes = d->p;
    s->len = len;
    d->p += len;
  }
  return true;
}

typedef struct CustomList {
  WgCustomSection *items;
  uint32_t count, cap;
} CustomList;

static bool sec_custom(WgDec *d, CustomList *list) {
  WgStr name;
  if (!dec_name(d, &name)) return false;
  if (list->count == list->cap) {
    uint32_t cap = list->cap ? list->cap * 2 : 4;
    WgCustomSection *items = dec_alloc(d, cap, sizeof *items);
    if (!items) return false;
    if (list->count) memcpy(items, list->items, list->count * sizeof *items);
    list->items = items;
    list->cap = cap;
  }
  list->items[list->count++] =
      (WgCustomSection){ name, d->p, (size_t)(d->end - d->p) };
  d->p = d->end;
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

static bool decode_sections(WgDec *d) {
  WgModule *m = d->m;
  CustomList customs = { 0 };
  int last_rank = 0;
  bool seen_code = false, seen_data = false;
  const uint8_t *module_end = d->end;
  while (d->p < module_end) {
    uint8_t id;
    uint32_t size;
    d->end = module_end;
    if (!wg_dec_byte(d, &id)) return false;
    if (id != 0 && section_rank(id) == 0) {
      d->p--;
      return wg_dec_fail(d, "malformed section id");
    }
    if (!wg_dec_u32(d, &size)) return false;
    if (size > (size_t)(module_end - d->p)) {
      return wg_dec_fail(d, "length out of bounds");
    }
    d->end = d->p + size;
    bool ok = true;
    if (id == 0) {
      ok = sec_custom(d, &customs);
    } else {
      int rank = section_rank(id);
      if (rank <= last_rank) {
        d->p -= 1;
        return wg_dec_fail(d, "unexpected content after last section");
      }
      last_rank = rank;
      switch (id) {
        case 1:
          ok = sec_type(d);
          break;
        case 2:
          ok = sec_import(d);
          break;
        case 3:
          ok = sec_function(d);
          break;
        case 4:
          ok = sec_table(d);
          break;
        case 5:
          ok = sec_memory(d);
          break;
        case 6:
          ok = sec_global(d);
          break;
        case 7:
          ok = sec_export(d);
          break;
        case 8:
          ok = sec_start(d);
          break;
        case 9:
          ok = sec_elem(d);
          break;
        case 10:
          ok = sec_code(d);
          seen_code = true;
          break;
        case 11:
          ok = sec_data(d);
          seen_data = true;
          break;
        case 12:
          ok = sec_datacount(d);
          break;
      }
    }
    if (!ok) return false;
    if (d->p != d->end) return wg_dec_fail(d, "section size mismatch");
  }
  d->end = module_end;
  if (!seen_code && m->func_count > 0) {
    return wg_dec_fail(d,
                       "function and code section have inconsistent lengths");
  }
  if (m->has_data_count && m->data_count != m->data_segment_count &&
      m->data_segment_count == 0 && m->data_count != 0) {
    return wg_dec_fail(d,
                       "data count and data section have inconsistent lengths");
  }
  /* without a data section, a data index is simply unknown (invalid) */
  if (d->needs_data_count && !m->has_data_count && seen_data) {
    return wg_dec_fail(d, "data count section required");
  }
  m->customs = customs.items;
  m->custom_count = customs.count;
  return true;
}

WgStatus wg_module_decode(const uint8_t *bytes, size_t len, WgAllocator alloc,
                          WgModule **out, WgModuleError *err) {
  WgModuleError scratch;
  if (!err) err = &scratch;
  memset(err, 0, sizeof *err);
  *out = NULL;
  WgModule *m = calloc(1, sizeof *m);
  if (!m) return WG_ERR_NOMEM;
  wg_arena_init(&m->arena, alloc);
  uint8_t *copy = wg_arena_alloc(&m->arena, len ? len : 1);
  if (!copy) {
    wg_module_free(m);
    return WG_ERR_NOMEM;
  }
  if (len) memcpy(copy, bytes, len);
  m->binary = copy;
  m->binary_len = len;
  WgDec d = { copy, copy, copy + len, m, err, false, false, false };
  static const uint8_t magic[4] = { 0x00, 0x61, 0x73, 0x6d };
  static const uint8_t version[4] = { 0x01, 0x00, 0x00, 0x00 };
  bool ok;
  if (len < 4) {
    ok = wg_dec_fail(&d, "unexpected end");
  } else if (memcmp(copy, magic, 4) != 0) {
    ok = wg_dec_fail(&d, "magic header not detected");
  } else if (len < 8) {
    d.p = copy + 4;
    ok = wg_dec_fail(&d, "unexpected end");
  } else if (memcmp(copy + 4, version, 4) != 0) {
    d.p = copy + 4;
    ok = wg_dec_fail(&d, "unknown binary version");
  } else {
    d.p = copy + 8;
    ok = decode_sections(&d);
  }
  if (!ok) {
    WgStatus st = d.nomem ? WG_ERR_NOMEM : WG_ERR_MALFORMED;
    err->status = st;
    wg_module_free(m);
    return st;
  }
  *out = m;
  return WG_OK;
}

void wg_module_free(WgModule *m) {
  if (!m) return;
  wg_arena_release(&m->arena);
  free(m);
}

uint32_t wg_module_func_type_index(const WgModule *m, uint32_t index) {
  if (index < m->func_import_count) {
    for (uint32_t i = 0, n = 0; i < m->import_count; i++) {
      if (m->imports[i].kind != WG_EXTERN_FUNC) continue;
      if (n++ == index) return m->imports[i].desc.func_type;
    }
  }
  return m->funcs[index - m->func_import_count].type_index;
}

/* The n-th import of `kind`. */
static const WgImport *nth_import(const WgModule *m, WgExternKind kind,
                                  uint32_t n) {
  for (uint32_t i = 0; i < m->import_count; i++) {
    if (m->imports[i].kind == kind && n-- == 0) return &m->imports[i];
  }
  return NULL;
}

const WgTableType *wg_module_table_type(const WgModule *m, uint32_t index) {
  if (index < m->table_import_count) {
    return &nth_import(m, WG_EXTERN_TABLE, index)->desc.table;
  }
  return &m->tables[index - m->table_import_count];
}

const WgMemType *wg_module_memory_type(const WgModule *m, uint32_t index) {
  if (index < m->memory_import_count) {
    return &nth_import(m, WG_EXTERN_MEMORY, index)->desc.memory;
  }
  return &m->memories[index - m->memory_import_count];
}

const WgGlobalType *wg_module_global_type(const WgModule *m, uint32_t index) {
  if (index < m->global_import_count) {
    return &nth_import(m, WG_EXTERN_GLOBAL, index)->desc.global;
  }
  return &m->globals[index - m->global_import_count].type;
}
