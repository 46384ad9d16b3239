/* SPDX-License-Identifier: Apache-2.0 */
/* Core module binary -> text, in the layout wasm-tools prints: one field a
 * line in section order, an index comment `(;N;)` after every definition,
 * identifiers from the name section, custom sections as `(@custom ...)`
 * with their place. The binary is read here (not by the validator's
 * decoder) so that modules that decode but do not validate print too. */
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "utf8.h"

enum { MAX_LOCALS = 50000 };

typedef struct Section {
  uint8_t id;
  const uint8_t *body;
  size_t len;
  WgStr custom; /* custom sections: the name */
} Section;

typedef struct Module {
  PrCore c;
  PrReader r;
  const uint8_t *bytes;
  size_t len;
  Section *secs;
  size_t nsecs;
  bool has_name_section;
  size_t name_section; /* its index in secs */
  WgStr module_name;
  bool has_module_name;
  PrAssoc *assoc; /* scratch for name maps */
} Module;

static const char *section_anchor(uint8_t id) {
  static const char *const names[] = {
    NULL,     "type",  "import", "func", "table", "memory",    "global",
    "export", "start", "elem",   "code", "data",  "datacount", "tag"
  };
  return id < 14 ? names[id] : NULL;
}

/* ---- pass 1: sections, types, index spaces, names ---------------------- */

static bool read_sections(Module *m) {
  PrReader *r = &m->r;
  const uint8_t *magic = pr_bytes(r, 8);
  if (!magic) return false;
  if (memcmp(magic, "\0asm", 4) != 0)
    return pr_fail(r, "magic header not detected");
  if (memcmp(magic + 4, "\1\0\0\0", 4) != 0)
    return pr_fail(r, "unknown binary version");
  size_t cap = 16;
  m->secs = wg_arena_alloc(m->c.arena, cap * sizeof *m->secs);
  if (!m->secs) return pr_fail(r, "out of memory");
  while (!pr_at_end(r)) {
    uint8_t id = pr_u8(r);
    uint32_t size = pr_u32(r);
    const uint8_t *body = pr_bytes(r, size);
    if (!body) return false;
    if (id > 13) {
      r->pos = body;
      return pr_fail(r, "malformed section id");
    }
    if (m->nsecs == cap) {
      Section *n = wg_arena_alloc(m->c.arena, cap * 2 * sizeof *n);
      if (!n) return pr_fail(r, "out of memory");
      memcpy(n, m->secs, cap * sizeof *n);
      m->secs = n;
      cap *= 2;
    }
    Section *s = &m->secs[m->nsecs++];
    s->id = id;
    s->body = body;
    s->len = size;
    s->custom = (WgStr){ NULL, 0 };
    if (id == 0) {
      PrReader sr = { m->bytes, body, body + size, false, NULL, 0 };
      s->custom = pr_name(&sr);
      if (sr.failed) {
        r->pos = body;
        return pr_fail(r, "malformed custom section name");
      }
    }
  }
  return true;
}

static PrReader section_reader(const Module *m, const Section *s) {
  return (PrReader){ m->bytes, s->body, s->body + s->len, false, NULL, 0 };
}

static bool limits(PrReader *r, WgBuf *out) {
  uint8_t flags = pr_u8(r);
  if (flags > 7) return pr_fail(r, "malformed limits flags");
  bool is64 = flags & 4;
  uint64_t min = is64 ? pr_u64(r) : pr_u32(r);
  if (out) {
    if (is64) wg_buf_puts(out, " i64");
    wg_buf_printf(out, " %llu", (unsigned long long)min);
  }
  if (flags & 1) {
    uint64_t max = is64 ? pr_u64(r) : pr_u32(r);
    if (out) wg_buf_printf(out, " %llu", (unsigned long long)max);
  }
  if ((flags & 2) && out) wg_buf_puts(out, " shared");
  return !r->failed;
}

static bool valtype(PrReader *r, WgBuf *out) {
  uint8_t b = pr_u8(r);
  const char *n = pr_valtype_name(b);
  if (!n) return pr_fail(r, "malformed value type");
  if (out) {
    wg_buf_putc(out, ' ');
    wg_buf_puts(out, n);
  }
  return true;
}

