/* SPDX-License-Identifier: Apache-2.0 */
/* Core instructions in text -> binary (spec: core text format, 6.5
 * Instructions; SIMD and bulk memory included, memory indices for
 * multi-memory). Instruction names and immediate kinds come from
 * binary/src/core/opcodes.def. Plain block instructions are handled with an
 * explicit control stack (no recursion), folded forms recurse on their
 * parens (bounded by the lexer's nesting limit). */
#include <pthread.h>
#include <string.h>

#include "core.h"

/* ---- the instruction table ---------------------------------------------- */

typedef enum ImmKind {
  IMM_NONE,
  IMM_BLOCKTYPE,
  IMM_LABEL,
  IMM_BR_TABLE,
  IMM_FUNC,
  IMM_CALL_INDIRECT,
  IMM_LOCAL,
  IMM_GLOBAL,
  IMM_TABLE,
  IMM_MEMARG,
  IMM_MEMORY0,
  IMM_I32,
  IMM_I64,
  IMM_F32,
  IMM_F64,
  IMM_REFTYPE,
  IMM_SELECT_T,
  IMM_DATA_MEMORY,
  IMM_DATA,
  IMM_MEMORY_MEMORY,
  IMM_ELEM_TABLE,
  IMM_ELEM,
  IMM_TABLE_TABLE,
  IMM_V128,
  IMM_SHUFFLE,
  IMM_LANE,
  IMM_MEMARG_LANE,
} ImmKind;

typedef struct InstrDef {
  const char *text;
  uint8_t len;
  uint8_t prefix; /* 0, 0xfc or 0xfd */
  uint8_t imm;
  int8_t align;
  uint32_t code;
} InstrDef;

