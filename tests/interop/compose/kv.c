/* SPDX-License-Identifier: Apache-2.0 */
/* World `kv` of kv.wit: an in-memory key-value store exporting
 * demo:kv/store with a `cursor` resource, logging every operation through
 * the imported demo:kv/log. Built with -DKV_NEW against kv-new.wit (0.1.7:
 * adds `size`) and -DKV_BAD against kv-bad.wit (`get` of another type).
 *
 * A cursor's destructor does not call the log itself: it notes the drop,
 * and the next operation logs it first. jco (1.35) traps with "missing
 * current caller task metadata" when a destructor calls into another
 * component (the logger), and the suite runs every composition on jco
 * too; witgen's runtime runs either way. */
#include "kv.h"
#include "sb.h"

typedef struct Item {
  kv_string_t key;
  kv_list_u8_t value;
} Item;

static Item items[256];
static size_t count;

struct exports_kv_store_cursor {
  kv_string_t prefix;
  size_t at;
};

static kv_string_t dropped[16]; /* prefixes of cursors dropped, not logged */
static size_t ndropped;

static void say1(const char *what, kv_string_t s) {
  Sb b = { 0 };
  sb_str(&b, "kv: ");
  sb_str(&b, what);
  sb_str(&b, " ");
  sb_add(&b, s.ptr, s.len);
  kv_string_t line = { (uint8_t *)b.p, b.n };
  kv_log_write(line);
  free(b.p);
}

static void say(const char *what, kv_string_t s) {
  for (size_t i = 0; i < ndropped; i++) {
    say1("drop cursor", dropped[i]);
    kv_string_free(&dropped[i]);
  }
  ndropped = 0;
  say1(what, s);
}

static bool same(kv_string_t a, kv_string_t b) {
  return a.len == b.len && (!a.len || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static Item *find(kv_string_t key) {
  for (size_t i = 0; i < count; i++)
    if (same(items[i].key, key)) return &items[i];
  return NULL;
}

#ifdef KV_BAD
kv_option_string_t exports_kv_store_get(kv_string_t key) {
  kv_option_string_t r = { 0 };
  Item *it = find(key);
  if (it) {
    r.is_some = true;
    r.val.ptr = dup_bytes(it->value.ptr, it->value.len);
    r.val.len = it->value.len;
  }
  kv_string_free(&key);
  return r;
}
#else
kv_option_list_u8_t exports_kv_store_get(kv_string_t key) {
  kv_option_list_u8_t r = { 0 };
  Item *it = find(key);
  if (it) {
    r.is_some = true;
    r.val.ptr = dup_bytes(it->value.ptr, it->value.len);
    r.val.len = it->value.len;
  }
  say("get", key);
  kv_string_free(&key);
  return r;
}
#endif

void exports_kv_store_put(exports_kv_store_entry_t e) {
  say("put", e.key);
  Item *it = find(e.key);
  if (it) {
    kv_list_u8_free(&it->value);
    it->value = e.value;
    kv_string_free(&e.key);
  } else if (count < sizeof items / sizeof items[0]) {
    items[count].key = e.key;
    items[count++].value = e.value;
  } else {
    exports_kv_store_entry_free(&e);
  }
}

exports_kv_store_cursor_t exports_kv_store_scan(kv_string_t prefix) {
  struct exports_kv_store_cursor *c = malloc(sizeof *c);
  if (!c) abort();
  c->prefix = prefix; /* ours now */
  c->at = 0;
  say("scan", prefix);
  return exports_kv_store_cursor_new(c);
}

kv_option_exports_kv_store_entry_t
exports_kv_store_cursor_next(exports_kv_store_borrow_cursor_t self) {
  kv_option_exports_kv_store_entry_t r = { 0 };
  while (self->at < count) {
    Item *it = &items[self->at++];
    if (it->key.len < self->prefix.len ||
        (self->prefix.len &&
         memcmp(it->key.ptr, self->prefix.ptr, self->prefix.len) != 0))
      continue;
    r.is_some = true;
    r.val.key.ptr = dup_bytes(it->key.ptr, it->key.len);
    r.val.key.len = it->key.len;
    r.val.value.ptr = dup_bytes(it->value.ptr, it->value.len);
    r.val.value.len = it->value.len;
    break;
  }
  return r;
}

void exports_kv_store_cursor_destructor(exports_kv_store_cursor_rep_t *rep) {
  if (ndropped < sizeof dropped / sizeof dropped[0])
    dropped[ndropped++] = rep->prefix; /* logged by the next operation */
  else
    kv_string_free(&rep->prefix);
  free(rep);
}

#ifdef KV_NEW
uint64_t exports_kv_store_size(void) {
  return count;
}
#endif