static bool read_types(Module *m, const Section *s) {
  PrReader r = section_reader(m, s);
  uint32_t n = pr_u32(&r);
  if (n > s->len) return pr_fail(&m->r, "too many types");
  m->c.types = wg_arena_zalloc(m->c.arena, (n ? n : 1) * sizeof *m->c.types);
  if (!m->c.types) return pr_fail(&m->r, "out of memory");
  m->c.ntypes = n;
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    PrFuncType *t = &m->c.types[i];
    if (pr_u8(&r) != 0x60) {
      m->r.pos = r.pos - 1;
      return pr_fail(&m->r, "unsupported type form");
    }
    t->is_func = true;
    t->nparams = pr_u32(&r);
    t->params = r.pos;
    for (uint32_t k = 0; k < t->nparams && !r.failed; k++)
      valtype(&r, NULL);
    t->nresults = pr_u32(&r);
    t->results = r.pos;
    for (uint32_t k = 0; k < t->nresults && !r.failed; k++)
      valtype(&r, NULL);
  }
  if (r.failed) {
    m->r.pos = r.base + r.error_offset;
    return pr_fail(&m->r, r.error);
  }
  return true;
}

/* Counts imports and defined items; records function type indices. */
static bool read_spaces(Module *m) {
  uint32_t nfuncs = 0, ndefs = 0;
  const Section *funcsec = NULL;
  for (size_t i = 0; i < m->nsecs; i++) {
    const Section *s = &m->secs[i];
    PrReader r = section_reader(m, s);
    switch (s->id) {
      case 1:
        if (!read_types(m, s)) return false;
        break;
      case 2: {
        uint32_t n = pr_u32(&r);
        for (uint32_t k = 0; k < n && !r.failed; k++) {
          pr_name(&r);
          pr_name(&r);
          uint8_t kind = pr_u8(&r);
          switch (kind) {
            case 0:
              pr_u32(&r);
              nfuncs++;
              break;
            case 1:
              valtype(&r, NULL);
              limits(&r, NULL);
              m->c.ntables++;
              break;
            case 2:
              limits(&r, NULL);
              m->c.nmems++;
              break;
            case 3:
              valtype(&r, NULL);
              pr_u8(&r);
              m->c.nglobals++;
              break;
            default:
              pr_fail(&r, "malformed import kind");
          }
        }
        break;
      }
      case 3:
        funcsec = s;
        ndefs = pr_u32(&r);
        break;
      case 4:
        m->c.ntables += pr_u32(&r);
        break;
      case 5:
        m->c.nmems += pr_u32(&r);
        break;
      case 6:
        m->c.nglobals += pr_u32(&r);
        break;
      case 9:
        m->c.nelems = pr_u32(&r);
        break;
      case 11:
        m->c.ndatas = pr_u32(&r);
        break;
    }
    if (r.failed) {
      m->r.pos = r.base + r.error_offset;
      return pr_fail(&m->r, r.error);
    }
  }
  m->c.nfunc_imports = nfuncs;
  if (ndefs > (funcsec ? funcsec->len : 0))
    return pr_fail(&m->r, "too many functions");
  m->c.nfuncs = nfuncs + ndefs;
  m->c.func_types =
      wg_arena_alloc(m->c.arena, (m->c.nfuncs ? m->c.nfuncs : 1) * 4);
  if (!m->c.func_types) return pr_fail(&m->r, "out of memory");
  uint32_t k = 0;
  for (size_t i = 0; i < m->nsecs; i++) {
    const Section *s = &m->secs[i];
    PrReader r = section_reader(m, s);
    if (s->id == 2) {
      uint32_t n = pr_u32(&r);
      for (uint32_t j = 0; j < n && !r.failed; j++) {
        pr_name(&r);
        pr_name(&r);
        uint8_t kind = pr_u8(&r);
        if (kind == 0) {
          if (k < m->c.nfuncs) m->c.func_types[k++] = pr_u32(&r);
        } else if (kind == 1) {
          valtype(&r, NULL);
          limits(&r, NULL);
        } else if (kind == 2) {
          limits(&r, NULL);
        } else {
          valtype(&r, NULL);
          pr_u8(&r);
        }
      }
    } else if (s->id == 3) {
      uint32_t n = pr_u32(&r);
      for (uint32_t j = 0; j < n && !r.failed && k < m->c.nfuncs; j++)
        m->c.func_types[k++] = pr_u32(&r);
      if (r.failed) {
        m->r.pos = r.base + r.error_offset;
        return pr_fail(&m->r, r.error);
      }
    }
  }
  return true;
}

