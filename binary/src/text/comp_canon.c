/* SPDX-License-Identifier: Apache-2.0 */
/* Canonical definitions in text (explainer: Canonical Definitions; names,
 * opcodes and immediates from witgen/canon_ops.def): `canon lift`, `canon
 * lower`, the resource built-ins and the async, stream, future, error-context,
 * waitable-set and thread built-ins. Indices inside them are resolved after
 * layout, so the bytes of built-ins (and the options, in the order written) are
 * made then. */
#include <string.h>

#include "comp.h"
#include "component/cformat.h"
#include "witgen/core_module.h"

enum { MAX_OPTS = 16 };

typedef struct CanonData {
  uint8_t op;
  uint32_t func, type, memory, table;
  uint8_t flag;       /* async / cancellable */
  uint8_t valtype;    /* context.get / set */
  uint32_t ctx_index; /* context.get / set */
  bool has_result;    /* task.return */
  WgCValType result;
  uint8_t opt_ops[MAX_OPTS];
  uint32_t opt_idx[MAX_OPTS];
  uint32_t nopts;
} CanonData;

/* The immediates of canonical function `op` (WG_CIMM_NONE for an unknown
 * one). */
static WgCCanonImm imm_of(uint8_t op) {
  const WgCCanonInfo *info = wg_ccanon_info(op);
  return info ? info->imm : WG_CIMM_NONE;
}

/* The built-in named by the next keyword (not lift or lower), or NULL. */
static const WgCCanonInfo *accept_builtin(WatParser *p) {
  size_t n;
  const WgCCanonInfo *ops = wg_ccanon_table(&n);
  for (size_t i = 0; i < n; i++)
    if (ops[i].in_text && ops[i].imm != WG_CIMM_LIFT &&
        ops[i].imm != WG_CIMM_LOWER && wat_accept_kw(p, ops[i].text))
      return &ops[i];
  return NULL;
}

/* A core item reference in the forms wasm-tools reads: a bare index,
 * `(core K idx "name"?)`, or (legacy) `(K idx "name"?)`. */
static bool core_ref(CParser *c, const char *kind, uint8_t ns, uint32_t *slot) {
  WatParser *p = c->p;
  if (wat_peek(p)->kind != WAT_LPAREN) return cp_index(c, slot, ns);
  p->pos++;
  wat_accept_kw(p, "core");
  if (!wat_expect_kw(p, kind)) return false;
  return cp_item_ref(c, slot, ns, true) && wat_expect_rparen(p);
}

/* A type reference: `idx` or `(type idx "name"*)`. */
static bool type_ref(CParser *c, uint32_t *slot) {
  WatParser *p = c->p;
  if (wat_peek(p)->kind != WAT_LPAREN) return cp_index(c, slot, NS_TYPE);
  p->pos++;
  if (!wat_expect_kw(p, "type")) return false;
  return cp_item_ref(c, slot, NS_TYPE, false) && wat_expect_rparen(p);
}

static bool add_opt(CParser *c, CanonData *d, uint8_t op) {
  if (d->nopts == MAX_OPTS) return wat_error(c->p, "too many options");
  d->opt_ops[d->nopts++] = op;
  return true;
}

/* Canonical options, in the order written. */
static bool options(CParser *c, CanonData *d) {
  WatParser *p = c->p;
  for (;;) {
    if (wat_accept_kw(p, "string-encoding=utf8")) {
      if (!add_opt(c, d, WG_COPT_UTF8)) return false;
    } else if (wat_accept_kw(p, "string-encoding=utf16")) {
      if (!add_opt(c, d, WG_COPT_UTF16)) return false;
    } else if (wat_accept_kw(p, "string-encoding=latin1+utf16")) {
      if (!add_opt(c, d, WG_COPT_LATIN1_UTF16)) return false;
    } else if (wat_accept_kw(p, "async")) {
      if (!add_opt(c, d, WG_COPT_ASYNC)) return false;
    } else if (wat_peek_form(p, "memory")) {
      p->pos += 2;
      if (!add_opt(c, d, WG_COPT_MEMORY)) return false;
      uint32_t *slot = &d->opt_idx[d->nopts - 1];
      /* (memory idx), legacy (memory $i "name"), (memory (core memory ..)) */
      if (wat_peek(p)->kind == WAT_LPAREN) {
        if (!core_ref(c, "memory", NS_CMEMORY, slot)) return false;
      } else if (!cp_item_ref(c, slot, NS_CMEMORY, true)) {
        return false;
      }
      if (!wat_expect_rparen(p)) return false;
    } else if (wat_peek_form(p, "realloc") || wat_peek_form(p, "post-return") ||
               wat_peek_form(p, "callback")) {
      const WatTok *k = &p->toks[p->pos + 1];
      uint8_t op = p->text[k->start] == 'r'   ? WG_COPT_REALLOC
                   : p->text[k->start] == 'p' ? WG_COPT_POST_RETURN
                                              : WG_COPT_CALLBACK;
      p->pos += 2;
      if (!add_opt(c, d, op) ||
          !core_ref(c, "func", NS_CFUNC, &d->opt_idx[d->nopts - 1]) ||
          !wat_expect_rparen(p))
        return false;
    } else {
      return true;
    }
  }
}

