/* SPDX-License-Identifier: Apache-2.0 */
/* World `kv` of wit/multi.wit: a key-value store of strings kept sorted by
 * key (an array, binary search), and cursors over the keys with a prefix
 * (each a snapshot of copies, so the store may change under it). */
#include <stdlib.h>
#include <string.h>

#include "kv.h"

typedef struct Entry {
  kv_string_t key, value; /* heap copies */
} Entry;

static Entry *entries;
static size_t count, cap;

struct exports_multi_store_cursor {
  Entry *items; /* copies, owned */
  size_t n, next;
};

static int cmp(kv_string_t a, kv_string_t b) {
  size_t n = a.len < b.len ? a.len : b.len;
  int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
  return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* The index of key, or where it would go (*found says which). */
static size_t find(kv_string_t key, bool *found) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = cmp(entries[mid].key, key);
    if (c == 0) {
      *found = true;
      return mid;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = false;
  return lo;
}

static kv_string_t copy(kv_string_t s) {
  kv_string_t r = { malloc(s.len ? s.len : 1), s.len };
  if (!r.ptr) abort();
  if (s.len) memcpy(r.ptr, s.ptr, s.len);
  return r;
}

kv_option_string_t exports_multi_store_get(kv_string_t key) {
  bool found;
  size_t i = find(key, &found);
  kv_string_free(&key);
  kv_option_string_t r = { 0 };
  if (found) {
    r.is_some = true;
    r.val = copy(entries[i].value);
  }
  return r;
}

bool exports_multi_store_set(kv_string_t key, kv_string_t value) {
  bool found;
  size_t i = find(key, &found);
  if (found) { /* the arguments are ours: keep the new value */
    kv_string_free(&entries[i].value);
    entries[i].value = value;
    kv_string_free(&key);
    return false;
  }
  if (count == cap) {
    cap = cap ? cap * 2 : 8;
    entries = realloc(entries, cap * sizeof *entries);
    if (!entries) abort();
  }
  memmove(&entries[i + 1], &entries[i], (count - i) * sizeof *entries);
  entries[i] = (Entry){ key, value };
  count++;
  return true;
}

bool exports_multi_store_remove(kv_string_t key) {
  bool found;
  size_t i = find(key, &found);
  kv_string_free(&key);
  if (!found) return false;
  kv_string_free(&entries[i].key);
  kv_string_free(&entries[i].value);
  memmove(&entries[i], &entries[i + 1], (count - i - 1) * sizeof *entries);
  count--;
  return true;
}

exports_multi_store_cursor_t exports_multi_store_scan(kv_string_t prefix) {
  struct exports_multi_store_cursor *c = calloc(1, sizeof *c);
  if (!c) abort();
  bool found;
  size_t from = find(prefix, &found), to = from;
  while (to < count && entries[to].key.len >= prefix.len &&
         (prefix.len == 0 ||
          memcmp(entries[to].key.ptr, prefix.ptr, prefix.len) == 0))
    to++;
  kv_string_free(&prefix);
  c->n = to - from;
  c->items = malloc((c->n ? c->n : 1) * sizeof *c->items);
  if (!c->items) abort();
  for (size_t i = 0; i < c->n; i++)
    c->items[i] =
        (Entry){ copy(entries[from + i].key), copy(entries[from + i].value) };
  return exports_multi_store_cursor_new(c);
}

kv_option_tuple2_string_string_t
exports_multi_store_cursor_next(exports_multi_store_borrow_cursor_t self) {
  kv_option_tuple2_string_string_t r = { 0 };
  if (self->next < self->n) {
    Entry *e = &self->items[self->next++];
    r.is_some = true;
    r.val.f0 = e->key; /* given away: the bindings free them */
    r.val.f1 = e->value;
    *e = (Entry){ 0 };
  }
  return r;
}

uint32_t
exports_multi_store_cursor_remaining(exports_multi_store_borrow_cursor_t self) {
  return (uint32_t)(self->n - self->next);
}

void exports_multi_store_cursor_destructor(
    exports_multi_store_cursor_rep_t *rep) {
  for (size_t i = rep->next; i < rep->n; i++) {
    kv_string_free(&rep->items[i].key);
    kv_string_free(&rep->items[i].value);
  }
  free(rep->items);
  free(rep);
}