/* A name map into parallel arrays (allocated in the arena). */
static bool name_map(Module *m, PrReader *r, uint32_t **idx, WgStr **names,
                     size_t *n) {
  uint32_t count = pr_u32(r);
  if (count > (size_t)(r->end - r->pos)) return pr_fail(r, "bad name map");
  *idx = wg_arena_alloc(m->c.arena, (count ? count : 1) * sizeof **idx);
  *names = wg_arena_alloc(m->c.arena, (count ? count : 1) * sizeof **names);
  if (!*idx || !*names) return pr_fail(r, "out of memory");
  for (uint32_t i = 0; i < count && !r->failed; i++) {
    (*idx)[i] = pr_u32(r);
    (*names)[i] = pr_name(r);
    if (!wg_utf8_valid((const uint8_t *)(*names)[i].ptr, (*names)[i].len, NULL))
      return pr_fail(r, "malformed UTF-8 in a name");
  }
  *n = count;
  return !r->failed;
}

static bool indirect_map(Module *m, PrReader *r, PrAssoc **out, size_t *n) {
  uint32_t count = pr_u32(r);
  size_t total = 0, cap = 0;
  PrAssoc *items = NULL;
  for (uint32_t i = 0; i < count && !r->failed; i++) {
    uint32_t func = pr_u32(r);
    uint32_t *idx;
    WgStr *names;
    size_t k;
    if (!name_map(m, r, &idx, &names, &k)) return false;
    if (total + k > cap) {
      size_t ncap = (total + k) * 2 + 16;
      PrAssoc *ni = wg_arena_alloc(m->c.arena, ncap * sizeof *ni);
      if (!ni) return pr_fail(r, "out of memory");
      if (total) memcpy(ni, items, total * sizeof *ni);
      items = ni;
      cap = ncap;
    }
    for (size_t j = 0; j < k; j++)
      items[total++] = (PrAssoc){ func, idx[j], names[j] };
  }
  *out = items;
  *n = total;
  return !r->failed;
}

/* Reads the name section; on any error the names are dropped (and the
 * section printed as a custom section instead). */
static bool read_names(Module *m, const Section *s) {
  PrReader r = section_reader(m, s);
  pr_name(&r); /* "name" */
  struct {
    PrIds *ids;
    const char *kind;
    uint32_t count;
  } spaces[12] = {
    [1] = { &m->c.func_ids, "func", m->c.nfuncs },
    [4] = { &m->c.type_ids, "type", m->c.ntypes },
    [5] = { &m->c.table_ids, "table", m->c.ntables },
    [6] = { &m->c.mem_ids, "memory", m->c.nmems },
    [7] = { &m->c.global_ids, "global", m->c.nglobals },
    [8] = { &m->c.elem_ids, "elem", m->c.nelems },
    [9] = { &m->c.data_ids, "data", m->c.ndatas },
  };
  int last = -1;
  while (!pr_at_end(&r)) {
    uint8_t id = pr_u8(&r);
    uint32_t size = pr_u32(&r);
    const uint8_t *body = pr_bytes(&r, size);
    if (!body || (int)id <= last) return false;
    last = id;
    PrReader sub = { m->bytes, body, body + size, false, NULL, 0 };
    if (id == 0) {
      m->module_name = pr_name(&sub);
      m->has_module_name = true;
    } else if (id == 2) {
      if (!indirect_map(m, &sub, &m->c.locals, &m->c.nlocals)) return false;
    } else if (id == 3) {
      if (!indirect_map(m, &sub, &m->c.labels, &m->c.nlabels)) return false;
    } else if (id < 12 && spaces[id].ids) {
      uint32_t *idx;
      WgStr *names;
      size_t n;
      if (!name_map(m, &sub, &idx, &names, &n)) return false;
      if (!pr_ids_init(spaces[id].ids, m->c.arena, spaces[id].kind,
                       spaces[id].count, idx, names, n))
        return false;
    } else {
      continue; /* fields, tags: not printed */
    }
    if (sub.failed || sub.pos != sub.end) return false;
  }
  return !r.failed;
}

static void drop_names(Module *m) {
  PrIds *all[] = { &m->c.func_ids, &m->c.type_ids,   &m->c.table_ids,
                   &m->c.mem_ids,  &m->c.global_ids, &m->c.elem_ids,
                   &m->c.data_ids };
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    memset(all[i], 0, sizeof *all[i]);
  m->c.nlocals = m->c.nlabels = 0;
  m->has_module_name = false;
}