/* clang-format off */
static const InstrDef INSTRS[] = {
#define WG_OP(code, id, text, imm, kind, np, p0, p1, p2, r, align, lanes) \
  { text, sizeof(text) - 1, 0, IMM_##imm, align, code },
#define WG_OP_FC(code, id, text, imm, kind, np, p0, p1, p2, r, align, lanes) \
  { text, sizeof(text) - 1, 0xfc, IMM_##imm, align, code },
#define WG_OP_FD(code, id, text, imm, kind, np, p0, p1, p2, r, align, lanes) \
  { text, sizeof(text) - 1, 0xfd, IMM_##imm, align, code },
#include "core/opcodes.def"
};
/* clang-format on */

enum { NINSTRS = sizeof INSTRS / sizeof *INSTRS, TABLE_SIZE = 2048 };
static uint16_t table[TABLE_SIZE]; /* INSTRS index + 1; 0 = empty */
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static uint32_t hash_text(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

static void build_table(void) {
  for (uint32_t i = 0; i < NINSTRS; i++) {
    /* `select` appears twice (plain and typed): keep the first */
    uint32_t h = hash_text(INSTRS[i].text, INSTRS[i].len) & (TABLE_SIZE - 1);
    bool dup = false;
    while (table[h]) {
      const InstrDef *d = &INSTRS[table[h] - 1];
      if (d->len == INSTRS[i].len && !memcmp(d->text, INSTRS[i].text, d->len))
        dup = true;
      h = (h + 1) & (TABLE_SIZE - 1);
    }
    if (!dup) table[h] = (uint16_t)(i + 1);
  }
}

void wat_instr_init(void) {
  pthread_once(&table_once, build_table);
}

static const InstrDef *lookup(const char *s, size_t n) {
  uint32_t h = hash_text(s, n) & (TABLE_SIZE - 1);
  while (table[h]) {
    const InstrDef *d = &INSTRS[table[h] - 1];
    if (d->len == n && !memcmp(d->text, s, n)) return d;
    h = (h + 1) & (TABLE_SIZE - 1);
  }
  return NULL;
}

/* ---- value types, indices ----------------------------------------------- */

uint8_t wat_valtype(WatCore *m) {
  WatParser *p = m->p;
  const WatTok *t = wat_peek(p);
  static const struct {
    const char *kw;
    uint8_t byte;
  } prims[] = { { "i32", 0x7f },      { "i64", 0x7e },  { "f32", 0x7d },
                { "f64", 0x7c },      { "v128", 0x7b }, { "funcref", 0x70 },
                { "externref", 0x6f } };
  if (t->kind == WAT_KEYWORD) {
    for (size_t i = 0; i < sizeof prims / sizeof *prims; i++) {
      if (wat_tok_is(p, t, prims[i].kw)) {
        p->pos++;
        return prims[i].byte;
      }
    }
  } else if (wat_peek_form(p, "ref")) {
    /* (ref null func) and (ref null extern) are funcref and externref */
    p->pos += 2;
    if (wat_accept_kw(p, "null")) {
      uint8_t b = 0;
      if (wat_accept_kw(p, "func"))
        b = 0x70;
      else if (wat_accept_kw(p, "extern"))
        b = 0x6f;
      if (b && wat_expect_rparen(p)) return b;
    }
    wat_error(p, "unsupported reference type");
    return 0;
  }
  wat_error(p, "unexpected token, expected a value type");
  return 0;
}

bool wat_index(WatCore *m, WatSpace *space, const char *what, uint32_t *out) {
  WatParser *p = m->p;
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_NUM) {
    if (!wat_tok_u32(p, t, out))
      return wat_error(p, "malformed %s index", what);
    p->pos++;
    return true;
  }
  if (t->kind == WAT_ID) {
    WgStr name = wat_id_name(p, t);
    if (!name.ptr) return false;
    if (!wat_names_get(&space->ids, name, out))
      return wat_error(p, "unknown %s $%.*s", what, (int)name.len, name.ptr);
    p->pos++;
    return true;
  }
  return wat_error(p, "unexpected token, expected a %s index", what);
}

static bool is_index(const WatTok *t) {
  return t->kind == WAT_NUM || t->kind == WAT_ID;
}

/* ---- type uses ---------------------------------------------------------- */

bool wat_type_for(WatCore *m, const uint8_t *params, uint32_t np,
                  const uint8_t *results, uint32_t nr, uint32_t *out) {
  WatParser *p = m->p;
  uint8_t small[64];
  size_t klen = (size_t)np + 1 + nr;
  uint8_t *key = klen <= sizeof small ? small : wg_arena_alloc(p->arena, klen);
  if (!key) return wat_nomem(p);
  if (np) memcpy(key, params, np);
  key[np] = 0;
  if (nr) memcpy(key + np + 1, results, nr);
  uint32_t idx;
  if (wat_names_get(&m->sigs, (WgStr){ (const char *)key, klen }, &idx)) {
    *out = idx;
    return true;
  }
  WgStr k = wg_arena_strdup(p->arena, (WgStr){ (const char *)key, klen });
  uint8_t *types = np + nr ? wg_arena_alloc(p->arena, np + nr) : NULL;
  if (!k.ptr || (np + nr && !types)) return wat_nomem(p);
  if (np) memcpy(types, params, np);
  if (nr) memcpy(types + np, results, nr);
  idx = (uint32_t)m->ftypes.count;
  uint32_t prev;
  if (!wat_names_add(p->arena, &m->sigs, k, idx, &prev) ||
      !wg_vec_push(&m->ftypes, ((WatFuncType){ np, nr, types })))
    return wat_nomem(p);
  WgBuf *b = &m->sec_type;
  wg_buf_putc(b, 0x60);
  wg_buf_uleb(b, np);
  wg_buf_append(b, params, np);
  wg_buf_uleb(b, nr);
  wg_buf_append(b, results, nr);
  *out = idx;
  return true;
}

/* Inline params and results of a type use or block type. `ids` (may be
 * NULL: identifiers refused) receives param identifiers. */
typedef struct Sig {
  uint8_t small[32];
  uint8_t *types; /* params then results */
  uint32_t np, nr, cap;
  WgBuf heap;
} Sig;

static bool sig_push(WatCore *m, Sig *s, uint8_t t) {
  uint32_t n = s->np + s->nr;
  if (n < sizeof s->small && !s->heap.len) {
    s->small[n] = t;
    s->types = s->small;
  } else {
    if (!s->heap.len) wg_buf_append(&s->heap, s->small, n);
    wg_buf_putc(&s->heap, (char)t);
    if (s->heap.failed) return wat_nomem(m->p);
    s->types = (uint8_t *)s->heap.data;
  }
  return true;
}

static bool parse_sig(WatCore *m, Sig *s, WatNames *ids, WatNameVec *names,
                      uint32_t local_base) {
  WatParser *p = m->p;
  s->types = s->small;
  while (wat_peek_form(p, "param")) {
    if (s->nr) return wat_error(p, "unexpected token: params after results");
    p->pos += 2;
    if (wat_peek(p)->kind == WAT_ID) {
      if (!ids) return wat_error(p, "unexpected token");
      const WatTok *idt = wat_peek(p);
      WgStr id = wat_id_name(p, idt);
      if (!id.ptr) return false;
      uint32_t prev;
      if (!wat_names_add(p->arena, ids, id, local_base + s->np, &prev)) {
        if (prev == UINT32_MAX) return wat_nomem(p);
        return wat_error(p, "duplicate local $%.*s", (int)id.len, id.ptr);
      }
      p->pos++;
      WgStr name = id;
      bool annot;
      if (!wat_name_annot(p, &name, &annot)) return false;
      if (names && !wg_vec_push(names, ((WatName){ local_base + s->np, name })))
        return wat_nomem(p);
      uint8_t t = wat_valtype(m);
      if (!t || !sig_push(m, s, t)) return false;
      s->np++;
    } else {
      while (!wat_at_close(p)) {
        uint8_t t = wat_valtype(m);
        if (!t || !sig_push(m, s, t)) return false;
        s->np++;
      }
    }
    if (!wat_expect_rparen(p)) return false;
  }
  while (wat_peek_form(p, "result")) {
    p->pos += 2;
    while (!wat_at_close(p)) {
      uint8_t t = wat_valtype(m);
      if (!t || !sig_push(m, s, t)) return false;
      s->nr++;
    }
    if (!wat_expect_rparen(p)) return false;
  }
  if (wat_peek_form(p, "param"))
    return wat_error(p, "unexpected token: params after results");
  return true;
}

static bool sig_matches(const WatCore *m, uint32_t ti, const Sig *s) {
  const WatFuncType *ft = &m->ftypes.items[ti];
  return ft->nparams == s->np && ft->nresults == s->nr &&
         (s->np + s->nr == 0 || !memcmp(ft->types, s->types, s->np + s->nr));
}

bool wat_typeuse(WatCore *m, WatNames *param_ids, WatNameVec *param_names,
                 uint32_t *out_type, uint32_t *out_nparams) {
  WatParser *p = m->p;
  uint32_t ti = 0;
  bool has_index = false;
  if (wat_peek_form(p, "type")) {
    p->pos += 2;
    if (!wat_index(m, &m->types, "type", &ti) || !wat_expect_rparen(p))
      return false;
    has_index = true;
  }
  Sig s = { 0 };
  bool ok = parse_sig(m, &s, param_ids, param_names, 0);
  if (ok) {
    bool inline_sig = s.np || s.nr;
    if (has_index) {
      bool known = ti < m->ftypes.count;
      if (inline_sig && !known) {
        /* the inline type cannot be checked against a missing one */
        ok = wat_error(p, "unknown type %u", ti);
      } else if (inline_sig && !sig_matches(m, ti, &s)) {
        ok = wat_error(p, "inline function type does not match the type");
      } else {
        *out_type = ti;
        if (out_nparams)
          *out_nparams = inline_sig ? s.np
                         : known    ? m->ftypes.items[ti].nparams
                                    : UINT32_MAX;
      }
    } else {
      ok = wat_type_for(m, s.types, s.np, s.types + s.np, s.nr, out_type);
      if (out_nparams) *out_nparams = s.np;
    }
  }
  wg_buf_free(&s.heap);
  return ok;
}

/* ---- function bodies ---------------------------------------------------- */

typedef enum FrameKind { FRAME_BLOCK, FRAME_LOOP, FRAME_IF } FrameKind;

/* An open plain block (block ... end); folded blocks live in recursion. */
typedef struct Frame {
  uint8_t kind;
  bool has_else;
  WgStr label;
} Frame;

typedef struct Body {
  WatCore *m;
  WgBuf *out;
  bool in_func; /* locals available */
  WgVec(Frame) frames;
} Body;

static bool instr_seq(Body *b);
static bool folded(Body *b);

static bool push_label(Body *b, WgStr label, WgStr name) {
  WatCore *m = b->m;
  if (!wg_vec_push(&m->label_stack, label)) return wat_nomem(m->p);
  if (name.ptr &&
      !wg_vec_push(&m->names_label, ((WatName){ m->label_count, name })))
    return wat_nomem(m->p);
  m->label_count++;
  return true;
}

static bool label_index(Body *b, uint32_t *out) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_NUM) {
    if (!wat_tok_u32(p, t, out))
      return wat_error(p, "label index out of range");
    p->pos++;
    return true;
  }
  if (t->kind == WAT_ID) {
    WgStr name = wat_id_name(p, t);
    if (!name.ptr) return false;
    for (size_t i = m->label_stack.count; i-- > 0;) {
      WgStr l = m->label_stack.items[i];
      if (l.ptr && l.len == name.len && !memcmp(l.ptr, name.ptr, l.len)) {
        *out = (uint32_t)(m->label_stack.count - 1 - i);
        p->pos++;
        return true;
      }
    }
    return wat_error(p, "unknown label $%.*s", (int)name.len, name.ptr);
  }
  return wat_error(p, "unexpected token, expected a label");
}

static bool local_index(Body *b, uint32_t *out) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_NUM) {
    if (!wat_tok_u32(p, t, out))
      return wat_error(p, "local index out of range");
    p->pos++;
    return true;
  }
  if (t->kind == WAT_ID) {
    WgStr name = wat_id_name(p, t);
    if (!name.ptr) return false;
    if (!b->in_func || !wat_names_get(&m->local_ids, name, out))
      return wat_error(p, "unknown local $%.*s", (int)name.len, name.ptr);
    p->pos++;
    return true;
  }
  return wat_error(p, "unexpected token, expected a local index");
}

