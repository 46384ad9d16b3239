/* SPDX-License-Identifier: Apache-2.0 */
/* The world `witgen [bindgen]` writes bindings for (--world): errors that
 * say what to pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "strbuf.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

static bool str_is(WgStr s, const char *p, size_t n) {
  return s.len == n && memcmp(s.ptr, p, n) == 0;
}

/* `ns:pkg[@version]` of package `p` into `b`. */
static void put_package(WgBuf *b, const WgWitPackage *p, bool version) {
  wg_buf_printf(b, "%.*s:%.*s", (int)p->name.ns.len, p->name.ns.ptr,
                (int)p->name.name.len, p->name.name.ptr);
  if (version && p->name.version.ptr)
    wg_buf_printf(b, "@%.*s", (int)p->name.version.len, p->name.version.ptr);
}

/* True when another loaded package has the same `ns:pkg` as `p` (then
 * only the version tells them apart). */
static bool several_versions(const WgWitResolve *r, const WgWitPackage *p) {
  for (size_t i = 0; i < r->packages.count; i++) {
    const WgWitPackage *q = &r->packages.items[i];
    if (q != p && wg_str_eq(q->name.ns, p->name.ns) &&
        wg_str_eq(q->name.name, p->name.name))
      return true;
  }
  return false;
}

/* The worlds of package `p`, "a, b" into `b` ("none" without). */
static void put_worlds(WgBuf *b, const WgWitPackage *p) {
  for (size_t i = 0; i < p->worlds.count; i++)
    wg_buf_printf(b, "%s%.*s", i ? ", " : "", (int)p->worlds.items[i].name.len,
                  p->worlds.items[i].name.ptr);
  if (!p->worlds.count) wg_buf_puts(b, "none");
}

/* `ns:pkg/world` of world `j` of package `p`, as --world takes it. */
static void put_qualified(WgBuf *b, const WgWitResolve *r,
                          const WgWitPackage *p, size_t j) {
  put_package(b, p, false);
  wg_buf_printf(b, "/%.*s", (int)p->worlds.items[j].name.len,
                p->worlds.items[j].name.ptr);
  if (several_versions(r, p) && p->name.version.ptr)
    wg_buf_printf(b, "@%.*s", (int)p->name.version.len, p->name.version.ptr);
}

/* The worlds of the other loaded packages named `name` (every world of
 * them when `name` is NULL), qualified, "a, b" into `b`; their count. */
static size_t put_other_worlds(WgBuf *b, const WgWitResolve *r,
                               const char *name) {
  size_t count = 0;
  for (size_t i = 0; i < r->packages.count; i++) {
    if (i == r->main_package) continue;
    const WgWitPackage *q = &r->packages.items[i];
    for (size_t j = 0; j < q->worlds.count; j++) {
      if (name && !wg_str_eq(q->worlds.items[j].name, wg_str_from_cstr(name)))
        continue;
      if (count++) wg_buf_puts(b, ", ");
      put_qualified(b, r, q, j);
    }
  }
  return count;
}

/* Why the main package offers no single world, and what to pass. */
static void report_no_default(const WgWitResolve *r) {
  const WgWitPackage *p = &r->packages.items[r->main_package];
  WgBuf b = { 0 };
  put_package(&b, p, true);
  if (p->worlds.count) {
    wg_buf_printf(&b, "` has %zu worlds (", p->worlds.count);
    put_worlds(&b, p);
    cli_fail("package `%s): bindings are for one world", wg_buf_cstr(&b));
    wg_buf_free(&b);
    for (size_t i = 0; i < p->worlds.count; i++)
      wg_buf_printf(&b, "%s--world %.*s", i ? ", " : "",
                    (int)p->worlds.items[i].name.len,
                    p->worlds.items[i].name.ptr);
    cli_note("pick one: %s", wg_buf_cstr(&b));
  } else {
    cli_fail("package `%s` has no world to write bindings for",
             wg_buf_cstr(&b));
    wg_buf_free(&b);
    if (put_other_worlds(&b, r, NULL))
      cli_note("add a world to it, or pass --world with a world of a "
               "dependency: %s",
               wg_buf_cstr(&b));
    else
      cli_note("add a world to it (world NAME { import ...; export ...; })");
  }
  wg_buf_free(&b);
}

