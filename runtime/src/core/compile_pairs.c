/* SPDX-License-Identifier: Apache-2.0 */
/* The instruction-pair pass over a finished function: the first of each
 * frequent pair of instructions (WG_IOPS_PAIRS) is rewritten into its pair
 * handler, which runs both; and successive occurrences of an instruction
 * take successive handler copies (WG_INTERP_COPIES). Only handler words
 * change, so branch targets stay valid. */
#include "compile.h"

/* WG_IOPS_PAIRS as data: first instruction, its length, second, pair. */
typedef struct PairDef {
  uint16_t a, len, b, pair;
} PairDef;
#define PAIR_DEF(x, n, y) { WG_IOP_##x, n, WG_IOP_##y, WG_IOP_##x##__##y },
static const PairDef pair_defs[] = { WG_IOPS_PAIRS(PAIR_DEF) };
_Static_assert(sizeof pair_defs / sizeof pair_defs[0] == PAIR_COUNT,
               "PAIR_COUNT counts WG_IOPS_PAIRS");
#undef PAIR_DEF

void wg_compile_pair_index_init(PairIndex *ix) {
  memset(ix->head, 0, sizeof ix->head);
  for (uint16_t k = PAIR_COUNT; k-- > 0;) {
    ix->next[k] = ix->head[pair_defs[k].a];
    ix->head[pair_defs[k].a] = (uint16_t)(k + 1);
  }
}

/* The pair handler for instruction `a` of `len` words followed by `b`, or
 * -1. */
static int pair_of(const PairIndex *ix, uint16_t a, size_t len, uint16_t b) {
  for (uint16_t k = ix->head[a]; k; k = ix->next[k - 1]) {
    const PairDef *d = &pair_defs[k - 1];
    if (d->b == b && d->len == len) return d->pair;
  }
  return -1;
}

/* The handler word of the instruction at `pos`, now `op`: copy_n of a
 * small count gets its unrolled form, and successive occurrences of an
 * instruction take successive handler copies (WG_INTERP_COPIES). */
static void set_handler(Compiler *c, size_t pos, uint16_t op, uint8_t *seen) {
  if (op == WG_IOP_copy_n) {
    uint64_t k = c->code.items[pos + 1];
    if (k >= 2 && k <= 6) op = (uint16_t)(WG_IOP_copy_2 + (k - 2));
  }
  unsigned r = seen[op]++ % WG_INTERP_COPIES;
  c->code.items[pos] = (uint64_t)(uintptr_t)c->handlers[r * WG_IOP_COUNT + op];
}

/* Rewrites the first of each frequent pair of the finished function into
 * its pair handler. Only handler words change: every instruction keeps its
 * place, so branch targets stay valid. Going backwards, a pair's second
 * instruction may itself be a pair already (chains of three or more, when
 * WG_IOPS_PAIRS lists them); otherwise the first pairs with the second's
 * plain form. Then every handler word is set (set_handler). */
void wg_compile_fuse_pairs(Compiler *c) {
  Start *st = c->starts.items;
  size_t n = c->starts.count, end = here(c);
  uint16_t next_cur = WG_IOP_COUNT; /* current handler of st[i + 1] */
  uint8_t seen[WG_IOP_COUNT] = { 0 };
  for (size_t i = n; i-- > 0;) {
    uint16_t cur = st[i].op;
    if (i + 1 < n && st[i + 1].pos < end && c->pairs->head[st[i].op]) {
      size_t len = st[i + 1].pos - st[i].pos;
      int p = pair_of(c->pairs, st[i].op, len, next_cur);
      if (p < 0 && next_cur != st[i + 1].op)
        p = pair_of(c->pairs, st[i].op, len, st[i + 1].op);
      if (p >= 0) cur = (uint16_t)p;
    }
    if (st[i].pos < end) set_handler(c, st[i].pos, cur, seen);
    next_cur = cur;
  }
}
