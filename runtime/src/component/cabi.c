/* SPDX-License-Identifier: Apache-2.0 */
/* The Canonical ABI at the level of core values (witgen/component_abi.h),
 * for generated typed host bindings: export calls whose arguments and
 * result the generated code lowers and lifts, host functions that receive
 * the flat core values, and the checked helpers both use. The checks and
 * their messages are those of ccanon.c (spec: CanonicalABI.md,
 * load_string_from_range, load_list_from_range, store_list_into_range,
 * lift_own, lift_borrow, lower_own, lower_borrow); handles, realloc and
 * string lowering go through ccanon.c itself. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cinternal.h"
#include "core/rt.h"
#include "strbuf.h"
#include "utf8.h"

/* spec: MAX_STRING_BYTE_LENGTH, MAX_LIST_BYTE_LENGTH */
#define MAX_BYTE_LENGTH ((1u << 28) - 1)
#define UTF16_TAG       0x80000000u
/* The bytes of host memory one call's lifted values may take. */
#define MAX_COPIED ((size_t)512 << 20)

/* Section: traps and fuel */

static bool vfail(WgCAbiCx *cx, WgTrapKind kind, const char *fmt, va_list ap) {
  if (cx->cx.trap) return false;
  char msg[384];
  vsnprintf(msg, sizeof msg, fmt, ap);
  cx->cx.trap = wg_trap_make(kind, msg);
  return false;
}

bool wg_cabi_fail(WgCAbiCx *cx, WgTrapKind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(cx, kind, fmt, ap);
  va_end(ap);
  return false;
}

WgTrap *wg_cabi_take_trap(WgCAbiCx *cx) {
  WgTrap *t = cx->cx.trap;
  cx->cx.trap = NULL;
  return t ? t : wg_trap_make(WG_TRAP_HOST, "out of memory");
}

bool wg_cabi_charge(WgCAbiCx *cx, uint64_t units) {
  return wg_canon_charge(&cx->cx, units);
}

WgCCall *wg_cabi_ccall(WgCAbiCx *cx) {
  return &cx->call;
}

/* Section: memory */

static bool need_memory(WgCAbiCx *cx) {
  if (cx->cx.opts && cx->cx.opts->memory) return true;
  return wg_cabi_fail(cx, WG_TRAP_WASM, "canonical option `memory` missing");
}

static bool in_bounds(const WgCAbiCx *cx, uint64_t ptr, uint64_t len) {
  return wg_canon_in_bounds(&cx->cx, ptr, len);
}

/* Where an empty area points when memory has no bytes at all. */
static uint8_t empty_area[8];

bool wg_cabi_view(WgCAbiCx *cx, uint32_t ptr, uint32_t size, uint32_t align,
                  const char *what, uint8_t **out) {
  if (!need_memory(cx)) return false;
  if (align > 1 && ptr % align)
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "unaligned pointer: %s at %#x must be %u-aligned", what,
                        ptr, align);
  if (!in_bounds(cx, ptr, size))
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "%s out of bounds of memory (%#x + %u bytes, memory "
                        "has %llu)",
                        what, ptr, size, (unsigned long long)cx->cx.size);
  *out = cx->cx.base ? cx->cx.base + ptr : empty_area;
  return true;
}

bool wg_cabi_realloc(WgCAbiCx *cx, uint32_t size, uint32_t align,
                     uint32_t *out) {
  return wg_canon_realloc(&cx->cx, size, align, out);
}

void *wg_cabi_malloc(WgCAbiCx *cx, size_t size) {
  if (size > MAX_COPIED || cx->copied + size > MAX_COPIED) {
    wg_cabi_fail(cx, WG_TRAP_WASM,
                 "lifted values too large for the host (over %zu MiB)",
                 MAX_COPIED >> 20);
    return NULL;
  }
  void *p = malloc(size ? size : 1);
  if (!p) {
    wg_cabi_fail(cx, WG_TRAP_HOST, "out of memory");
    return NULL;
  }
  cx->copied += size;
  return p;
}

/* Section: strings */

bool wg_cabi_lower_string(WgCAbiCx *cx, const uint8_t *s, size_t len,
                          uint32_t *ptr, uint32_t *units) {
  size_t bad;
  if (len && !s)
    return wg_cabi_fail(cx, WG_TRAP_MISUSE, "string with NULL bytes");
  if (!wg_utf8_valid(s, len, &bad))
    return wg_cabi_fail(cx, WG_TRAP_MISUSE, "string is not UTF-8 (byte %zu)",
                        bad);
  return wg_canon_lower_str(&cx->cx, s, len, ptr, units);
}