/* ---- pass 2: printing ---------------------------------------------------- */

static void line(Module *m) {
  wg_buf_putc(m->c.out, '\n');
  pr_indent(m->c.out, m->c.indent);
}

static void index_comment(WgBuf *out, uint32_t i) {
  wg_buf_puts(out, " (;");
  pr_udec(out, i);
  wg_buf_puts(out, ";)");
}

/* `(param ...) (result ...)` of type `t`; params named by `local_ids`. */
static void signature(Module *m, const PrFuncType *t, const PrIds *local_ids) {
  WgBuf *out = m->c.out;
  bool open = false;
  for (uint32_t i = 0; i < t->nparams; i++) {
    const char *vt = pr_valtype_name(t->params[i]);
    if (local_ids && pr_ids_has(local_ids, i)) {
      if (open) wg_buf_putc(out, ')');
      open = false;
      wg_buf_puts(out, " (param");
      pr_ids_def(out, local_ids, i);
      wg_buf_printf(out, " %s)", vt);
      continue;
    }
    if (!open) wg_buf_puts(out, " (param");
    open = true;
    wg_buf_printf(out, " %s", vt);
  }
  if (open) wg_buf_putc(out, ')');
  if (t->nresults) {
    wg_buf_puts(out, " (result");
    for (uint32_t i = 0; i < t->nresults; i++)
      wg_buf_printf(out, " %s", pr_valtype_name(t->results[i]));
    wg_buf_putc(out, ')');
  }
}

static const PrFuncType *func_type(const Module *m, uint32_t ti) {
  return ti < m->c.ntypes && m->c.types[ti].is_func ? &m->c.types[ti] : NULL;
}

static bool print_types(Module *m, const Section *s) {
  WgBuf *out = m->c.out;
  for (uint32_t i = 0; i < m->c.ntypes; i++) {
    line(m);
    wg_buf_puts(out, "(type");
    pr_ids_def(out, &m->c.type_ids, i);
    index_comment(out, i);
    wg_buf_puts(out, " (func");
    signature(m, &m->c.types[i], NULL);
    wg_buf_puts(out, "))");
  }
  (void)s;
  return true;
}

static void global_type(PrReader *r, WgBuf *out) {
  uint8_t t = pr_u8(r);
  uint8_t mut = pr_u8(r);
  const char *n = pr_valtype_name(t);
  if (!n) {
    pr_fail(r, "malformed value type");
    return;
  }
  if (mut > 1) {
    pr_fail(r, "malformed mutability");
    return;
  }
  wg_buf_printf(out, mut ? " (mut %s)" : " %s", n);
}

static bool table_type(PrReader *r, WgBuf *out) {
  uint8_t t = pr_u8(r);
  const char *n = pr_valtype_name(t);
  if (!n || (t != 0x70 && t != 0x6f))
    return pr_fail(r, "malformed reference type");
  if (!limits(r, out)) return false;
  wg_buf_printf(out, " %s", n);
  return true;
}

static bool print_imports(Module *m, const Section *s) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0;
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    WgStr mod = pr_name(&r), name = pr_name(&r);
    line(m);
    wg_buf_puts(out, "(import ");
    pr_name_str(out, mod);
    wg_buf_putc(out, ' ');
    pr_name_str(out, name);
    uint8_t kind = pr_u8(&r);
    switch (kind) {
      case 0:
        wg_buf_puts(out, " (func");
        pr_ids_def(out, &m->c.func_ids, fi);
        index_comment(out, fi);
        wg_buf_puts(out, " (type");
        pr_ids_use(out, &m->c.type_ids, pr_u32(&r));
        wg_buf_puts(out, "))");
        fi++;
        break;
      case 1:
        wg_buf_puts(out, " (table");
        pr_ids_def(out, &m->c.table_ids, ti);
        index_comment(out, ti++);
        table_type(&r, out);
        wg_buf_putc(out, ')');
        break;
      case 2:
        wg_buf_puts(out, " (memory");
        pr_ids_def(out, &m->c.mem_ids, mi);
        index_comment(out, mi++);
        limits(&r, out);
        wg_buf_putc(out, ')');
        break;
      case 3:
        wg_buf_puts(out, " (global");
        pr_ids_def(out, &m->c.global_ids, gi);
        index_comment(out, gi++);
        global_type(&r, out);
        wg_buf_putc(out, ')');
        break;
      default:
        pr_fail(&r, "malformed import kind");
    }
    wg_buf_putc(out, ')');
  }
  if (r.failed) {
    m->r.pos = r.base + r.error_offset;
    return pr_fail(&m->r, r.error);
  }
  return true;
}

