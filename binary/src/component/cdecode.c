/* SPDX-License-Identifier: Apache-2.0 */
/* Component binary decoder: Binary.md of the component model, read into the
 * definitions of ctype.h. Structural decoding only; validation of index
 * spaces and types is a separate pass. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cformat.h"
#include "leb128.h"
#include "utf8.h"
#include "witgen/component_binary.h"
#include "witgen/core_module.h"

enum { MAX_NESTING = 100 };

typedef struct Reader {
  const uint8_t *base;
  const uint8_t *pos;
  const uint8_t *end;
  WgArena *arena;
  int depth;
  bool nomem;
  bool failed;
  size_t fail_offset; /* of the first error */
  char message[160];  /* the first error, reported once at the end */
} Reader;

__attribute__((format(printf, 2, 3))) static bool fail(Reader *r,
                                                       const char *fmt, ...) {
  if (!r->failed) {
    r->failed = true;
    r->fail_offset = (size_t)(r->pos - r->base);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
  }
  return false;
}

static void *alloc_array(Reader *r, size_t count, size_t size) {
  if (count == 0) return NULL;
  void *p = wg_arena_zalloc(r->arena, count * size);
  if (!p) {
    r->nomem = true;
    fail(r, "out of memory");
  }
  return p;
}

static bool read_byte(Reader *r, uint8_t *out) {
  *out = 0; /* defined even on failure */
  if (r->pos >= r->end) return fail(r, "unexpected end");
  *out = *r->pos++;
  return true;
}

static bool read_u32(Reader *r, uint32_t *out) {
  *out = 0;
  if (!wg_leb_u32(&r->pos, r->end, out)) {
    return fail(r,
                r->pos >= r->end ? "unexpected end" : "malformed LEB128 u32");
  }
  return true;
}

/* A vector count, sanity-checked against the bytes left (every element
 * takes at least one byte), so a hostile count cannot make us allocate. */
static bool read_count(Reader *r, uint32_t *out) {
  if (!read_u32(r, out)) return false;
  if (*out > (size_t)(r->end - r->pos)) {
    return fail(r, "vector of %u items exceeds the remaining %zu bytes", *out,
                (size_t)(r->end - r->pos));
  }
  return true;
}

static bool read_name(Reader *r, WgStr *out) {
  uint32_t len;
  if (!read_u32(r, &len)) return false;
  if (len > (size_t)(r->end - r->pos)) return fail(r, "unexpected end");
  if (!wg_utf8_valid(r->pos, len, NULL)) {
    return fail(r, "malformed UTF-8 encoding");
  }
  out->ptr = (const char *)r->pos;
  out->len = len;
  r->pos += len;
  return true;
}

static bool read_valtype(Reader *r, WgCValType *out) {
  if (r->pos >= r->end) return fail(r, "unexpected end");
  uint8_t b = *r->pos;
  /* An s33: a one-byte negative value is a primitive; anything else is a
   * non-negative type index (possibly several bytes, e.g. 0xc3 0x00). */
  if (b >= 0x40 && b < 0x80) {
    if (!wg_cprim_valid(b)) return fail(r, "invalid value type 0x%02x", b);
    r->pos++;
    out->prim = b;
    out->index = 0;
    return true;
  }
  out->prim = 0;
  return read_u32(r, &out->index);
}

static bool read_opt_valtype(Reader *r, bool *has, WgCValType *out) {
  uint8_t flag;
  if (!read_byte(r, &flag)) return false;
  if (flag > 1) return fail(r, "malformed optional: 0x%02x", flag);
  *has = flag == 1;
  return !*has || read_valtype(r, out);
}

static bool read_labelled(Reader *r, WgCField **items, uint32_t *count,
                          bool with_type) {
  if (!read_count(r, count)) return false;
  *items = alloc_array(r, *count, sizeof **items);
  if (*count && !*items) return false;
  for (uint32_t i = 0; i < *count; i++) {
    if (!read_name(r, &(*items)[i].label)) return false;
    if (with_type) {
      (*items)[i].has_type = true;
      if (!read_valtype(r, &(*items)[i].type)) return false;
    }
  }
  return true;
}

static bool read_cases(Reader *r, WgCType *t) {
  if (!read_count(r, &t->u.fields.count)) return false;
  t->u.fields.items = alloc_array(r, t->u.fields.count, sizeof(WgCField));
  if (t->u.fields.count && !t->u.fields.items) return false;
  for (uint32_t i = 0; i < t->u.fields.count; i++) {
    WgCField *c = &t->u.fields.items[i];
    uint8_t refines;
    if (!read_name(r, &c->label) ||
        !read_opt_valtype(r, &c->has_type, &c->type) ||
        !read_byte(r, &refines)) {
      return false;
    }
    if (refines != 0) return fail(r, "variant case refinement unsupported");
  }
  return true;
}