/* Why `s[0..len)` is not UTF-8, in the words Rust's decoder uses (as
 * ccanon.c says it). */
static bool bad_utf8(WgCAbiCx *cx, const uint8_t *s, size_t len, size_t at) {
  uint8_t c = s[at];
  size_t need = c >= 0xC2 && c <= 0xDF   ? 2
                : c >= 0xE0 && c <= 0xEF ? 3
                : c >= 0xF0 && c <= 0xF4 ? 4
                                         : 0;
  bool incomplete = need && at + need > len;
  for (size_t k = at + 1; incomplete && k < len; k++)
    if ((s[k] & 0xC0) != 0x80) incomplete = false;
  if (incomplete)
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "incomplete utf-8 byte sequence from index %zu", at);
  return wg_cabi_fail(cx, WG_TRAP_WASM,
                      "invalid utf-8 sequence at index %zu of the string", at);
}

/* UTF-16LE code units src[0..units) as UTF-8 into dst (3 bytes per unit
 * at most); the bytes written, or false after a trap. */
static bool utf16_to_utf8(WgCAbiCx *cx, const uint8_t *src, uint32_t units,
                          uint8_t *dst, size_t *n) {
  size_t k = 0;
  for (uint32_t i = 0; i < units; i++) {
    uint32_t u = (uint32_t)src[2 * i] | (uint32_t)src[2 * i + 1] << 8;
    uint32_t cp = u;
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint32_t lo = 0;
      if (i + 1 < units)
        lo = (uint32_t)src[2 * i + 2] | (uint32_t)src[2 * i + 3] << 8;
      if (lo < 0xDC00 || lo > 0xDFFF)
        return wg_cabi_fail(cx, WG_TRAP_WASM,
                            "invalid utf-16: unpaired surrogate %#x at code "
                            "unit %u",
                            u, i);
      cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i++;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return wg_cabi_fail(cx, WG_TRAP_WASM,
                          "invalid utf-16: unpaired surrogate %#x at code unit "
                          "%u",
                          u, i);
    }
    k += wg_utf8_encode(cp, dst + k);
  }
  *n = k;
  return true;
}

bool wg_cabi_lift_string(WgCAbiCx *cx, uint32_t ptr, uint32_t tagged,
                         uint8_t **out, size_t *out_len) {
  if (!need_memory(cx)) return false;
  uint32_t align = 1, units = tagged;
  uint64_t bytes = tagged;
  int enc = cx->cx.encoding; /* 0 utf8, 1 utf16, 3 latin1 */
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
      enc = 3;
    }
  }
  if (bytes > MAX_BYTE_LENGTH)
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "string too long (%llu bytes, the limit is %u)",
                        (unsigned long long)bytes, MAX_BYTE_LENGTH);
  if (ptr % align)
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "unaligned pointer: string at %#x must be %u-aligned",
                        ptr, align);
  if (!in_bounds(cx, ptr, bytes))
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "string pointer/length out of bounds of memory (%#x + "
                        "%llu bytes, memory has %llu)",
                        ptr, (unsigned long long)bytes,
                        (unsigned long long)cx->cx.size);
  if (!wg_cabi_charge(cx, 1 + bytes / 8)) return false;
  const uint8_t *src = cx->cx.base ? cx->cx.base + ptr : empty_area;
  if (enc == 0) {
    size_t bad;
    if (!wg_utf8_valid(src, (size_t)bytes, &bad))
      return bad_utf8(cx, src, (size_t)bytes, bad);
    uint8_t *dst = wg_cabi_malloc(cx, (size_t)bytes);
    if (!dst) return false;
    if (bytes) memcpy(dst, src, (size_t)bytes);
    *out = dst;
    *out_len = (size_t)bytes;
    return true;
  }
  if (enc == 3) { /* latin1: each byte is a code point */
    uint8_t *dst = wg_cabi_malloc(cx, 2 * (size_t)bytes);
    if (!dst) return false;
    size_t n = 0;
    for (uint64_t i = 0; i < bytes; i++) {
      uint8_t c = src[i];
      if (c < 0x80) {
        dst[n++] = c;
      } else {
        dst[n++] = (uint8_t)(0xC0 | (c >> 6));
        dst[n++] = (uint8_t)(0x80 | (c & 0x3F));
      }
    }
    *out = dst;
    *out_len = n;
    return true;
  }
  uint8_t *dst = wg_cabi_malloc(cx, 3 * (size_t)units);
  if (!dst) return false;
  size_t n = 0;
  if (!utf16_to_utf8(cx, src, units, dst, &n)) {
    free(dst);
    return false;
  }
  *out = dst;
  *out_len = n;
  return true;
}

/* Section: lists */

