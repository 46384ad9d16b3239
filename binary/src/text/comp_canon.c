/* SPDX-License-Identifier: Apache-2.0 */
/* Canonical definitions in text (explainer: Canonical Definitions; opcodes
 * from Binary.md): `canon lift`, `canon lower`, the resource built-ins and
 * the async, stream, future, error-context, waitable-set and thread
 * built-ins. Indices inside them are resolved after layout, so the bytes
 * of built-ins (and the options, in the order written) are made then. */
#include <string.h>

#include "comp.h"

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

/* Shapes of the built-ins: which immediates follow the opcode. */
enum {
  SH_NONE,     /* nothing */
  SH_TYPE,     /* typeidx */
  SH_TYPE_OPT, /* typeidx opts */
  SH_TYPE_ASY, /* typeidx async? */
  SH_OPTS,     /* opts */
  SH_ASYNC,    /* async? */
  SH_CANCEL,   /* cancellable? */
  SH_MEM,      /* cancellable? memidx */
  SH_CTX,      /* core valtype u32 */
  SH_RETURN,   /* resultlist opts */
  SH_FT_TABLE, /* core typeidx core tableidx */
  SH_RESOURCE, /* resource typeidx (resource.new/drop/rep) */
};

static const struct {
  const char *kw;
  uint8_t op;
  uint8_t shape;
} BUILTINS[] = {
  { "resource.new", 0x02, SH_RESOURCE },
  { "resource.drop", 0x03, SH_RESOURCE },
  { "resource.rep", 0x04, SH_RESOURCE },
  { "backpressure.inc", 0x24, SH_NONE },
  { "backpressure.dec", 0x25, SH_NONE },
  { "task.return", 0x09, SH_RETURN },
  { "task.cancel", 0x05, SH_NONE },
  { "context.get", 0x0a, SH_CTX },
  { "context.set", 0x0b, SH_CTX },
  { "subtask.cancel", 0x06, SH_ASYNC },
  { "subtask.drop", 0x0d, SH_NONE },
  { "stream.new", 0x0e, SH_TYPE },
  { "stream.read", 0x0f, SH_TYPE_OPT },
  { "stream.write", 0x10, SH_TYPE_OPT },
  { "stream.cancel-read", 0x11, SH_TYPE_ASY },
  { "stream.cancel-write", 0x12, SH_TYPE_ASY },
  { "stream.drop-readable", 0x13, SH_TYPE },
  { "stream.drop-writable", 0x14, SH_TYPE },
  { "future.new", 0x15, SH_TYPE },
  { "future.read", 0x16, SH_TYPE_OPT },
  { "future.write", 0x17, SH_TYPE_OPT },
  { "future.cancel-read", 0x18, SH_TYPE_ASY },
  { "future.cancel-write", 0x19, SH_TYPE_ASY },
  { "future.drop-readable", 0x1a, SH_TYPE },
  { "future.drop-writable", 0x1b, SH_TYPE },
  { "error-context.new", 0x1c, SH_OPTS },
  { "error-context.debug-message", 0x1d, SH_OPTS },
  { "error-context.drop", 0x1e, SH_NONE },
  { "waitable-set.new", 0x1f, SH_NONE },
  { "waitable-set.wait", 0x20, SH_MEM },
  { "waitable-set.poll", 0x21, SH_MEM },
  { "waitable-set.drop", 0x22, SH_NONE },
  { "waitable.join", 0x23, SH_NONE },
  { "thread.index", 0x26, SH_NONE },
  { "thread.new-indirect", 0x27, SH_FT_TABLE },
  { "thread.resume-later", 0x28, SH_NONE },
  { "thread.suspend", 0x29, SH_CANCEL },
  { "thread.yield", 0x0c, SH_CANCEL },
  { "thread.suspend-then-resume", 0x2a, SH_CANCEL },
  { "thread.yield-then-resume", 0x2b, SH_CANCEL },
  { "thread.suspend-then-promote", 0x2c, SH_CANCEL },
  { "thread.yield-then-promote", 0x2d, SH_CANCEL },
};

