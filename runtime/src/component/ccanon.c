/* SPDX-License-Identifier: Apache-2.0 */
/* Lifting and lowering values between core wasm (flat values and linear
 * memory) and host values (WgCVal), with every check the Canonical ABI
 * makes of what a guest gives: pointer alignment and bounds, realloc
 * results, byte-length limits, UTF-8 and UTF-16 well-formedness, char
 * ranges, variant discriminants and handle indices.
 * spec: CanonicalABI.md / definitions.py: load, store, lift_flat,
 * lower_flat, lift_flat_values, lower_flat_values, load_string_from_range,
 * store_string_into_range (utf8, utf16 and latin1+utf16 with the spec's
 * realloc sequences), load_list_from_range, store_list_into_range,
 * lift_own, lift_borrow, lower_own, lower_borrow. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "cinternal.h"
#include "core/rt.h"
#include "strbuf.h"
#include "utf8.h"

/* spec: MAX_STRING_BYTE_LENGTH, MAX_LIST_BYTE_LENGTH */
#define MAX_BYTE_LENGTH ((1u << 28) - 1)
#define UTF16_TAG       0x80000000u
/* Host values lifted by one instance may take at most this much scratch
 * memory (a guest could otherwise make the host build gigabytes). */
#define MAX_SCRATCH ((size_t)512 << 20)

/* Section: errors, memory, fuel */

static bool trap_set(Cx *cx, WgTrap *t) {
  if (!cx->trap)
    cx->trap = t;
  else
    wg_trap_delete(t);
  return false;
}

static void refresh(Cx *cx) {
  if (cx->opts && cx->opts->memory) {
    cx->base = wg_memory_data(cx->opts->memory);
    cx->size = wg_memory_size(cx->opts->memory);
  } else {
    cx->base = NULL;
    cx->size = 0;
  }
}

void wg_cx_init(Cx *cx, WgComponentInstance *inst, uint32_t ci_index,
                const ROpts *opts, uint8_t encoding) {
  memset(cx, 0, sizeof *cx);
  cx->inst = inst;
  cx->store = inst->store;
  cx->ci = &inst->cinsts[ci_index];
  cx->ci_index = ci_index;
  cx->opts = opts;
  cx->encoding = encoding;
  refresh(cx);
}

bool wg_canon_charge(Cx *cx, uint64_t units) {
  WgStore *s = cx->store;
  if (atomic_load_explicit(&s->interrupt, memory_order_relaxed))
    return trap_set(cx, wg_trap_make(WG_TRAP_INTERRUPT, "interrupted"));
  if (!s->fuel_on) return true;
  if ((uint64_t)s->fuel < units) {
    s->fuel = 0;
    return trap_set(cx, wg_trap_make(WG_TRAP_FUEL, "all fuel consumed"));
  }
  s->fuel -= (int64_t)units;
  return true;
}

static bool need_memory(Cx *cx) {
  if (cx->opts && cx->opts->memory) return true;
  return wg_canon_trapf(cx, "canonical option `memory` missing");
}


static void *scratch(Cx *cx, size_t n) {
  WgComponentInstance *in = cx->inst;
  if (in->scratch_used + n > MAX_SCRATCH) {
    wg_canon_trapf(cx, "lifted values too large for the host (over %zu MiB)",
                   MAX_SCRATCH >> 20);
    return NULL;
  }
  void *p = wg_scratch_alloc(&in->scratch, n);
  if (!p) {
    trap_set(cx, wg_trap_make(WG_TRAP_HOST, "out of memory"));
    return NULL;
  }
  in->scratch_used += n;
  return p;
}

/* spec: LiftLowerContext.reallocate, with the checks its callers make on
 * the result. `what` names the value ("string", "list<u32>", ...). */
static bool cx_realloc(Cx *cx, uint32_t old, uint32_t old_size, uint32_t align,
                       uint32_t new_size, uint32_t *out, bool is_string) {
  if (!cx->opts || !cx->opts->realloc)
    return wg_canon_trapf(cx, "canonical option `realloc` missing");
  /* realloc runs as a thread of its own: may not leave, fresh context */
  uint64_t saved[2] = { cx->ci->context[0], cx->ci->context[1] };
  cx->ci->context[0] = cx->ci->context[1] = 0;
  cx->ci->may_leave = false;
  /* wg_func_call without its checks of the arguments' kinds: the
   * component validator made realloc (i32, i32, i32, i32) -> i32 */
  WgStore *s = cx->store;
  WgSlot *fp = s->stack_top;
  const WgFuncType *ft = cx->opts->realloc->type;
  WgTrap *t = NULL;
  if (ft->param_count != 4 || ft->result_count != 1) {
    t = wg_trap_make(WG_TRAP_MISUSE, "realloc is not (i32, i32, i32, i32) "
                                     "-> i32");
  } else if (fp + 4 + 2 > s->stack_end) {
    t = wg_trap_make(WG_TRAP_EXHAUSTED, "call stack exhausted");
  } else {
    fp[0].u64 = old;
    fp[1].u64 = old_size;
    fp[2].u64 = align;
    fp[3].u64 = new_size;
    t = wg_interp_invoke(s, cx->opts->realloc, fp);
  }
  cx->ci->may_leave = true;
  cx->ci->context[0] = saved[0];
  cx->ci->context[1] = saved[1];
  if (t) return trap_set(cx, t);
  refresh(cx);
  uint32_t p = fp[0].u32;
  if (p % align)
    return cx->fused
               ? wg_canon_trapf(cx,
                                "wasm trap: unaligned pointer: realloc "
                                "returned %#x for "
                                "alignment %u",
                                p, align)
               : wg_canon_trapf(cx,
                                "realloc return: result not aligned (%#x for "
                                "alignment %u)",
                                p, align);
  if (!wg_canon_in_bounds(cx, p, new_size))
    return cx->fused
               ? wg_canon_trapf(cx,
                                "wasm trap: %s content out-of-bounds: realloc "
                                "returned "
                                "%#x for %u bytes, memory has %llu",
                                is_string ? "string" : "list", p, new_size,
                                (unsigned long long)cx->size)
               : wg_canon_trapf(cx,
                                "realloc return: beyond end of memory (%#x "
                                "for %u bytes, memory has %llu)",
                                p, new_size, (unsigned long long)cx->size);
  *out = p;
  return true;
}

/* Section: handles */

static WgCResourceType *rtype(const Cx *cx, uint32_t slot) {
  return cx->inst->resources[slot];
}

static const char *rdesc(const WgCResourceType *t) {
  return t && t->is_host ? "host-defined resource" : "guest-defined resource";
}