bool wg_cabi_lower_list(WgCAbiCx *cx, size_t count, uint32_t elem_size,
                        uint32_t elem_align, uint32_t *ptr) {
  uint64_t bytes = (uint64_t)count * elem_size;
  if (count > UINT32_MAX || bytes > UINT32_MAX)
    return wg_cabi_fail(cx, WG_TRAP_MISUSE,
                        "list too long (%zu elements of %u bytes)", count,
                        elem_size);
  return need_memory(cx) && wg_cabi_charge(cx, 1 + count + bytes / 8) &&
         wg_cabi_realloc(cx, (uint32_t)bytes, elem_align, ptr);
}

bool wg_cabi_lift_list(WgCAbiCx *cx, uint32_t ptr, uint32_t count,
                       uint32_t elem_size, uint32_t elem_align,
                       const uint8_t **out) {
  uint64_t bytes = (uint64_t)count * elem_size;
  if (bytes > MAX_BYTE_LENGTH)
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "list too long (%u elements of %u bytes, the limit "
                        "is %u bytes)",
                        count, elem_size, MAX_BYTE_LENGTH);
  if (elem_align > 1 && ptr % elem_align)
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "unaligned pointer: list at %#x must be %u-aligned",
                        ptr, elem_align);
  if (!need_memory(cx)) return false;
  if (!in_bounds(cx, ptr, bytes))
    return wg_cabi_fail(cx, WG_TRAP_WASM,
                        "list pointer/length out of bounds of memory (%#x + "
                        "%llu bytes, memory has %llu)",
                        ptr, (unsigned long long)bytes,
                        (unsigned long long)cx->cx.size);
  if (!wg_cabi_charge(cx, 1 + (uint64_t)count + bytes / 8)) return false;
  *out = cx->cx.base ? cx->cx.base + ptr : empty_area;
  return true;
}

/* Section: handles */

/* The k-th handle type met walking `t` (component_abi.h gives the
 * order); decrements `*k` by the handle types passed. */
static const CTy *walk(const CTy *t, uint32_t *k, int depth) {
  if (!t || !t->has_handles || depth > 200) return NULL;
  switch (t->kind) {
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW:
      if (*k == 0) return t;
      --*k;
      return NULL;
    case WG_CVAL_LIST:
      return walk(t->elems[0], k, depth + 1);
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE:
    case WG_CVAL_VARIANT:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT:
      for (uint32_t i = 0; i < t->count; i++) {
        const CTy *r = walk(t->elems[i], k, depth + 1);
        if (r) return r;
      }
      return NULL;
    default:
      return NULL;
  }
}

static const CTy *nth_handle(WgCAbiCx *cx, uint32_t k) {
  const CSig *s = cx->sig;
  const CTy *r = NULL;
  for (uint32_t i = 0; s && !r && i < s->param_count; i++)
    r = walk(s->params[i], &k, 0);
  if (s && !r) r = walk(s->result, &k, 0);
  if (!r)
    wg_cabi_fail(cx, WG_TRAP_HOST,
                 "internal: the function's type has no handle type %u", k);
  return r;
}

bool wg_cabi_lift_handle(WgCAbiCx *cx, uint32_t k, uint32_t handle,
                         WgCAbiHandle *out) {
  const CTy *t = nth_handle(cx, k);
  WgCVal v;
  if (!t || !wg_canon_lift_handle(&cx->cx, handle, t, &v)) return false;
  out->type = v.of.res.type;
  out->rep = v.of.res.rep;
  out->gen = v.of.res.gen;
  return true;
}

bool wg_cabi_lower_handle(WgCAbiCx *cx, uint32_t k, WgCAbiHandle h,
                          uint32_t *handle) {
  const CTy *t = nth_handle(cx, k);
  if (!t) return false;
  WgCResourceType *want = cx->cx.inst->resources[t->resource];
  const char *kind = t->kind == WG_CVAL_OWN ? "own" : "borrow";
  if (!want->is_host && h.type != want) {
    if (!h.type)
      return wg_cabi_fail(cx, WG_TRAP_MISUSE,
                          "%s of resource `%.*s` without "
                          "a type (not a handle the host received)",
                          kind, (int)want->name.len, want->name.ptr);
    return wg_cabi_fail(cx, WG_TRAP_MISUSE,
                        "%s of resource `%.*s` where `%.*s` is expected", kind,
                        (int)h.type->name.len, h.type->name.ptr,
                        (int)want->name.len, want->name.ptr);
  }
  WgCVal v = wg_cval_resource(
      t->kind == WG_CVAL_OWN ? WG_CVAL_OWN : WG_CVAL_BORROW, want, h.rep);
  v.of.res.gen = h.gen;
  return wg_canon_lower_handle(&cx->cx, &v, t, handle);
}