static uint8_t shape_of(uint8_t op) {
  for (size_t i = 0; i < sizeof BUILTINS / sizeof *BUILTINS; i++)
    if (BUILTINS[i].op == op) return BUILTINS[i].shape;
  return SH_NONE;
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
      if (!add_opt(c, d, 0x00)) return false;
    } else if (wat_accept_kw(p, "string-encoding=utf16")) {
      if (!add_opt(c, d, 0x01)) return false;
    } else if (wat_accept_kw(p, "string-encoding=latin1+utf16")) {
      if (!add_opt(c, d, 0x02)) return false;
    } else if (wat_accept_kw(p, "async")) {
      if (!add_opt(c, d, 0x06)) return false;
    } else if (wat_peek_form(p, "memory")) {
      p->pos += 2;
      if (!add_opt(c, d, 0x03)) return false;
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
      uint8_t op = p->text[k->start] == 'r'   ? 0x04
                   : p->text[k->start] == 'p' ? 0x05
                                              : 0x07;
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

bool cp_canon(CParser *c, CItem *item) {
  WatParser *p = c->p;
  CanonData *d = cp_alloc(c, sizeof *d);
  if (!d) return false;
  item->deferred = DEFER_CANON;
  item->extra = d;
  item->def->kind = WG_CDEF_CANON;
  if (wat_accept_kw(p, "lift")) {
    item->ns = NS_FUNC;
    d->op = 0x00;
    if (!core_ref(c, "func", NS_CFUNC, &item->def->u.canon.func)) return false;
    return options(c, d) && trailing(c, item, true);
  }
  if (wat_accept_kw(p, "lower")) {
    item->ns = NS_CFUNC;
    d->op = 0x01;
    if (!wat_expect_lparen(p) || !wat_expect_kw(p, "func") ||
        !cp_item_ref(c, &item->def->u.canon.func, NS_FUNC, false) ||
        !wat_expect_rparen(p))
      return false;
    return options(c, d) && trailing(c, item, false);
  }
  item->ns = NS_CFUNC;
  size_t i = 0;
  for (; i < sizeof BUILTINS / sizeof *BUILTINS; i++)
    if (wat_accept_kw(p, BUILTINS[i].kw)) break;
  if (i == sizeof BUILTINS / sizeof *BUILTINS)
    return wat_error(p, "unexpected token, expected a canonical function");
  d->op = BUILTINS[i].op;
  bool ok = true;
  switch (BUILTINS[i].shape) {
    case SH_RESOURCE:
      ok = type_ref(c, &item->def->u.canon.type);
      break;
    case SH_TYPE:
      ok = type_ref(c, &d->type);
      break;
    case SH_TYPE_OPT:
      ok = type_ref(c, &d->type) && options(c, d);
      break;
    case SH_TYPE_ASY:
      ok = type_ref(c, &d->type);
      d->flag = wat_accept_kw(p, "async");
      break;
    case SH_OPTS:
      ok = options(c, d);
      break;
    case SH_ASYNC:
      d->flag = wat_accept_kw(p, "async");
      break;
    case SH_CANCEL:
      d->flag = wat_accept_kw(p, "cancellable");
      break;
    case SH_MEM:
      d->flag = wat_accept_kw(p, "cancellable");
      if (!wat_peek_form(p, "memory"))
        return wat_error(p, "unexpected token, expected `(memory`");
      p->pos += 2;
      if (wat_peek(p)->kind == WAT_LPAREN)
        ok = core_ref(c, "memory", NS_CMEMORY, &d->memory);
      else
        ok = cp_item_ref(c, &d->memory, NS_CMEMORY, true);
      ok = ok && wat_expect_rparen(p);
      break;
    case SH_CTX: {
      static const struct {
        const char *kw;
        uint8_t b;
      } vts[] = { { "i32", 0x7f }, { "i64", 0x7e } };
      for (size_t k = 0; k < 2 && !d->valtype; k++)
        if (wat_accept_kw(p, vts[k].kw)) d->valtype = vts[k].b;
      if (!d->valtype) return wat_error(p, "unexpected token, expected i32");
      if (wat_peek(p)->kind != WAT_NUM ||
          !wat_tok_u32(p, wat_peek(p), &d->ctx_index))
        return wat_error(p, "unexpected token, expected an index");
      p->pos++;
      break;
    }
    case SH_RETURN:
      if (wat_peek_form(p, "result")) {
        p->pos += 2;
        d->has_result = true;
        ok = cp_valtype(c, &d->result) && wat_expect_rparen(p);
      }
      ok = ok && options(c, d);
      break;
    case SH_FT_TABLE:
      ok = core_ref(c, "type", NS_CTYPE, &d->type) &&
           core_ref(c, "table", NS_CTABLE, &d->table);
      break;
    default:
      break;
  }
  return ok && trailing(c, item, false);
}

static void put_opts(WgBuf *b, const CanonData *d) {
  wg_buf_uleb(b, d->nopts);
  for (uint32_t i = 0; i < d->nopts; i++) {
    wg_buf_putc(b, (char)d->opt_ops[i]);
    uint8_t op = d->opt_ops[i];
    if (op == 0x03 || op == 0x04 || op == 0x05 || op == 0x07)
      wg_buf_uleb(b, d->opt_idx[i]);
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
  if (d->op <= 0x01) {
    put_opts(&b, d);
    cn->opts.raw = keep(c, &b, &cn->opts.raw_len);
    /* the decoded view of the options too, for readers of the tree */
    for (uint32_t i = 0; i < d->nopts; i++) {
      switch (d->opt_ops[i]) {
        case 0x00:
        case 0x01:
        case 0x02:
          cn->opts.has_string_encoding = true;
          cn->opts.string_encoding = d->opt_ops[i];
          break;
        case 0x03:
          cn->opts.has_memory = true;
          cn->opts.memory = d->opt_idx[i];
          break;
        case 0x04:
          cn->opts.has_realloc = true;
          cn->opts.realloc = d->opt_idx[i];
          break;
        case 0x05:
          cn->opts.has_post_return = true;
          cn->opts.post_return = d->opt_idx[i];
          break;
        case 0x06:
          cn->opts.is_async = true;
          break;
        default:
          cn->opts.has_callback = true;
          cn->opts.callback = d->opt_idx[i];
      }
    }
    return cn->opts.raw != NULL;
  }
  if (d->op >= 0x02 && d->op <= 0x04) return true; /* canon.type is set */
  switch (shape_of(d->op)) {
    case SH_TYPE:
      wg_buf_uleb(&b, d->type);
      break;
    case SH_TYPE_OPT:
      wg_buf_uleb(&b, d->type);
      put_opts(&b, d);
      break;
    case SH_TYPE_ASY:
      wg_buf_uleb(&b, d->type);
      wg_buf_putc(&b, (char)d->flag);
      break;
    case SH_OPTS:
      put_opts(&b, d);
      break;
    case SH_ASYNC:
    case SH_CANCEL:
      wg_buf_putc(&b, (char)d->flag);
      break;
    case SH_MEM:
      wg_buf_putc(&b, (char)d->flag);
      wg_buf_uleb(&b, d->memory);
      break;
    case SH_CTX:
      wg_buf_putc(&b, (char)d->valtype);
      wg_buf_uleb(&b, d->ctx_index);
      break;
    case SH_RETURN:
      if (d->has_result) {
        wg_buf_putc(&b, 0x00);
        put_valtype(&b, d->result);
      } else {
        wg_buf_putc(&b, 0x01);
        wg_buf_putc(&b, 0x00);
      }
      put_opts(&b, d);
      break;
    case SH_FT_TABLE:
      wg_buf_uleb(&b, d->type);
      wg_buf_uleb(&b, d->table);
      break;
    default:
      break;
  }
  cn->raw = keep(c, &b, &cn->raw_len);
  return cn->raw != NULL;
}