static bool bad_handle(Cx *cx, uint32_t i) {
  return wg_canon_trapf(cx, "unknown handle index %u", i);
}

static bool wrong_type(Cx *cx, uint32_t i, const WgCResourceType *want,
                       const WgCResourceType *got) {
  const char *a = rdesc(want), *b = rdesc(got);
  return wg_canon_trapf(
      cx,
      "handle index %u used with the wrong type, expected %s but "
      "found %s%s",
      i, a, strcmp(a, b) == 0 ? "a different " : "", b);
}

/* A value of resource `t` for the other side: the representation itself
 * for a component-to-component call or a host-defined type, else a new
 * handle in the host table of the instance defining `t`. */
static bool to_host(Cx *cx, WgCResourceType *t, uint32_t rep, bool own,
                    WgCVal *out) {
  WgCValKind k = own ? WG_CVAL_OWN : WG_CVAL_BORROW;
  if (cx->fused || t->is_host) {
    *out = wg_cval_resource(k, t, rep);
    return true;
  }
  WgComponentInstance *def = t->inst;
  Handle h = { t, rep, own, 0, NULL, 0 };
  bool full;
  uint32_t i = wg_handles_add(&def->host_handles, def->alloc, h, &full);
  if (!i)
    return full ? wg_canon_trapf(cx, "host handle table full (%u handles)",
                                 def->host_handles.max)
                : trap_set(cx, wg_trap_make(WG_TRAP_HOST, "out of memory"));
  if (!own && cx->lends) { /* removed when the call returns */
    Lends *l = cx->lends;
    if (l->host_count == l->host_cap) {
      uint32_t ncap = l->host_cap * 2;
      struct HostLend *n = scratch(cx, ncap * sizeof *n);
      if (!n) return false;
      memcpy(n, l->host, l->host_count * sizeof *n);
      l->host = n;
      l->host_cap = ncap;
    }
    l->host[l->host_count].inst = def;
    l->host[l->host_count++].index = i;
  }
  *out = wg_cval_resource(k, t, i);
  out->of.res.gen = def->host_handles.items[i].gen;
  return true;
}

/* The representation a host value of resource type `t` stands for. */
static bool from_host(Cx *cx, const WgCVal *v, bool own, uint32_t *rep) {
  WgCResourceType *t = v->of.res.type;
  if (cx->fused || t->is_host) {
    *rep = v->of.res.rep;
    return true;
  }
  if (!wg_host_handle_take(t, v->of.res.rep, v->of.res.gen, own, own, rep))
    return trap_set(cx, wg_trap_make(WG_TRAP_MISUSE,
                                     "resource value already moved or "
                                     "dropped by the host"));
  return true;
}

bool wg_host_handle_take(WgCResourceType *t, uint32_t index, uint32_t gen,
                         bool own, bool remove, uint32_t *rep) {
  WgComponentInstance *def = t->inst;
  Handle *h = wg_handles_get(&def->host_handles, index);
  if (!h || h->type != t || h->gen != gen || (own && !h->own)) return false;
  *rep = h->rep;
  if (remove) wg_handles_remove(&def->host_handles, def->alloc, index);
  return true;
}

/* spec: lift_own */
static bool lift_own(Cx *cx, uint32_t i, const CTy *t, WgCVal *out) {
  HandleTable *ht = &cx->ci->handles;
  Handle *h = wg_handles_get(ht, i);
  if (!h) return bad_handle(cx, i);
  Handle copy = *h;
  if (!wg_handles_remove(ht, cx->inst->alloc, i))
    return trap_set(cx, wg_trap_make(WG_TRAP_HOST, "out of memory"));
  WgCResourceType *want = rtype(cx, t->resource);
  if (copy.type != want) return wrong_type(cx, i, want, copy.type);
  if (copy.lends)
    return wg_canon_trapf(cx,
                          "cannot remove owned resource while borrowed (handle "
                          "index %u is lent %u time%s)",
                          i, copy.lends, copy.lends == 1 ? "" : "s");
  if (!copy.own)
    return wg_canon_trapf(
        cx, "handle index %u is a borrow where an own is expected", i);
  return to_host(cx, copy.type, copy.rep, true, out);
}

/* spec: lift_borrow (the caller lends the handle for the call) */
static bool lift_borrow(Cx *cx, uint32_t i, const CTy *t, WgCVal *out) {
  Handle *h = wg_handles_get(&cx->ci->handles, i);
  if (!h) return bad_handle(cx, i);
  WgCResourceType *want = rtype(cx, t->resource);
  if (h->type != want) return wrong_type(cx, i, want, h->type);
  Lends *l = cx->lends;
  if (l) {
    if (l->count == l->cap) {
      uint32_t ncap = l->cap * 2;
      uint32_t *n = scratch(cx, ncap * sizeof *n);
      if (!n) return false;
      memcpy(n, l->items, l->count * sizeof *n);
      l->items = n;
      l->cap = ncap;
    }
    l->items[l->count++] = i;
    h->lends++;
  }
  return to_host(cx, h->type, h->rep, false, out);
}

static bool add_handle(Cx *cx, Handle h, uint32_t *out) {
  bool full;
  uint32_t i = wg_handles_add(&cx->ci->handles, cx->inst->alloc, h, &full);
  if (!i) {
    if (full)
      return wg_canon_trapf(cx,
                            "handle table full (%u handles, the instance's "
                            "limit)",
                            cx->ci->handles.max);
    return trap_set(cx, wg_trap_make(WG_TRAP_HOST, "out of memory"));
  }
  *out = i;
  return true;
}

/* spec: lower_own */
static bool lower_own(Cx *cx, const WgCVal *v, uint32_t *out) {
  Handle h = { v->of.res.type, 0, true, 0, NULL, 0 };
  return from_host(cx, v, true, &h.rep) && add_handle(cx, h, out);
}

/* spec: lower_borrow: the implementing instance gets the representation,
 * any other a borrow handle in the call's scope. */
static bool lower_borrow(Cx *cx, const WgCVal *v, uint32_t *out) {
  WgCResourceType *t = v->of.res.type;
  uint32_t rep;
  if (!from_host(cx, v, false, &rep)) return false;
  if (!t->is_host && t->inst == cx->inst &&
      cx->inst->plan->resources[t->slot].impl == cx->ci_index) {
    *out = rep;
    return true;
  }
  Handle h = { t, rep, false, 0, cx->task, 0 };
  if (!add_handle(cx, h, out)) return false;
  if (cx->task) cx->task->borrows++;
  return true;
}

/* Section: strings */

