/* SPDX-License-Identifier: Apache-2.0 */
/* Core instructions binary -> text, as wasm-tools prints them: flat, one a
 * line, nested blocks indented, unnamed labels shown as `;; label = @N`
 * and branch targets as `N (;@M;)`. Opcode names and immediate kinds come
 * from binary/src/core/opcodes.def. */
#include <pthread.h>
#include <string.h>

#include "print.h"

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

typedef struct OpInfo {
  const char *text;
  uint8_t prefix;
  uint8_t imm;
  int8_t align;
  uint32_t code;
} OpInfo;

/* clang-format off */
static const OpInfo OPS[] = {
#define WG_OP(code, id, text, imm, kind, np, p0, p1, p2, r, align, lanes) \
  { text, 0, IMM_##imm, align, code },
#define WG_OP_FC(code, id, text, imm, kind, np, p0, p1, p2, r, align, lanes) \
  { text, 0xfc, IMM_##imm, align, code },
#define WG_OP_FD(code, id, text, imm, kind, np, p0, p1, p2, r, align, lanes) \
  { text, 0xfd, IMM_##imm, align, code },
#include "core/opcodes.def"
};
/* clang-format on */

enum { NOPS = sizeof OPS / sizeof *OPS };
static uint16_t by_byte[256], by_fc[64], by_fd[512]; /* OPS index + 1 */
static pthread_once_t ops_once = PTHREAD_ONCE_INIT;

static void build_ops(void) {
  for (uint32_t i = 0; i < NOPS; i++) {
    const OpInfo *o = &OPS[i];
    if (o->prefix == 0xfc && o->code < 64)
      by_fc[o->code] = (uint16_t)(i + 1);
    else if (o->prefix == 0xfd && o->code < 512)
      by_fd[o->code] = (uint16_t)(i + 1);
    else if (o->prefix == 0 && !by_byte[o->code])
      by_byte[o->code] = (uint16_t)(i + 1);
  }
}

typedef struct Ctx {
  const PrCore *c;
  PrReader *r;
  WgBuf *out;
  bool inline_mode; /* const expressions: on one line */
  int indent;
  const PrIds *locals;
  PrIds labels;
  uint32_t *stack; /* label index of each open block */
  uint32_t depth, cap;
  uint32_t next_label;
  int count;
} Ctx;

static bool push_block(Ctx *x, uint32_t label) {
  if (x->depth == x->cap) {
    uint32_t cap = x->cap ? x->cap * 2 : 16;
    uint32_t *s = wg_arena_alloc(x->c->arena, cap * sizeof *s);
    if (!s) return pr_fail(x->r, "out of memory");
    if (x->depth) memcpy(s, x->stack, x->depth * sizeof *s);
    x->stack = s;
    x->cap = cap;
  }
  x->stack[x->depth++] = label;
  return true;
}

static void new_line(Ctx *x, int indent) {
  if (x->inline_mode) {
    wg_buf_putc(x->out, ' ');
  } else {
    wg_buf_putc(x->out, '\n');
    pr_indent(x->out, indent);
  }
}

/* A branch target: `$name`, or `N (;@M;)` (M the absolute block depth). */
static void label_ref(Ctx *x, uint32_t rel) {
  WgBuf *out = x->out;
  if (rel < x->depth) {
    uint32_t label = x->stack[x->depth - 1 - rel];
    if (pr_ids_ref(out, &x->labels, label)) return;
    pr_sp_udec(out, rel);
    wg_buf_puts(out, " (;@");
    pr_udec(out, x->depth - rel);
    wg_buf_puts(out, ";)");
    return;
  }
  pr_sp_udec(out, rel);
  if (rel != x->depth) wg_buf_puts(out, " (; INVALID ;)");
}

static void block_type(Ctx *x) {
  PrReader *r = x->r;
  WgBuf *out = x->out;
  if (r->pos < r->end && *r->pos == 0x40) {
    r->pos++;
    return;
  }
  if (r->pos < r->end && pr_valtype_name(*r->pos)) {
    wg_buf_puts(out, " (result ");
    wg_buf_puts(out, pr_valtype_name(*r->pos));
    wg_buf_putc(out, ')');
    r->pos++;
    return;
  }
  int64_t ti = pr_s33(r);
  if (ti < 0) {
    pr_fail(r, "malformed block type");
    return;
  }
  wg_buf_puts(out, " (type");
  pr_ids_use(out, &x->c->type_ids, (uint32_t)ti);
  wg_buf_putc(out, ')');
  if ((uint64_t)ti < x->c->ntypes && x->c->types[ti].is_func) {
    const PrFuncType *t = &x->c->types[ti];
    if (t->nparams) {
      wg_buf_puts(out, " (param");
      for (uint32_t i = 0; i < t->nparams; i++) {
        wg_buf_putc(out, ' ');
        wg_buf_puts(out, pr_valtype_name(t->params[i]));
      }
      wg_buf_putc(out, ')');
    }
    if (t->nresults) {
      wg_buf_puts(out, " (result");
      for (uint32_t i = 0; i < t->nresults; i++) {
        wg_buf_putc(out, ' ');
        wg_buf_puts(out, pr_valtype_name(t->results[i]));
      }
      wg_buf_putc(out, ')');
    }
  }
}

static void memarg(Ctx *x, const OpInfo *o) {
  PrReader *r = x->r;
  WgBuf *out = x->out;
  uint32_t flags = pr_u32(r);
  uint32_t mem = 0;
  if (flags & 0x40) {
    flags &= ~0x40u;
    mem = pr_u32(r);
  }
  uint64_t offset = pr_u64(r);
  if (mem) pr_ids_use(out, &x->c->mem_ids, mem);
  if (offset) {
    wg_buf_puts(out, " offset=");
    pr_udec(out, offset);
  }
  if (flags >= 64) {
    pr_fail(r, "malformed memop alignment");
    return;
  }
  if ((int)flags != o->align) {
    wg_buf_puts(out, " align=");
    pr_udec(out, (uint64_t)1 << flags);
  }
}

static void immediates(Ctx *x, const OpInfo *o) {
  PrReader *r = x->r;
  WgBuf *out = x->out;
  const PrCore *c = x->c;
  switch ((ImmKind)o->imm) {
    case IMM_NONE:
    case IMM_BLOCKTYPE:
      break;
    case IMM_LABEL:
      label_ref(x, pr_u32(r));
      break;
    case IMM_BR_TABLE: {
      uint32_t n = pr_u32(r);
      if (n > (size_t)(r->end - r->pos)) {
        pr_fail(r, "malformed br_table");
        break;
      }
      for (uint32_t i = 0; i <= n && !r->failed; i++)
        label_ref(x, pr_u32(r));
      break;
    }
    case IMM_FUNC:
      pr_ids_use(out, &c->func_ids, pr_u32(r));
      break;
    case IMM_CALL_INDIRECT: {
      uint32_t ti = pr_u32(r), table = pr_u32(r);
      if (table) pr_ids_use(out, &c->table_ids, table);
      wg_buf_puts(out, " (type");
      pr_ids_use(out, &c->type_ids, ti);
      wg_buf_putc(out, ')');
      break;
    }
    case IMM_LOCAL:
      if (x->locals)
        pr_ids_use(out, x->locals, pr_u32(r));
      else
        pr_sp_udec(out, pr_u32(r));
      break;
    case IMM_GLOBAL:
      pr_ids_use(out, &c->global_ids, pr_u32(r));
      break;
    case IMM_TABLE:
      pr_ids_use(out, &c->table_ids, pr_u32(r));
      break;
    case IMM_MEMARG:
      memarg(x, o);
      break;
    case IMM_MEMARG_LANE:
      memarg(x, o);
      pr_sp_udec(out, pr_u8(r));
      break;
    case IMM_MEMORY0: {
      uint32_t mem = pr_u32(r);
      if (mem) pr_ids_use(out, &c->mem_ids, mem);
      break;
    }
    case IMM_I32:
      wg_buf_putc(out, ' ');
      pr_sdec(out, pr_s32(r));
      break;
    case IMM_I64:
      wg_buf_putc(out, ' ');
      pr_sdec(out, pr_s64(r));
      break;
    case IMM_F32: {
      const uint8_t *b = pr_bytes(r, 4);
      if (!b) break;
      uint32_t bits = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                      (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
      wg_buf_putc(out, ' ');
      pr_f32(out, bits);
      break;
    }
    case IMM_F64: {
      const uint8_t *b = pr_bytes(r, 8);
      if (!b) break;
      uint64_t bits = 0;
      for (int i = 7; i >= 0; i--)
        bits = bits << 8 | b[i];
      wg_buf_putc(out, ' ');
      pr_f64(out, bits);
      break;
    }
    case IMM_REFTYPE: {
      uint8_t t = pr_u8(r);
      if (t == 0x70)
        wg_buf_puts(out, " func");
      else if (t == 0x6f)
        wg_buf_puts(out, " extern");
      else
        pr_fail(r, "malformed reference type");
      break;
    }
    case IMM_SELECT_T: {
      uint32_t n = pr_u32(r);
      wg_buf_puts(out, " (result");
      for (uint32_t i = 0; i < n && !r->failed; i++) {
        const char *vt = pr_valtype_name(pr_u8(r));
        if (!vt) {
          pr_fail(r, "malformed value type");
          break;
        }
        wg_buf_printf(out, " %s", vt);
      }
      wg_buf_putc(out, ')');
      break;
    }
    case IMM_DATA_MEMORY: {
      uint32_t data = pr_u32(r), mem = pr_u32(r);
      if (mem) pr_ids_use(out, &c->mem_ids, mem);
      pr_ids_use(out, &c->data_ids, data);
      break;
    }
    case IMM_DATA:
      pr_ids_use(out, &c->data_ids, pr_u32(r));
      break;
    case IMM_MEMORY_MEMORY: {
      uint32_t a = pr_u32(r), b = pr_u32(r);
      if (a || b) {
        pr_ids_use(out, &c->mem_ids, a);
        pr_ids_use(out, &c->mem_ids, b);
      }
      break;
    }
    case IMM_ELEM_TABLE: {
      uint32_t elem = pr_u32(r), table = pr_u32(r);
      if (table) pr_ids_use(out, &c->table_ids, table);
      pr_ids_use(out, &c->elem_ids, elem);
      break;
    }
    case IMM_ELEM:
      pr_ids_use(out, &c->elem_ids, pr_u32(r));
      break;
    case IMM_TABLE_TABLE: {
      uint32_t a = pr_u32(r), b = pr_u32(r);
      if (a || b) {
        pr_ids_use(out, &c->table_ids, a);
        pr_ids_use(out, &c->table_ids, b);
      }
      break;
    }
    case IMM_V128: {
      const uint8_t *b = pr_bytes(r, 16);
      if (!b) break;
      wg_buf_puts(out, " i32x4");
      for (int i = 0; i < 4; i++)
        wg_buf_printf(out, " 0x%08x",
                      (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                          (uint32_t)b[4 * i + 2] << 16 |
                          (uint32_t)b[4 * i + 3] << 24);
      break;
    }
    case IMM_SHUFFLE: {
      const uint8_t *b = pr_bytes(r, 16);
      if (!b) break;
      for (int i = 0; i < 16; i++)
        pr_sp_udec(out, b[i]);
      break;
    }
    case IMM_LANE:
      pr_sp_udec(out, pr_u8(r));
      break;
  }
}

static const OpInfo *next_op(Ctx *x) {
  PrReader *r = x->r;
  uint8_t b = pr_u8(r);
  uint16_t i = 0;
  if (b == 0xfc || b == 0xfd) {
    uint32_t code = pr_u32(r);
    if (b == 0xfc && code < 64) i = by_fc[code];
    if (b == 0xfd && code < 512) i = by_fd[code];
  } else {
    i = by_byte[b];
  }
  if (!i) {
    pr_fail(r, r->failed ? "unexpected end" : "illegal opcode");
    return NULL;
  }
  return &OPS[i - 1];
}

/* Instructions up to the `end` that closes depth 0 (not printed). */
static bool instrs(Ctx *x) {
  PrReader *r = x->r;
  WgBuf *out = x->out;
  int indent = x->indent;
  uint32_t base = x->depth;
  while (!r->failed) {
    if (pr_at_end(r)) return pr_fail(r, "unexpected end");
    const OpInfo *o = next_op(x);
    if (!o) return false;
    if (o->prefix == 0 && o->code == 0x0b) { /* end */
      if (x->depth == base) return true;
      x->depth--;
      indent--;
      new_line(x, indent);
      wg_buf_puts(out, "end");
      x->count++;
      continue;
    }
    if (o->prefix == 0 && o->code == 0x05) { /* else */
      new_line(x, indent - 1);
      wg_buf_puts(out, "else");
      x->count++;
      continue;
    }
    new_line(x, indent);
    wg_buf_puts(out, o->text);
    x->count++;
    if (o->imm == IMM_BLOCKTYPE) {
      uint32_t label = x->next_label++;
      bool named = pr_ids_ref(out, &x->labels, label);
      block_type(x);
      if (!push_block(x, label)) return false;
      if (!named && !x->inline_mode) {
        wg_buf_puts(out, " ;; label = @");
        pr_udec(out, x->depth);
      }
      indent++;
      continue;
    }
    immediates(x, o);
  }
  return false;
}

/* Label ids of function `func` from the name section. */
static bool label_ids(Ctx *x, uint32_t func) {
  const PrCore *c = x->c;
  size_t n = 0;
  uint32_t max = 0;
  for (size_t i = 0; i < c->nlabels; i++) {
    if (c->labels[i].func != func) continue;
    n++;
    if (c->labels[i].index >= max) max = c->labels[i].index + 1;
  }
  if (!n) return true;
  uint32_t *idx = wg_arena_alloc(c->arena, n * sizeof *idx);
  WgStr *names = wg_arena_alloc(c->arena, n * sizeof *names);
  if (!idx || !names) return false;
  size_t k = 0;
  for (size_t i = 0; i < c->nlabels && k < n; i++) {
    if (c->labels[i].func != func) continue;
    idx[k] = c->labels[i].index;
    names[k++] = c->labels[i].name;
  }
  return pr_ids_init(&x->labels, c->arena, "label", max, idx, names, n);
}

bool pr_code(const PrCore *c, PrReader *r, uint32_t func, int indent,
             const PrIds *local_ids) {
  pthread_once(&ops_once, build_ops);
  Ctx x;
  memset(&x, 0, sizeof x);
  x.c = c;
  x.r = r;
  x.out = c->out;
  x.indent = indent;
  x.locals = local_ids;
  if (!label_ids(&x, func)) return pr_fail(r, "out of memory");
  if (!instrs(&x)) return false;
  if (!pr_at_end(r))
    return pr_fail(r, "operators remaining after end of function");
  return true;
}

bool pr_const_expr(const PrCore *c, PrReader *r, int *count) {
  pthread_once(&ops_once, build_ops);
  Ctx x;
  memset(&x, 0, sizeof x);
  x.c = c;
  x.r = r;
  x.out = c->out;
  x.inline_mode = true;
  bool ok = instrs(&x);
  if (count) *count = x.count;
  return ok;
}
