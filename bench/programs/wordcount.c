/* SPDX-License-Identifier: Apache-2.0 */
/* Word frequency count with an open-addressing hash table over 2M words of
 * generated text (syllable words, Zipf-like skew). */
#include "bench.h"

enum { WORDS = 2000000, TABLE = 1 << 16, MAX_WORD = 24 };

typedef struct Entry {
  char word[MAX_WORD];
  uint32_t len;
  uint32_t count;
} Entry;

static Entry table[TABLE];

static const char *const syllables[16] = { "ka",  "lo",  "mi",  "ne",
                                           "ru",  "sa",  "ti",  "vo",
                                           "ber", "dan", "fel", "gor",
                                           "hin", "jus", "pex", "qua" };

static uint32_t hash(const char *s, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

static int same(const Entry *e, const char *w, uint32_t n) {
  if (e->len != n) return 0;
  for (uint32_t i = 0; i < n; i++) {
    if (e->word[i] != w[i]) return 0;
  }
  return 1;
}

BENCH_EXPORT uint32_t run(void) {
  for (uint32_t i = 0; i < TABLE; i++)
    table[i].len = table[i].count = 0;
  uint32_t seed = 362436069u, distinct = 0;
  char w[MAX_WORD];
  for (uint32_t n = 0; n < WORDS; n++) {
    uint32_t r = bench_rand(&seed);
    /* short words are much more frequent: skewed syllable counts/choices */
    uint32_t syl = 1 + ((r & 3) & ((r >> 2) & 3));
    uint32_t len = 0;
    for (uint32_t s = 0; s < syl; s++) {
      uint32_t pick = (r >> (4 + 4 * s)) & 15;
      if (s > 0) pick &= (r >> 20) & 15;
      for (const char *p = syllables[pick]; *p; p++)
        w[len++] = *p;
    }
    uint32_t slot = hash(w, len) & (TABLE - 1);
    while (table[slot].len && !same(&table[slot], w, len)) {
      slot = (slot + 1) & (TABLE - 1);
    }
    if (!table[slot].len) {
      for (uint32_t i = 0; i < len; i++)
        table[slot].word[i] = w[i];
      table[slot].len = len;
      distinct++;
    }
    table[slot].count++;
  }
  uint32_t h = 2166136261u, max = 0;
  for (uint32_t i = 0; i < TABLE; i++) {
    if (!table[i].len) continue;
    h ^= hash(table[i].word, table[i].len) * table[i].count;
    if (table[i].count > max) max = table[i].count;
  }
  return bench_mix(bench_mix(h, distinct), max);
}