/* Why `s[0..len)` is not UTF-8, in the words Rust's decoder uses. */
static bool bad_utf8(Cx *cx, const uint8_t *s, size_t len, size_t at) {
  uint8_t c = s[at];
  size_t need = c >= 0xC2 && c <= 0xDF   ? 2
                : c >= 0xE0 && c <= 0xEF ? 3
                : c >= 0xF0 && c <= 0xF4 ? 4
                                         : 0;
  bool incomplete = need && at + need > len;
  for (size_t k = at + 1; incomplete && k < len; k++)
    if ((s[k] & 0xC0) != 0x80) incomplete = false;
  if (incomplete)
    return wg_canon_trapf(cx, "incomplete utf-8 byte sequence from index %zu",
                          at);
  return wg_canon_trapf(cx, "invalid utf-8 sequence at index %zu of the string",
                        at);
}

/* spec: load_string_from_range */
static bool lift_string(Cx *cx, uint32_t ptr, uint32_t tagged, WgCVal *out) {
  if (!need_memory(cx)) return false;
  uint32_t align = 1, units = tagged;
  uint64_t bytes;
  int enc = cx->encoding; /* 0 utf8, 1 utf16, 3 latin1 */
  if (enc == 1) {
    align = 2;
    bytes = 2ull * tagged;
  } else if (enc == 2) {
    align = 2;
    if (tagged & UTF16_TAG) {
      units = tagged ^ UTF16_TAG;
      bytes = 2ull * units;
      enc = 1;
    } else {
      bytes = tagged;
      enc = 3;
    }
  } else {
    bytes = tagged;
  }
  if (bytes > MAX_BYTE_LENGTH)
    return wg_canon_trapf(cx, "string too long (%llu bytes, the limit is %u)",
                          (unsigned long long)bytes, MAX_BYTE_LENGTH);
  if (ptr % align)
    return wg_canon_trapf(
        cx, "unaligned pointer: string at %#x must be %u-aligned", ptr, align);
  if (!wg_canon_in_bounds(cx, ptr, bytes))
    return cx->fused
               ? wg_canon_trapf(cx,
                                "string content out-of-bounds (%#x + %llu "
                                "bytes, memory has %llu)",
                                ptr, (unsigned long long)bytes,
                                (unsigned long long)cx->size)
               : wg_canon_trapf(cx,
                                "string pointer/length out of bounds of "
                                "memory (%#x + %llu bytes, memory has %llu)",
                                ptr, (unsigned long long)bytes,
                                (unsigned long long)cx->size);
  if (!wg_canon_charge(cx, 1 + bytes / 8)) return false;
  const uint8_t *src = cx->base + ptr;
  if (enc == 0) {
    size_t bad;
    if (!wg_utf8_valid(src, (size_t)bytes, &bad))
      return bad_utf8(cx, src, (size_t)bytes, bad);
    char *dst = scratch(cx, (size_t)bytes);
    if (!dst) return false;
    memcpy(dst, src, (size_t)bytes);
    *out = wg_cval_string(dst, (size_t)bytes);
    return true;
  }
  if (enc == 3) { /* latin1: each byte is a code point */
    char *dst = scratch(cx, 2 * (size_t)bytes);
    if (!dst) return false;
    size_t n = 0;
    for (uint32_t i = 0; i < bytes; i++) {
      uint8_t c = src[i];
      if (c < 0x80) {
        dst[n++] = (char)c;
      } else {
        dst[n++] = (char)(0xC0 | (c >> 6));
        dst[n++] = (char)(0x80 | (c & 0x3F));
      }
    }
    *out = wg_cval_string(dst, n);
    return true;
  }
  /* utf16 little-endian */
  char *dst = scratch(cx, 3 * (size_t)units);
  if (!dst) return false;
  size_t n = 0;
  for (uint32_t i = 0; i < units; i++) {
    uint32_t u = (uint32_t)src[2 * i] | (uint32_t)src[2 * i + 1] << 8;
    uint32_t cp = u;
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint32_t lo = 0;
      if (i + 1 < units)
        lo = (uint32_t)src[2 * i + 2] | (uint32_t)src[2 * i + 3] << 8;
      if (lo < 0xDC00 || lo > 0xDFFF)
        return wg_canon_trapf(cx,
                              "invalid utf-16: unpaired surrogate %#x at code "
                              "unit %u",
                              u, i);
      cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i++;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return wg_canon_trapf(
          cx,
          "invalid utf-16: unpaired surrogate %#x at code unit "
          "%u",
          u, i);
    }
    n += wg_utf8_encode(cp, (uint8_t *)dst + n);
  }
  *out = wg_cval_string(dst, n);
  return true;
}

/* Encodes a UTF-8 string as UTF-16LE into dst (room for 2 * len bytes:
 * every UTF-8 byte gives at most one code unit); returns the bytes. */
static uint32_t utf8_to_utf16(const uint8_t *s, size_t len, uint8_t *dst) {
  uint32_t n = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = wg_utf8_decode(s + i, len - i, &cp);
    if (!k) { /* not reached: checked before */
      cp = 0xFFFD;
      k = 1;
    }
    i += k;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
      dst[n++] = (uint8_t)hi;
      dst[n++] = (uint8_t)(hi >> 8);
      dst[n++] = (uint8_t)lo;
      dst[n++] = (uint8_t)(lo >> 8);
    } else {
      dst[n++] = (uint8_t)cp;
      dst[n++] = (uint8_t)(cp >> 8);
    }
  }
  return n;
}

/* spec: store_string_into_range, from a UTF-8 source (host strings are
 * UTF-8): store_string_copy, store_utf8_to_utf16 or
 * store_string_to_latin1_or_utf16. */
