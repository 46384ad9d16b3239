/* SPDX-License-Identifier: Apache-2.0 */
/* Component binary -> text, in the layout wasm-tools prints: one
 * definition a line with its index comment, component and instance types
 * and instantiations over several lines, core modules through the core
 * printer, identifiers from the `component-name` section. The binary is
 * decoded by the component decoder (component_binary.h); decoding, not
 * validation, is required. */
#include <string.h>

#include "comp.h"
#include "component/cformat.h"
#include "print.h"
#include "witgen/core_module.h"

/* The names and index counts of one component (or component / instance
 * type: no names) being printed. */
typedef struct PScope {
  const struct PScope *parent;
  bool is_type;
  PrIds ids[NS_COUNT];
  uint32_t counts[NS_COUNT];
  WgStr name; /* the component's name, for outer aliases naming it */
  bool has_name;
} PScope;

typedef struct CPrinter {
  WgBuf *out;
  WgArena *arena;
  WgDiagList *diags;
  const uint8_t *base; /* the whole binary (core module offsets) */
  size_t base_offset;
  bool failed;
} CPrinter;

static const char *const NS_KIND[NS_COUNT] = {
  "core-func", "core-table",  "core-memory",   "core-global", "core-tag",
  "core-type", "core-module", "core-instance", "func",        "value",
  "type",      "component",   "instance"
};

static void nl(CPrinter *pr, int indent) {
  wg_buf_putc(pr->out, '\n');
  pr_indent(pr->out, indent);
}

static void comment(CPrinter *pr, uint32_t index) {
  wg_buf_printf(pr->out, " (;%u;)", index);
}

/* ` $id` or ` N` of index `index` of `ns` in scope `s`. */
static void use(CPrinter *pr, const PScope *s, uint8_t ns, uint32_t index) {
  pr_ids_use(pr->out, &s->ids[ns], index);
}

/* A definition's ` $id (@name ..)?` then ` (;N;)`; counts the index. */
static uint32_t def(CPrinter *pr, PScope *s, uint8_t ns) {
  uint32_t i = s->counts[ns]++;
  pr_ids_def(pr->out, &s->ids[ns], i);
  comment(pr, i);
  return i;
}

/* ---- names ----------------------------------------------------------------
 */

static bool read_names(CPrinter *pr, PScope *s, const WgCDef *d,
                       uint32_t counts[NS_COUNT]) {
  PrReader r = { d->u.custom.bytes,
                 d->u.custom.bytes,
                 d->u.custom.bytes + d->u.custom.len,
                 false,
                 NULL,
                 0 };
  int last = -1;
  while (!pr_at_end(&r)) {
    uint8_t id = pr_u8(&r);
    uint32_t size = pr_u32(&r);
    const uint8_t *body = pr_bytes(&r, size);
    if (!body || (int)id < last) return false;
    last = id;
    PrReader sub = { body, body, body + size, false, NULL, 0 };
    if (id == 0) {
      s->name = pr_name(&sub);
      s->has_name = true;
    } else if (id == 1) {
      uint8_t sort = pr_u8(&sub), core = 0;
      if (sort == WG_CSORT_CORE) core = pr_u8(&sub);
      uint8_t ns = cp_sort_ns(sort, core);
      if (ns == NS_NONE) return false;
      uint32_t n = pr_u32(&sub);
      if (n > size) return false;
      uint32_t *idx = wg_arena_alloc(pr->arena, (n ? n : 1) * sizeof *idx);
      WgStr *names = wg_arena_alloc(pr->arena, (n ? n : 1) * sizeof *names);
      if (!idx || !names) return false;
      for (uint32_t i = 0; i < n && !sub.failed; i++) {
        idx[i] = pr_u32(&sub);
        names[i] = pr_name(&sub);
      }
      if (sub.failed) return false;
      if (!pr_ids_init(&s->ids[ns], pr->arena, NS_KIND[ns], counts[ns], idx,
                       names, n))
        return false;
    }
    if (sub.failed) return false;
  }
  return !r.failed;
}