static bool read_name_attrs(Reader *r, WgCName *out) {
  memset(out, 0, sizeof *out);
  if (!read_byte(r, &out->form)) return false;
  if (out->form > WG_CNAME_ATTRIBUTES)
    return fail(r, "malformed name form 0x%02x", out->form);
  if (!read_name(r, &out->name)) return false;
  if (out->form != WG_CNAME_ATTRIBUTES) return true;
  uint32_t count;
  if (!read_count(r, &count)) return false;
  for (uint32_t i = 0; i < count; i++) {
    uint8_t kind;
    if (!read_byte(r, &kind)) return false;
    WgStr *slot = kind == 0   ? &out->implements
                  : kind == 1 ? &out->version_suffix
                  : kind == 2 ? &out->external_id
                              : NULL;
    if (!slot) return fail(r, "malformed name attribute 0x%02x", kind);
    if (slot->ptr) {
      static const char *const names[] = { "implements", "versionsuffix",
                                           "external-id" };
      return fail(r, "duplicate '%s' option in name", names[kind]);
    }
    if (!read_name(r, slot)) return false;
  }
  return true;
}

static bool read_externtype(Reader *r, WgCExternType *out) {
  memset(out, 0, sizeof *out);
  if (!read_byte(r, &out->kind)) return false;
  switch (out->kind) {
    case WG_CSORT_CORE: {
      uint8_t sort;
      if (!read_byte(r, &sort)) return false;
      if (sort != WG_CCORE_MODULE) return fail(r, "malformed core module type");
      return read_u32(r, &out->index);
    }
    case WG_CSORT_FUNC:
    case WG_CSORT_COMPONENT:
    case WG_CSORT_INSTANCE:
      return read_u32(r, &out->index);
    case WG_CSORT_VALUE:
      if (!read_byte(r, &out->bound)) return false;
      if (out->bound == WG_CBOUND_EQ) return read_u32(r, &out->index);
      if (out->bound == WG_CBOUND_SUB_RESOURCE)
        return read_valtype(r, &out->value_type);
      return fail(r, "malformed value bound 0x%02x", out->bound);
    case WG_CSORT_TYPE:
      if (!read_byte(r, &out->bound)) return false;
      if (out->bound == WG_CBOUND_EQ) return read_u32(r, &out->index);
      if (out->bound == WG_CBOUND_SUB_RESOURCE) return true;
      return fail(r, "malformed type bound 0x%02x", out->bound);
    default:
      return fail(r, "malformed extern type 0x%02x", out->kind);
  }
}

static bool read_sort(Reader *r, uint8_t *sort, uint8_t *core_sort) {
  *core_sort = 0;
  if (!read_byte(r, sort)) return false;
  if (*sort == WG_CSORT_CORE) {
    if (!read_byte(r, core_sort)) return false;
    uint8_t c = *core_sort;
    if (c > WG_CCORE_TAG && (c < WG_CCORE_TYPE || c > WG_CCORE_INSTANCE)) {
      return fail(r, "malformed core sort 0x%02x", c);
    }
    return true;
  }
  if (*sort > WG_CSORT_INSTANCE) return fail(r, "malformed sort 0x%02x", *sort);
  return true;
}

static bool read_alias(Reader *r, WgCAlias *out) {
  memset(out, 0, sizeof *out);
  if (!read_sort(r, &out->sort, &out->core_sort) || !read_byte(r, &out->kind)) {
    return false;
  }
  switch (out->kind) {
    case WG_CALIAS_EXPORT:
    case WG_CALIAS_CORE_EXPORT:
      return read_u32(r, &out->instance) && read_name(r, &out->name);
    case WG_CALIAS_OUTER:
      /* outeraliassort: core module, core type, type, component */
      if (!(out->sort == WG_CSORT_TYPE || out->sort == WG_CSORT_COMPONENT ||
            (out->sort == WG_CSORT_CORE &&
             (out->core_sort == WG_CCORE_MODULE ||
              out->core_sort == WG_CCORE_TYPE)))) {
        r->pos -= 2 + (out->sort == WG_CSORT_CORE);
        return fail(r,
                    "invalid leading byte (0x%x) for component outer "
                    "alias kind",
                    out->sort == WG_CSORT_CORE ? out->core_sort : out->sort);
      }
      return read_u32(r, &out->instance) && read_u32(r, &out->index);
    default:
      return fail(r, "malformed alias kind 0x%02x", out->kind);
  }
}

/* A core type inside a type declaration: only the extent matters here (a
 * core module type or a wasm function type); kept as raw bytes. */