static bool lower_string(Cx *cx, const WgCVal *v, uint32_t *out_ptr,
                         uint32_t *out_len) {
  if (!need_memory(cx)) return false;
  const uint8_t *s = (const uint8_t *)v->of.str.ptr;
  size_t len = v->of.str.len;
  if (len > MAX_BYTE_LENGTH)
    return wg_canon_trapf(cx, "string too long (%zu bytes, the limit is %u)",
                          len, MAX_BYTE_LENGTH);
  if (!wg_canon_charge(cx, 1 + len / 8)) return false;
  uint32_t units = (uint32_t)len, ptr;
  if (cx->encoding == 0) {
    if (!cx_realloc(cx, 0, 0, 1, units, &ptr, true)) return false;
    if (units) memcpy(cx->base + ptr, s, len);
    *out_ptr = ptr;
    *out_len = units;
    return true;
  }
  if (cx->encoding == 1) {
    uint32_t worst = 2 * units;
    if (!cx_realloc(cx, 0, 0, 2, worst, &ptr, true)) return false;
    uint32_t n = utf8_to_utf16(s, len, cx->base + ptr);
    if (n < worst && !cx_realloc(cx, ptr, worst, 2, n, &ptr, true))
      return false;
    *out_ptr = ptr;
    *out_len = n / 2;
    return true;
  }
  /* latin1+utf16 */
  if (!cx_realloc(cx, 0, 0, 2, units, &ptr, true)) return false;
  uint32_t n = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = wg_utf8_decode(s + i, len - i, &cp);
    if (!k) {
      cp = 0xFFFD;
      k = 1;
    }
    if (cp < 0x100) {
      cx->base[ptr + n++] = (uint8_t)cp;
      i += k;
      continue;
    }
    /* a code point beyond latin1: inflate to utf16 */
    uint32_t worst = 2 * units;
    if (!cx_realloc(cx, ptr, units, 2, worst, &ptr, true)) return false;
    for (uint32_t j = n; j-- > 0;) {
      cx->base[ptr + 2 * j] = cx->base[ptr + j];
      cx->base[ptr + 2 * j + 1] = 0;
    }
    uint32_t m = 2 * n + utf8_to_utf16(s + i, len - i, cx->base + ptr + 2 * n);
    if (m < worst && !cx_realloc(cx, ptr, worst, 2, m, &ptr, true))
      return false;
    *out_ptr = ptr;
    *out_len = (m / 2) | UTF16_TAG;
    return true;
  }
  if (n < units && !cx_realloc(cx, ptr, units, 2, n, &ptr, true)) return false;
  *out_ptr = ptr;
  *out_len = n;
  return true;
}

/* Section: loading from memory (spec: load) */

static bool load(Cx *cx, uint32_t ptr, const CTy *t, WgCVal *out);

static bool float_canon32(uint32_t bits, WgCVal *out) {
  float f;
  bits = wg_canon_nan32(bits);
  memcpy(&f, &bits, 4);
  *out = wg_cval_f32(f);
  return true;
}

static bool float_canon64(uint64_t bits, WgCVal *out) {
  double d;
  bits = wg_canon_nan64(bits);
  memcpy(&d, &bits, 8);
  *out = wg_cval_f64(d);
  return true;
}

static bool to_char(Cx *cx, uint32_t c, WgCVal *out) {
  if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF))
    return wg_canon_trapf(cx, "invalid `char` bit pattern %#x", c);
  *out = wg_cval_char(c);
  return true;
}

static bool lift_list(Cx *cx, uint32_t ptr, uint32_t count, const CTy *t,
                      WgCVal *out) {
  const CTy *e = t->elems[0];
  uint64_t bytes = (uint64_t)count * e->size;
  if (bytes > MAX_BYTE_LENGTH)
    return wg_canon_trapf(
        cx,
        "list too long (%u elements of %u bytes, the limit is "
        "%u bytes)",
        count, e->size, MAX_BYTE_LENGTH);
  if (ptr % e->align)
    return wg_canon_trapf(
        cx, "unaligned pointer: list at %#x must be %u-aligned", ptr, e->align);
  if (!need_memory(cx)) return false;
  if (!wg_canon_in_bounds(cx, ptr, bytes))
    return cx->fused
               ? wg_canon_trapf(cx,
                                "list content out-of-bounds (%#x + %llu "
                                "bytes, memory has %llu)",
                                ptr, (unsigned long long)bytes,
                                (unsigned long long)cx->size)
               : wg_canon_trapf(cx,
                                "list pointer/length out of bounds of memory "
                                "(%#x + %llu bytes, memory has %llu)",
                                ptr, (unsigned long long)bytes,
                                (unsigned long long)cx->size);
  if (!wg_canon_charge(cx, 1 + count + bytes / 8)) return false;
  WgCVal *items = count ? scratch(cx, (size_t)count * sizeof *items) : NULL;
  if (count && !items) return false;
  for (uint32_t i = 0; i < count; i++)
    if (!load(cx, ptr + i * e->size, e, &items[i])) return false;
  *out = wg_cval_seq(WG_CVAL_LIST, items, count);
  return true;
}

static bool load_cases(Cx *cx, uint32_t ptr, const CTy *t, WgCVal *out) {
  uint32_t c = (uint32_t)wg_canon_rd(cx, ptr, t->disc);
  if (c >= t->count)
    return wg_canon_trapf(cx, "invalid variant discriminant %u (%u cases)", c,
                          t->count);
  const CTy *p = t->elems[c];
  WgCVal *payload = NULL;
  if (p) {
    if (!(payload = scratch(cx, sizeof *payload)) ||
        !load(cx, ptr + t->payload, p, payload))
      return false;
  }
  *out = wg_cval_case((WgCValKind)t->kind, c, payload);
  return true;
}