/* The size of every index space of a component (for the name maps). */
static void count_spaces(const WgComponent *c, uint32_t counts[NS_COUNT]) {
  memset(counts, 0, NS_COUNT * sizeof *counts);
  for (uint32_t i = 0; i < c->def_count; i++) {
    const WgCDef *d = &c->defs[i];
    switch (d->kind) {
      case WG_CDEF_CORE_MODULE:
        counts[NS_CMODULE]++;
        break;
      case WG_CDEF_CORE_INSTANCE:
        counts[NS_CINSTANCE]++;
        break;
      case WG_CDEF_CORE_TYPE:
        counts[NS_CTYPE]++;
        break;
      case WG_CDEF_COMPONENT:
        counts[NS_COMPONENT]++;
        break;
      case WG_CDEF_INSTANCE:
        counts[NS_INSTANCE]++;
        break;
      case WG_CDEF_TYPE:
        counts[NS_TYPE]++;
        break;
      case WG_CDEF_ALIAS: {
        uint8_t ns = cp_sort_ns(d->u.alias.sort, d->u.alias.core_sort);
        if (ns != NS_NONE) counts[ns]++;
        break;
      }
      case WG_CDEF_CANON:
        counts[d->u.canon.op == WG_CANON_LIFT ? NS_FUNC : NS_CFUNC]++;
        break;
      case WG_CDEF_IMPORT: {
        static const uint8_t ns[] = { NS_CMODULE, NS_FUNC,      NS_VALUE,
                                      NS_TYPE,    NS_COMPONENT, NS_INSTANCE };
        if (d->u.extern_.type.kind < 6) counts[ns[d->u.extern_.type.kind]]++;
        break;
      }
      case WG_CDEF_EXPORT: {
        uint8_t ns = cp_sort_ns(d->u.extern_.sort, d->u.extern_.core_sort);
        if (ns != NS_NONE) counts[ns]++;
        break;
      }
      case WG_CDEF_START: {
        /* the results are values: the count ends the start bytes */
        PrReader r = { d->u.start.bytes,
                       d->u.start.bytes,
                       d->u.start.bytes + d->u.start.len,
                       false,
                       NULL,
                       0 };
        pr_u32(&r);
        uint32_t n = pr_u32(&r);
        for (uint32_t k = 0; k < n && !r.failed; k++)
          pr_u32(&r);
        counts[NS_VALUE] += pr_u32(&r);
        break;
      }
      default:
        break;
    }
  }
}

/* ---- types ----------------------------------------------------------------
 */

static void valtype(CPrinter *pr, const PScope *s, WgCValType t) {
  if (t.prim) {
    wg_buf_putc(pr->out, ' ');
    wg_buf_puts(pr->out, wg_cprim_name((WgCPrim)t.prim));
  } else {
    use(pr, s, NS_TYPE, t.index);
  }
}

static void print_decls(CPrinter *pr, const PScope *outer, const WgCType *t,
                        int indent);

static void name_str(CPrinter *pr, WgStr s) {
  wg_buf_putc(pr->out, ' ');
  pr_name_str(pr->out, s);
}

/* A type definition's body: ` (record ...)` on the line, or component and
 * instance types on lines of their own at `indent`. */
static void type_body(CPrinter *pr, const PScope *s, const WgCType *t,
                      int indent) {
  WgBuf *out = pr->out;
  switch (t->kind) {
    case WG_CT_PRIM:
      wg_buf_printf(out, " %s", wg_cprim_name((WgCPrim)t->u.prim));
      return;
    case WG_CT_RECORD:
      wg_buf_puts(out, " (record");
      for (uint32_t i = 0; i < t->u.fields.count; i++) {
        wg_buf_puts(out, " (field");
        name_str(pr, t->u.fields.items[i].label);
        valtype(pr, s, t->u.fields.items[i].type);
        wg_buf_putc(out, ')');
      }
      wg_buf_putc(out, ')');
      return;
    case WG_CT_VARIANT:
      wg_buf_puts(out, " (variant");
      for (uint32_t i = 0; i < t->u.fields.count; i++) {
        wg_buf_puts(out, " (case");
        name_str(pr, t->u.fields.items[i].label);
        if (t->u.fields.items[i].has_type)
          valtype(pr, s, t->u.fields.items[i].type);
        wg_buf_putc(out, ')');
      }
      wg_buf_putc(out, ')');
      return;
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
      wg_buf_puts(out, " (list");
      valtype(pr, s, t->u.list.elem);
      if (t->kind == WG_CT_FIXED_LIST) wg_buf_printf(out, " %u", t->u.list.len);
      wg_buf_putc(out, ')');
      return;
    case WG_CT_TUPLE:
      wg_buf_puts(out, " (tuple");
      for (uint32_t i = 0; i < t->u.fields.count; i++)
        valtype(pr, s, t->u.fields.items[i].type);
      wg_buf_putc(out, ')');
      return;
    case WG_CT_FLAGS:
    case WG_CT_ENUM:
      wg_buf_puts(out, t->kind == WG_CT_FLAGS ? " (flags" : " (enum");
      for (uint32_t i = 0; i < t->u.fields.count; i++)
        name_str(pr, t->u.fields.items[i].label);
      wg_buf_putc(out, ')');
      return;
    case WG_CT_OPTION:
      wg_buf_puts(out, " (option");
      valtype(pr, s, t->u.list.elem);
      wg_buf_putc(out, ')');
      return;
    case WG_CT_RESULT:
      wg_buf_puts(out, " (result");
      if (t->u.result.has_ok) valtype(pr, s, t->u.result.ok);
      if (t->u.result.has_err) {
        wg_buf_puts(out, " (error");
        valtype(pr, s, t->u.result.err);
        wg_buf_putc(out, ')');
      }
      wg_buf_putc(out, ')');
      return;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      wg_buf_puts(out, t->kind == WG_CT_OWN ? " (own" : " (borrow");
      use(pr, s, NS_TYPE, t->u.resource);
      wg_buf_putc(out, ')');
      return;
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      wg_buf_puts(out, t->kind == WG_CT_STREAM ? " (stream" : " (future");
      if (t->u.async.has_elem) valtype(pr, s, t->u.async.elem);
      wg_buf_putc(out, ')');
      return;
    case WG_CT_MAP:
      wg_buf_puts(out, " (map");
      valtype(pr, s, t->u.map.key);
      valtype(pr, s, t->u.map.value);
      wg_buf_putc(out, ')');
      return;
    case WG_CT_FUNC:
      wg_buf_puts(out, t->u.func.is_async ? " (func async" : " (func");
      for (uint32_t i = 0; i < t->u.func.param_count; i++) {
        wg_buf_puts(out, " (param");
        name_str(pr, t->u.func.params[i].label);
        valtype(pr, s, t->u.func.params[i].type);
        wg_buf_putc(out, ')');
      }
      if (t->u.func.has_result) {
        wg_buf_puts(out, " (result");
        valtype(pr, s, t->u.func.result);
        wg_buf_putc(out, ')');
      }
      wg_buf_putc(out, ')');
      return;
    case WG_CT_RESOURCE:
      wg_buf_puts(out, " (resource (rep i32)");
      if (t->u.resource_def.has_dtor) {
        wg_buf_puts(out, " (dtor");
        use(pr, s, NS_CFUNC, t->u.resource_def.dtor);
        wg_buf_putc(out, ')');
      }
      wg_buf_putc(out, ')');
      return;
    case WG_CT_COMPONENT:
    case WG_CT_INSTANCE:
      nl(pr, indent);
      wg_buf_puts(out, t->kind == WG_CT_COMPONENT ? "(component" : "(instance");
      if (t->u.decls.count) {
        print_decls(pr, s, t, indent + 1);
        nl(pr, indent);
      }
      wg_buf_putc(out, ')');
      return;
  }
}