static bool skip_core_valtype(Reader *r) {
  uint8_t b;
  return read_byte(r, &b);
}

static bool skip_core_functype(Reader *r) {
  for (int part = 0; part < 2; part++) {
    uint32_t n;
    if (!read_count(r, &n)) return false;
    for (uint32_t i = 0; i < n; i++) {
      if (!skip_core_valtype(r)) return false;
    }
  }
  return true;
}

static bool skip_core_limits(Reader *r) {
  uint8_t flags;
  uint32_t v;
  if (!read_byte(r, &flags) || !read_u32(r, &v)) return false;
  if (flags & 1) return read_u32(r, &v);
  return true;
}

static bool skip_core_import_desc(Reader *r) {
  uint8_t kind, b;
  uint32_t idx;
  if (!read_byte(r, &kind)) return false;
  switch (kind) {
    case WG_EXTERN_FUNC:
      return read_u32(r, &idx);
    case WG_EXTERN_TABLE:
      return read_byte(r, &b) && skip_core_limits(r);
    case WG_EXTERN_MEMORY:
      return skip_core_limits(r);
    case WG_EXTERN_GLOBAL:
      return read_byte(r, &b) && read_byte(r, &b);
    case WG_EXTERN_TAG:
      return read_byte(r, &b) && read_u32(r, &idx);
    default:
      return fail(r, "malformed core extern type 0x%02x", kind);
  }
}

static bool skip_core_type(Reader *r, int depth);