/* `ptr` is aligned and [ptr, ptr + t->size) inside memory. */
static bool load(Cx *cx, uint32_t ptr, const CTy *t, WgCVal *out) {
  switch (t->kind) {
    case WG_CVAL_BOOL:
      *out = wg_cval_bool(cx->base[ptr] != 0);
      return true;
    case WG_CVAL_U8:
    case WG_CVAL_U16:
    case WG_CVAL_U32:
    case WG_CVAL_U64:
      *out = wg_cval_uint((WgCValKind)t->kind, wg_canon_rd(cx, ptr, t->size));
      return true;
    case WG_CVAL_S8:
      *out = wg_cval_int(WG_CVAL_S8, (int8_t)wg_canon_rd(cx, ptr, 1));
      return true;
    case WG_CVAL_S16:
      *out = wg_cval_int(WG_CVAL_S16, (int16_t)wg_canon_rd(cx, ptr, 2));
      return true;
    case WG_CVAL_S32:
      *out = wg_cval_int(WG_CVAL_S32, (int32_t)wg_canon_rd(cx, ptr, 4));
      return true;
    case WG_CVAL_S64:
      *out = wg_cval_int(WG_CVAL_S64, (int64_t)wg_canon_rd(cx, ptr, 8));
      return true;
    case WG_CVAL_F32:
      return float_canon32((uint32_t)wg_canon_rd(cx, ptr, 4), out);
    case WG_CVAL_F64:
      return float_canon64(wg_canon_rd(cx, ptr, 8), out);
    case WG_CVAL_CHAR:
      return to_char(cx, (uint32_t)wg_canon_rd(cx, ptr, 4), out);
    case WG_CVAL_STRING:
      return lift_string(cx, (uint32_t)wg_canon_rd(cx, ptr, 4),
                         (uint32_t)wg_canon_rd(cx, ptr + 4, 4), out);
    case WG_CVAL_LIST: {
      if (t->is_fixed) {
        const CTy *e = t->elems[0];
        WgCVal *items = scratch(cx, (size_t)t->count * sizeof *items);
        if (!items || !wg_canon_charge(cx, t->count)) return false;
        for (uint32_t i = 0; i < t->count; i++)
          if (!load(cx, ptr + i * e->size, e, &items[i])) return false;
        *out = wg_cval_seq(WG_CVAL_LIST, items, t->count);
        return true;
      }
      return lift_list(cx, (uint32_t)wg_canon_rd(cx, ptr, 4),
                       (uint32_t)wg_canon_rd(cx, ptr + 4, 4), t, out);
    }
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE: {
      WgCVal *items = scratch(cx, (size_t)t->count * sizeof *items);
      if (!items) return false;
      for (uint32_t i = 0; i < t->count; i++)
        if (!load(cx, ptr + t->offsets[i], t->elems[i], &items[i]))
          return false;
      *out = wg_cval_seq((WgCValKind)t->kind, items, t->count);
      return true;
    }
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT:
      return load_cases(cx, ptr, t, out);
    case WG_CVAL_FLAGS: {
      uint32_t bits = (uint32_t)wg_canon_rd(cx, ptr, t->size);
      if (t->count < 32) bits &= (1u << t->count) - 1;
      *out = wg_cval_flags(bits);
      return true;
    }
    case WG_CVAL_OWN:
      return lift_own(cx, (uint32_t)wg_canon_rd(cx, ptr, 4), t, out);
    case WG_CVAL_BORROW:
      return lift_borrow(cx, (uint32_t)wg_canon_rd(cx, ptr, 4), t, out);
    default:
      return wg_canon_trapf(cx, "internal: unknown type");
  }
}

/* Section: storing to memory (spec: store) */

static bool store(Cx *cx, const WgCVal *v, const CTy *t, uint32_t ptr);

static uint32_t f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return wg_canon_nan32(b);
}

static uint64_t f64_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return wg_canon_nan64(b);
}

/* spec: store_list_into_range */
static bool lower_list(Cx *cx, const WgCVal *v, const CTy *t, uint32_t *ptr,
                       uint32_t *count) {
  const CTy *e = t->elems[0];
  uint64_t bytes = (uint64_t)v->of.seq.count * e->size;
  if (v->of.seq.count > UINT32_MAX || bytes > UINT32_MAX)
    return wg_canon_trapf(cx, "list too long (%zu elements of %u bytes)",
                          v->of.seq.count, e->size);
  if (!need_memory(cx) ||
      !wg_canon_charge(cx, 1 + v->of.seq.count + bytes / 8) ||
      !cx_realloc(cx, 0, 0, e->align, (uint32_t)bytes, ptr, false))
    return false;
  for (size_t i = 0; i < v->of.seq.count; i++)
    if (!store(cx, &v->of.seq.items[i], e, *ptr + (uint32_t)i * e->size))
      return false;
  *count = (uint32_t)v->of.seq.count;
  return true;
}

static bool store(Cx *cx, const WgCVal *v, const CTy *t, uint32_t ptr) {
  switch (t->kind) {
    case WG_CVAL_BOOL:
      cx->base[ptr] = v->of.b ? 1 : 0;
      return true;
    case WG_CVAL_S8:
    case WG_CVAL_U8:
    case WG_CVAL_S16:
    case WG_CVAL_U16:
    case WG_CVAL_S32:
    case WG_CVAL_U32:
    case WG_CVAL_S64:
    case WG_CVAL_U64:
      wg_canon_wr(cx, ptr, v->of.u, t->size);
      return true;
    case WG_CVAL_F32:
      wg_canon_wr(cx, ptr, f32_bits(v->of.f32), 4);
      return true;
    case WG_CVAL_F64:
      wg_canon_wr(cx, ptr, f64_bits(v->of.f64), 8);
      return true;
    case WG_CVAL_CHAR:
      wg_canon_wr(cx, ptr, v->of.ch, 4);
      return true;
    case WG_CVAL_STRING: {
      uint32_t p, n;
      if (!lower_string(cx, v, &p, &n)) return false;
      wg_canon_wr(cx, ptr, p, 4);
      wg_canon_wr(cx, ptr + 4, n, 4);
      return true;
    }
    case WG_CVAL_LIST: {
      if (t->is_fixed) {
        const CTy *e = t->elems[0];
        if (!wg_canon_charge(cx, t->count)) return false;
        for (uint32_t i = 0; i < t->count; i++)
          if (!store(cx, &v->of.seq.items[i], e, ptr + i * e->size))
            return false;
        return true;
      }
      uint32_t p, n;
      if (!lower_list(cx, v, t, &p, &n)) return false;
      wg_canon_wr(cx, ptr, p, 4);
      wg_canon_wr(cx, ptr + 4, n, 4);
      return true;
    }
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE:
      for (uint32_t i = 0; i < t->count; i++)
        if (!store(cx, &v->of.seq.items[i], t->elems[i], ptr + t->offsets[i]))
          return false;
      return true;
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT: {
      uint32_t c = v->of.cases.index;
      wg_canon_wr(cx, ptr, c, t->disc);
      const CTy *p = t->elems[c];
      return !p || store(cx, v->of.cases.payload, p, ptr + t->payload);
    }
    case WG_CVAL_FLAGS:
      wg_canon_wr(cx, ptr, v->of.flags, t->size);
      return true;
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW: {
      uint32_t h;
      if (!(t->kind == WG_CVAL_OWN ? lower_own(cx, v, &h)
                                   : lower_borrow(cx, v, &h)))
        return false;
      wg_canon_wr(cx, ptr, h, 4);
      return true;
    }
    default:
      return wg_canon_trapf(cx, "internal: unknown type");
  }
}

/* Section: flat values (spec: lift_flat, lower_flat) */


static bool lift_flat(Cx *cx, FlatIn *in, const CTy *t, WgCVal *out);

/* A variant's payload arrives in the joined flat types of all cases: read
 * it back in the case's own types (spec: CoerceValueIter). */
