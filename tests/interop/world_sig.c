/* SPDX-License-Identifier: Apache-2.0 */
/* world_sig PATH [WORLD]: loads a WIT package and prints a normalised
 * signature of one of its worlds (default `root`; `ns:pkg/world` for a
 * world of a dependency): one line per imported or
 * exported function and type, interface items qualified by the interface's
 * full name, type references by their owner's name, anonymous types
 * spelled structurally. Lines are sorted, so two WIT texts that resolve to
 * the same world (same names, same types) print the same signature whatever
 * their order, package layout or ids. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "witgen/wit.h"

static const WgWitResolve *R;

static void owner_name(WgBuf *b, const WgWitTypeDef *t) {
  if (t->owner_kind == WG_WIT_OWNER_INTERFACE) {
    const WgWitInterface *i = &R->interfaces.items[t->owner];
    if (i->package != WG_WIT_NONE && i->name.ptr) {
      const WgWitPackageName *p = &R->packages.items[i->package].name;
      wg_buf_printf(b, "%.*s:%.*s/%.*s", (int)p->ns.len, p->ns.ptr,
                    (int)p->name.len, p->name.ptr, (int)i->name.len,
                    i->name.ptr);
      if (p->version.ptr)
        wg_buf_printf(b, "@%.*s", (int)p->version.len, p->version.ptr);
    } else {
      wg_buf_puts(b, "<inline>");
      if (i->name.ptr) wg_buf_append_str(b, i->name);
    }
  } else {
    wg_buf_puts(b, "<world>");
  }
}

static void type_expr(WgBuf *b, WgWitType t, bool expand);

/* A type definition's structure. */
static void def_expr(WgBuf *b, const WgWitTypeDef *d) {
  static const char *const kinds[] = {
    "record",     "resource", "own",    "borrow", "flags",  "tuple",
    "variant",    "enum",     "option", "result", "list",   "map",
    "fixed-list", "future",   "stream", "type",   "unknown"
  };
  wg_buf_puts(b, kinds[d->kind]);
  wg_buf_putc(b, '<');
  for (size_t i = 0; i < d->cases.count; i++) {
    wg_buf_append_str(b, d->cases.items[i].name);
    if (d->cases.items[i].has_type) {
      wg_buf_putc(b, ':');
      type_expr(b, d->cases.items[i].type, false);
    }
    wg_buf_putc(b, ',');
  }
  for (size_t i = 0; i < d->types.count; i++) {
    type_expr(b, d->types.items[i], false);
    wg_buf_putc(b, ',');
  }
  if (d->kind == WG_WIT_KIND_HANDLE_OWN || d->kind == WG_WIT_KIND_HANDLE_BORROW)
    type_expr(b, WG_WIT_TYPE_OF(d->resource), false);
  if (d->has_a || d->kind == WG_WIT_KIND_OPTION ||
      d->kind == WG_WIT_KIND_LIST || d->kind == WG_WIT_KIND_TYPE ||
      d->kind == WG_WIT_KIND_MAP || d->kind == WG_WIT_KIND_FIXED_LIST)
    type_expr(b, d->a, false);
  wg_buf_putc(b, ';');
  if (d->has_b || d->kind == WG_WIT_KIND_MAP) type_expr(b, d->b, false);
  if (d->kind == WG_WIT_KIND_FIXED_LIST) wg_buf_printf(b, ";%u", d->size);
  wg_buf_putc(b, '>');
}

/* A reference: named types by owner and name (their structure printed once
 * where they are defined), anonymous ones structurally. */
static void type_expr(WgBuf *b, WgWitType t, bool expand) {
  if (!WG_WIT_TYPE_IS_ID(t)) {
    wg_buf_puts(b, wg_wit_prim_name((WgWitPrim)t));
    return;
  }
  const WgWitTypeDef *d = &R->types.items[WG_WIT_TYPE_ID(t)];
  if (d->name.ptr && !expand) {
    owner_name(b, d);
    wg_buf_printf(b, ".%.*s", (int)d->name.len, d->name.ptr);
    return;
  }
  def_expr(b, d);
}

static void func_line(WgBuf *b, const char *prefix, const WgWitFunction *f) {
  wg_buf_printf(b, "%s func %.*s(", prefix, (int)f->name.len, f->name.ptr);
  for (size_t i = 0; i < f->params.count; i++) {
    wg_buf_printf(b, "%.*s:", (int)f->params.items[i].name.len,
                  f->params.items[i].name.ptr);
    type_expr(b, f->params.items[i].type, false);
    wg_buf_putc(b, ',');
  }
  wg_buf_puts(b, ")->");
  if (f->has_result) type_expr(b, f->result, false);
  wg_buf_printf(b, " kind=%d\n", (int)f->kind);
}