static bool skip_core_moduletype(Reader *r, int depth) {
  uint32_t n;
  if (!read_count(r, &n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t tag, b;
    WgStr s;
    uint32_t idx;
    if (!read_byte(r, &tag)) return false;
    switch (tag) {
      case WG_CMDECL_IMPORT:
        if (!read_name(r, &s) || !read_name(r, &s) || !skip_core_import_desc(r))
          return false;
        break;
      case WG_CMDECL_TYPE:
        if (!skip_core_type(r, depth + 1)) return false;
        break;
      case WG_CMDECL_ALIAS:
        if (!read_byte(r, &b) || b != WG_CCORE_TYPE || !read_byte(r, &b) ||
            b != WG_CALIAS_CORE_OUTER || !read_u32(r, &idx) ||
            !read_u32(r, &idx))
          return fail(r, "malformed core alias");
        break;
      case WG_CMDECL_EXPORT:
        if (!read_name(r, &s) || !skip_core_import_desc(r)) return false;
        break;
      default:
        return fail(r, "malformed module type declaration 0x%02x", tag);
    }
  }
  return true;
}

static bool skip_core_type(Reader *r, int depth) {
  if (depth > MAX_NESTING) return fail(r, "types nested too deeply");
  uint8_t form;
  if (!read_byte(r, &form)) return false;
  if (form == WG_COP_CORE_FUNC) return skip_core_functype(r);
  if (form == WG_COP_CORE_MODULE) return skip_core_moduletype(r, depth);
  if (form == WG_COP_CORE_SUB_PREFIX) {
    /* a non-final GC subtype; only function types are read */
    uint8_t sub;
    uint32_t n, idx;
    if (!read_byte(r, &sub) || sub != WG_COP_CORE_SUB)
      return fail(r, "malformed core subtype: 0x50 expected after 0x00");
    if (!read_count(r, &n)) return false;
    for (uint32_t i = 0; i < n; i++)
      if (!read_u32(r, &idx)) return false;
    if (!read_byte(r, &form)) return false;
    if (form == WG_COP_CORE_FUNC) return skip_core_functype(r);
  }
  return fail(r, "unsupported core type form 0x%02x", form);
}

static WgCType *read_type(Reader *r);

static bool read_decls(Reader *r, WgCType *t, bool component) {
  if (!read_count(r, &t->u.decls.count)) return false;
  t->u.decls.items = alloc_array(r, t->u.decls.count, sizeof(WgCDecl));
  if (t->u.decls.count && !t->u.decls.items) return false;
  for (uint32_t i = 0; i < t->u.decls.count; i++) {
    WgCDecl *d = &t->u.decls.items[i];
    uint8_t tag;
    if (!read_byte(r, &tag)) return false;
    switch (tag) {
      case WG_CDECL_TAG_CORE_TYPE: {
        d->kind = WG_CDECL_CORE_TYPE;
        const uint8_t *start = r->pos;
        if (!skip_core_type(r, r->depth)) return false;
        d->u.core_type.bytes = start;
        d->u.core_type.len = (size_t)(r->pos - start);
        break;
      }
      case WG_CDECL_TAG_TYPE:
        d->kind = WG_CDECL_TYPE;
        if (!(d->u.type = read_type(r))) return false;
        break;
      case WG_CDECL_TAG_ALIAS:
        d->kind = WG_CDECL_ALIAS;
        if (!read_alias(r, &d->u.alias)) return false;
        break;
      case WG_CDECL_TAG_IMPORT:
        if (!component) return fail(r, "import in an instance type");
        d->kind = WG_CDECL_IMPORT;
        if (!read_name_attrs(r, &d->u.extern_.name) ||
            !read_externtype(r, &d->u.extern_.type))
          return false;
        break;
      case WG_CDECL_TAG_EXPORT:
        d->kind = WG_CDECL_EXPORT;
        if (!read_name_attrs(r, &d->u.extern_.name) ||
            !read_externtype(r, &d->u.extern_.type))
          return false;
        break;
      default:
        return fail(r, "malformed declaration 0x%02x", tag);
    }
  }
  return true;
}

static bool read_func_type(Reader *r, WgCType *t) {
  WgCField *params;
  if (!read_labelled(r, &params, &t->u.func.param_count, true)) return false;
  t->u.func.params = params;
  uint8_t tag;
  if (!read_byte(r, &tag)) return false;
  if (tag == WG_CRESULTS_ONE) {
    t->u.func.has_result = true;
    return read_valtype(r, &t->u.func.result);
  }
  if (tag == WG_CRESULTS_NONE) {
    uint8_t zero;
    if (!read_byte(r, &zero)) return false;
    if (zero != 0) return fail(r, "named results are no longer supported");
    return true;
  }
  return fail(r, "malformed result list 0x%02x", tag);
}

static WgCType *read_type(Reader *r) {
  if (++r->depth > MAX_NESTING) {
    fail(r, "types nested deeper than %d levels", MAX_NESTING);
    return NULL;
  }
  WgCType *t = alloc_array(r, 1, sizeof *t);
  uint8_t op;
  if (!t || !read_byte(r, &op)) return NULL;
  bool ok = true;
  if (wg_cprim_valid(op)) {
    t->kind = WG_CT_PRIM;
    t->u.prim = op;
  } else {
    switch (op) {
      case WG_COP_RECORD:
        t->kind = WG_CT_RECORD;
        ok = read_labelled(r, &t->u.fields.items, &t->u.fields.count, true);
        break;
      case WG_COP_VARIANT:
        t->kind = WG_CT_VARIANT;
        ok = read_cases(r, t);
        break;
      case WG_COP_LIST:
        t->kind = WG_CT_LIST;
        ok = read_valtype(r, &t->u.list.elem);
        break;
      case WG_COP_FIXED_LIST:
        t->kind = WG_CT_FIXED_LIST;
        ok = read_valtype(r, &t->u.list.elem) && read_u32(r, &t->u.list.len);
        break;
      case WG_COP_TUPLE:
        t->kind = WG_CT_TUPLE;
        ok = read_count(r, &t->u.fields.count);
        if (ok && t->u.fields.count) {
          t->u.fields.items =
              alloc_array(r, t->u.fields.count, sizeof(WgCField));
          ok = t->u.fields.items != NULL;
          for (uint32_t i = 0; ok && i < t->u.fields.count; i++) {
            t->u.fields.items[i].has_type = true;
            ok = read_valtype(r, &t->u.fields.items[i].type);
          }
        }
        break;
      case WG_COP_FLAGS:
        t->kind = WG_CT_FLAGS;
        ok = read_labelled(r, &t->u.fields.items, &t->u.fields.count, false);
        break;
      case WG_COP_ENUM:
        t->kind = WG_CT_ENUM;
        ok = read_labelled(r, &t->u.fields.items, &t->u.fields.count, false);
        break;
      case WG_COP_OPTION:
        t->kind = WG_CT_OPTION;
        ok = read_valtype(r, &t->u.list.elem);
        break;
      case WG_COP_RESULT:
        t->kind = WG_CT_RESULT;
        ok = read_opt_valtype(r, &t->u.result.has_ok, &t->u.result.ok) &&
             read_opt_valtype(r, &t->u.result.has_err, &t->u.result.err);
        break;
      case WG_COP_OWN:
      case WG_COP_BORROW:
        t->kind = op == WG_COP_OWN ? WG_CT_OWN : WG_CT_BORROW;
        ok = read_u32(r, &t->u.resource);
        break;
      case WG_COP_STREAM:
      case WG_COP_FUTURE:
        t->kind = op == WG_COP_STREAM ? WG_CT_STREAM : WG_CT_FUTURE;
        ok = read_opt_valtype(r, &t->u.async.has_elem, &t->u.async.elem);
        break;
      case WG_COP_MAP:
        t->kind = WG_CT_MAP;
        ok = read_valtype(r, &t->u.map.key) && read_valtype(r, &t->u.map.value);
        break;
      case WG_COP_FUNC:
      case WG_COP_ASYNC_FUNC:
        t->kind = WG_CT_FUNC;
        t->u.func.is_async = op == WG_COP_ASYNC_FUNC;
        ok = read_func_type(r, t);
        break;
      case WG_COP_COMPONENT:
        t->kind = WG_CT_COMPONENT;
        ok = read_decls(r, t, true);
        break;
      case WG_COP_INSTANCE:
        t->kind = WG_CT_INSTANCE;
        ok = read_decls(r, t, false);
        break;
      case WG_COP_RESOURCE: {
        t->kind = WG_CT_RESOURCE;
        ok = read_byte(r, &t->u.resource_def.rep);
        if (ok && t->u.resource_def.rep != 0x7f) {
          ok = fail(r, "resource representation must be i32");
        }
        uint8_t flag = 0;
        ok = ok && read_byte(r, &flag);
        if (ok && flag > 1) ok = fail(r, "malformed optional: 0x%02x", flag);
        t->u.resource_def.has_dtor = flag == 1;
        if (ok && flag == 1) ok = read_u32(r, &t->u.resource_def.dtor);
        break;
      }
      default:
        r->pos--;
        ok = fail(r, "malformed type opcode 0x%02x", op);
    }
  }
  r->depth--;
  return ok ? t : NULL;
}

static const char *encoding_name(uint8_t op) {
  return op == WG_COPT_UTF8    ? "utf8"
         : op == WG_COPT_UTF16 ? "utf16"
                               : "latin1-utf16";
}

/* Canonical options. `strict`: duplicate and conflicting options are
 * errors here; lift and lower leave them to the validator (which reports
 * them with the reference validator's wording), so that such components
 * still decode and print. */
static bool read_canon_opts(Reader *r, WgCCanonOpts *o, bool strict) {
  o->raw = r->pos;
  uint32_t n;
  if (!read_count(r, &n)) return false;
  bool seen_encoding = false;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t op;
    if (!read_byte(r, &op)) return false;
    switch (op) {
      case WG_COPT_UTF8:
      case WG_COPT_UTF16:
      case WG_COPT_LATIN1_UTF16:
        if (seen_encoding && strict)
          return fail(r,
                      "canonical encoding option `%s` conflicts with option "
                      "`%s`",
                      encoding_name(o->string_encoding), encoding_name(op));
        seen_encoding = true;
        o->has_string_encoding = true;
        o->string_encoding = op;
        break;
      case WG_COPT_MEMORY:
        if (o->has_memory && strict)
          return fail(r, "canonical option `memory` is specified more than "
                         "once");
        o->has_memory = true;
        if (!read_u32(r, &o->memory)) return false;
        break;
      case WG_COPT_REALLOC:
        if (o->has_realloc && strict)
          return fail(r, "canonical option `realloc` is specified more than "
                         "once");
        o->has_realloc = true;
        if (!read_u32(r, &o->realloc)) return false;
        break;
      case WG_COPT_POST_RETURN:
        if (o->has_post_return && strict)
          return fail(r, "canonical option `post-return` is specified more "
                         "than once");
        o->has_post_return = true;
        if (!read_u32(r, &o->post_return)) return false;
        break;
      case WG_COPT_ASYNC:
        o->is_async = true;
        break;
      case WG_COPT_CALLBACK:
        o->has_callback = true;
        if (!read_u32(r, &o->callback)) return false;
        break;
      default:
        return fail(r, "malformed canonical option 0x%02x", op);
    }
  }
  o->raw_len = (size_t)(r->pos - o->raw);
  return true;
}

