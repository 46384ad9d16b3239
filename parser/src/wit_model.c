/* SPDX-License-Identifier: Apache-2.0 */
/* Model helpers of the WIT front-end: arena arrays, errors, semver and
 * package names, freeing a resolve. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "wit_internal.h"

bool wit_array_grow(WgArena *arena, void **items, size_t *cap, size_t count,
                    size_t item_size) {
  size_t ncap = *cap ? *cap * 2 : 4;
  /* the newest block of the arena grows where it is: no copy, no waste */
  if (*items &&
      wg_arena_extend(arena, *items, *cap * item_size, ncap * item_size)) {
    *cap = ncap;
    return true;
  }
  void *n = wg_arena_alloc(arena, ncap * item_size);
  if (!n) return false;
  if (count) memcpy(n, *items, count * item_size);
  *items = n;
  *cap = ncap;
  return true;
}

bool wit_array_reserve(WgArena *arena, void **items, size_t *cap, size_t count,
                       size_t item_size, size_t n) {
  if (*cap - count >= n) return true;
  size_t ncap = count + n;
  if (ncap < count || ncap > SIZE_MAX / item_size) return false;
  if (*items &&
      wg_arena_extend(arena, *items, *cap * item_size, ncap * item_size)) {
    *cap = ncap;
    return true;
  }
  void *b = wg_arena_alloc(arena, ncap * item_size);
  if (!b) return false;
  if (count) memcpy(b, *items, count * item_size);
  *items = b;
  *cap = ncap;
  return true;
}

void wit_error(WgWitResolve *r, const WgSpan *span, const char *fmt, ...) {
  WitResolveInternal *in = wit_internal(r);
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  in->failed = true;
  if (in->diags)
    wg_diag_list_addf(in->diags, WG_SEVERITY_ERROR, WG_ERR_INVALID, span, "%s",
                      buf);
}

static const char *const PRIM_NAMES[WG_WIT_PRIM_COUNT] = {
  "bool", "u8",  "u16", "u32", "u64",  "s8",     "s16",
  "s32",  "s64", "f32", "f64", "char", "string", "error-context",
};

const char *wg_wit_prim_name(WgWitPrim p) {
  return (unsigned)p < WG_WIT_PRIM_COUNT ? PRIM_NAMES[p] : "?";
}

static bool parse_num(const char **p, const char *end, uint64_t *out) {
  const char *s = *p;
  if (s >= end || *s < '0' || *s > '9') return false;
  if (*s == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9') return false;
  uint64_t v = 0;
  while (s < end && *s >= '0' && *s <= '9') {
    if (v > (UINT64_MAX - 9) / 10) return false;
    v = v * 10 + (uint64_t)(*s - '0');
    s++;
  }
  *p = s;
  *out = v;
  return true;
}

/* Dot-separated identifiers of [0-9A-Za-z-], none empty; numeric ones in
 * pre-releases have no leading zero. */
static bool valid_idents(WgStr s, bool pre) {
  if (s.len == 0) return false;
  size_t start = 0;
  for (size_t i = 0; i <= s.len; i++) {
    if (i == s.len || s.ptr[i] == '.') {
      if (i == start) return false;
      bool numeric = true;
      for (size_t j = start; j < i; j++)
        if (s.ptr[j] < '0' || s.ptr[j] > '9') numeric = false;
      if (pre && numeric && i - start > 1 && s.ptr[start] == '0') return false;
      start = i + 1;
      continue;
    }
    char c = s.ptr[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || c == '-'))
      return false;
  }
  return true;
}

bool wit_version_parse(WgStr s, WitVersion *out) {
  const char *p = s.ptr, *end = s.ptr + s.len;
  memset(out, 0, sizeof *out);
  if (!parse_num(&p, end, &out->major) || p >= end || *p++ != '.') return false;
  if (!parse_num(&p, end, &out->minor) || p >= end || *p++ != '.') return false;
  if (!parse_num(&p, end, &out->patch)) return false;
  if (p < end && *p == '-') {
    p++;
    const char *q = p;
    while (q < end && *q != '+')
      q++;
    out->pre = (WgStr){ p, (size_t)(q - p) };
    if (!valid_idents(out->pre, true)) return false;
    p = q;
  }
  if (p < end && *p == '+') {
    p++;
    out->build = (WgStr){ p, (size_t)(end - p) };
    if (!valid_idents(out->build, false)) return false;
    p = end;
  }
  return p == end;
}

static int cmp_u64(uint64_t a, uint64_t b) {
  return a < b ? -1 : a > b;
}

/* Compares dot-separated identifier lists as semver does. */
static int cmp_idents(WgStr a, WgStr b) {
  size_t i = 0, j = 0;
  while (i < a.len && j < b.len) {
    size_t ie = i, je = j;
    while (ie < a.len && a.ptr[ie] != '.')
      ie++;
    while (je < b.len && b.ptr[je] != '.')
      je++;
    bool an = true, bn = true;
    for (size_t k = i; k < ie; k++)
      if (a.ptr[k] < '0' || a.ptr[k] > '9') an = false;
    for (size_t k = j; k < je; k++)
      if (b.ptr[k] < '0' || b.ptr[k] > '9') bn = false;
    int c = 0;
    if (an && bn) {
      c = cmp_u64(ie - i, je - j);
      if (!c) c = memcmp(a.ptr + i, b.ptr + j, ie - i);
    } else if (an) {
      c = -1;
    } else if (bn) {
      c = 1;
    } else {
      size_t la = ie - i, lb = je - j;
      c = memcmp(a.ptr + i, b.ptr + j, la < lb ? la : lb);
      if (!c) c = cmp_u64(la, lb);
    }
    if (c) return c < 0 ? -1 : 1;
    i = ie < a.len ? ie + 1 : ie;
    j = je < b.len ? je + 1 : je;
  }
  bool ar = i < a.len, br = j < b.len;
  return ar == br ? 0 : (ar ? 1 : -1);
}