/* Counters of defined items, past the imports. */
typedef struct Next {
  uint32_t table, mem, global, func, elem, data;
} Next;

static bool print_tables(Module *m, const Section *s, Next *next) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    uint32_t idx = next->table++;
    line(m);
    wg_buf_puts(out, "(table");
    pr_ids_def(out, &m->c.table_ids, idx);
    index_comment(out, idx);
    table_type(&r, out);
    wg_buf_putc(out, ')');
  }
  if (r.failed) return pr_fail(&m->r, r.error);
  return true;
}

static bool print_memories(Module *m, const Section *s, Next *next) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    uint32_t idx = next->mem++;
    line(m);
    wg_buf_puts(out, "(memory");
    pr_ids_def(out, &m->c.mem_ids, idx);
    index_comment(out, idx);
    limits(&r, out);
    wg_buf_putc(out, ')');
  }
  if (r.failed) return pr_fail(&m->r, r.error);
  return true;
}

static bool print_globals(Module *m, const Section *s, Next *next) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    uint32_t idx = next->global++;
    line(m);
    wg_buf_puts(out, "(global");
    pr_ids_def(out, &m->c.global_ids, idx);
    index_comment(out, idx);
    global_type(&r, out);
    int count = 0;
    if (!r.failed) pr_const_expr(&m->c, &r, &count);
    if (count == 0) wg_buf_putc(out, ' ');
    wg_buf_putc(out, ')');
  }
  if (r.failed) return pr_fail(&m->r, r.error);
  return true;
}

static bool print_exports(Module *m, const Section *s) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  static const char *const kinds[] = { "func", "table", "memory", "global",
                                       "tag" };
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    WgStr name = pr_name(&r);
    uint8_t kind = pr_u8(&r);
    uint32_t idx = pr_u32(&r);
    if (kind > 4) {
      pr_fail(&r, "malformed export kind");
      break;
    }
    const PrIds *ids[] = { &m->c.func_ids, &m->c.table_ids, &m->c.mem_ids,
                           &m->c.global_ids, NULL };
    line(m);
    wg_buf_puts(out, "(export ");
    pr_name_str(out, name);
    wg_buf_printf(out, " (%s", kinds[kind]);
    if (ids[kind])
      pr_ids_use(out, ids[kind], idx);
    else
      pr_sp_udec(out, idx);
    wg_buf_puts(out, "))");
  }
  if (r.failed) return pr_fail(&m->r, r.error);
  return true;
}

/* An expression printed into a buffer of its own, to know whether it is a
 * single instruction. */
static bool expr_text(Module *m, PrReader *r, WgBuf *text, int *count) {
  WgBuf *saved = m->c.out;
  m->c.out = text;
  bool ok = pr_const_expr(&m->c, r, count);
  m->c.out = saved;
  return ok;
}

/* `(instr)` for one instruction, else `(keyword instr...)`. */
static bool wrapped_expr(Module *m, PrReader *r, const char *keyword) {
  WgBuf text = { 0 };
  int count;
  bool ok = expr_text(m, r, &text, &count);
  WgBuf *out = m->c.out;
  if (ok) {
    if (count == 1) {
      wg_buf_puts(out, " (");
      wg_buf_append(out, text.data + 1, text.len - 1);
      wg_buf_putc(out, ')');
    } else {
      wg_buf_printf(out, " (%s", keyword);
      wg_buf_append(out, text.data, text.len);
      wg_buf_puts(out, count ? ")" : " )");
    }
  }
  wg_buf_free(&text);
  return ok;
}