/* `(type $id? (;N;) body)` at `indent` (the `(type` already placed). */
static void type_def(CPrinter *pr, PScope *s, const WgCType *t, int indent) {
  def(pr, s, NS_TYPE);
  bool multi = t->kind == WG_CT_COMPONENT || t->kind == WG_CT_INSTANCE;
  type_body(pr, s, t, indent + 1);
  if (multi) nl(pr, indent);
  wg_buf_putc(pr->out, ')');
}

/* ---- core types -----------------------------------------------------------
 */

static void core_functype(CPrinter *pr, PrReader *r) {
  WgBuf *out = pr->out;
  wg_buf_puts(out, "(func");
  for (int part = 0; part < 2; part++) {
    uint32_t n = pr_u32(r);
    if (n) wg_buf_puts(out, part ? " (result" : " (param");
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      const char *vt = pr_valtype_name(pr_u8(r));
      wg_buf_printf(out, " %s", vt ? vt : "?");
    }
    if (n) wg_buf_putc(out, ')');
  }
  wg_buf_putc(out, ')');
}

static void core_limits(CPrinter *pr, PrReader *r) {
  uint8_t flags = pr_u8(r);
  wg_buf_printf(pr->out, " %u", pr_u32(r));
  if (flags & 1) wg_buf_printf(pr->out, " %u", pr_u32(r));
  if (flags & 2) wg_buf_puts(pr->out, " shared");
}

/* An import/export description of a module type. */
static void core_desc(CPrinter *pr, PrReader *r) {
  WgBuf *out = pr->out;
  uint8_t kind = pr_u8(r);
  switch (kind) {
    case WG_EXTERN_FUNC:
      wg_buf_printf(out, " (func (type %u))", pr_u32(r));
      break;
    case WG_EXTERN_TABLE: {
      const char *rt = pr_valtype_name(pr_u8(r));
      wg_buf_puts(out, " (table");
      core_limits(pr, r);
      wg_buf_printf(out, " %s)", rt ? rt : "?");
      break;
    }
    case WG_EXTERN_MEMORY:
      wg_buf_puts(out, " (memory");
      core_limits(pr, r);
      wg_buf_putc(out, ')');
      break;
    case WG_EXTERN_GLOBAL: {
      const char *vt = pr_valtype_name(pr_u8(r));
      bool mut = pr_u8(r);
      wg_buf_printf(out, mut ? " (global (mut %s))" : " (global %s)",
                    vt ? vt : "?");
      break;
    }
    default:
      pr_fail(r, "malformed core extern type");
  }
}