int wit_version_cmp(WgStr a, WgStr b) {
  WitVersion va, vb;
  wit_version_parse(a, &va);
  wit_version_parse(b, &vb);
  int c = cmp_u64(va.major, vb.major);
  if (!c) c = cmp_u64(va.minor, vb.minor);
  if (!c) c = cmp_u64(va.patch, vb.patch);
  if (c) return c;
  if (va.pre.len == 0 && vb.pre.len != 0) return 1;
  if (va.pre.len != 0 && vb.pre.len == 0) return -1;
  c = cmp_idents(va.pre, vb.pre);
  if (c) return c;
  return cmp_idents(va.build, vb.build);
}

static int str_cmp(WgStr a, WgStr b) {
  size_t n = a.len < b.len ? a.len : b.len;
  int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return cmp_u64(a.len, b.len);
}

int wit_pkgname_cmp(const WgWitPackageName *a, const WgWitPackageName *b) {
  int c = str_cmp(a->ns, b->ns);
  if (!c) c = str_cmp(a->name, b->name);
  if (c) return c;
  if (!a->version.ptr || !b->version.ptr)
    return (a->version.ptr != NULL) - (b->version.ptr != NULL);
  return wit_version_cmp(a->version, b->version);
}

bool wit_pkgname_eq(const WgWitPackageName *a, const WgWitPackageName *b) {
  if (!wg_str_eq(a->ns, b->ns) || !wg_str_eq(a->name, b->name)) return false;
  if (!a->version.ptr || !b->version.ptr)
    return !a->version.ptr && !b->version.ptr;
  return wg_str_eq(a->version, b->version);
}

const char *wit_pkgname_str(WgArena *arena, const WgWitPackageName *n) {
  if (n->version.ptr)
    return wg_arena_printf(arena, "%.*s:%.*s@%.*s", (int)n->ns.len, n->ns.ptr,
                           (int)n->name.len, n->name.ptr, (int)n->version.len,
                           n->version.ptr);
  return wg_arena_printf(arena, "%.*s:%.*s", (int)n->ns.len, n->ns.ptr,
                         (int)n->name.len, n->name.ptr);
}

const char *wit_iface_id_str(WgWitResolve *r, WgWitId iface) {
  WitResolveInternal *in = wit_internal(r);
  const WgWitInterface *i = &r->interfaces.items[iface];
  if (i->package == WG_WIT_NONE || !i->name.ptr) return "<anonymous>";
  const WgWitPackageName *n = &r->packages.items[i->package].name;
  if (n->version.ptr)
    return wg_arena_printf(&in->arena, "%.*s:%.*s/%.*s@%.*s", (int)n->ns.len,
                           n->ns.ptr, (int)n->name.len, n->name.ptr,
                           (int)i->name.len, i->name.ptr, (int)n->version.len,
                           n->version.ptr);
  return wg_arena_printf(&in->arena, "%.*s:%.*s/%.*s", (int)n->ns.len,
                         n->ns.ptr, (int)n->name.len, n->name.ptr,
                         (int)i->name.len, i->name.ptr);
}

static bool opt_str_eq(WgStr a, WgStr b) {
  if (!a.ptr || !b.ptr) return !a.ptr && !b.ptr;
  return wg_str_eq(a, b);
}

bool wit_stability_eq(const WgWitStability *a, const WgWitStability *b) {
  if (a->kind != b->kind) return false;
  if (!opt_str_eq(a->deprecated, b->deprecated)) return false;
  if (a->kind == WG_WIT_STABILITY_STABLE) return wg_str_eq(a->since, b->since);
  if (a->kind == WG_WIT_STABILITY_UNSTABLE)
    return wg_str_eq(a->feature, b->feature);
  return true;
}

bool wit_include_stability(WgWitResolve *r, const WgWitStability *s,
                           WgWitId pkg, WgSpan span, bool *ok) {
  *ok = true;
  switch (s->kind) {
    case WG_WIT_STABILITY_UNKNOWN:
      return true;
    case WG_WIT_STABILITY_STABLE: {
      if (pkg >= r->packages.count) return true;
      const WgWitPackageName *n = &r->packages.items[pkg].name;
      WgArena *arena = &wit_internal(r)->arena;
      if (!n->version.ptr) {
        wit_error(r, &span,
                  "package [%s] contains a feature gate with a version "
                  "specifier, so it must have a version",
                  wit_pkgname_str(arena, n));
        *ok = false;
        return false;
      }
      if (wit_version_cmp(s->since, n->version) > 0) {
        wit_error(r, &span,
                  "feature gate cannot reference unreleased version %.*s of "
                  "package [%s] (current version %.*s)",
                  (int)s->since.len, s->since.ptr, wit_pkgname_str(arena, n),
                  (int)n->version.len, n->version.ptr);
        *ok = false;
        return false;
      }
      return true;
    }
    case WG_WIT_STABILITY_UNSTABLE: {
      WitResolveInternal *in = wit_internal(r);
      if (in->all_features) return true;
      for (size_t i = 0; i < in->feature_count; i++)
        if (wg_str_eq(in->features[i], s->feature)) return true;
      return false;
    }
  }
  return true;
}

void wg_wit_resolve_free(WgWitResolve *resolve) {
  if (!resolve) return;
  WitResolveInternal *in = wit_internal(resolve);
  if (in) {
    ts_parser_delete(in->parser);
    wg_arena_release(&in->arena);
    free(in);
  }
  free(resolve);
}