static bool print_elems(Module *m, const Section *s, Next *next) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    uint32_t idx = next->elem++;
    line(m);
    wg_buf_puts(out, "(elem");
    pr_ids_def(out, &m->c.elem_ids, idx);
    index_comment(out, idx);
    uint32_t flags = pr_u32(&r);
    if (flags > 7) {
      pr_fail(&r, "malformed elements segment kind");
      break;
    }
    bool exprs = flags & 4;
    if ((flags & 3) == 3) wg_buf_puts(out, " declare");
    if ((flags & 1) == 0) {
      if (flags & 2) {
        wg_buf_puts(out, " (table");
        pr_ids_use(out, &m->c.table_ids, pr_u32(&r));
        wg_buf_putc(out, ')');
      }
      if (!wrapped_expr(m, &r, "offset")) break;
    }
    if (flags & 3) {
      uint8_t t = pr_u8(&r);
      if (exprs) {
        const char *vt = pr_valtype_name(t);
        if (!vt || (t != 0x70 && t != 0x6f)) {
          pr_fail(&r, "malformed reference type");
          break;
        }
        wg_buf_printf(out, " %s", vt);
      } else if (t != 0) {
        pr_fail(&r, "malformed element kind");
        break;
      }
    } else if (exprs) {
      wg_buf_puts(out, " funcref");
    }
    if (!exprs) wg_buf_puts(out, " func");
    uint32_t count = pr_u32(&r);
    for (uint32_t k = 0; k < count && !r.failed; k++) {
      if (exprs) {
        if (!wrapped_expr(m, &r, "item")) break;
      } else {
        pr_ids_use(out, &m->c.func_ids, pr_u32(&r));
      }
    }
    wg_buf_putc(out, ')');
  }
  if (r.failed) return pr_fail(&m->r, r.error);
  return true;
}

static bool print_datas(Module *m, const Section *s, Next *next) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    uint32_t idx = next->data++;
    line(m);
    wg_buf_puts(out, "(data");
    pr_ids_def(out, &m->c.data_ids, idx);
    index_comment(out, idx);
    uint32_t flags = pr_u32(&r);
    if (flags > 2) {
      pr_fail(&r, "malformed data segment kind");
      break;
    }
    if (flags != 1) {
      /* memory 0 is implied (whichever encoding said it) */
      uint32_t mem = flags == 2 ? pr_u32(&r) : 0;
      if (mem) {
        wg_buf_puts(out, " (memory");
        pr_ids_use(out, &m->c.mem_ids, mem);
        wg_buf_putc(out, ')');
      }
      if (!wrapped_expr(m, &r, "offset")) break;
    }
    uint32_t len = pr_u32(&r);
    const uint8_t *bytes = pr_bytes(&r, len);
    if (!bytes) break;
    wg_buf_putc(out, ' ');
    pr_data_str(out, bytes, len);
    wg_buf_putc(out, ')');
  }
  if (r.failed) return pr_fail(&m->r, r.error);
  return true;
}

/* Ids of function `func`'s locals from the name section. */
static bool local_ids(Module *m, uint32_t func, uint32_t nlocals, PrIds *ids) {
  size_t first = 0, n = 0;
  for (size_t i = 0; i < m->c.nlocals; i++) {
    if (m->c.locals[i].func != func) continue;
    if (!n) first = i;
    n++;
  }
  memset(ids, 0, sizeof *ids);
  if (!n) return true;
  uint32_t *idx = wg_arena_alloc(m->c.arena, n * sizeof *idx);
  WgStr *names = wg_arena_alloc(m->c.arena, n * sizeof *names);
  if (!idx || !names) return false;
  size_t k = 0;
  for (size_t i = first; i < m->c.nlocals && k < n; i++) {
    if (m->c.locals[i].func != func) continue;
    idx[k] = m->c.locals[i].index;
    names[k++] = m->c.locals[i].name;
  }
  return pr_ids_init(ids, m->c.arena, "local", nlocals, idx, names, n);
}