static bool lift_flat_cases(Cx *cx, FlatIn *in, const CTy *t, WgCVal *out) {
  uint32_t c = (uint32_t)wg_flat_next(in);
  if (c >= t->count)
    return wg_canon_trapf(cx, "invalid variant discriminant %u (%u cases)", c,
                          t->count);
  const CTy *p = t->elems[c];
  uint32_t start = in->pos;
  WgCVal *payload = NULL;
  if (p) {
    WgVal tmp[CTY_MAX_FLAT];
    for (uint32_t k = 0; k < p->flat_count; k++) {
      const WgVal *have = &in->vals[start + k];
      uint64_t bits = have->kind == WG_VAL_I64 || have->kind == WG_VAL_F64
                          ? (uint64_t)have->of.i64
                          : (uint32_t)have->of.i32;
      switch (p->flat[k]) {
        case WG_CORE_I64:
          tmp[k] = wg_val_i64((int64_t)bits);
          break;
        case WG_CORE_F64:
          tmp[k].kind = WG_VAL_F64;
          tmp[k].of.f64_bits = bits;
          break;
        case WG_CORE_F32:
          tmp[k].kind = WG_VAL_F32;
          tmp[k].of.i64 = 0;
          tmp[k].of.f32_bits = (uint32_t)bits;
          break;
        default:
          tmp[k] = wg_val_i32((int32_t)(uint32_t)bits);
          break;
      }
    }
    FlatIn sub = { tmp, 0 };
    if (!(payload = scratch(cx, sizeof *payload)) ||
        !lift_flat(cx, &sub, p, payload))
      return false;
  }
  in->pos = start + (t->flat_count - 1);
  *out = wg_cval_case((WgCValKind)t->kind, c, payload);
  return true;
}

static bool lift_flat(Cx *cx, FlatIn *in, const CTy *t, WgCVal *out) {
  switch (t->kind) {
    case WG_CVAL_BOOL:
      *out = wg_cval_bool((uint32_t)wg_flat_next(in) != 0);
      return true;
    case WG_CVAL_U8:
      *out = wg_cval_uint(WG_CVAL_U8, (uint8_t)wg_flat_next(in));
      return true;
    case WG_CVAL_U16:
      *out = wg_cval_uint(WG_CVAL_U16, (uint16_t)wg_flat_next(in));
      return true;
    case WG_CVAL_U32:
      *out = wg_cval_uint(WG_CVAL_U32, (uint32_t)wg_flat_next(in));
      return true;
    case WG_CVAL_U64:
      *out = wg_cval_uint(WG_CVAL_U64, wg_flat_next(in));
      return true;
    case WG_CVAL_S8:
      *out = wg_cval_int(WG_CVAL_S8, (int8_t)wg_flat_next(in));
      return true;
    case WG_CVAL_S16:
      *out = wg_cval_int(WG_CVAL_S16, (int16_t)wg_flat_next(in));
      return true;
    case WG_CVAL_S32:
      *out = wg_cval_int(WG_CVAL_S32, (int32_t)wg_flat_next(in));
      return true;
    case WG_CVAL_S64:
      *out = wg_cval_int(WG_CVAL_S64, (int64_t)wg_flat_next(in));
      return true;
    case WG_CVAL_F32:
      return float_canon32((uint32_t)wg_flat_next(in), out);
    case WG_CVAL_F64:
      return float_canon64(wg_flat_next(in), out);
    case WG_CVAL_CHAR:
      return to_char(cx, (uint32_t)wg_flat_next(in), out);
    case WG_CVAL_STRING: {
      uint32_t p = (uint32_t)wg_flat_next(in);
      uint32_t n = (uint32_t)wg_flat_next(in);
      return lift_string(cx, p, n, out);
    }
    case WG_CVAL_LIST: {
      if (t->is_fixed) {
        WgCVal *items = scratch(cx, (size_t)t->count * sizeof *items);
        if (!items) return false;
        for (uint32_t i = 0; i < t->count; i++)
          if (!lift_flat(cx, in, t->elems[0], &items[i])) return false;
        *out = wg_cval_seq(WG_CVAL_LIST, items, t->count);
        return true;
      }
      uint32_t p = (uint32_t)wg_flat_next(in);
      uint32_t n = (uint32_t)wg_flat_next(in);
      return lift_list(cx, p, n, t, out);
    }
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE: {
      WgCVal *items = scratch(cx, (size_t)t->count * sizeof *items);
      if (t->count && !items) return false;
      for (uint32_t i = 0; i < t->count; i++)
        if (!lift_flat(cx, in, t->elems[i], &items[i])) return false;
      *out = wg_cval_seq((WgCValKind)t->kind, items, t->count);
      return true;
    }
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT:
      return lift_flat_cases(cx, in, t, out);
    case WG_CVAL_FLAGS: {
      uint32_t bits = (uint32_t)wg_flat_next(in);
      if (t->count < 32) bits &= (1u << t->count) - 1;
      *out = wg_cval_flags(bits);
      return true;
    }
    case WG_CVAL_OWN:
      return lift_own(cx, (uint32_t)wg_flat_next(in), t, out);
    case WG_CVAL_BORROW:
      return lift_borrow(cx, (uint32_t)wg_flat_next(in), t, out);
    default:
      return wg_canon_trapf(cx, "internal: unknown type");
  }
}