/* An optional label `$id` of a block. */
static WgStr block_label(Body *b, WgStr *name) {
  WatParser *p = b->m->p;
  WgStr l = { NULL, 0 };
  if (wat_peek(p)->kind == WAT_ID) {
    l = wat_id_name(p, wat_peek(p));
    p->pos++;
  }
  *name = l;
  bool annot;
  if (!wat_name_annot(p, name, &annot)) return (WgStr){ NULL, 0 };
  return l;
}

/* A block type: `(type x)? (param t*)* (result t*)*`. */
static bool block_type(Body *b) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  uint32_t ti = UINT32_MAX;
  if (wat_peek_form(p, "type")) {
    p->pos += 2;
    if (!wat_index(m, &m->types, "type", &ti) || !wat_expect_rparen(p))
      return false;
  }
  Sig s = { 0 };
  bool ok = parse_sig(m, &s, NULL, NULL, 0);
  if (ok) {
    if (ti != UINT32_MAX) {
      bool known = ti < m->ftypes.count;
      if ((s.np || s.nr) && !known)
        ok = wat_error(p, "unknown type %u", ti);
      else if ((s.np || s.nr) && !sig_matches(m, ti, &s))
        ok = wat_error(p, "inline function type does not match the type");
      else
        wg_buf_sleb(b->out, ti);
    } else if (s.np == 0 && s.nr == 0) {
      wg_buf_putc(b->out, 0x40);
    } else if (s.np == 0 && s.nr == 1) {
      wg_buf_putc(b->out, (char)s.types[0]);
    } else {
      uint32_t t;
      ok = wat_type_for(m, s.types, s.np, s.types + s.np, s.nr, &t);
      if (ok) wg_buf_sleb(b->out, t);
    }
  }
  wg_buf_free(&s.heap);
  return ok;
}