static bool print_code(Module *m, const Section *s, Next *next) {
  PrReader r = section_reader(m, s);
  WgBuf *out = m->c.out;
  uint32_t n = pr_u32(&r);
  if (next->func + n != m->c.nfuncs)
    return pr_fail(&m->r,
                   "function and code section have inconsistent lengths");
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    uint32_t idx = next->func++;
    uint32_t size = pr_u32(&r);
    const uint8_t *body = pr_bytes(&r, size);
    if (!body) break;
    PrReader br = { m->bytes, body, body + size, false, NULL, 0 };
    uint32_t ti = m->c.func_types[idx];
    const PrFuncType *t = func_type(m, ti);
    /* locals */
    uint32_t nruns = pr_u32(&br);
    uint64_t total = t ? t->nparams : 0;
    const uint8_t *runs = br.pos;
    for (uint32_t k = 0; k < nruns && !br.failed; k++) {
      total += pr_u32(&br);
      valtype(&br, NULL);
      if (total > MAX_LOCALS) pr_fail(&br, "too many locals");
    }
    PrIds ids;
    if (!br.failed && !local_ids(m, idx, (uint32_t)total, &ids)) {
      pr_fail(&br, "out of memory");
    }
    if (br.failed) {
      r = br;
      break;
    }
    line(m);
    wg_buf_puts(out, "(func");
    pr_ids_def(out, &m->c.func_ids, idx);
    index_comment(out, idx);
    wg_buf_puts(out, " (type");
    pr_ids_use(out, &m->c.type_ids, ti);
    wg_buf_putc(out, ')');
    if (t) signature(m, t, &ids);
    bool empty = nruns == 0 && br.pos + 1 == br.end && *br.pos == 0x0b;
    if (empty) {
      wg_buf_putc(out, ')');
      continue;
    }
    if (nruns) {
      wg_buf_putc(out, '\n');
      pr_indent(out, m->c.indent + 1);
      PrReader lr = { m->bytes, runs, br.pos, false, NULL, 0 };
      uint32_t local = t ? t->nparams : 0;
      bool open = false, first = true;
      for (uint32_t k = 0; k < nruns; k++) {
        uint32_t count = pr_u32(&lr);
        const char *vt = pr_valtype_name(pr_u8(&lr));
        for (uint32_t j = 0; j < count; j++, local++) {
          if (pr_ids_has(&ids, local)) {
            if (open) wg_buf_putc(out, ')');
            open = false;
            wg_buf_puts(out, first ? "(local" : " (local");
            pr_ids_def(out, &ids, local);
            wg_buf_printf(out, " %s)", vt);
          } else {
            if (!open) wg_buf_puts(out, first ? "(local" : " (local");
            open = true;
            wg_buf_printf(out, " %s", vt);
          }
          first = false;
        }
      }
      if (open) wg_buf_putc(out, ')');
    }
    if (!pr_code(&m->c, &br, idx, m->c.indent + 1, &ids)) {
      r = br;
      break;
    }
    line(m);
    wg_buf_putc(out, ')');
  }
  if (r.failed) {
    m->r.pos = r.base + r.error_offset;
    return pr_fail(&m->r, r.error);
  }
  return true;
}

/* `(@producers (field "name" "version")...)`; false when it does not
 * parse (then printed raw). */
static bool print_producers(Module *m, const Section *s) {
  PrReader r = section_reader(m, s);
  pr_name(&r);
  WgBuf text = { 0 };
  uint32_t n = pr_u32(&r);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    WgStr field = pr_name(&r);
    uint32_t k = pr_u32(&r);
    bool word = field.len > 0;
    for (size_t j = 0; j < field.len; j++)
      if (!((field.ptr[j] >= 'a' && field.ptr[j] <= 'z') ||
            field.ptr[j] == '-'))
        word = false;
    if (!word) pr_fail(&r, "odd field");
    for (uint32_t j = 0; j < k && !r.failed; j++) {
      WgStr name = pr_name(&r), version = pr_name(&r);
      wg_buf_putc(&text, '\n');
      pr_indent(&text, m->c.indent + 1);
      wg_buf_putc(&text, '(');
      wg_buf_append_str(&text, field);
      wg_buf_putc(&text, ' ');
      pr_name_str(&text, name);
      wg_buf_putc(&text, ' ');
      pr_name_str(&text, version);
      wg_buf_putc(&text, ')');
    }
  }
  bool ok = !r.failed && pr_at_end(&r);
  if (ok) {
    line(m);
    wg_buf_puts(m->c.out, "(@producers");
    wg_buf_append(m->c.out, text.data, text.len);
    line(m);
    wg_buf_putc(m->c.out, ')');
  }
  wg_buf_free(&text);
  return ok;
}

static void print_custom(Module *m, const Section *s, int last_id) {
  WgBuf *out = m->c.out;
  if (s->custom.len == 9 && !memcmp(s->custom.ptr, "producers", 9) &&
      print_producers(m, s))
    return;
  line(m);
  wg_buf_puts(out, "(@custom ");
  pr_name_str(out, s->custom);
  if (last_id < 0) {
    wg_buf_puts(out, " (before first)");
  } else {
    wg_buf_printf(out, " (after %s)", section_anchor((uint8_t)last_id));
  }
  PrReader r = section_reader(m, s);
  pr_name(&r);
  wg_buf_putc(out, ' ');
  pr_data_str(out, r.pos, (size_t)(r.end - r.pos));
  wg_buf_putc(out, ')');
}

