/* SPDX-License-Identifier: Apache-2.0 */
/* Resource handles in the guest bindings (CTypeHooks.define_resource;
 * c_types.c names the handle types). Imported resources: owned and
 * borrowed handle types, `[resource-drop]`. Exported resources: the user's
 * representation, `[resource-new]`/`[resource-rep]`/`[resource-drop]`
 * imported from `[export]<iface>`, and the `[dtor]` export calling the
 * user's destructor. spec: CanonicalABI.md, canon resource.new/drop/rep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "strbuf.h"

/* Module name of the interface owning `res` ("$root" for the world). */
static const char *owner_module(CWorld *w, const WgWitTypeDef *d) {
  if (w->side >= SIDE_FIRST_EXTRA)
    return cw_strf(w, "%.*s", (int)w->slots[w->side].key.len,
                   w->slots[w->side].key.ptr);
  if (d->owner_kind == WG_WIT_OWNER_INTERFACE && w->iface_wit[d->owner])
    return w->iface_wit[d->owner];
  return "$root";
}

static const char *claim(CWorld *w, const char *candidate) {
  const char *n = wg_names_claim(&w->names, candidate);
  if (!n) cw_nomem(w);
  return n;
}

const char *guest_resource_drop_fn(Gen *g, WgWitId res) {
  if (!ct_type(&g->ct, WG_WIT_TYPE_OF(res))) return NULL;
  ResInfo *ri = g->res[cw_side_of(&g->w, res)][res];
  return ri ? ri->drop : NULL;
}

/* An imported resource: owned and borrowed handle types, its drop (an
 * import, declared and wrapped after the interface's functions) and the
 * borrow helper. */
static bool define_imported(Gen *g, ResInfo *ri, const WgWitTypeDef *d,
                            const char *module, TypeInfo *info,
                            TypeInfo *borrow) {
  CWorld *w = &g->w;
  const char *borrow_base = borrow->base;
  WgBuf *h = &g->ct.h_types;
  ri->module = module;
  wg_buf_printf(h,
                "/* An owned handle to resource `%.*s` (%s): drop it exactly "
                "once with\n * %s(), or move it into a call that takes "
                "ownership. */\n"
                "typedef struct %s {\n  int32_t handle;\n} %s;\n"
                "/* A borrowed handle to `%.*s`: valid while its owner keeps "
                "it; never dropped\n * by you. */\n"
                "typedef struct %s {\n  int32_t handle;\n} %s;\n"
                "/* Drops an owned handle (`[resource-drop]%.*s`). */\n"
                "void %s(%s handle);\n"
                "/* Borrows an owned handle (the owner stays responsible for "
                "it). */\n"
                "static inline %s %s(%s handle) {\n"
                "  %s b = { handle.handle };\n  return b;\n}\n\n",
                (int)d->name.len, d->name.ptr, module, ri->drop, info->cname,
                info->cname, (int)d->name.len, d->name.ptr, borrow->cname,
                borrow->cname, (int)d->name.len, d->name.ptr, ri->drop,
                info->cname, borrow->cname, borrow_base, info->cname,
                borrow->cname);
  /* Declared before the helpers, which may drop borrowed handles. */
  wg_buf_printf(&g->c_imports_late,
                "__attribute__((__import_module__(\"%s\"), "
                "__import_name__(\"[resource-drop]%.*s\")))\n"
                "extern void %s(int32_t);\n\n",
                module, (int)d->name.len, d->name.ptr, ri->drop_import);
  /* Defined after the interface's functions, so the linker lists the
   * drop import after them, as `component embed --dummy` does. */
  wg_buf_printf(&g->c_code_late,
                "void %s(%s handle) { %s(handle.handle); }\n\n", ri->drop,
                info->cname, ri->drop_import);
  info->defined = borrow->defined = true;
  if (g->opt->stubs)
    wg_buf_printf(&g->stub_keep, "  (const void *)%s,\n", ri->drop);
  return !w->failed;
}

/* A resource exported (defined) by this component: the user's
 * representation, handle helpers over `[resource-new]`, `[resource-rep]`
 * and `[resource-drop]` imported from `[export]<module>`, and the `[dtor]`
 * export calling the user's destructor. */