/* `end $l` / `else $l`: the optional id must name the block. */
static bool check_label(Body *b, WgStr label) {
  WatParser *p = b->m->p;
  if (wat_peek(p)->kind != WAT_ID) return true;
  WgStr id = wat_id_name(p, wat_peek(p));
  if (!label.ptr || id.len != label.len || memcmp(id.ptr, label.ptr, id.len))
    return wat_error(p, "mismatching label");
  p->pos++;
  return true;
}

static bool opt_index(WatCore *m, WatSpace *s, const char *what,
                      uint32_t *out) {
  *out = 0;
  if (!is_index(wat_peek(m->p))) return true;
  return wat_index(m, s, what, out);
}

/* memarg: `memidx? offset=N? align=N?` */
static bool memarg(Body *b, const InstrDef *d, bool lane_follows) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  uint32_t mem = 0;
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_ID) {
    if (!wat_index(m, &m->mems, "memory", &mem)) return false;
  } else if (t->kind == WAT_NUM) {
    /* a number is the memory index unless it is the lane index */
    const WatTok *n = wat_peek2(p);
    bool more = n->kind == WAT_NUM ||
                (n->kind == WAT_KEYWORD &&
                 ((n->len > 7 && !memcmp(p->text + n->start, "offset=", 7)) ||
                  (n->len > 6 && !memcmp(p->text + n->start, "align=", 6))));
    if (!lane_follows || more) {
      if (!wat_index(m, &m->mems, "memory", &mem)) return false;
    }
  }
  uint64_t offset = 0;
  uint64_t align = (uint64_t)1 << d->align;
  t = wat_peek(p);
  if (t->kind == WAT_KEYWORD && t->len > 7 &&
      !memcmp(p->text + t->start, "offset=", 7)) {
    WatTok num = { WAT_NUM, 0, t->start + 7, t->len - 7, 0 };
    if (!wat_tok_u64(p, &num, &offset) || offset > UINT32_MAX)
      return wat_error(p, "offset out of range");
    p->pos++;
    t = wat_peek(p);
  }
  if (t->kind == WAT_KEYWORD && t->len > 6 &&
      !memcmp(p->text + t->start, "align=", 6)) {
    WatTok num = { WAT_NUM, 0, t->start + 6, t->len - 6, 0 };
    if (!wat_tok_u64(p, &num, &align))
      return wat_error(p, "malformed alignment");
    if (align == 0 || (align & (align - 1)))
      return wat_error(p, "alignment must be a power of two");
    p->pos++;
  }
  uint32_t log2 = 0;
  while (((uint64_t)1 << log2) < align)
    log2++;
  if (mem != 0) {
    wg_buf_uleb(b->out, log2 | 0x40);
    wg_buf_uleb(b->out, mem);
  } else {
    wg_buf_uleb(b->out, log2);
  }
  wg_buf_uleb(b->out, offset);
  return true;
}

static bool lane_byte(Body *b, uint8_t *out) {
  WatParser *p = b->m->p;
  const WatTok *t = wat_peek(p);
  uint64_t v;
  if (t->kind != WAT_NUM || !wat_tok_u64(p, t, &v) || v > 255)
    return wat_error(p, "malformed lane index");
  *out = (uint8_t)v;
  p->pos++;
  return true;
}

static bool int_const(Body *b, unsigned bits, uint64_t *out) {
  WatParser *p = b->m->p;
  const WatTok *t = wat_peek(p);
  bool range;
  if (t->kind != WAT_NUM || !wat_int_bits(wat_tok_str(p, t), bits, out, &range))
    return wat_error(p, "unexpected token, expected an i%u literal", bits);
  if (range) return wat_error(p, "constant out of range");
  p->pos++;
  return true;
}