/* `(core type $id? (;N;) ...)` body from its bytes. */
static void core_type(CPrinter *pr, const uint8_t *bytes, size_t len,
                      int indent) {
  PrReader r = { bytes, bytes, bytes + len, false, NULL, 0 };
  uint8_t form = pr_u8(&r);
  WgBuf *out = pr->out;
  if (form == WG_COP_CORE_FUNC) {
    wg_buf_putc(out, ' ');
    core_functype(pr, &r);
    return;
  }
  nl(pr, indent);
  wg_buf_puts(out, "(module");
  uint32_t n = pr_u32(&r);
  uint32_t types = 0;
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    nl(pr, indent + 1);
    uint8_t tag = pr_u8(&r);
    switch (tag) {
      case WG_CMDECL_IMPORT: {
        WgStr mod = pr_name(&r), name = pr_name(&r);
        wg_buf_puts(out, "(import ");
        pr_name_str(out, mod);
        wg_buf_putc(out, ' ');
        pr_name_str(out, name);
        core_desc(pr, &r);
        wg_buf_putc(out, ')');
        break;
      }
      case WG_CMDECL_TYPE:
        wg_buf_printf(out, "(type (;%u;) ", types++);
        if (pr_u8(&r) != WG_COP_CORE_FUNC) {
          pr_fail(&r, "unsupported core type");
          break;
        }
        core_functype(pr, &r);
        wg_buf_putc(out, ')');
        break;
      case WG_CMDECL_ALIAS: {
        pr_u8(&r); /* WG_CCORE_TYPE */
        pr_u8(&r); /* WG_CALIAS_CORE_OUTER */
        uint32_t ct = pr_u32(&r), idx = pr_u32(&r);
        wg_buf_printf(out, "(alias outer %u %u (type (;%u;)))", ct, idx,
                      types++);
        break;
      }
      case WG_CMDECL_EXPORT: {
        WgStr name = pr_name(&r);
        wg_buf_puts(out, "(export ");
        pr_name_str(out, name);
        core_desc(pr, &r);
        wg_buf_putc(out, ')');
        break;
      }
      default:
        pr_fail(&r, "malformed module type declaration");
    }
  }
  if (n) nl(pr, indent);
  wg_buf_putc(out, ')');
  if (r.failed) pr->failed = true;
}

/* ---- extern names and types ---------------------------------------------- */

static void extern_name(CPrinter *pr, const WgCName *n) {
  name_str(pr, n->name);
  if (n->implements.ptr) {
    wg_buf_puts(pr->out, " (implements");
    name_str(pr, n->implements);
    wg_buf_putc(pr->out, ')');
  }
  if (n->version_suffix.ptr) {
    wg_buf_puts(pr->out, " (versionsuffix");
    name_str(pr, n->version_suffix);
    wg_buf_putc(pr->out, ')');
  }
  if (n->external_id.ptr) {
    wg_buf_puts(pr->out, " (external-id");
    name_str(pr, n->external_id);
    wg_buf_putc(pr->out, ')');
  }
}

static uint8_t extern_ns(uint8_t kind) {
  static const uint8_t ns[] = { NS_CMODULE, NS_FUNC,      NS_VALUE,
                                NS_TYPE,    NS_COMPONENT, NS_INSTANCE };
  return kind < 6 ? ns[kind] : NS_NONE;
}

static const char *extern_kw(uint8_t kind) {
  static const char *const kws[] = { "core module", "func",      "value",
                                     "type",        "component", "instance" };
  return kind < 6 ? kws[kind] : "?";
}

/* `(sort $id? (;N;)? signature)`; `define` counts a new index. */
static void extern_type(CPrinter *pr, PScope *s, const WgCExternType *t,
                        bool define) {
  WgBuf *out = pr->out;
  wg_buf_printf(out, " (%s", extern_kw(t->kind));
  if (define) def(pr, s, extern_ns(t->kind));
  switch (t->kind) {
    case WG_CSORT_CORE:
      wg_buf_puts(out, " (type");
      use(pr, s, NS_CTYPE, t->index);
      wg_buf_putc(out, ')');
      break;
    case WG_CSORT_VALUE:
      if (t->bound == WG_CBOUND_EQ) {
        wg_buf_puts(out, " (eq");
        use(pr, s, NS_VALUE, t->index);
        wg_buf_putc(out, ')');
      } else {
        valtype(pr, s, t->value_type);
      }
      break;
    case WG_CSORT_TYPE:
      if (t->bound == WG_CBOUND_EQ) {
        wg_buf_puts(out, " (eq");
        use(pr, s, NS_TYPE, t->index);
        wg_buf_putc(out, ')');
      } else {
        wg_buf_puts(out, " (sub resource)");
      }
      break;
    default:
      wg_buf_puts(out, " (type");
      use(pr, s, NS_TYPE, t->index);
      wg_buf_putc(out, ')');
  }
  wg_buf_putc(out, ')');
}

/* ---- aliases ------------------------------------------------------------- */

static const char *sort_kw(uint8_t ns) {
  static const char *const kws[NS_COUNT] = {
    "core func", "core table",  "core memory",   "core global", "core tag",
    "core type", "core module", "core instance", "func",        "value",
    "type",      "component",   "instance"
  };
  return ns < NS_COUNT ? kws[ns] : "?";
}

static void alias(CPrinter *pr, PScope *s, const WgCAlias *a) {
  WgBuf *out = pr->out;
  uint8_t ns = cp_sort_ns(a->sort, a->core_sort);
  switch (a->kind) {
    case WG_CALIAS_EXPORT:
      wg_buf_puts(out, "(alias export");
      use(pr, s, NS_INSTANCE, a->instance);
      break;
    case WG_CALIAS_CORE_EXPORT:
      wg_buf_puts(out, "(alias core export");
      use(pr, s, NS_CINSTANCE, a->instance);
      break;
    default: {
      const PScope *t = s;
      for (uint32_t i = 0; t && i < a->instance; i++)
        t = t->parent;
      if (!t)
        wg_buf_printf(out, "(; invalid outer alias count %u ;) ", a->instance);
      wg_buf_puts(out, "(alias outer");
      PrIds one;
      uint32_t zero = 0;
      if (!(t && !t->is_type && t->has_name &&
            pr_ids_init(&one, pr->arena, "component", 1, &zero, &t->name, 1) &&
            pr_ids_ref(out, &one, 0)))
        wg_buf_printf(out, " %u", a->instance);
      if (t && ns != NS_NONE)
        use(pr, t, ns, a->index);
      else
        wg_buf_printf(out, " %u", a->index);
    }
  }
  if (a->kind != WG_CALIAS_OUTER) name_str(pr, a->name);
  wg_buf_printf(out, " (%s", sort_kw(ns));
  if (ns != NS_NONE) def(pr, s, ns);
  wg_buf_puts(out, "))");
}

