/* SPDX-License-Identifier: Apache-2.0 */
/* Lowering of WIT syntax trees into unresolved packages: the package-local
 * pass of wit-parser (its ast/resolve.rs). Items are numbered in the same
 * order wit-parser allocates them: foreign interfaces/worlds first, then
 * local ones in topological order, types as they are resolved, anonymous
 * types interned by structure. This file drives the passes (wit_lower.h
 * says which file does which). */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "wit_lower.h"

/* The package name and docs of the `package` declarations of the lists
 * (`pkg_decls[i]` of list i, or null): all must name the same package and
 * at most one may have docs; one of them must be there. */
static bool package_header(Lower *l, WitNode *pkg_decls) {
  WgWitResolve *r = l->r;
  for (size_t i = 0; i < l->nlists; i++) {
    if (wit_node_is_null(pkg_decls[i])) continue;
    l->cur = i;
    WitNode pn = wit_named_child(pkg_decls[i], 0);
    for (uint32_t k = 0; k < wit_named_child_count(pkg_decls[i]); k++)
      if (wit_is(wit_named_child(pkg_decls[i], k), WIT_KIND_PACKAGE_NAME))
        pn = wit_named_child(pkg_decls[i], k);
    WgWitPackageName name;
    memset(&name, 0, sizeof name);
    name.ns = wl_ident(l, wit_field(pn, WIT_FIELD_NAMESPACE));
    name.name = wl_ident(l, wit_field(pn, WIT_FIELD_NAME));
    WitNode v = wit_field(pn, WIT_FIELD_VERSION);
    if (!wit_node_is_null(v))
      name.version = wl_dup(l, wit_node_text(l->lists[i].f, v));
    WgSpan sp = wl_span_of(l, pn);
    if (l->has_name && !wit_pkgname_eq(&name, &l->u->name)) {
      wit_error(r, &sp,
                "package identifier `%s` does not match previous package "
                "name of `%s`",
                wit_pkgname_str(l->arena, &name),
                wit_pkgname_str(l->arena, &l->u->name));
      return false;
    }
    l->u->name = name;
    l->u->name_span = sp;
    l->u->name_path = l->lists[i].f->path;
    l->u->name_text = l->lists[i].f->text;
    l->has_name = true;
    WgWitDocs d = wl_docs_of(l, pkg_decls[i]);
    if (d.ptr) {
      if (l->has_docs) {
        WgSpan dsp = wit_docs_span(l->lists[i].f, pkg_decls[i]);
        wit_error(r, &dsp, "found doc comments on multiple 'package' items");
        return false;
      }
      l->has_docs = true;
      l->u->docs = d;
    }
  }
  if (!l->has_name) {
    /* no location, as wit-parser; a note names the file */
    wit_error(r, NULL,
              "no `package` header was found in any WIT file for this "
              "package");
    WgSpan sp = { l->lists[0].f->file, 0, 0 };
    WgDiagList *diags = wit_internal(r)->diags;
    if (diags)
      wg_diag_list_addf(diags, WG_SEVERITY_NOTE, WG_ERR_INVALID, &sp,
                        "in the package of this file");
    return false;
  }
  return true;
}

/* Resolves the bodies in dependency order: every interface first, then
 * every world (wit-parser allocates types in this order). */
static bool resolve_bodies(Lower *l, const ItemOrder *order) {
  size_t ii = 0, wi = 0;
  for (size_t k = 0; k < order->nodes.count; k++) {
    WitNode item = order->nodes.items[k];
    if (wit_is(item, WIT_KIND_WORLD_ITEM)) continue;
    l->cur = order->lists.items[k];
    TRY(wl_resolve_interface(l, order->ifaces.items[ii++],
                             wit_field(item, WIT_FIELD_BODY), item));
  }
  for (size_t k = 0; k < order->nodes.count; k++) {
    WitNode item = order->nodes.items[k];
    if (!wit_is(item, WIT_KIND_WORLD_ITEM)) continue;
    l->cur = order->lists.items[k];
    TRY(wl_resolve_world(l, order->worlds.items[wi++], item));
  }
  return true;
}

/* Lowers the declaration lists of one package into `*out` (in r's
 * arena): header, the package-wide passes, then the bodies. */
static bool lower_package(WgWitResolve *r, DeclList *lists, size_t nlists,
                          WitNode *pkg_decls, WitUPkg **out) {
  Lower l;
  memset(&l, 0, sizeof l);
  l.r = r;
  l.arena = &wit_internal(r)->arena;
  l.lists = lists;
  l.nlists = nlists;
  l.u = wg_arena_zalloc(l.arena, sizeof *l.u);
  l.ast_items = wg_arena_zalloc(l.arena, (nlists + 1) * sizeof(AstItems));
  if (!l.u || !l.ast_items) return false;
  ItemOrder order;
  memset(&order, 0, sizeof order);
  bool ok = package_header(&l, pkg_decls) && wl_populate_foreign_deps(&l) &&
            wl_populate_ast_items(&l, &order) &&
            wl_populate_foreign_types(&l) && resolve_bodies(&l, &order);
  if (ok) *out = l.u;
  free(l.anon);
  return ok;
}

bool wit_lower_group(WgWitResolve *r, WitFile *files, size_t nfiles,
                     WitUPkgList *out) {
  WgArena *arena = &wit_internal(r)->arena;
  DeclList *main_lists =
      wg_arena_zalloc(arena, (nfiles + 1) * sizeof *main_lists);
  WitNode *main_decls = wg_arena_zalloc(arena, (nfiles + 1) * sizeof(WitNode));
  if (!main_lists || !main_decls) return false;
  for (size_t i = 0; i < nfiles; i++) {
    WitNode root = wit_root(&files[i]);
    main_lists[i] = (DeclList){ &files[i], root };
    main_decls[i] = wit_field(root, WIT_FIELD_PACKAGE);
    uint32_t n = wit_named_child_count(root);
    for (uint32_t k = 0; k < n; k++) {
      WitNode c = wit_named_child(root, k);
      if (!wit_is(c, WIT_KIND_NESTED_PACKAGE)) continue;
      DeclList dl = { &files[i], c };
      WitNode decl = wit_field(c, WIT_FIELD_PACKAGE);
      /* attributes before a nested package are a syntax error already */
      WitUPkg *u;
      if (!lower_package(r, &dl, 1, &decl, &u)) return false;
      if (!WIT_PUSH(arena, out, u)) return false;
    }
  }
  WitUPkg *u;
  if (!lower_package(r, main_lists, nfiles, main_decls, &u)) return false;
  return WIT_PUSH(arena, out, u);
}