bool pr_core_module(WgBuf *out, const uint8_t *bytes, size_t len, int indent,
                    const char *head, WgDiagList *diags, size_t base) {
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  Module m;
  memset(&m, 0, sizeof m);
  m.c.out = out;
  m.c.arena = &arena;
  m.c.indent = indent + 1;
  m.bytes = bytes;
  m.len = len;
  m.r = (PrReader){ bytes, bytes, bytes + len, false, NULL, 0 };
  bool ok = read_sections(&m) && read_spaces(&m);
  for (size_t i = 0; ok && i < m.nsecs; i++) {
    const Section *s = &m.secs[i];
    if (s->id == 0 && s->custom.len == 4 && !memcmp(s->custom.ptr, "name", 4)) {
      if (read_names(&m, s)) {
        m.has_name_section = true;
        m.name_section = i;
      } else {
        drop_names(&m);
      }
      break;
    }
  }
  if (ok) {
    wg_buf_putc(out, '(');
    if (head) {
      wg_buf_puts(out, head);
    } else {
      wg_buf_puts(out, "module");
      if (m.has_module_name) {
        PrIds mod;
        uint32_t zero = 0;
        if (pr_ids_init(&mod, &arena, "module", 1, &zero, &m.module_name, 1))
          pr_ids_def(out, &mod, 0);
      }
    }
  }
  size_t head_end = out->len;
  Next next = { 0, 0, 0, m.c.nfunc_imports, 0, 0 };
  /* defined items follow the imports in each space */
  if (ok) {
    uint32_t t = 0, mem = 0, g = 0;
    for (size_t i = 0; i < m.nsecs; i++) {
      if (m.secs[i].id != 2) continue;
      PrReader r = section_reader(&m, &m.secs[i]);
      uint32_t n = pr_u32(&r);
      for (uint32_t k = 0; k < n && !r.failed; k++) {
        pr_name(&r);
        pr_name(&r);
        uint8_t kind = pr_u8(&r);
        if (kind == 0) {
          pr_u32(&r);
        } else if (kind == 1) {
          t++;
          valtype(&r, NULL);
          limits(&r, NULL);
        } else if (kind == 2) {
          mem++;
          limits(&r, NULL);
        } else {
          g++;
          valtype(&r, NULL);
          pr_u8(&r);
        }
      }
    }
    next.table = t;
    next.mem = mem;
    next.global = g;
  }
  int last = -1;
  for (size_t i = 0; ok && i < m.nsecs; i++) {
    const Section *s = &m.secs[i];
    switch (s->id) {
      case 0:
        if (!(m.has_name_section && i == m.name_section))
          print_custom(&m, s, last);
        break;
      case 1:
        ok = print_types(&m, s);
        break;
      case 2:
        ok = print_imports(&m, s);
        break;
      case 4:
        ok = print_tables(&m, s, &next);
        break;
      case 5:
        ok = print_memories(&m, s, &next);
        break;
      case 6:
        ok = print_globals(&m, s, &next);
        break;
      case 7:
        ok = print_exports(&m, s);
        break;
      case 8: {
        PrReader r = section_reader(&m, s);
        line(&m);
        wg_buf_puts(out, "(start");
        pr_ids_use(out, &m.c.func_ids, pr_u32(&r));
        wg_buf_putc(out, ')');
        if (r.failed) ok = pr_fail(&m.r, r.error);
        break;
      }
      case 9:
        ok = print_elems(&m, s, &next);
        break;
      case 10:
        ok = print_code(&m, s, &next);
        break;
      case 11:
        ok = print_datas(&m, s, &next);
        break;
      default:
        break; /* function, data count: nothing of their own */
    }
    if (s->id) last = s->id;
  }
  if (ok) {
    /* an empty module closes on its first line */
    if (out->len == head_end) {
      wg_buf_putc(out, ')');
    } else {
      wg_buf_putc(out, '\n');
      pr_indent(out, indent);
      wg_buf_putc(out, ')');
    }
  } else {
    if (!m.r.failed) pr_fail(&m.r, "malformed module");
    wg_diag_list_add_at(diags, WG_ERR_MALFORMED, base + m.r.error_offset, "%s",
                        m.r.error);
  }
  wg_arena_release(&arena);
  return ok;
}