/* ---- declarators of component and instance types ------------------------ */

static void print_decls(CPrinter *pr, const PScope *outer, const WgCType *t,
                        int indent) {
  PScope s;
  memset(&s, 0, sizeof s);
  s.parent = outer;
  s.is_type = true;
  WgBuf *out = pr->out;
  for (uint32_t i = 0; i < t->u.decls.count; i++) {
    const WgCDecl *d = &t->u.decls.items[i];
    nl(pr, indent);
    switch (d->kind) {
      case WG_CDECL_CORE_TYPE:
        wg_buf_puts(out, "(core type");
        def(pr, &s, NS_CTYPE);
        core_type(pr, d->u.core_type.bytes, d->u.core_type.len, indent + 1);
        if (d->u.core_type.len && d->u.core_type.bytes[0] != WG_COP_CORE_FUNC)
          nl(pr, indent);
        wg_buf_putc(out, ')');
        break;
      case WG_CDECL_TYPE:
        wg_buf_puts(out, "(type");
        type_def(pr, &s, d->u.type, indent);
        break;
      case WG_CDECL_ALIAS:
        alias(pr, &s, &d->u.alias);
        break;
      case WG_CDECL_IMPORT:
        wg_buf_puts(out, "(import");
        extern_name(pr, &d->u.extern_.name);
        extern_type(pr, &s, &d->u.extern_.type, true);
        wg_buf_putc(out, ')');
        break;
      case WG_CDECL_EXPORT:
        wg_buf_puts(out, "(export");
        comment(pr, s.counts[extern_ns(d->u.extern_.type.kind)]++);
        extern_name(pr, &d->u.extern_.name);
        extern_type(pr, &s, &d->u.extern_.type, false);
        wg_buf_putc(out, ')');
        break;
    }
  }
}

/* ---- canonical definitions ------------------------------------------------
 */

static void canon_opts(CPrinter *pr, const PScope *s, PrReader *r) {
  WgBuf *out = pr->out;
  uint32_t n = pr_u32(r);
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    uint8_t op = pr_u8(r);
    switch (op) {
      case WG_COPT_UTF8:
        wg_buf_puts(out, " string-encoding=utf8");
        break;
      case WG_COPT_UTF16:
        wg_buf_puts(out, " string-encoding=utf16");
        break;
      case WG_COPT_LATIN1_UTF16:
        wg_buf_puts(out, " string-encoding=latin1+utf16");
        break;
      case WG_COPT_MEMORY:
        wg_buf_puts(out, " (memory");
        use(pr, s, NS_CMEMORY, pr_u32(r));
        wg_buf_putc(out, ')');
        break;
      case WG_COPT_REALLOC:
      case WG_COPT_POST_RETURN:
      case WG_COPT_CALLBACK:
        wg_buf_puts(out, op == WG_COPT_REALLOC       ? " (realloc"
                         : op == WG_COPT_POST_RETURN ? " (post-return"
                                                     : " (callback");
        use(pr, s, NS_CFUNC, pr_u32(r));
        wg_buf_putc(out, ')');
        break;
      case WG_COPT_ASYNC:
        wg_buf_puts(out, " async");
        break;
      default:
        pr_fail(r, "malformed canonical option");
    }
  }
}

/* `(core func ... (canon lift ...))` with its type first. */
static void canon_lift(CPrinter *pr, PScope *s, const WgCCanon *cn) {
  WgBuf *out = pr->out;
  wg_buf_puts(out, "(func");
  def(pr, s, NS_FUNC);
  wg_buf_puts(out, " (type");
  use(pr, s, NS_TYPE, cn->type);
  wg_buf_puts(out, ") (canon lift (core func");
  use(pr, s, NS_CFUNC, cn->func);
  wg_buf_putc(out, ')');
  PrReader r = { cn->opts.raw, cn->opts.raw, cn->opts.raw + cn->opts.raw_len,
                 false,        NULL,         0 };
  canon_opts(pr, s, &r);
  wg_buf_puts(out, "))");
}

/* task.return's `(result t)?` and options. */
static void task_return(CPrinter *pr, const PScope *s, PrReader *r) {
  WgBuf *out = pr->out;
  if (pr_u8(r) == WG_CRESULTS_ONE) {
    wg_buf_puts(out, " (result");
    /* an s33: a primitive byte or a type index */
    if (r->pos < r->end && *r->pos >= 0x40 && *r->pos < 0x80) {
      wg_buf_printf(out, " %s", wg_cprim_name((WgCPrim)pr_u8(r)));
    } else {
      use(pr, s, NS_TYPE, (uint32_t)pr_s33(r));
    }
    wg_buf_putc(out, ')');
  } else {
    pr_u8(r);
  }
  canon_opts(pr, s, r);
}