/* Section: exports */

static void print_func(WgBuf *b, const WgCFuncTy *f) {
  wg_cfunc_print(b, f);
  if (b->failed || !b->len) {
    wg_buf_free(b);
    wg_buf_append(b, "func(...)", 9);
  }
}

WgStatus wg_cabi_export(WgComponentInstance *inst, WgStr name, WgStr type,
                        WgComponentFunc **out, WgDiagList *diags) {
  *out = NULL;
  if (!inst) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0, "no instance");
    return WG_ERR_MISUSE;
  }
  const Plan *p = inst->plan;
  const PExportFunc *e = wg_linker_find_export(p, name);
  if (!e) {
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, name,
                         "the component exports no function `%.*s`",
                         (int)name.len, name.ptr);
    return WG_ERR_UNLINKABLE;
  }
  if (e->func.kind != FREF_LIFT) {
    wg_diag_list_add_wit(diags, WG_ERR_UNSUPPORTED, name,
                         "export `%.*s` is an import the component "
                         "re-exports: typed bindings cannot call it",
                         (int)e->name.len, e->name.ptr);
    return WG_ERR_UNSUPPORTED;
  }
  if (!wg_csig_valid(type, diags)) return WG_ERR_INVALID;
  char *text = malloc(type.len + 1);
  if (!text) {
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  memcpy(text, type.ptr, type.len);
  text[type.len] = 0;
  char why[512];
  bool ok = wg_csig_check(text, e->type, why, sizeof why);
  if (!ok) {
    WgBuf have = { 0 };
    print_func(&have, e->type);
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, name,
                         "export `%.*s` is `%.*s`, but the bindings expect "
                         "`%s`: %s",
                         (int)e->name.len, e->name.ptr, (int)have.len,
                         have.data ? have.data : "", text, why);
    wg_buf_free(&have);
  }
  free(text);
  if (!ok) return WG_ERR_UNLINKABLE;
  *out = &inst->funcs[e - p->export_funcs];
  return WG_OK;
}

WgTrap *wg_cabi_call(WgComponentFunc *func, WgCAbiLowerFn lower,
                     WgCAbiLiftFn lift, void *data) {
  if (!func || !lower || func->export->func.kind != FREF_LIFT)
    return wg_ctrap_kind(WG_TRAP_MISUSE, "no function to call, or one the "
                                         "component re-exports");
  WgComponentInstance *inst = func->inst;
  uint32_t li = func->export->func.index;
  if (inst->plan->lifts[li].sig->result && !lift)
    return wg_ctrap_kind(WG_TRAP_MISUSE, "no lifting of the result");
  return wg_ccall_lift_abi(inst, li, lower, lift, data);
}

/* Section: imports */

WgStatus wg_component_linker_define_abi(WgComponentLinker *linker, WgStr name,
                                        WgStr type, WgCAbiHostFn fn, void *env,
                                        void (*env_free)(void *),
                                        WgDiagList *diags) {
  WgStatus st = WG_OK;
  HostFunc *f = NULL;
  char *text = NULL;
  if (!linker || !fn || !type.len) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0, "no linker, function or type");
    st = WG_ERR_MISUSE;
  } else if (!wg_csig_valid(type, diags)) {
    st = WG_ERR_INVALID;
  } else if (!(f = calloc(1, sizeof *f)) || !(text = malloc(type.len + 1))) {
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    st = WG_ERR_NOMEM;
  }
  if (st != WG_OK) {
    free(f);
    free(text);
    if (env_free) env_free(env);
    return st;
  }
  memcpy(text, type.ptr, type.len);
  text[type.len] = 0;
  atomic_init(&f->refcount, 1);
  f->abi_fn = fn;
  f->env = env;
  f->env_free = env_free;
  f->sig_text = text;
  /* takes `f`: on failure it is released (env_free runs) */
  return wg_linker_add_func(linker, name, f, diags);
}

WgTrap *wg_cabi_host_call(RTramp *rt, const Cx *cx, HostFunc *def,
                          const WgVal *args, WgVal *results) {
  WgCAbiCx ax;
  memset(&ax, 0, sizeof ax);
  ax.cx = *cx;
  ax.cx.trap = NULL;
  ax.call.inst = rt->inst;
  ax.call.import = &rt->inst->plan->host_funcs[rt->plan->callee.index];
  ax.sig = rt->plan->sig;
  WgTrap *t = def->abi_fn(def->env, &ax, args, results);
  if (!t && ax.cx.trap) return wg_cabi_take_trap(&ax);
  if (ax.cx.trap) wg_trap_delete(ax.cx.trap);
  return t;
}
