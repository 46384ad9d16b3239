/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`: the names a core module gives the world's items. Two
 * schemes are read: wit-component's legacy one (`$root`, `iface#f`,
 * `cabi_post_f`, `iface#[dtor]r`) and the `cm32p2` one (`cm32p2|iface`,
 * `cm32p2|iface|f`, `f_post`, `cm32p2|iface|r_dtor`), whose interface
 * names carry only the semver-compatible prefix of their version. */
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"

/* `iface` with its version cut to the semver-compatible prefix, as cm32p2
 * names carry it: 0.2.12 -> 0.2, 1.4.0 -> 1, 0.0.3 stays. */
static WgStr short_iface(WgStr iface) {
  const char *at = iface.len ? memchr(iface.ptr, '@', iface.len) : NULL;
  if (!at) return iface;
  const char *v = at + 1, *end = iface.ptr + iface.len;
  const char *dot1 = memchr(v, '.', (size_t)(end - v));
  if (!dot1) return iface;
  const char *dot2 = memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1));
  size_t keep;
  if (!(dot1 - v == 1 && v[0] == '0'))
    keep = (size_t)(dot1 - iface.ptr); /* major */
  else if (dot2 && !(dot2 - dot1 == 2 && dot1[1] == '0'))
    keep = (size_t)(dot2 - iface.ptr); /* 0.minor */
  else
    return iface;
  return (WgStr){ iface.ptr, keep };
}

/* cm32p2 names shorten the version to its compatible prefix (`@0.2` for
 * 0.2.12, `@1` for 1.4.0). */
bool wg_cnew_iface_matches(WgStr decl, WgStr core) {
  if (wg_str_eq(decl, core)) return true;
  const char *at = memchr(core.ptr, '@', core.len);
  if (!at) return false;
  size_t pre = (size_t)(at - core.ptr) + 1;
  if (decl.len > core.len && memcmp(decl.ptr, core.ptr, core.len) == 0 &&
      decl.ptr[core.len] == '.' && pre <= core.len)
    return true;
  /* 0.2.6 and 0.2.12: the same 0.2 series (as preview1 adapters name
   * some interfaces with older patch versions than their world) */
  return decl.len >= pre && memcmp(decl.ptr, core.ptr, pre) == 0 &&
         wg_str_eq(short_iface(decl), short_iface(core));
}

WgStr wg_cnew_core_name(New *n, WgStr iface, WgStr func) {
  const char *s;
  if (n->cm32) iface = short_iface(iface);
  if (n->cm32)
    s = wg_arena_printf(n->arena, "cm32p2|%.*s|%.*s", (int)iface.len,
                        iface.ptr ? iface.ptr : "", (int)func.len, func.ptr);
  else if (iface.len)
    s = wg_arena_printf(n->arena, "%.*s#%.*s", (int)iface.len, iface.ptr,
                        (int)func.len, func.ptr);
  else
    s = wg_arena_printf(n->arena, "%.*s", (int)func.len, func.ptr);
  return wg_str_from_cstr(s);
}

WgStr wg_cnew_dtor_name(New *n, WgStr iface, WgStr res) {
  const char *s =
      n->cm32 ? wg_arena_printf(n->arena, "cm32p2|%.*s|%.*s_dtor",
                                (int)short_iface(iface).len, iface.ptr,
                                (int)res.len, res.ptr)
              : wg_arena_printf(n->arena, "%.*s#[dtor]%.*s", (int)iface.len,
                                iface.ptr, (int)res.len, res.ptr);
  return s ? wg_str_from_cstr(s) : (WgStr){ 0 };
}

const char *wg_cnew_post_name(New *n, WgStr core_name) {
  return n->cm32 ? wg_arena_printf(n->arena, "%.*s_post", (int)core_name.len,
                                   core_name.ptr)
                 : wg_arena_printf(n->arena, "cabi_post_%.*s",
                                   (int)core_name.len, core_name.ptr);
}