/* The immediates of a built-in other than resource.*, from its raw bytes. */
static void builtin_immediates(CPrinter *pr, const PScope *s, WgCCanonImm imm,
                               PrReader *r) {
  WgBuf *out = pr->out;
  uint8_t b;
  switch (imm) {
    case WG_CIMM_TYPE:
      use(pr, s, NS_TYPE, pr_u32(r));
      break;
    case WG_CIMM_TYPE_OPTS:
      use(pr, s, NS_TYPE, pr_u32(r));
      canon_opts(pr, s, r);
      break;
    case WG_CIMM_TYPE_ASYNC:
      use(pr, s, NS_TYPE, pr_u32(r));
      if (pr_u8(r)) wg_buf_puts(out, " async");
      break;
    case WG_CIMM_OPTS:
      canon_opts(pr, s, r);
      break;
    case WG_CIMM_ASYNC:
      if (pr_u8(r)) wg_buf_puts(out, " async");
      break;
    case WG_CIMM_CANCEL:
      if (pr_u8(r)) wg_buf_puts(out, " cancellable");
      break;
    case WG_CIMM_CANCEL_MEM:
      if (pr_u8(r)) wg_buf_puts(out, " cancellable");
      wg_buf_puts(out, " (memory");
      use(pr, s, NS_CMEMORY, pr_u32(r));
      wg_buf_putc(out, ')');
      break;
    case WG_CIMM_CONTEXT:
      b = pr_u8(r);
      wg_buf_printf(out, " %s %u",
                    pr_valtype_name(b) ? pr_valtype_name(b) : "?", pr_u32(r));
      break;
    case WG_CIMM_RETURN:
      task_return(pr, s, r);
      break;
    case WG_CIMM_FT_TABLE:
      use(pr, s, NS_CTYPE, pr_u32(r));
      use(pr, s, NS_CTABLE, pr_u32(r));
      break;
    default:
      break;
  }
}

static void canon(CPrinter *pr, PScope *s, const WgCCanon *cn, int indent) {
  WgBuf *out = pr->out;
  (void)indent;
  if (cn->op == WG_CANON_LIFT) {
    canon_lift(pr, s, cn);
    return;
  }
  wg_buf_puts(out, "(core func");
  def(pr, s, NS_CFUNC);
  if (cn->op == WG_CANON_LOWER) {
    wg_buf_puts(out, " (canon lower (func");
    use(pr, s, NS_FUNC, cn->func);
    wg_buf_putc(out, ')');
    PrReader r = { cn->opts.raw, cn->opts.raw, cn->opts.raw + cn->opts.raw_len,
                   false,        NULL,         0 };
    canon_opts(pr, s, &r);
    wg_buf_puts(out, "))");
    return;
  }
  const WgCCanonInfo *info = wg_ccanon_info(cn->op);
  if (info && !info->in_text) info = NULL;
  wg_buf_printf(out, " (canon %s", info ? info->text : "?");
  if (info && info->imm == WG_CIMM_RESOURCE) {
    use(pr, s, NS_TYPE, cn->type);
  } else if (info) {
    PrReader r = { cn->raw, cn->raw, cn->raw + cn->raw_len, false, NULL, 0 };
    builtin_immediates(pr, s, info->imm, &r);
  }
  wg_buf_puts(out, "))");
}

/* ---- instances ------------------------------------------------------------
 */

static void sort_item(CPrinter *pr, const PScope *s, uint8_t sort,
                      uint8_t core_sort, uint32_t index) {
  uint8_t ns = cp_sort_ns(sort, core_sort);
  wg_buf_printf(pr->out, " (%s", sort_kw(ns));
  if (ns != NS_NONE)
    use(pr, s, ns, index);
  else
    wg_buf_printf(pr->out, " %u", index);
  wg_buf_putc(pr->out, ')');
}

