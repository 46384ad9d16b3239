/* SPDX-License-Identifier: Apache-2.0 */
/* WIT signatures as text, for the runtime's link-time type checks of the
 * host bindings (witgen/component.h, wg_component_linker_define_func's
 * syntax): `func(v: string) -> result<u32, string>`, every named type
 * written out structurally (`record { x: s32 }`, `variant { a, b(u8) }`,
 * `enum { ... }`, `flags { ... }`), resources by name (`own<file>`,
 * `borrow<file>`). A component whose function differs from the world the
 * bindings were made from is refused at link time, naming both types,
 * instead of being called with values of the wrong shape. */
#include <stdio.h>
#include <string.h>

#include "host.h"

static void put_name(WgBuf *b, WgStr s) {
  wg_buf_append(b, s.ptr, s.len);
}

/* The name a resource is known by where `t` (an own or borrow handle, a
 * resource, or an alias of one) is used: the nearest alias, as the
 * component's types name it (`use wasi:io/error.{error as io-error}`
 * gives `io-error`). */
static WgStr resource_name(CWorld *w, WgWitType t, bool *borrow) {
  *borrow = false;
  for (int guard = 0; guard < 1000; guard++) {
    const WgWitTypeDef *d = cw_def(w, t);
    if (!d) break;
    if (d->kind == WG_WIT_KIND_TYPE) {
      const WgWitTypeDef *to = cw_def(w, cw_dealias(w, d->a));
      if (to && to->kind == WG_WIT_KIND_RESOURCE) return d->name;
      t = d->a;
    } else if (d->kind == WG_WIT_KIND_HANDLE_OWN ||
               d->kind == WG_WIT_KIND_HANDLE_BORROW) {
      *borrow |= d->kind == WG_WIT_KIND_HANDLE_BORROW;
      t = WG_WIT_TYPE_OF(d->resource);
    } else {
      return d->name;
    }
  }
  return (WgStr){ "", 0 };
}

static bool put_type(HGen *g, WgBuf *b, WgWitType t, int depth) {
  CWorld *w = &g->w;
  if (depth > 100) return cw_fail(w, WG_ERR_INVALID, "type nested too deeply");
  WgWitType orig = t;
  t = cw_dealias(w, t);
  if (!WG_WIT_TYPE_IS_ID(t)) {
    if (t == WG_WIT_ERROR_CONTEXT)
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: error-context");
    wg_buf_puts(b, wg_wit_prim_name((WgWitPrim)t));
    return true;
  }
  const WgWitTypeDef *d = cw_def(w, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
    case WG_WIT_KIND_ENUM:
    case WG_WIT_KIND_FLAGS: {
      static const char *const kw[] = { [WG_WIT_KIND_RECORD] = "record",
                                        [WG_WIT_KIND_VARIANT] = "variant",
                                        [WG_WIT_KIND_ENUM] = "enum",
                                        [WG_WIT_KIND_FLAGS] = "flags" };
      wg_buf_printf(b, "%s { ", kw[d->kind]);
      for (size_t i = 0; i < d->cases.count; i++) {
        const WgWitCase *c = &d->cases.items[i];
        if (i) wg_buf_puts(b, ", ");
        put_name(b, c->name);
        if (d->kind == WG_WIT_KIND_RECORD) {
          wg_buf_puts(b, ": ");
          if (!put_type(g, b, c->type, depth + 1)) return false;
        } else if (d->kind == WG_WIT_KIND_VARIANT && c->has_type) {
          wg_buf_puts(b, "(");
          if (!put_type(g, b, c->type, depth + 1)) return false;
          wg_buf_puts(b, ")");
        }
      }
      wg_buf_puts(b, " }");
      return true;
    }
    case WG_WIT_KIND_TUPLE:
      wg_buf_puts(b, "tuple<");
      for (size_t i = 0; i < d->types.count; i++) {
        if (i) wg_buf_puts(b, ", ");
        if (!put_type(g, b, d->types.items[i], depth + 1)) return false;
      }
      wg_buf_puts(b, ">");
      return true;
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_OPTION:
      wg_buf_puts(b, d->kind == WG_WIT_KIND_LIST ? "list<" : "option<");
      if (!put_type(g, b, d->a, depth + 1)) return false;
      wg_buf_puts(b, ">");
      return true;
    case WG_WIT_KIND_FIXED_LIST:
      wg_buf_puts(b, "list<");
      if (!put_type(g, b, d->a, depth + 1)) return false;
      wg_buf_printf(b, ", %u>", d->size);
      return true;
    case WG_WIT_KIND_MAP:
      wg_buf_puts(b, "map<");
      if (!put_type(g, b, d->a, depth + 1)) return false;
      wg_buf_puts(b, ", ");
      if (!put_type(g, b, d->b, depth + 1)) return false;
      wg_buf_puts(b, ">");
      return true;
    case WG_WIT_KIND_RESULT:
      wg_buf_puts(b, "result");
      if (!d->has_a && !d->has_b) return true;
      wg_buf_puts(b, "<");
      if (d->has_a) {
        if (!put_type(g, b, d->a, depth + 1)) return false;
      } else {
        wg_buf_puts(b, "_");
      }
      if (d->has_b) {
        wg_buf_puts(b, ", ");
        if (!put_type(g, b, d->b, depth + 1)) return false;
      }
      wg_buf_puts(b, ">");
      return true;
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW: {
      bool borrow;
      WgStr name = resource_name(w, orig, &borrow);
      wg_buf_puts(b, borrow ? "borrow<" : "own<");
      put_name(b, name);
      wg_buf_puts(b, ">");
      return true;
    }
    case WG_WIT_KIND_FUTURE:
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: future");
    case WG_WIT_KIND_STREAM:
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: stream");
    default:
      return cw_fail(w, WG_ERR_INVALID, "internal: type kind %d in a signature",
                     (int)d->kind);
  }
}

const char *host_sig(HGen *g, const WgWitFunction *f) {
  WgBuf b = { 0 };
  wg_buf_puts(&b, "func(");
  bool ok = true;
  for (size_t i = 0; ok && i < f->params.count; i++) {
    if (i) wg_buf_puts(&b, ", ");
    put_name(&b, f->params.items[i].name);
    wg_buf_puts(&b, ": ");
    ok = put_type(g, &b, f->params.items[i].type, 0);
  }
  wg_buf_puts(&b, ")");
  if (ok && f->has_result) {
    wg_buf_puts(&b, " -> ");
    ok = put_type(g, &b, f->result, 0);
  }
  const char *s =
      ok && !b.failed ? cw_strf(&g->w, "%s", wg_buf_cstr(&b)) : NULL;
  if (ok && b.failed) cw_nomem(&g->w);
  wg_buf_free(&b);
  return s;
}