static void type_line(WgBuf *b, const char *prefix, WgWitId id) {
  const WgWitTypeDef *d = &R->types.items[id];
  wg_buf_printf(b, "%s type ", prefix);
  type_expr(b, WG_WIT_TYPE_OF(id), false);
  wg_buf_puts(b, " = ");
  type_expr(b, WG_WIT_TYPE_OF(id), true);
  (void)d;
  wg_buf_putc(b, '\n');
}

static void items(WgBuf *b, const char *dir, const WgWitWorldItems *list) {
  for (size_t k = 0; k < list->count; k++) {
    const WgWitWorldEntry *e = &list->items[k];
    char prefix[600];
    if (e->kind == WG_WIT_ITEM_INTERFACE) {
      const WgWitInterface *i = &R->interfaces.items[e->id];
      WgBuf key = { 0 };
      if (e->key_is_interface) {
        WgWitTypeDef fake = { .owner_kind = WG_WIT_OWNER_INTERFACE,
                              .owner = e->id };
        owner_name(&key, &fake);
      } else {
        wg_buf_append_str(&key, e->key_name);
      }
      snprintf(prefix, sizeof prefix, "%s %s", dir, wg_buf_cstr(&key));
      wg_buf_free(&key);
      wg_buf_printf(b, "%s interface\n", prefix);
      for (size_t t = 0; t < i->types.count; t++)
        type_line(b, prefix, i->types.items[t].id);
      for (size_t f = 0; f < i->functions.count; f++)
        func_line(b, prefix, &i->functions.items[f]);
    } else if (e->kind == WG_WIT_ITEM_FUNCTION) {
      snprintf(prefix, sizeof prefix, "%s", dir);
      func_line(b, prefix, &e->func);
    } else {
      snprintf(prefix, sizeof prefix, "%s", dir);
      type_line(b, prefix, e->id);
    }
  }
}

static int cmp_lines(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: world_sig PATH [WORLD]\n");
    return 2;
  }
  const char *world = argc > 2 ? argv[2] : "root";
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *r = NULL;
  if (wg_wit_load(argv[1], NULL, diags, &r) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    wg_diag_list_delete(diags);
    return 1;
  }
  wg_diag_list_delete(diags);
  R = r;
  const WgWitPackage *p = &r->packages.items[r->main_package];
  const char *slash = strchr(world, '/');
  if (strchr(world, ':') && slash) {
    /* ns:pkg/world: a world of any package */
    WgStr ns = { world, (size_t)(strchr(world, ':') - world) };
    WgStr pkg = { ns.ptr + ns.len + 1, (size_t)(slash - ns.ptr - ns.len - 1) };
    for (size_t i = 0; i < r->packages.count; i++)
      if (wg_str_eq(r->packages.items[i].name.ns, ns) &&
          wg_str_eq(r->packages.items[i].name.name, pkg))
        p = &r->packages.items[i];
    world = slash + 1;
  }
  const WgWitWorld *w = NULL;
  for (size_t i = 0; i < p->worlds.count; i++)
    if (wg_str_eq(p->worlds.items[i].name, wg_str_from_cstr(world)))
      w = &r->worlds.items[p->worlds.items[i].id];
  if (!w) {
    fprintf(stderr, "no world %s\n", world);
    wg_wit_resolve_free(r);
    return 1;
  }
  WgBuf b = { 0 };
  items(&b, "import", &w->imports);
  items(&b, "export", &w->exports);
  char *text = (char *)wg_buf_cstr(&b);
  size_t n = 0, cap = 64;
  char **lines = malloc(cap * sizeof *lines);
  for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && lines;
       l = strtok_r(NULL, "\n", &save)) {
    if (n == cap) {
      cap *= 2;
      char **nl = realloc(lines, cap * sizeof *lines);
      if (!nl) break;
      lines = nl;
    }
    lines[n++] = l;
  }
  if (lines) {
    qsort(lines, n, sizeof *lines, cmp_lines);
    for (size_t i = 0; i < n; i++)
      puts(lines[i]);
  }
  free(lines);
  wg_buf_free(&b);
  wg_wit_resolve_free(r);
  return 0;
}