static void instance(CPrinter *pr, PScope *s, const WgCInstance *in,
                     int indent) {
  WgBuf *out = pr->out;
  wg_buf_puts(out, in->is_core ? "(core instance" : "(instance");
  def(pr, s, in->is_core ? NS_CINSTANCE : NS_INSTANCE);
  if (in->instantiate) {
    wg_buf_puts(out, " (instantiate");
    use(pr, s, in->is_core ? NS_CMODULE : NS_COMPONENT, in->target);
    for (uint32_t i = 0; i < in->arg_count; i++) {
      const WgCInstantiateArg *a = &in->args[i];
      nl(pr, indent + 2);
      wg_buf_puts(out, "(with");
      name_str(pr, a->name);
      if (in->is_core) {
        wg_buf_puts(out, " (instance");
        use(pr, s, NS_CINSTANCE, a->index);
        wg_buf_putc(out, ')');
      } else {
        sort_item(pr, s, a->sort, a->core_sort, a->index);
      }
      wg_buf_putc(out, ')');
    }
    if (in->arg_count) {
      nl(pr, indent + 1);
      wg_buf_putc(out, ')');
      nl(pr, indent);
    } else {
      wg_buf_putc(out, ')');
    }
    wg_buf_putc(out, ')');
    return;
  }
  for (uint32_t i = 0; i < in->arg_count; i++) {
    const WgCInstantiateArg *a = &in->args[i];
    nl(pr, indent + 1);
    wg_buf_puts(out, "(export");
    if (in->is_core) {
      name_str(pr, a->name);
      uint8_t ns = cp_sort_ns(WG_CSORT_CORE, a->core_sort);
      static const char *const core_kws[] = { "func", "table", "memory",
                                              "global", "tag" };
      wg_buf_printf(out, " (%s", ns <= NS_CTAG ? core_kws[ns] : "?");
      if (ns != NS_NONE)
        use(pr, s, ns, a->index);
      else
        wg_buf_printf(out, " %u", a->index);
      wg_buf_putc(out, ')');
    } else {
      extern_name(pr, &in->export_names[i]);
      sort_item(pr, s, a->sort, a->core_sort, a->index);
    }
    wg_buf_putc(out, ')');
  }
  if (in->arg_count) nl(pr, indent);
  wg_buf_putc(out, ')');
}

/* ---- customs ----------------------------------------------------------------
 */

static bool producers(CPrinter *pr, const WgCDef *d, int indent) {
  PrReader r = { d->u.custom.bytes,
                 d->u.custom.bytes,
                 d->u.custom.bytes + d->u.custom.len,
                 false,
                 NULL,
                 0 };
  WgBuf text = { 0 };
  uint32_t n = pr_u32(&r);
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    WgStr field = pr_name(&r);
    bool word = field.len > 0;
    for (size_t j = 0; j < field.len; j++)
      if (!((field.ptr[j] >= 'a' && field.ptr[j] <= 'z') ||
            field.ptr[j] == '-'))
        word = false;
    if (!word) pr_fail(&r, "odd field");
    uint32_t k = pr_u32(&r);
    for (uint32_t j = 0; j < k && !r.failed; j++) {
      WgStr name = pr_name(&r), version = pr_name(&r);
      wg_buf_putc(&text, '\n');
      pr_indent(&text, indent + 1);
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
    wg_buf_puts(pr->out, "(@producers");
    wg_buf_append(pr->out, text.data, text.len);
    nl(pr, indent);
    wg_buf_putc(pr->out, ')');
  }
  wg_buf_free(&text);
  return ok;
}

static bool is_named(const WgCDef *d, const char *name) {
  size_t n = strlen(name);
  return d->kind == WG_CDEF_CUSTOM && d->u.custom.name.len == n &&
         !memcmp(d->u.custom.name.ptr, name, n);
}

/* ---- components
 * -------------------------------------------------------------- */

static void component_body(CPrinter *pr, const PScope *parent,
                           const WgComponent *c, int indent, PScope *s);

static void nested(CPrinter *pr, PScope *s, const WgComponent *c, int indent) {
  WgBuf *out = pr->out;
  wg_buf_puts(out, "(component");
  def(pr, s, NS_COMPONENT);
  PScope inner;
  component_body(pr, s, c, indent + 1, &inner);
  wg_buf_putc(out, ')');
}

/* Prints the definitions of `c` at `indent`, each on a new line; leaves
 * the output at the line to close on (a newline and indent - 1 when there
 * were definitions). */