static bool define_exported(Gen *g, ResInfo *ri, const WgWitTypeDef *d,
                            const char *module, TypeInfo *info,
                            TypeInfo *borrow) {
  CWorld *w = &g->w;
  WgBuf *h = &g->ct.h_types, *c = &g->c_code;
  ri->module = cw_strf(w, "[export]%s", module);
  ri->rep_struct = info->base;
  ri->rep_t = claim(w, cw_strf(w, "%s_rep_t", info->base));
  ri->new_fn = claim(w, cw_strf(w, "%s_new", info->base));
  ri->rep_fn = claim(w, cw_strf(w, "%s_rep", info->base));
  ri->dtor = claim(w, cw_strf(w, "%s_destructor", info->base));
  if (w->failed) return false;
  wg_buf_printf(
      h,
      "/* Resource `%.*s` exported by this component. Define its "
      "representation as\n * `struct %s { ... };`. */\n"
      "typedef struct %s %s;\n"
      "/* An owned handle to `%.*s`: drop it exactly once with %s(), "
      "or move it into a\n * call that takes ownership. */\n"
      "typedef struct %s {\n  int32_t handle;\n} %s;\n"
      "/* A borrowed `%.*s`, as your functions receive it: your "
      "representation. */\n"
      "typedef %s *%s;\n"
      "/* Makes a new owned handle for `rep` (`[resource-new]`); the "
      "rep stays yours\n * until %s() is called for it. */\n"
      "%s %s(%s *rep);\n"
      "/* The representation behind an owned handle "
      "(`[resource-rep]`). Borrowed. */\n"
      "%s *%s(%s handle);\n"
      "/* Drops an owned handle (`[resource-drop]`); the last drop "
      "calls %s(). */\n"
      "void %s(%s handle);\n"
      "/* You implement: frees `rep` once no handle refers to it. */\n"
      "void %s(%s *rep);\n\n",
      (int)d->name.len, d->name.ptr, ri->rep_struct, ri->rep_struct, ri->rep_t,
      (int)d->name.len, d->name.ptr, ri->drop, info->cname, info->cname,
      (int)d->name.len, d->name.ptr, ri->rep_t, borrow->cname, ri->dtor,
      info->cname, ri->new_fn, ri->rep_t, ri->rep_t, ri->rep_fn, info->cname,
      ri->dtor, ri->drop, info->cname, ri->dtor, ri->rep_t);
  const char *dtor_export =
      strcmp(module, "$root") == 0
          ? cw_strf(w, "[dtor]%.*s", (int)d->name.len, d->name.ptr)
          : cw_strf(w, "%s#[dtor]%.*s", module, (int)d->name.len, d->name.ptr);
  wg_buf_printf(&g->c_imports,
                "__attribute__((__import_module__(\"%s\"), "
                "__import_name__(\"[resource-drop]%.*s\")))\n"
                "extern void %s(int32_t);\n"
                "__attribute__((__import_module__(\"%s\"), "
                "__import_name__(\"[resource-new]%.*s\")))\n"
                "extern int32_t witgen_imp_%s(int32_t);\n"
                "__attribute__((__import_module__(\"%s\"), "
                "__import_name__(\"[resource-rep]%.*s\")))\n"
                "extern int32_t witgen_imp_%s(int32_t);\n",
                ri->module, (int)d->name.len, d->name.ptr, ri->drop_import,
                ri->module, (int)d->name.len, d->name.ptr, ri->new_fn,
                ri->module, (int)d->name.len, d->name.ptr, ri->rep_fn);
  wg_buf_printf(
      c,
      "%s %s(%s *rep) {\n"
      "  %s h = { witgen_imp_%s((int32_t)(uintptr_t)rep) };\n  return h;\n}\n"
      "%s *%s(%s handle) {\n"
      "  return (%s *)(uintptr_t)witgen_imp_%s(handle.handle);\n}\n"
      "void %s(%s handle) { %s(handle.handle); }\n"
      "__attribute__((__export_name__(\"%s\")))\n"
      "void witgen_exp_%s(int32_t rep) { %s((%s *)(uintptr_t)rep); }\n\n",
      info->cname, ri->new_fn, ri->rep_t, info->cname, ri->new_fn, ri->rep_t,
      ri->rep_fn, info->cname, ri->rep_t, ri->rep_fn, ri->drop, info->cname,
      ri->drop_import, dtor_export, ri->dtor, ri->dtor, ri->rep_t);
  if (g->opt->stubs) {
    guest_stub_resource(g, ri);
    wg_buf_printf(
        &g->stub_keep,
        "  (const void *)%s,\n  (const void *)%s,\n  (const void *)%s,\n",
        ri->new_fn, ri->rep_fn, ri->drop);
  }
  info->defined = borrow->defined = true;
  return !w->failed;
}

bool guest_resource_define(void *user, WgWitId res, TypeInfo *info,
                           TypeInfo *borrow) {
  Gen *g = user;
  CWorld *w = &g->w;
  const WgWitTypeDef *d = &w->r->types.items[res];
  ResInfo *ri = calloc(1, sizeof *ri);
  if (!ri) return cw_nomem(w);
  g->res[w->side][res] = ri;
  const char *module = owner_module(w, d);
  ri->drop = claim(w, cw_strf(w, "%s_drop", info->base));
  if (!ri->drop) return false;
  ri->drop_import = cw_strf(w, "witgen_imp_%s", ri->drop);
  return w->side == SIDE_EXPORT
             ? define_exported(g, ri, d, module, info, borrow)
             : define_imported(g, ri, d, module, info, borrow);
}