/* The trailing `(func $id? (@name)? typeuse)` of canon lift or
 * `(core func $id? (@name)?)` of the others (absent in the sugar forms
 * `(func ... (canon lift ...))` and `(core func $f (canon ...))`). */
static bool trailing(CParser *c, CItem *item, bool lift) {
  WatParser *p = c->p;
  if (wat_at_close(p)) return true;
  if (!wat_expect_lparen(p)) return false;
  if (!lift && !wat_expect_kw(p, "core")) return false;
  if (!wat_expect_kw(p, "func")) return false;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  item->id = id;
  item->name = name;
  item->has_name = has_name;
  if (lift && !cp_typeuse(c, WG_CT_FUNC, &item->def->u.canon.type))
    return false;
  return wat_expect_rparen(p);
}

/* `cancellable? (memory m)` of waitable-set.wait / poll. */
static bool cancel_memory(CParser *c, CanonData *d) {
  WatParser *p = c->p;
  d->flag = wat_accept_kw(p, "cancellable");
  if (!wat_peek_form(p, "memory"))
    return wat_error(p, "unexpected token, expected `(memory`");
  p->pos += 2;
  bool ok = wat_peek(p)->kind == WAT_LPAREN
                ? core_ref(c, "memory", NS_CMEMORY, &d->memory)
                : cp_item_ref(c, &d->memory, NS_CMEMORY, true);
  return ok && wat_expect_rparen(p);
}

/* `t i` of context.get / set: a core value type (i32 or i64) and a u32. */
static bool context_slot(CParser *c, CanonData *d) {
  WatParser *p = c->p;
  static const struct {
    const char *kw;
    uint8_t b;
  } vts[] = { { "i32", WG_VT_I32 }, { "i64", WG_VT_I64 } };
  for (size_t k = 0; k < 2 && !d->valtype; k++)
    if (wat_accept_kw(p, vts[k].kw)) d->valtype = vts[k].b;
  if (!d->valtype) return wat_error(p, "unexpected token, expected i32");
  if (wat_peek(p)->kind != WAT_NUM ||
      !wat_tok_u32(p, wat_peek(p), &d->ctx_index))
    return wat_error(p, "unexpected token, expected an index");
  p->pos++;
  return true;
}

/* `(result t)? opts` of task.return. */
static bool return_result(CParser *c, CanonData *d) {
  WatParser *p = c->p;
  if (wat_peek_form(p, "result")) {
    p->pos += 2;
    d->has_result = true;
    if (!cp_valtype(c, &d->result) || !wat_expect_rparen(p)) return false;
  }
  return options(c, d);
}

/* The immediates of a built-in, in text. */
static bool builtin_immediates(CParser *c, CItem *item, CanonData *d,
                               WgCCanonImm imm) {
  WatParser *p = c->p;
  switch (imm) {
    case WG_CIMM_RESOURCE:
      return type_ref(c, &item->def->u.canon.type);
    case WG_CIMM_TYPE:
      return type_ref(c, &d->type);
    case WG_CIMM_TYPE_OPTS:
      return type_ref(c, &d->type) && options(c, d);
    case WG_CIMM_TYPE_ASYNC: {
      bool ok = type_ref(c, &d->type);
      d->flag = wat_accept_kw(p, "async");
      return ok;
    }
    case WG_CIMM_OPTS:
      return options(c, d);
    case WG_CIMM_ASYNC:
      d->flag = wat_accept_kw(p, "async");
      return true;
    case WG_CIMM_CANCEL:
      d->flag = wat_accept_kw(p, "cancellable");
      return true;
    case WG_CIMM_CANCEL_MEM:
      return cancel_memory(c, d);
    case WG_CIMM_CONTEXT:
      return context_slot(c, d);
    case WG_CIMM_RETURN:
      return return_result(c, d);
    case WG_CIMM_FT_TABLE:
      return core_ref(c, "type", NS_CTYPE, &d->type) &&
             core_ref(c, "table", NS_CTABLE, &d->table);
    default:
      return true;
  }
}

bool cp_canon(CParser *c, CItem *item) {
  WatParser *p = c->p;
  CanonData *d = cp_alloc(c, sizeof *d);
  if (!d) return false;
  item->deferred = DEFER_CANON;
  item->extra = d;
  item->def->kind = WG_CDEF_CANON;
  if (wat_accept_kw(p, "lift")) {
    item->ns = NS_FUNC;
    d->op = WG_CANON_LIFT;
    if (!core_ref(c, "func", NS_CFUNC, &item->def->u.canon.func)) return false;
    return options(c, d) && trailing(c, item, true);
  }
  if (wat_accept_kw(p, "lower")) {
    item->ns = NS_CFUNC;
    d->op = WG_CANON_LOWER;
    if (!wat_expect_lparen(p) || !wat_expect_kw(p, "func") ||
        !cp_item_ref(c, &item->def->u.canon.func, NS_FUNC, false) ||
        !wat_expect_rparen(p))
      return false;
    return options(c, d) && trailing(c, item, false);
  }
  item->ns = NS_CFUNC;
  const WgCCanonInfo *info = accept_builtin(p);
  if (!info)
    return wat_error(p, "unexpected token, expected a canonical function");
  d->op = info->op;
  return builtin_immediates(c, item, d, info->imm) && trailing(c, item, false);
}