static bool float_const(Body *b, bool single, uint64_t *out) {
  WatParser *p = b->m->p;
  const WatTok *t = wat_peek(p);
  bool range, ok;
  if (single) {
    uint32_t v = 0;
    ok = t->kind == WAT_NUM && wat_f32_bits(wat_tok_str(p, t), &v, &range);
    *out = v;
  } else {
    ok = t->kind == WAT_NUM && wat_f64_bits(wat_tok_str(p, t), out, &range);
  }
  if (!ok)
    return wat_error(p, "unexpected token, expected an f%d literal",
                     single ? 32 : 64);
  if (range) return wat_error(p, "constant out of range");
  p->pos++;
  return true;
}

static void put_le(WgBuf *out, uint64_t v, unsigned bytes) {
  uint8_t tmp[8];
  for (unsigned i = 0; i < bytes; i++)
    tmp[i] = (uint8_t)(v >> (8 * i));
  wg_buf_append(out, tmp, bytes);
}

static bool v128_const(Body *b) {
  WatParser *p = b->m->p;
  static const struct {
    const char *shape;
    unsigned lanes, bits;
    char kind;
  } shapes[] = { { "i8x16", 16, 8, 'i' }, { "i16x8", 8, 16, 'i' },
                 { "i32x4", 4, 32, 'i' }, { "i64x2", 2, 64, 'i' },
                 { "f32x4", 4, 32, 'f' }, { "f64x2", 2, 64, 'f' } };
  for (size_t i = 0; i < 6; i++) {
    if (!wat_accept_kw(p, shapes[i].shape)) continue;
    for (unsigned l = 0; l < shapes[i].lanes; l++) {
      if (wat_peek(p)->kind != WAT_NUM)
        return wat_error(p, "wrong number of lane literals");
      uint64_t v;
      bool ok = shapes[i].kind == 'i'
                    ? int_const(b, shapes[i].bits, &v)
                    : float_const(b, shapes[i].bits == 32, &v);
      if (!ok) return false;
      put_le(b->out, v, shapes[i].bits / 8);
    }
    if (wat_peek(p)->kind == WAT_NUM)
      return wat_error(p, "wrong number of lane literals");
    return true;
  }
  return wat_error(p, "unexpected token, expected a vector shape");
}