/* Why `name` (unqualified) is no world of the main package. */
static void report_unqualified(const WgWitResolve *r, const char *name) {
  const WgWitPackage *p = &r->packages.items[r->main_package];
  WgBuf b = { 0 };
  put_package(&b, p, true);
  wg_buf_puts(&b, "` (its worlds: ");
  put_worlds(&b, p);
  cli_fail("no world `%s` in package `%s)", name, wg_buf_cstr(&b));
  wg_buf_free(&b);
  size_t n = put_other_worlds(&b, r, name);
  if (n)
    cli_note("%s %s of a dependency: pass the qualified name, --world %s",
             wg_buf_cstr(&b), n > 1 ? "are worlds" : "is a world",
             wg_buf_cstr(&b));
  else if (p->worlds.count)
    cli_note("pass one of the package's worlds, e.g. --world %.*s, or "
             "ns:pkg/world for a world of a dependency",
             (int)p->worlds.items[0].name.len, p->worlds.items[0].name.ptr);
  wg_buf_free(&b);
}

/* Why qualified `name` (`ns:pkg/world[@version]`) names no loaded world. */
static void report_qualified(const WgWitResolve *r, const char *name,
                             size_t pkg_len) {
  WgBuf b = { 0 };
  for (size_t i = 0; i < r->packages.count; i++) {
    const WgWitPackage *q = &r->packages.items[i];
    WgBuf pn = { 0 };
    put_package(&pn, q, false);
    if (pn.len == pkg_len && memcmp(pn.data, name, pkg_len) == 0) {
      wg_buf_puts(&b, b.len ? "; " : "package ");
      put_package(&b, q, true);
      wg_buf_puts(&b, "'s worlds: ");
      put_worlds(&b, q);
    }
    wg_buf_free(&pn);
  }
  cli_fail("no world `%s` is loaded", name);
  if (b.len) {
    cli_note("%s", wg_buf_cstr(&b));
  } else {
    wg_buf_free(&b);
    for (size_t i = 0; i < r->packages.count; i++) {
      if (i) wg_buf_puts(&b, ", ");
      put_package(&b, &r->packages.items[i], true);
    }
    cli_note("no package `%.*s` is loaded (loaded: %s); its folder belongs "
             "in deps/",
             (int)pkg_len, name, wg_buf_cstr(&b));
  }
  wg_buf_free(&b);
}

WgWitId cli_bindgen_world(const WgWitResolve *r, const char *name) {
  const WgWitPackage *p = &r->packages.items[r->main_package];
  if (!name) {
    if (p->worlds.count == 1) return p->worlds.items[0].id;
    report_no_default(r);
    return WG_WIT_NONE;
  }
  const char *colon = strchr(name, ':'), *slash = strchr(name, '/');
  if (colon && slash && slash > colon) {
    const char *at = strchr(slash, '@');
    size_t wlen = at ? (size_t)(at - slash - 1) : strlen(slash + 1);
    for (size_t i = 0; i < r->packages.count; i++) {
      const WgWitPackage *q = &r->packages.items[i];
      if (!str_is(q->name.ns, name, (size_t)(colon - name)) ||
          !str_is(q->name.name, colon + 1, (size_t)(slash - colon - 1)))
        continue;
      if (at && !(q->name.version.ptr &&
                  str_is(q->name.version, at + 1, strlen(at + 1))))
        continue;
      for (size_t j = 0; j < q->worlds.count; j++)
        if (str_is(q->worlds.items[j].name, slash + 1, wlen))
          return q->worlds.items[j].id;
    }
    report_qualified(r, name, (size_t)(slash - name));
    return WG_WIT_NONE;
  }
  for (size_t i = 0; i < p->worlds.count; i++)
    if (wg_str_eq(p->worlds.items[i].name, wg_str_from_cstr(name)))
      return p->worlds.items[i].id;
  report_unqualified(r, name);
  return WG_WIT_NONE;
}