static bool lower_flat(Cx *cx, const WgCVal *v, const CTy *t, WgVal *out,
                       uint32_t *pos) {
  switch (t->kind) {
    case WG_CVAL_BOOL:
      wg_flat_put(out, pos, WG_CORE_I32, v->of.b ? 1 : 0);
      return true;
    case WG_CVAL_S8:
    case WG_CVAL_S16:
    case WG_CVAL_S32:
      wg_flat_put(out, pos, WG_CORE_I32, (uint32_t)(int32_t)v->of.s);
      return true;
    case WG_CVAL_U8:
    case WG_CVAL_U16:
    case WG_CVAL_U32:
      wg_flat_put(out, pos, WG_CORE_I32, (uint32_t)v->of.u);
      return true;
    case WG_CVAL_S64:
    case WG_CVAL_U64:
      wg_flat_put(out, pos, WG_CORE_I64, v->of.u);
      return true;
    case WG_CVAL_F32:
      wg_flat_put(out, pos, WG_CORE_F32, f32_bits(v->of.f32));
      return true;
    case WG_CVAL_F64:
      wg_flat_put(out, pos, WG_CORE_F64, f64_bits(v->of.f64));
      return true;
    case WG_CVAL_CHAR:
      wg_flat_put(out, pos, WG_CORE_I32, v->of.ch);
      return true;
    case WG_CVAL_STRING: {
      uint32_t p, n;
      if (!lower_string(cx, v, &p, &n)) return false;
      wg_flat_put(out, pos, WG_CORE_I32, p);
      wg_flat_put(out, pos, WG_CORE_I32, n);
      return true;
    }
    case WG_CVAL_LIST: {
      if (t->is_fixed) {
        for (uint32_t i = 0; i < t->count; i++)
          if (!lower_flat(cx, &v->of.seq.items[i], t->elems[0], out, pos))
            return false;
        return true;
      }
      uint32_t p, n;
      if (!lower_list(cx, v, t, &p, &n)) return false;
      wg_flat_put(out, pos, WG_CORE_I32, p);
      wg_flat_put(out, pos, WG_CORE_I32, n);
      return true;
    }
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE:
      for (uint32_t i = 0; i < t->count; i++)
        if (!lower_flat(cx, &v->of.seq.items[i], t->elems[i], out, pos))
          return false;
      return true;
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT: {
      uint32_t c = v->of.cases.index;
      wg_flat_put(out, pos, WG_CORE_I32, c);
      uint32_t start = *pos;
      const CTy *p = t->elems[c];
      if (p) {
        if (!lower_flat(cx, v->of.cases.payload, p, out, pos)) return false;
        /* widen each slot to the joined type (spec: lower_flat_variant) */
        for (uint32_t k = 0; k < p->flat_count; k++) {
          WgVal *s = &out[start + k];
          uint8_t want = t->flat[1 + k];
          uint64_t bits = s->kind == WG_VAL_I64 || s->kind == WG_VAL_F64
                              ? (uint64_t)s->of.i64
                              : (uint32_t)s->of.i32;
          uint32_t at = start + k;
          wg_flat_put(out, &at, want, bits);
        }
      }
      while (*pos < start + t->flat_count - 1)
        wg_flat_put(out, pos, t->flat[1 + (*pos - start)], 0);
      return true;
    }
    case WG_CVAL_FLAGS:
      wg_flat_put(out, pos, WG_CORE_I32, v->of.flags);
      return true;
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW: {
      uint32_t h;
      if (!(t->kind == WG_CVAL_OWN ? lower_own(cx, v, &h)
                                   : lower_borrow(cx, v, &h)))
        return false;
      wg_flat_put(out, pos, WG_CORE_I32, h);
      return true;
    }
    default:
      return wg_canon_trapf(cx, "internal: unknown type");
  }
}

/* Section: the four directions */

/* Checks a pointer to a spilled tuple or a return area. */
static bool check_area(Cx *cx, uint32_t ptr, const CTy *t, const char *what) {
  if (!need_memory(cx)) return false;
  if (ptr % t->align)
    return wg_canon_trapf(cx, "unaligned pointer: %s at %#x must be %u-aligned",
                          what, ptr, t->align);
  if (!wg_canon_in_bounds(cx, ptr, t->size))
    return wg_canon_trapf(
        cx,
        "%s out of bounds of memory (%#x + %u bytes, memory has "
        "%llu)",
        what, ptr, t->size, (unsigned long long)cx->size);
  return true;
}

bool wg_canon_lower_params(Cx *cx, const CSig *sig, const WgCVal *args,
                           WgVal *flat, uint32_t *flat_count) {
  refresh(cx); /* memory may have grown since */
  uint32_t pos = 0;
  if (!sig->params_indirect) {
    for (uint32_t i = 0; i < sig->param_count; i++)
      if (!lower_flat(cx, &args[i], sig->params[i], flat, &pos)) return false;
    *flat_count = pos;
    return true;
  }
  const CTy *tup = sig->params_tuple;
  uint32_t ptr;
  if (!need_memory(cx) ||
      !cx_realloc(cx, 0, 0, tup->align, tup->size, &ptr, false))
    return false;
  for (uint32_t i = 0; i < sig->param_count; i++)
    if (!store(cx, &args[i], tup->elems[i], ptr + tup->offsets[i]))
      return false;
  wg_flat_put(flat, &pos, WG_CORE_I32, ptr);
  *flat_count = pos;
  return true;
}

bool wg_canon_lift_params(Cx *cx, const CSig *sig, const WgVal *flat,
                          WgCVal *out) {
  refresh(cx); /* memory may have grown since */
  if (!sig->params_indirect) {
    FlatIn in = { flat, 0 };
    for (uint32_t i = 0; i < sig->param_count; i++)
      if (!lift_flat(cx, &in, sig->params[i], &out[i])) return false;
    return true;
  }
  const CTy *tup = sig->params_tuple;
  uint32_t ptr = (uint32_t)flat[0].of.i32;
  if (!check_area(cx, ptr, tup, "parameter area")) return false;
  for (uint32_t i = 0; i < sig->param_count; i++)
    if (!load(cx, ptr + tup->offsets[i], tup->elems[i], &out[i])) return false;
  return true;
}

bool wg_canon_lower_result(Cx *cx, const CSig *sig, const WgCVal *result,
                           WgVal *flat, uint32_t retptr) {
  refresh(cx); /* memory may have grown since */
  if (!sig->result) return true;
  if (!sig->results_indirect) {
    uint32_t pos = 0;
    return lower_flat(cx, result, sig->result, flat, &pos);
  }
  return check_area(cx, retptr, sig->result, "return area") &&
         store(cx, result, sig->result, retptr);
}

bool wg_canon_lift_result(Cx *cx, const CSig *sig, const WgVal *flat,
                          WgCVal *out) {
  refresh(cx); /* memory may have grown since */
  if (!sig->result) return true;
  if (!sig->results_indirect) {
    FlatIn in = { flat, 0 };
    return lift_flat(cx, &in, sig->result, out);
  }
  uint32_t ptr = (uint32_t)flat[0].of.i32;
  return check_area(cx, ptr, sig->result, "return area") &&
         load(cx, ptr, sig->result, out);
}

/* Section: checking host values */


static const char *kind_name(int k) {
  static const char *const names[] = {
    "bool",    "s8",   "u8",     "s16",    "u16",    "s32",  "u32",    "s64",
    "u64",     "f32",  "f64",    "char",   "string", "list", "record", "tuple",
    "variant", "enum", "option", "result", "flags",  "own",  "borrow",
  };
  return k >= 0 && k <= WG_CVAL_BORROW ? names[k] : "?";
}