static void put_opts(WgBuf *b, const CanonData *d) {
  wg_buf_uleb(b, d->nopts);
  for (uint32_t i = 0; i < d->nopts; i++) {
    wg_buf_putc(b, (char)d->opt_ops[i]);
    uint8_t op = d->opt_ops[i];
    if (wg_copt_has_index(op)) wg_buf_uleb(b, d->opt_idx[i]);
  }
}

static void put_valtype(WgBuf *b, WgCValType t) {
  if (t.prim)
    wg_buf_putc(b, (char)t.prim);
  else
    wg_buf_sleb(b, t.index);
}

static const uint8_t *keep(CParser *c, WgBuf *b, size_t *len) {
  *len = b->len;
  uint8_t *copy = cp_alloc(c, b->len ? b->len : 1);
  if (copy && b->len) memcpy(copy, b->data, b->len);
  if (b->failed) wat_nomem(c->p);
  wg_buf_free(b);
  return copy;
}

bool cp_finish_deferred(CParser *c, CItem *item) {
  if (item->deferred == DEFER_START) {
    const StartData *sd = item->extra;
    WgBuf b = { 0 };
    wg_buf_uleb(&b, sd->func);
    wg_buf_uleb(&b, sd->nargs);
    for (uint32_t i = 0; i < sd->nargs; i++)
      wg_buf_uleb(&b, sd->args[i]);
    wg_buf_uleb(&b, sd->nresults);
    item->def->u.start.bytes = keep(c, &b, &item->def->u.start.len);
    return item->def->u.start.bytes != NULL;
  }
  const CanonData *d = item->extra;
  WgCCanon *cn = &item->def->u.canon;
  cn->op = d->op;
  WgBuf b = { 0 };
  if (d->op == WG_CANON_LIFT || d->op == WG_CANON_LOWER) {
    put_opts(&b, d);
    cn->opts.raw = keep(c, &b, &cn->opts.raw_len);
    /* the decoded view of the options too, for readers of the tree */
    for (uint32_t i = 0; i < d->nopts; i++) {
      switch (d->opt_ops[i]) {
        case WG_COPT_UTF8:
        case WG_COPT_UTF16:
        case WG_COPT_LATIN1_UTF16:
          cn->opts.has_string_encoding = true;
          cn->opts.string_encoding = d->opt_ops[i];
          break;
        case WG_COPT_MEMORY:
          cn->opts.has_memory = true;
          cn->opts.memory = d->opt_idx[i];
          break;
        case WG_COPT_REALLOC:
          cn->opts.has_realloc = true;
          cn->opts.realloc = d->opt_idx[i];
          break;
        case WG_COPT_POST_RETURN:
          cn->opts.has_post_return = true;
          cn->opts.post_return = d->opt_idx[i];
          break;
        case WG_COPT_ASYNC:
          cn->opts.is_async = true;
          break;
        default:
          cn->opts.has_callback = true;
          cn->opts.callback = d->opt_idx[i];
      }
    }
    return cn->opts.raw != NULL;
  }
  switch (imm_of(d->op)) {
    case WG_CIMM_RESOURCE:
      return true; /* canon.type is set */
    case WG_CIMM_TYPE:
      wg_buf_uleb(&b, d->type);
      break;
    case WG_CIMM_TYPE_OPTS:
      wg_buf_uleb(&b, d->type);
      put_opts(&b, d);
      break;
    case WG_CIMM_TYPE_ASYNC:
      wg_buf_uleb(&b, d->type);
      wg_buf_putc(&b, (char)d->flag);
      break;
    case WG_CIMM_OPTS:
      put_opts(&b, d);
      break;
    case WG_CIMM_ASYNC:
    case WG_CIMM_CANCEL:
      wg_buf_putc(&b, (char)d->flag);
      break;
    case WG_CIMM_CANCEL_MEM:
      wg_buf_putc(&b, (char)d->flag);
      wg_buf_uleb(&b, d->memory);
      break;
    case WG_CIMM_CONTEXT:
      wg_buf_putc(&b, (char)d->valtype);
      wg_buf_uleb(&b, d->ctx_index);
      break;
    case WG_CIMM_RETURN:
      if (d->has_result) {
        wg_buf_putc(&b, WG_CRESULTS_ONE);
        put_valtype(&b, d->result);
      } else {
        wg_buf_putc(&b, WG_CRESULTS_NONE);
        wg_buf_putc(&b, 0x00);
      }
      put_opts(&b, d);
      break;
    case WG_CIMM_FT_TABLE:
      wg_buf_uleb(&b, d->type);
      wg_buf_uleb(&b, d->table);
      break;
    default:
      break;
  }
  cn->raw = keep(c, &b, &cn->raw_len);
  return cn->raw != NULL;
}