/* The async? / cancel? / shared? flags of built-ins: 0 or 1. */
static bool read_bool(Reader *r, uint8_t *out) {
  if (!read_byte(r, out)) return false;
  if (*out > 1) {
    r->pos--;
    return fail(r, "invalid boolean value");
  }
  return true;
}

/* The rows of witgen/canon_ops.def, for the decoder, the text parser and
 * the printer (cformat.h). */
static const WgCCanonInfo CANON_OPS[] = {
#define WG_CANON_OP(id, code, text, imm, in_text) \
  { WG_CANON_##id, text, WG_CIMM_##imm, in_text },
#include "witgen/canon_ops.def"
};

const WgCCanonInfo *wg_ccanon_table(size_t *count) {
  *count = sizeof CANON_OPS / sizeof *CANON_OPS;
  return CANON_OPS;
}

const WgCCanonInfo *wg_ccanon_info(uint8_t op) {
  for (size_t i = 0; i < sizeof CANON_OPS / sizeof *CANON_OPS; i++)
    if (CANON_OPS[i].op == op) return &CANON_OPS[i];
  return NULL;
}

static bool bad_canon_op(Reader *r, uint8_t op) {
  return fail(r, "malformed canonical function opcode 0x%02x", op);
}

/* task.return's result list. */
static bool skip_result_list(Reader *r) {
  uint8_t tag, b;
  if (!read_byte(r, &tag)) return false;
  if (tag == WG_CRESULTS_ONE) {
    WgCValType t;
    return read_valtype(r, &t);
  }
  if (tag != WG_CRESULTS_NONE || !read_byte(r, &b) || b != 0)
    return fail(r, "malformed result list");
  return true;
}

/* Canon opcodes other than lift/lower/resource.* are kept raw; the `imm`
 * column of canon_ops.def says which immediates follow, so they can be
 * skipped. */
static bool skip_canon_rest(Reader *r, uint8_t op) {
  uint32_t v;
  uint8_t b;
  WgCCanonOpts opts = { 0 };
  const WgCCanonInfo *info = wg_ccanon_info(op);
  if (!info) return bad_canon_op(r, op);
  switch (info->imm) {
    case WG_CIMM_NONE:
      return true;
    case WG_CIMM_RETURN:
      return skip_result_list(r) && read_canon_opts(r, &opts, true);
    case WG_CIMM_CONTEXT:
      return read_byte(r, &b) && read_u32(r, &v);
    case WG_CIMM_ASYNC:
    case WG_CIMM_CANCEL:
    case WG_CIMM_SHARED:
      return read_bool(r, &b);
    case WG_CIMM_TYPE:
      return read_u32(r, &v);
    case WG_CIMM_TYPE_OPTS:
      return read_u32(r, &v) && read_canon_opts(r, &opts, true);
    case WG_CIMM_TYPE_ASYNC:
      return read_u32(r, &v) && read_bool(r, &b);
    case WG_CIMM_OPTS:
      return read_canon_opts(r, &opts, true);
    case WG_CIMM_CANCEL_MEM:
    case WG_CIMM_SHARED_FT:
      return read_bool(r, &b) && read_u32(r, &v);
    case WG_CIMM_FT_TABLE:
      return read_u32(r, &v) && read_u32(r, &v);
    case WG_CIMM_SHARED_FT_TABLE:
      return read_bool(r, &b) && read_u32(r, &v) && read_u32(r, &v);
    default: /* lift, lower, resource.*: read_canon reads them */
      return bad_canon_op(r, op);
  }
}

static bool read_canon(Reader *r, WgCCanon *c) {
  memset(c, 0, sizeof *c);
  uint8_t b;
  if (!read_byte(r, &c->op)) return false;
  switch (c->op) {
    case WG_CANON_LIFT:
      return read_byte(r, &b) && (b == 0 || fail(r, "malformed canon lift")) &&
             read_u32(r, &c->func) && read_canon_opts(r, &c->opts, false) &&
             read_u32(r, &c->type);
    case WG_CANON_LOWER:
      return read_byte(r, &b) && (b == 0 || fail(r, "malformed canon lower")) &&
             read_u32(r, &c->func) && read_canon_opts(r, &c->opts, false);
    case WG_CANON_RESOURCE_NEW:
    case WG_CANON_RESOURCE_DROP:
    case WG_CANON_RESOURCE_REP:
      return read_u32(r, &c->type);
    default: {
      const uint8_t *start = r->pos;
      if (!skip_canon_rest(r, c->op)) return false;
      c->raw = start;
      c->raw_len = (size_t)(r->pos - start);
      return true;
    }
  }
}

static bool read_instance(Reader *r, WgCInstance *in, bool core) {
  memset(in, 0, sizeof *in);
  in->is_core = core;
  uint8_t tag;
  if (!read_byte(r, &tag)) return false;
  if (tag != WG_CINST_INSTANTIATE && tag != WG_CINST_EXPORTS)
    return fail(r, "malformed instance expression 0x%02x", tag);
  in->instantiate = tag == WG_CINST_INSTANTIATE;
  if (in->instantiate && !read_u32(r, &in->target)) return false;
  if (!read_count(r, &in->arg_count)) return false;
  in->args = alloc_array(r, in->arg_count, sizeof *in->args);
  if (in->arg_count && !in->args) return false;
  if (!core && !in->instantiate) {
    in->export_names = alloc_array(r, in->arg_count, sizeof(WgCName));
    if (in->arg_count && !in->export_names) return false;
  }
  for (uint32_t i = 0; i < in->arg_count; i++) {
    WgCInstantiateArg *a = &in->args[i];
    if (core && in->instantiate) {
      uint8_t kind;
      if (!read_name(r, &a->name) || !read_byte(r, &kind)) return false;
      if (kind != WG_CCORE_INSTANCE)
        return fail(r, "malformed core instantiate argument");
      a->sort = WG_CSORT_CORE;
      a->core_sort = kind;
      if (!read_u32(r, &a->index)) return false;
    } else if (core) {
      if (!read_name(r, &a->name) || !read_byte(r, &a->core_sort) ||
          !read_u32(r, &a->index))
        return false;
      a->sort = WG_CSORT_CORE;
    } else {
      if (in->instantiate) {
        if (!read_name(r, &a->name)) return false;
      } else {
        if (!read_name_attrs(r, &in->export_names[i])) return false;
        a->name = in->export_names[i].name;
      }
      if (!read_sort(r, &a->sort, &a->core_sort) || !read_u32(r, &a->index))
        return false;
    }
  }
  return true;
}

typedef struct DefList {
  WgCDef *items;
  uint32_t count, cap;
  uint32_t section; /* ordinal of the section being read */
} DefList;

static WgCDef *push_def(Reader *r, DefList *list) {
  /* sections are numbered as they are read (see read_component_body) */
  if (list->count == list->cap) {
    uint32_t cap = list->cap ? list->cap * 2 : 16;
    WgCDef *items = alloc_array(r, cap, sizeof *items);
    if (!items) return NULL;
    if (list->count) memcpy(items, list->items, list->count * sizeof *items);
    list->items = items;
    list->cap = cap;
  }
  WgCDef *d = &list->items[list->count++];
  memset(d, 0, sizeof *d);
  d->section = list->section;
  d->offset = (size_t)(r->pos - r->base);
  return d;
}

static bool read_component_body(Reader *r, WgComponent *c);

static bool read_section(Reader *r, uint8_t id, DefList *defs) {
  if (id == 0) {
    WgCDef *d = push_def(r, defs);
    if (!d) return false;
    d->kind = WG_CDEF_CUSTOM;
    if (!read_name(r, &d->u.custom.name)) return false;
    d->u.custom.bytes = r->pos;
    d->u.custom.len = (size_t)(r->end - r->pos);
    r->pos = r->end;
    return true;
  }
  if (id == 1 || id == 4) {
    WgCDef *d = push_def(r, defs);
    if (!d) return false;
    if (id == 1) {
      d->kind = WG_CDEF_CORE_MODULE;
      d->u.module.bytes = r->pos;
      d->u.module.len = (size_t)(r->end - r->pos);
      r->pos = r->end;
      return true;
    }
    d->kind = WG_CDEF_COMPONENT;
    if (++r->depth > MAX_NESTING)
      return fail(r, "components nested too deeply");
    WgComponent *inner = alloc_array(r, 1, sizeof *inner);
    if (!inner) return false;
    inner->arena = r->arena;
    d->u.component = inner;
    if (!read_component_body(r, inner)) return false;
    r->depth--;
    return true;
  }
  if (id == 9) {
    WgCDef *d = push_def(r, defs);
    if (!d) return false;
    d->kind = WG_CDEF_START;
    d->u.start.bytes = r->pos;
    d->u.start.len = (size_t)(r->end - r->pos);
    r->pos = r->end;
    return true;
  }
  if (id > 12) return fail(r, "malformed section id %u", id);
  if (id == 12) return fail(r, "value definitions are not supported");
  uint32_t count;
  if (!read_count(r, &count)) return false;
  for (uint32_t i = 0; i < count; i++) {
    WgCDef *d = push_def(r, defs);
    if (!d) return false;
    switch (id) {
      case 2:
        d->kind = WG_CDEF_CORE_INSTANCE;
        if (!read_instance(r, &d->u.instance, true)) return false;
        break;
      case 3: {
        d->kind = WG_CDEF_CORE_TYPE;
        const uint8_t *start = r->pos;
        if (!skip_core_type(r, r->depth)) return false;
        d->u.core_type.bytes = start;
        d->u.core_type.len = (size_t)(r->pos - start);
        break;
      }
      case 5:
        d->kind = WG_CDEF_INSTANCE;
        if (!read_instance(r, &d->u.instance, false)) return false;
        break;
      case 6:
        d->kind = WG_CDEF_ALIAS;
        if (!read_alias(r, &d->u.alias)) return false;
        break;
      case 7:
        d->kind = WG_CDEF_TYPE;
        if (!(d->u.type = read_type(r))) return false;
        break;
      case 8:
        d->kind = WG_CDEF_CANON;
        if (!read_canon(r, &d->u.canon)) return false;
        break;
      case 10:
        d->kind = WG_CDEF_IMPORT;
        if (!read_name_attrs(r, &d->u.extern_.name) ||
            !read_externtype(r, &d->u.extern_.type))
          return false;
        break;
      case 11: {
        d->kind = WG_CDEF_EXPORT;
        uint8_t has_type;
        if (!read_name_attrs(r, &d->u.extern_.name) ||
            !read_sort(r, &d->u.extern_.sort, &d->u.extern_.core_sort) ||
            !read_u32(r, &d->u.extern_.index) || !read_byte(r, &has_type))
          return false;
        if (has_type > 1)
          return fail(r, "malformed optional: 0x%02x", has_type);
        d->u.extern_.has_type = has_type == 1;
        if (has_type && !read_externtype(r, &d->u.extern_.type)) return false;
        break;
      }
      default:
        return fail(r, "malformed section id %u", id);
    }
  }
  if (r->pos != r->end) return fail(r, "section size mismatch");
  return true;
}

static const uint8_t preamble[8] = { 0x00, 0x61, 0x73, 0x6d,
                                     0x0d, 0x00, 0x01, 0x00 };

/* Reads a preamble and sections up to r->end into c. */
static bool read_component_body(Reader *r, WgComponent *c) {
  if ((size_t)(r->end - r->pos) < sizeof preamble) {
    return fail(r, "unexpected end");
  }
  if (memcmp(r->pos, preamble, 4) != 0) {
    return fail(r, "magic header not detected");
  }
  if (memcmp(r->pos + 4, preamble + 4, 4) != 0) {
    return fail(r, "not a component of binary version 0x0d, layer 1");
  }
  r->pos += sizeof preamble;
  DefList defs = { 0 };
  const uint8_t *end = r->end;
  while (r->pos < end) {
    uint8_t id;
    uint32_t size;
    r->end = end;
    if (!read_byte(r, &id) || !read_u32(r, &size)) return false;
    if (size > (size_t)(end - r->pos)) {
      return fail(r, "section size %u exceeds the remaining %zu bytes", size,
                  (size_t)(end - r->pos));
    }
    r->end = r->pos + size;
    defs.section++;
    if (!read_section(r, id, &defs)) return false;
  }
  r->end = end;
  c->defs = defs.items;
  c->def_count = defs.count;
  return true;
}

bool wg_component_is_component(const uint8_t *bytes, size_t len) {
  return len >= 8 && memcmp(bytes, preamble, 4) == 0 && bytes[6] == 1 &&
         bytes[7] == 0;
}

WgStatus wg_component_decode(const uint8_t *bytes, size_t len,
                             WgAllocator alloc, WgComponent **out,
                             WgDiagList *diags) {
  *out = NULL;
  WgArena *arena = wg_arena_new(alloc);
  WgComponent *c = arena ? wg_arena_zalloc(arena, sizeof *c) : NULL;
  if (!c) {
    wg_arena_delete(arena);
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  c->arena = arena;
  c->owns_arena = true;
  Reader r = {
    .base = bytes, .pos = bytes, .end = bytes + len, .arena = arena
  };
  if (!read_component_body(&r, c)) {
    WgStatus status = r.nomem ? WG_ERR_NOMEM : WG_ERR_MALFORMED;
    wg_diag_list_add_at(diags, status, r.fail_offset, "%s", r.message);
    wg_arena_delete(arena);
    return status;
  }
  *out = c;
  return WG_OK;
}

void wg_component_free(WgComponent *component) {
  /* the component lives in its arena */
  if (component && component->owns_arena) wg_arena_delete(component->arena);
}

bool wg_cprim_valid(uint8_t byte) {
  return (byte >= WG_CPRIM_STRING && byte <= WG_CPRIM_BOOL) ||
         byte == WG_CPRIM_ERROR_CONTEXT;
}

const char *wg_cprim_name(WgCPrim prim) {
  switch (prim) {
    case WG_CPRIM_BOOL:
      return "bool";
    case WG_CPRIM_S8:
      return "s8";
    case WG_CPRIM_U8:
      return "u8";
    case WG_CPRIM_S16:
      return "s16";
    case WG_CPRIM_U16:
      return "u16";
    case WG_CPRIM_S32:
      return "s32";
    case WG_CPRIM_U32:
      return "u32";
    case WG_CPRIM_S64:
      return "s64";
    case WG_CPRIM_U64:
      return "u64";
    case WG_CPRIM_F32:
      return "f32";
    case WG_CPRIM_F64:
      return "f64";
    case WG_CPRIM_CHAR:
      return "char";
    case WG_CPRIM_STRING:
      return "string";
    case WG_CPRIM_ERROR_CONTEXT:
      return "error-context";
  }
  return "?";
}