static void component_body(CPrinter *pr, const PScope *parent,
                           const WgComponent *c, int indent, PScope *s) {
  memset(s, 0, sizeof *s);
  s->parent = parent;
  uint32_t counts[NS_COUNT];
  count_spaces(c, counts);
  const WgCDef *names = NULL;
  for (uint32_t i = 0; i < c->def_count; i++) {
    if (is_named(&c->defs[i], "component-name")) {
      PScope tmp = *s;
      if (read_names(pr, &tmp, &c->defs[i], counts)) {
        *s = tmp;
        names = &c->defs[i];
      }
      break;
    }
  }
  WgBuf *out = pr->out;
  uint32_t printed = 0;
  for (uint32_t i = 0; i < c->def_count && !pr->failed; i++) {
    const WgCDef *d = &c->defs[i];
    if (d == names) continue;
    nl(pr, indent);
    printed++;
    switch (d->kind) {
      case WG_CDEF_CUSTOM:
        if (is_named(d, "producers") && producers(pr, d, indent)) break;
        wg_buf_puts(out, "(@custom");
        name_str(pr, d->u.custom.name);
        wg_buf_putc(out, ' ');
        pr_data_str(out, d->u.custom.bytes, d->u.custom.len);
        wg_buf_putc(out, ')');
        break;
      case WG_CDEF_CORE_MODULE: {
        WgBuf head = { 0 };
        WgBuf *saved = pr->out;
        pr->out = &head;
        wg_buf_puts(&head, "core module");
        def(pr, s, NS_CMODULE);
        pr->out = saved;
        size_t offset = (size_t)(d->u.module.bytes - pr->base);
        bool ok =
            pr_core_module(out, d->u.module.bytes, d->u.module.len, indent,
                           head.data, pr->diags, pr->base_offset + offset);
        wg_buf_free(&head);
        if (!ok) pr->failed = true;
        break;
      }
      case WG_CDEF_CORE_INSTANCE:
      case WG_CDEF_INSTANCE:
        instance(pr, s, &d->u.instance, indent);
        break;
      case WG_CDEF_CORE_TYPE:
        wg_buf_puts(out, "(core type");
        def(pr, s, NS_CTYPE);
        core_type(pr, d->u.core_type.bytes, d->u.core_type.len, indent + 1);
        if (d->u.core_type.len && d->u.core_type.bytes[0] != WG_COP_CORE_FUNC)
          nl(pr, indent);
        wg_buf_putc(out, ')');
        break;
      case WG_CDEF_COMPONENT:
        nested(pr, s, d->u.component, indent);
        break;
      case WG_CDEF_ALIAS:
        alias(pr, s, &d->u.alias);
        break;
      case WG_CDEF_TYPE:
        wg_buf_puts(out, "(type");
        type_def(pr, s, d->u.type, indent);
        break;
      case WG_CDEF_CANON:
        canon(pr, s, &d->u.canon, indent);
        break;
      case WG_CDEF_START: {
        PrReader r = { d->u.start.bytes,
                       d->u.start.bytes,
                       d->u.start.bytes + d->u.start.len,
                       false,
                       NULL,
                       0 };
        wg_buf_puts(out, "(start");
        use(pr, s, NS_FUNC, pr_u32(&r));
        uint32_t n = pr_u32(&r);
        for (uint32_t k = 0; k < n && !r.failed; k++) {
          wg_buf_puts(out, " (value");
          use(pr, s, NS_VALUE, pr_u32(&r));
          wg_buf_putc(out, ')');
        }
        uint32_t results = pr_u32(&r);
        for (uint32_t k = 0; k < results && !r.failed; k++) {
          wg_buf_puts(out, " (result (value");
          def(pr, s, NS_VALUE);
          wg_buf_puts(out, "))");
        }
        wg_buf_putc(out, ')');
        break;
      }
      case WG_CDEF_IMPORT:
        wg_buf_puts(out, "(import");
        extern_name(pr, &d->u.extern_.name);
        extern_type(pr, s, &d->u.extern_.type, true);
        wg_buf_putc(out, ')');
        break;
      case WG_CDEF_EXPORT: {
        wg_buf_puts(out, "(export");
        uint8_t ns = cp_sort_ns(d->u.extern_.sort, d->u.extern_.core_sort);
        if (ns != NS_NONE) def(pr, s, ns);
        extern_name(pr, &d->u.extern_.name);
        sort_item(pr, s, d->u.extern_.sort, d->u.extern_.core_sort,
                  d->u.extern_.index);
        if (d->u.extern_.has_type) {
          /* the ascribed type, without an index of its own */
          PScope tmp = *s;
          extern_type(pr, &tmp, &d->u.extern_.type, false);
        }
        wg_buf_putc(out, ')');
        break;
      }
    }
  }
  if (printed) nl(pr, indent - 1);
}

bool pr_component(WgBuf *out, const uint8_t *bytes, size_t len, int indent,
                  const char *head, WgDiagList *diags, size_t base) {
  WgDiagList *d = wg_diag_list_new();
  WgComponent *c = NULL;
  WgStatus st = wg_component_decode(bytes, len, (WgAllocator){ 0 }, &c, d);
  if (st != WG_OK) {
    const WgDiag *e =
        d && wg_diag_list_count(d) ? wg_diag_list_get(d, 0) : NULL;
    wg_diag_list_add_at(diags, st, base + (e && e->has_offset ? e->offset : 0),
                        "%s", e ? e->message : wg_status_str(st));
    wg_diag_list_delete(d);
    return false;
  }
  wg_diag_list_delete(d);
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  CPrinter pr = { out, &arena, diags, bytes, base, false };
  wg_buf_putc(out, '(');
  PScope s;
  if (head) {
    wg_buf_puts(out, head);
    component_body(&pr, NULL, c, indent + 1, &s);
  } else {
    /* the component's own name comes from its name section */
    wg_buf_puts(out, "component");
    size_t at = out->len;
    component_body(&pr, NULL, c, indent + 1, &s);
    if (s.has_name) {
      WgBuf rest = { 0 };
      wg_buf_append(&rest, out->data + at, out->len - at);
      out->len = at;
      PrIds one;
      uint32_t zero = 0;
      if (pr_ids_init(&one, &arena, "component", 1, &zero, &s.name, 1))
        pr_ids_def(out, &one, 0);
      wg_buf_append(out, rest.data, rest.len);
      wg_buf_free(&rest);
    }
  }
  wg_buf_putc(out, ')');
  bool ok = !pr.failed;
  if (!ok && !wg_diag_list_error_count(diags))
    wg_diag_list_add_at(diags, WG_ERR_MALFORMED, base, "malformed component");
  wg_arena_release(&arena);
  wg_component_free(c);
  return ok;
}