static bool check(const WgCVal *v, const CTy *t, WgCResourceType *const *rs,
                  char *why, size_t n, int depth) {
  if (!v)
    return wg_why(why, n, "missing value (NULL) for %s", kind_name(t->kind));
  if (depth > 200) return wg_why(why, n, "value nested too deeply");
  if ((int)v->kind != t->kind)
    return wg_why(why, n, "expected %s, found %s", kind_name(t->kind),
                  kind_name(v->kind));
  switch (t->kind) {
    case WG_CVAL_S8:
      return (v->of.s >= INT8_MIN && v->of.s <= INT8_MAX) ||
             wg_why(why, n, "s8 out of range: %lld", (long long)v->of.s);
    case WG_CVAL_S16:
      return (v->of.s >= INT16_MIN && v->of.s <= INT16_MAX) ||
             wg_why(why, n, "s16 out of range: %lld", (long long)v->of.s);
    case WG_CVAL_S32:
      return (v->of.s >= INT32_MIN && v->of.s <= INT32_MAX) ||
             wg_why(why, n, "s32 out of range: %lld", (long long)v->of.s);
    case WG_CVAL_U8:
      return v->of.u <= UINT8_MAX || wg_why(why, n, "u8 out of range: %llu",
                                            (unsigned long long)v->of.u);
    case WG_CVAL_U16:
      return v->of.u <= UINT16_MAX || wg_why(why, n, "u16 out of range: %llu",
                                             (unsigned long long)v->of.u);
    case WG_CVAL_U32:
      return v->of.u <= UINT32_MAX || wg_why(why, n, "u32 out of range: %llu",
                                             (unsigned long long)v->of.u);
    case WG_CVAL_CHAR:
      return (v->of.ch < 0xD800 ||
              (v->of.ch > 0xDFFF && v->of.ch < 0x110000)) ||
             wg_why(why, n, "not a Unicode scalar value: %#x", v->of.ch);
    case WG_CVAL_STRING: {
      size_t bad;
      if (v->of.str.len && !v->of.str.ptr)
        return wg_why(why, n, "string with NULL bytes");
      if (!wg_utf8_valid((const uint8_t *)v->of.str.ptr, v->of.str.len, &bad))
        return wg_why(why, n, "string is not UTF-8 (byte %zu)", bad);
      return true;
    }
    case WG_CVAL_LIST:
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE: {
      size_t count = v->of.seq.count;
      bool fixed = t->kind != WG_CVAL_LIST || t->is_fixed;
      if (fixed && count != t->count)
        return wg_why(why, n, "%s of %zu items where %u are expected",
                      kind_name(t->kind), count, t->count);
      if (count && !v->of.seq.items)
        return wg_why(why, n, "%s items are NULL", kind_name(t->kind));
      for (size_t i = 0; i < count; i++) {
        const CTy *e = t->kind == WG_CVAL_LIST ? t->elems[0] : t->elems[i];
        if (!check(&v->of.seq.items[i], e, rs, why, n, depth + 1)) {
          if (n) {
            char inner[256];
            snprintf(inner, sizeof inner, "%s", why);
            if (t->kind == WG_CVAL_RECORD && t->src && t->src->labels)
              snprintf(why, n, "field `%.*s`: %s", (int)t->src->labels[i].len,
                       t->src->labels[i].ptr, inner);
            else
              snprintf(why, n, "item %zu: %s", i, inner);
          }
          return false;
        }
      }
      return true;
    }
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT: {
      uint32_t c = v->of.cases.index;
      if (c >= t->count)
        return wg_why(why, n, "%s case %u out of range (%u cases)",
                      kind_name(t->kind), c, t->count);
      const CTy *p = t->elems[c];
      if (!p) return true;
      return check(v->of.cases.payload, p, rs, why, n, depth + 1);
    }
    case WG_CVAL_FLAGS:
      return t->count >= 32 || v->of.flags < (1u << t->count) ||
             wg_why(why, n, "flags %#x beyond the %u labels", v->of.flags,
                    t->count);
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW:
      if (!v->of.res.type) return wg_why(why, n, "resource without a type");
      if (rs && !v->of.res.type->is_host) {
        uint32_t rep;
        if (!wg_host_handle_take(v->of.res.type, v->of.res.rep, v->of.res.gen,
                                 t->kind == WG_CVAL_OWN, false, &rep))
          return wg_why(why, n,
                        "%s of a resource the host no longer holds "
                        "(moved or dropped)",
                        kind_name(t->kind));
      }
      if (rs && v->of.res.type != rs[t->resource])
        return wg_why(why, n, "%s of resource `%.*s` where `%.*s` is expected",
                      kind_name(t->kind), (int)v->of.res.type->name.len,
                      v->of.res.type->name.ptr, (int)rs[t->resource]->name.len,
                      rs[t->resource]->name.ptr);
      return true;
    default:
      return true;
  }
}

bool wg_canon_check(const WgCVal *v, const CTy *t,
                    WgCResourceType *const *resources, char *why,
                    size_t why_size) {
  return check(v, t, resources, why, why_size, 0);
}

/* Section: helpers of the typed ABI (cabi.c) and of fused calls (cfuse.c) */

void wg_canon_refresh(Cx *cx) {
  refresh(cx);
}

bool wg_canon_trapf(Cx *cx, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!cx->trap) cx->trap = wg_trap_make(WG_TRAP_WASM, msg);
  return false;
}

bool wg_canon_need_memory(Cx *cx) {
  return need_memory(cx);
}

bool wg_canon_reallocate(Cx *cx, uint32_t old, uint32_t old_size,
                         uint32_t align, uint32_t new_size, uint32_t *out,
                         bool is_string) {
  return cx_realloc(cx, old, old_size, align, new_size, out, is_string);
}

bool wg_canon_bad_utf8(Cx *cx, const uint8_t *s, size_t len, size_t at) {
  return bad_utf8(cx, s, len, at);
}

bool wg_canon_check_area(Cx *cx, uint32_t ptr, const CTy *t, const char *what) {
  return check_area(cx, ptr, t, what);
}

bool wg_canon_realloc(Cx *cx, uint32_t size, uint32_t align, uint32_t *out) {
  return need_memory(cx) && cx_realloc(cx, 0, 0, align, size, out, false);
}

bool wg_canon_lower_str(Cx *cx, const uint8_t *s, size_t len, uint32_t *ptr,
                        uint32_t *units) {
  WgCVal v = wg_cval_string((const char *)s, len);
  return lower_string(cx, &v, ptr, units);
}

bool wg_canon_lift_handle(Cx *cx, uint32_t i, const CTy *t, WgCVal *out) {
  return t->kind == WG_CVAL_OWN ? lift_own(cx, i, t, out)
                                : lift_borrow(cx, i, t, out);
}

bool wg_canon_lower_handle(Cx *cx, const WgCVal *v, const CTy *t,
                           uint32_t *out) {
  return t->kind == WG_CVAL_OWN ? lower_own(cx, v, out)
                                : lower_borrow(cx, v, out);
}