/* Immediates of `d` at the current token, appended after its opcode. */
static bool immediates(Body *b, const InstrDef *d) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  WgBuf *out = b->out;
  uint32_t x, y;
  uint64_t v;
  switch ((ImmKind)d->imm) {
    case IMM_NONE:
    case IMM_BLOCKTYPE:
      return true;
    case IMM_LABEL:
      if (!label_index(b, &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_BR_TABLE: {
      WgBuf labels = { 0 };
      uint32_t n = 0;
      bool ok = true;
      while (ok && is_index(wat_peek(p))) {
        ok = label_index(b, &x);
        wg_buf_uleb(&labels, x);
        n++;
      }
      if (ok && n == 0) ok = wat_error(p, "unexpected token, expected a label");
      if (ok) {
        wg_buf_uleb(out, n - 1);
        wg_buf_append(out, labels.data, labels.len);
      }
      wg_buf_free(&labels);
      return ok;
    }
    case IMM_FUNC:
      if (!wat_index(m, &m->funcs, "function", &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_CALL_INDIRECT: {
      if (!opt_index(m, &m->tables, "table", &y) ||
          !wat_typeuse(m, NULL, NULL, &x, NULL))
        return false;
      wg_buf_uleb(out, x);
      wg_buf_uleb(out, y);
      return true;
    }
    case IMM_LOCAL:
      if (!local_index(b, &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_GLOBAL:
      if (!wat_index(m, &m->globals, "global", &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_TABLE:
      if (!opt_index(m, &m->tables, "table", &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_MEMARG:
      return memarg(b, d, false);
    case IMM_MEMARG_LANE: {
      uint8_t lane;
      if (!memarg(b, d, true) || !lane_byte(b, &lane)) return false;
      wg_buf_putc(out, (char)lane);
      return true;
    }
    case IMM_MEMORY0:
      if (!opt_index(m, &m->mems, "memory", &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_I32:
      if (!int_const(b, 32, &v)) return false;
      wg_buf_sleb(out, (int32_t)(uint32_t)v);
      return true;
    case IMM_I64:
      if (!int_const(b, 64, &v)) return false;
      wg_buf_sleb(out, (int64_t)v);
      return true;
    case IMM_F32:
      if (!float_const(b, true, &v)) return false;
      put_le(out, v, 4);
      return true;
    case IMM_F64:
      if (!float_const(b, false, &v)) return false;
      put_le(out, v, 8);
      return true;
    case IMM_REFTYPE:
      if (wat_accept_kw(p, "func")) {
        wg_buf_putc(out, 0x70);
      } else if (wat_accept_kw(p, "extern")) {
        wg_buf_putc(out, 0x6f);
      } else {
        return wat_error(p, "unexpected token, expected a heap type");
      }
      return true;
    case IMM_SELECT_T:
      return true; /* handled with select */
    case IMM_DATA_MEMORY: {
      m->needs_data_count = true;
      uint32_t mem = 0, data;
      if (is_index(wat_peek(p)) && is_index(wat_peek2(p))) {
        if (!wat_index(m, &m->mems, "memory", &mem)) return false;
      }
      if (!wat_index(m, &m->datas, "data segment", &data)) return false;
      wg_buf_uleb(out, data);
      wg_buf_uleb(out, mem);
      return true;
    }
    case IMM_DATA:
      m->needs_data_count = true;
      if (!wat_index(m, &m->datas, "data segment", &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_MEMORY_MEMORY:
      x = y = 0;
      if (is_index(wat_peek(p))) {
        if (!wat_index(m, &m->mems, "memory", &x) ||
            !wat_index(m, &m->mems, "memory", &y))
          return false;
      }
      wg_buf_uleb(out, x);
      wg_buf_uleb(out, y);
      return true;
    case IMM_ELEM_TABLE: {
      uint32_t tab = 0, elem;
      if (is_index(wat_peek(p)) && is_index(wat_peek2(p))) {
        if (!wat_index(m, &m->tables, "table", &tab)) return false;
      }
      if (!wat_index(m, &m->elems, "elem segment", &elem)) return false;
      wg_buf_uleb(out, elem);
      wg_buf_uleb(out, tab);
      return true;
    }
    case IMM_ELEM:
      if (!wat_index(m, &m->elems, "elem segment", &x)) return false;
      wg_buf_uleb(out, x);
      return true;
    case IMM_TABLE_TABLE:
      x = y = 0;
      if (is_index(wat_peek(p))) {
        if (!wat_index(m, &m->tables, "table", &x) ||
            !wat_index(m, &m->tables, "table", &y))
          return false;
      }
      wg_buf_uleb(out, x);
      wg_buf_uleb(out, y);
      return true;
    case IMM_V128:
      return v128_const(b);
    case IMM_SHUFFLE: {
      uint8_t lanes[16];
      unsigned n = 0;
      while (wat_peek(p)->kind == WAT_NUM) {
        uint8_t l;
        if (!lane_byte(b, &l)) return false;
        if (n < 16) lanes[n] = l;
        n++;
      }
      if (n != 16) return wat_error(p, "invalid lane length");
      wg_buf_append(out, lanes, 16);
      return true;
    }
    case IMM_LANE: {
      uint8_t lane;
      if (!lane_byte(b, &lane)) return false;
      wg_buf_putc(out, (char)lane);
      return true;
    }
  }
  return true;
}

static void put_opcode(WgBuf *out, const InstrDef *d) {
  if (d->prefix) {
    wg_buf_putc(out, (char)d->prefix);
    wg_buf_uleb(out, d->code);
  } else {
    wg_buf_putc(out, (char)d->code);
  }
}

/* `select (result t*)*`: typed when any result clause is there. */
static bool select_instr(Body *b) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  if (!wat_peek_form(p, "result")) {
    wg_buf_putc(b->out, 0x1b);
    return true;
  }
  WgBuf types = { 0 };
  uint32_t n = 0;
  bool ok = true;
  while (ok && wat_peek_form(p, "result")) {
    p->pos += 2;
    while (ok && !wat_at_close(p)) {
      uint8_t t = wat_valtype(m);
      ok = t != 0;
      wg_buf_putc(&types, (char)t);
      n++;
    }
    ok = ok && wat_expect_rparen(p);
  }
  if (ok) {
    wg_buf_putc(b->out, 0x1c);
    wg_buf_uleb(b->out, n);
    wg_buf_append(b->out, types.data, types.len);
  }
  wg_buf_free(&types);
  return ok;
}

/* Looks the instruction at the current keyword up. */
static const InstrDef *instr_def(Body *b) {
  WatParser *p = b->m->p;
  const WatTok *t = wat_peek(p);
  const InstrDef *d = NULL;
  if (t->kind == WAT_KEYWORD) d = lookup(p->text + t->start, t->len);
  if (!d) {
    if (t->kind == WAT_KEYWORD || t->kind == WAT_RESERVED)
      wat_error(p, "unknown operator `%.*s`", (int)t->len, p->text + t->start);
    else
      wat_error(p, "unexpected token, expected an instruction");
  }
  return d;
}

/* A plain instruction other than block/loop/if/else/end. */
static bool plain_op(Body *b, const InstrDef *d) {
  WatParser *p = b->m->p;
  p->pos++;
  if (d->imm == IMM_NONE && d->code == 0x1b && d->prefix == 0)
    return select_instr(b);
  put_opcode(b->out, d);
  return immediates(b, d);
}

/* block/loop/if header after the keyword: label, block type. Emits the
 * opcode and type and pushes the label. */
static bool block_head(Body *b, uint8_t opcode, WgStr *label) {
  WgStr name;
  *label = block_label(b, &name);
  if (b->m->p->failed) return false;
  wg_buf_putc(b->out, (char)opcode);
  if (!block_type(b)) return false;
  return push_label(b, *label, name);
}

static void pop_label(Body *b) {
  b->m->label_stack.count--;
}

/* The instructions of a sequence, up to `)` (or the end of the text).
 * Plain block instructions open frames on b->frames; the sequence must
 * close every frame it opened. */
static bool instr_seq(Body *b) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  size_t base = b->frames.count;
  while (!wat_at_close(p)) {
    const WatTok *t = wat_peek(p);
    if (t->kind == WAT_LPAREN) {
      if (!folded(b)) return false;
      continue;
    }
    if (wat_tok_is(p, t, "block") || wat_tok_is(p, t, "loop") ||
        wat_tok_is(p, t, "if")) {
      uint8_t kind = p->text[t->start] == 'b'   ? FRAME_BLOCK
                     : p->text[t->start] == 'l' ? FRAME_LOOP
                                                : FRAME_IF;
      p->pos++;
      Frame f = { kind, false, { NULL, 0 } };
      if (!block_head(b, (uint8_t)(0x02 + kind), &f.label)) return false;
      if (!wg_vec_push(&b->frames, f)) return wat_nomem(p);
      continue;
    }
    if (wat_tok_is(p, t, "else")) {
      if (b->frames.count == base) return wat_error(p, "unexpected token");
      Frame *f = &wg_vec_last(&b->frames);
      if (f->kind != FRAME_IF || f->has_else)
        return wat_error(p, "unexpected token");
      p->pos++;
      if (!check_label(b, f->label)) return false;
      f->has_else = true;
      wg_buf_putc(b->out, 0x05);
      continue;
    }
    if (wat_tok_is(p, t, "end")) {
      if (b->frames.count == base) return wat_error(p, "unexpected token");
      Frame *f = &wg_vec_last(&b->frames);
      p->pos++;
      if (!check_label(b, f->label)) return false;
      b->frames.count--;
      pop_label(b);
      wg_buf_putc(b->out, 0x0b);
      continue;
    }
    const InstrDef *d = instr_def(b);
    if (!d || !plain_op(b, d)) return false;
  }
  if (b->frames.count != base)
    return wat_error(p, "unexpected token, expected `end`");
  return true;
}

/* Skips the immediates of a folded plain instruction: tokens that are not
 * `(`, and the (type ..) (param ..) (result ..) forms. */
static void skip_immediates(WatParser *p) {
  for (;;) {
    const WatTok *t = wat_peek(p);
    if (t->kind == WAT_LPAREN) {
      if (wat_peek_form(p, "type") || wat_peek_form(p, "param") ||
          wat_peek_form(p, "result")) {
        wat_skip_form(p);
        continue;
      }
      return;
    }
    if (t->kind == WAT_RPAREN || t->kind == WAT_EOF) return;
    p->pos++;
  }
}

/* A folded instruction `( ... )`. */
static bool folded(Body *b) {
  WatCore *m = b->m;
  WatParser *p = m->p;
  uint32_t open = p->pos;
  uint32_t close = p->toks[open].close;
  p->pos++;
  const WatTok *t = wat_peek(p);
  if (wat_tok_is(p, t, "block") || wat_tok_is(p, t, "loop")) {
    uint8_t op = p->text[t->start] == 'b' ? 0x02 : 0x03;
    p->pos++;
    WgStr label;
    if (!block_head(b, op, &label) || !instr_seq(b)) return false;
    pop_label(b);
    wg_buf_putc(b->out, 0x0b);
    return wat_expect_rparen(p);
  }
  if (wat_tok_is(p, t, "if")) {
    p->pos++;
    WgStr name;
    WgStr label = block_label(b, &name);
    if (p->failed) return false;
    /* the block type comes first, then conditions: encode the conditions
     * before the `if`, so parse the type after them */
    uint32_t type_pos = p->pos;
    if (wat_peek_form(p, "type")) wat_skip_form(p);
    while (wat_peek_form(p, "param"))
      wat_skip_form(p);
    while (wat_peek_form(p, "result"))
      wat_skip_form(p);
    while (wat_peek(p)->kind == WAT_LPAREN && !wat_peek_form(p, "then")) {
      if (wat_peek_form(p, "else")) return wat_error(p, "unexpected token");
      if (!folded(b)) return false;
    }
    uint32_t then_pos = p->pos;
    p->pos = type_pos;
    wg_buf_putc(b->out, 0x04);
    if (!block_type(b) || !push_label(b, label, name)) return false;
    p->pos = then_pos;
    if (!wat_peek_form(p, "then"))
      return wat_error(p, "unexpected token, expected `(then`");
    p->pos += 2;
    if (!instr_seq(b) || !wat_expect_rparen(p)) return false;
    if (wat_peek_form(p, "else")) {
      p->pos += 2;
      wg_buf_putc(b->out, 0x05);
      if (!instr_seq(b) || !wat_expect_rparen(p)) return false;
    }
    pop_label(b);
    wg_buf_putc(b->out, 0x0b);
    return wat_expect_rparen(p);
  }
  const InstrDef *d = instr_def(b);
  if (!d) return false;
  if (d->prefix == 0 && (d->code == 0x05 || d->code == 0x0b))
    return wat_error(p, "unexpected token");
  uint32_t imm_pos = ++p->pos;
  skip_immediates(p);
  uint32_t ops_pos = p->pos;
  /* operands first, then the instruction */
  while (wat_peek(p)->kind == WAT_LPAREN) {
    if (!folded(b)) return false;
  }
  if (!wat_at_close(p)) return wat_error(p, "unexpected token");
  p->pos = imm_pos;
  if (d->imm == IMM_NONE && d->code == 0x1b && d->prefix == 0) {
    if (!select_instr(b)) return false;
  } else {
    put_opcode(b->out, d);
    if (!immediates(b, d)) return false;
  }
  if (p->pos != ops_pos) {
    /* immediates stopped early: what remains is not an operand */
    return wat_error(p, "unexpected token");
  }
  p->pos = close + 1;
  return true;
}

bool wat_folded_expr(WatCore *m, WgBuf *out) {
  Body b = { m, out, false, { 0 } };
  if (wat_peek(m->p)->kind != WAT_LPAREN)
    return wat_error(m->p, "unexpected token, expected an instruction");
  bool ok = folded(&b);
  wg_vec_free(&b.frames);
  return ok;
}

bool wat_const_expr(WatCore *m, WgBuf *out) {
  Body b = { m, out, false, { 0 } };
  bool ok = instr_seq(&b);
  wg_vec_free(&b.frames);
  wg_buf_putc(out, 0x0b);
  return ok;
}

bool wat_func_body(WatCore *m, uint32_t nparams, WgBuf *out) {
  WatParser *p = m->p;
  if (nparams == UINT32_MAX) nparams = 0;
  /* locals */
  WgBuf locals = { 0 }, code = { 0 };
  uint32_t nruns = 0, run_count = 0, index = nparams;
  uint8_t run_type = 0;
  bool ok = true;
  while (ok && wat_peek_form(p, "local")) {
    p->pos += 2;
    bool single = wat_peek(p)->kind == WAT_ID;
    if (single) {
      WgStr id = wat_id_name(p, wat_peek(p));
      uint32_t prev;
      if (!id.ptr) {
        ok = false;
      } else if (!wat_names_add(p->arena, &m->local_ids, id, index, &prev)) {
        ok = prev == UINT32_MAX
                 ? wat_nomem(p)
                 : wat_error(p, "duplicate local $%.*s", (int)id.len, id.ptr);
      }
      p->pos++;
      WgStr name = id;
      bool annot;
      if (ok && !wat_name_annot(p, &name, &annot)) ok = false;
      if (ok && !wg_vec_push(&m->names_local, ((WatName){ index, name })))
        ok = wat_nomem(p);
    }
    while (ok && !wat_at_close(p)) {
      uint8_t t = wat_valtype(m);
      if (!t) {
        ok = false;
        break;
      }
      if (run_count && t == run_type) {
        run_count++;
      } else {
        if (run_count) {
          wg_buf_uleb(&locals, run_count);
          wg_buf_putc(&locals, (char)run_type);
          nruns++;
        }
        run_type = t;
        run_count = 1;
      }
      index++;
      if (single) break;
    }
    ok = ok && wat_expect_rparen(p);
  }
  if (run_count) {
    wg_buf_uleb(&locals, run_count);
    wg_buf_putc(&locals, (char)run_type);
    nruns++;
  }
  m->nlocals = index;
  m->label_stack.count = 0;
  m->label_count = 0;
  size_t first_label = m->names_label.count;
  Body b = { m, &code, true, { 0 } };
  if (ok) {
    wg_buf_uleb(&code, nruns);
    wg_buf_append(&code, locals.data, locals.len);
    ok = instr_seq(&b);
    wg_buf_putc(&code, 0x0b);
  }
  if (ok) {
    wg_buf_uleb(out, code.len);
    wg_buf_append(out, code.data, code.len);
    size_t nl = m->names_label.count - first_label;
    if (nl && !wg_vec_push(&m->labels,
                           ((WatIndirect){ m->func_index, (uint32_t)first_label,
                                           (uint32_t)nl })))
      ok = wat_nomem(p);
  }
  if (code.failed || locals.failed) ok = ok && wat_nomem(p);
  wg_vec_free(&b.frames);
  wg_buf_free(&locals);
  wg_buf_free(&code);
  return ok;
}
