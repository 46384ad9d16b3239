/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`: wraps a core module into a component (Explainer.md,
 * Binary.md, CanonicalABI.md of the component model). This file is the
 * driver: it reads the module (and a preview1 adapter), finds the world in
 * their `component-type:*` sections, and builds the component in three
 * phases, each in a file of its own (component_new_impl.h lists them):
 *
 *   1. the world's import declarators, copied as definitions
 *      (component_imports.c);
 *   2. the core instances: a shim module standing in for the lowered
 *      imports, the main module instantiated, the adapter, and a fixup
 *      module filling the shim's table (component_core.c);
 *   3. the world's export declarators: functions lifted from the module's
 *      exports, interfaces built as instances (component_exports.c).
 *
 * Core names follow wit-component's legacy scheme or the `cm32p2` one
 * (component_names.c). */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"
#include "witgen/wit.h"

/* ---- the world ---- */

/* Several component-type sections: their worlds merged (wit_decode reads
 * them all into one world, as WIT text), resolved and encoded again into
 * one component type in *merged (kept until the component is built). */
static bool merge_sections(New *n, const uint8_t *const *bytes,
                           const size_t *lens, size_t count, WgBuf *merged) {
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) return wg_cnew_fail(n, "out of memory");
  char *text = NULL;
  WgStatus st = wg_wit_decode(bytes, lens, count, diags, &text);
  if (st != WG_OK) {
    wg_cnew_fail_status(n, st, "merging the component-type sections: %s",
                        wg_diag_list_first_error(diags));
    wg_diag_list_delete(diags);
    return false;
  }
  WgWitResolve *r = NULL;
  bool ok = wg_wit_load_source("component-type.wit", wg_str_from_cstr(text),
                               NULL, diags, &r) == WG_OK;
  free(text);
  if (!ok) {
    wg_diag_list_delete(diags);
    return wg_cnew_fail(n, "the merged worlds do not resolve");
  }
  WgWitId world = WG_WIT_NONE;
  for (size_t w = 0; w < r->worlds.count; w++)
    if (r->worlds.items[w].package == r->main_package) world = (WgWitId)w;
  if (world == WG_WIT_NONE)
    wg_cnew_fail(n, "the merged worlds do not resolve");
  else if ((st = wg_wit_encode_world(r, world, merged, diags)) != WG_OK)
    wg_cnew_fail_status(n, st, "merging the component-type sections: %s",
                        wg_diag_list_first_error(diags));
  wg_wit_resolve_free(r);
  wg_diag_list_delete(diags);
  return !n->failed;
}

/* The component-type section of the first module of `bytes` into *sec;
 * with several (or `count` > 1: the adapter's too), their merged world in
 * *merged. False on error; *sec zeroed when there is none. */
static bool pick_section(New *n, const uint8_t *const *bytes,
                         const size_t *lens, size_t count, WgBuf *merged,
                         WgCustomSection *sec) {
  size_t pos = 0;
  *sec = (WgCustomSection){ 0 };
  while (!n->failed) {
    WgDiagList *diags = wg_diag_list_new();
    if (!diags) return wg_cnew_fail(n, "out of memory");
    WgCustomSection next = { 0 };
    WgStatus st = wg_component_type_section_next(
        bytes[0], lens[0], &pos, &next.name, &next.bytes, &next.len, diags);
    if (st != WG_OK)
      wg_cnew_fail_status(n, st, "%s", wg_diag_list_first_error(diags));
    wg_diag_list_delete(diags);
    if (st != WG_OK) return false;
    if (!next.bytes) break;
    if (sec->bytes || count > 1) {
      if (!merge_sections(n, bytes, lens, count, merged)) return false;
      if (merged->failed) return wg_cnew_fail(n, "out of memory");
      *sec = (WgCustomSection){ .name = WG_STR("component-type (merged)"),
                                .bytes = (const uint8_t *)merged->data,
                                .len = merged->len };
      break;
    }
    *sec = next;
  }
  return !n->failed;
}

/* The world of validated section `sec` (scope `scope` of component
 * `keep`): the section is (type (component ... (export "ns:pkg/w"
 * (component (type K))))), and the world is that export. */
static const WgCType *world_of(New *n, const WgCScope *scope,
                               const WgComponent *keep, WgStr *wname) {
  for (uint32_t t = 0; t < scope->type_count; t++) {
    if (scope->types[t].kind != WG_CTY_COMPONENT) continue;
    const WgCComponentTy *outer = scope->types[t].of.component;
    const WgCScope *os = outer->decls;
    for (uint32_t e = 0; e < outer->export_count; e++) {
      const WgCItem *x = &outer->exports[e];
      if (x->type.sort != WG_CSORT_COMPONENT) continue;
      for (uint32_t k = 0; k < os->type_count; k++) {
        if (os->types[k].kind != WG_CTY_COMPONENT ||
            os->types[k].of.component != x->type.of.component)
          continue;
        const WgCType *wrap = keep->defs[scope->type_origin[t].def].u.type;
        const WgCDecl *wd = &wrap->u.decls.items[os->type_origin[k].def];
        if (wd->kind != WG_CDECL_TYPE) continue;
        *wname = x->name.name;
        n->ws = x->type.of.component->decls;
        return wd->u.type;
      }
    }
  }
  wg_cnew_fail(n, "the component-type section holds no world");
  return NULL;
}

/* Decodes and validates section `sec` into *keep; its world. */
static const WgCType *decode_world(New *n, const WgCustomSection *sec,
                                   WgStr *wname, WgComponent **keep) {
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) {
    wg_cnew_fail(n, "out of memory");
    return NULL;
  }
  if (wg_component_decode(sec->bytes, sec->len, wg_allocator_default(), keep,
                          diags) != WG_OK) {
    const WgDiag *e = wg_diag_list_get(diags, 0);
    wg_cnew_fail(n, "section %.*s: %s at offset %llu", (int)sec->name.len,
                 sec->name.ptr, wg_diag_list_first_error(diags),
                 e ? (unsigned long long)e->offset : 0ULL);
    wg_diag_list_delete(diags);
    return NULL;
  }
  const WgCScope *scope = NULL;
  WgStatus st = wg_component_validate(n->types, *keep, NULL, &scope, diags);
  if (st != WG_OK)
    wg_cnew_fail_status(n, st, "section %.*s: %s", (int)sec->name.len,
                        sec->name.ptr, wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  if (st != WG_OK) return NULL;
  return world_of(n, scope, *keep, wname);
}

/* The world of module `m` (`bytes`); with `count` > 1, the merged world of
 * the modules `bytes` (the main module's and the adapter's). */
static const WgCType *find_world(New *n, const WgModule *m,
                                 const uint8_t *const *bytes,
                                 const size_t *lens, size_t count,
                                 WgBuf *merged, WgStr *wname,
                                 WgComponent **keep) {
  WgCustomSection sec;
  if (!pick_section(n, bytes, lens, count, merged, &sec)) return NULL;
  if (!sec.bytes && m != n->core) {
    wg_cnew_fail(n, "the adapter has no component-type custom section (it must "
                    "carry its world)");
    return NULL;
  }
  if (!sec.bytes) {
    wg_cnew_fail(n,
                 "the core module has no component-type custom section (was it "
                 "built with WIT bindings?)");
    return NULL;
  }
  return decode_world(n, &sec, wname, keep);
}

/* The world's index spaces come from the validator (n->ws): their sizes,
 * and the declarator behind each type index. */
static bool world_spaces(New *n) {
  const WgCScope *ws = n->ws;
  n->wtypes = ws->type_count;
  n->wfuncs = ws->func_count;
  n->winst = ws->instance_count;
  n->wdefs = wg_arena_zalloc(n->arena, (n->wtypes + 1) * sizeof(void *));
  if (!n->wdefs) return wg_cnew_fail(n, "out of memory");
  for (uint32_t i = 0; i < n->wtypes; i++) {
    const WgCDecl *d = &n->world->u.decls.items[ws->type_origin[i].def];
    if (d->kind == WG_CDECL_TYPE) n->wdefs[i] = d->u.type;
  }
  return true;
}

/* The maps from world index to top-level index, and what the phases
 * need to know about the world before they start. */
static bool prepare(New *n) {
  const WgModule *m = n->core;
  for (uint32_t i = 0; i < m->import_count; i++)
    if (wg_cnew_starts(m->imports[i].module, "cm32p2")) n->cm32 = true;
  for (uint32_t i = 0; i < m->export_count; i++)
    if (wg_cnew_starts(m->exports[i].name, "cm32p2")) n->cm32 = true;
  world_spaces(n);
  n->inst_names = wg_arena_zalloc(n->arena, (n->winst + 1) * sizeof(WgStr));
  n->inst_types = wg_arena_zalloc(n->arena, (n->winst + 1) * sizeof(void *));
  if (wg_cnew_grow_map(n, &n->tmap, n->wtypes) &&
      wg_cnew_grow_map(n, &n->fmap, n->wfuncs) &&
      wg_cnew_grow_map(n, &n->imap, n->winst) && n->inst_names &&
      n->inst_types && n->wdefs && wg_cnew_collect_exported_resources(n))
    return true;
  return wg_cnew_fail(n, "out of memory");
}

/* The three phases; `core` is the main module's binary. */
static bool build(New *n, const uint8_t *core, size_t len) {
  WorldPos pos = { 0 };
  wg_cnew_import_decls(n, &pos);
  WgBuf stripped = { 0 };
  MainInst main = { 0, NONE, NONE };
  if (!n->failed && wg_cnew_strip_types(n, core, len, &stripped) &&
      wg_cnew_unwrap_realloc(n, &stripped)) {
    uint32_t main_module = wg_cnew_add_module(n, &stripped);
    if (!n->failed) wg_cnew_instantiate_main(n, main_module, &main);
  }
  wg_buf_free(&stripped);
  if (!n->failed) wg_cnew_export_decls(n, &pos, &main);
  return !n->failed;
}

/* ---- the modules ---- */

/* Decodes and validates core module `bytes` (`what` prefixes errors). */
static WgModule *read_module(New *n, const char *what, const uint8_t *bytes,
                             size_t len) {
  WgModule *m = NULL;
  if (len < 8 || memcmp(bytes, "\0asm\1\0\0\0", 8) != 0) {
    wg_cnew_fail_status(n, WG_ERR_MALFORMED, "%snot a core WebAssembly module",
                        what);
    return NULL;
  }
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) {
    wg_cnew_fail_status(n, WG_ERR_NOMEM, "out of memory");
    return NULL;
  }
  WgStatus st = wg_module_decode(bytes, len, wg_allocator_default(),
                                 WG_FEATURES_ALL, &m, diags);
  if (st == WG_OK) st = wg_module_validate(m, diags);
  if (st != WG_OK) {
    const WgDiag *e = wg_diag_list_get(diags, 0);
    wg_cnew_fail_status(n, st, "%sinvalid core module: %s at offset %llu", what,
                        wg_diag_list_first_error(diags),
                        e ? (unsigned long long)e->offset : 0ULL);
    wg_module_free(m);
    m = NULL;
  }
  wg_diag_list_delete(diags);
  return m;
}

/* The distinct module names of `m`'s imports, as "`a`, `b`" (arena). */
static const char *import_modules(New *n, const WgModule *m) {
  WgBuf b = { 0 };
  for (uint32_t i = 0; i < m->import_count; i++) {
    WgStr mod = m->imports[i].module;
    bool seen = false;
    for (uint32_t j = 0; j < i && !seen; j++)
      seen = wg_str_eq(m->imports[j].module, mod);
    if (!seen)
      wg_buf_printf(&b, "%s`%.*s`", b.len ? ", " : "", (int)mod.len, mod.ptr);
  }
  const char *s = wg_arena_printf(n->arena, "%s", b.len ? wg_buf_cstr(&b) : "");
  wg_buf_free(&b);
  return s ? s : "";
}

static const WgImport *import_from(const WgModule *m, WgStr module) {
  for (uint32_t i = 0; i < m->import_count; i++)
    if (wg_str_eq(m->imports[i].module, module)) return &m->imports[i];
  return NULL;
}

/* Before the world: WASI preview1 imports need an adapter, and an adapter
 * must provide some of the module's imports. Errors name the remedy in a
 * note. */
static bool check_adapter(New *n, const WgModule *m, const WgAdapter *adapter) {
  static const WgStr P1 = WG_STR("wasi_snapshot_preview1");
  const WgImport *p1 = import_from(m, P1);
  if (!adapter && p1) {
    bool command = wg_cnew_module_export(m, WG_STR("_start"), WG_EXTERN_FUNC);
    wg_cnew_fail(n,
                 "the core module imports WASI preview1 (`%.*s`.`%.*s`: C's "
                 "stdio, e.g. printf, pulls it in), which a component cannot "
                 "import",
                 (int)p1->module.len, p1->module.ptr, (int)p1->name.len,
                 p1->name.ptr);
    wg_cnew_note(n,
                 "give it a preview1 adapter: --adapt "
                 "wasi_snapshot_preview1=wasi_snapshot_preview1.%s.wasm (%s); "
                 "wasmtime's releases and the jco npm package ship the "
                 "adapters (docs/adapters.md)",
                 command ? "command" : "reactor",
                 command ? "the module exports `_start`: a command"
                         : "the module has no `_start`; a program with "
                           "`main` takes the .command.wasm one");
    return false;
  }
  if (adapter && !import_from(m, adapter->name)) {
    const char *mods = import_modules(n, m);
    wg_cnew_fail(n,
                 "--adapt `%.*s`: the core module imports nothing from "
                 "`%.*s` (%s%s)",
                 (int)adapter->name.len, adapter->name.ptr,
                 (int)adapter->name.len, adapter->name.ptr,
                 *mods ? "its import modules: " : "it imports nothing", mods);
    if (p1)
      wg_cnew_note(n, "NAME in --adapt NAME=ADAPTER.wasm is the import module "
                      "the adapter provides: wasi_snapshot_preview1");
    else
      wg_cnew_note(n, "the module does not use WASI preview1 "
                      "(`wasi_snapshot_preview1`): leave --adapt out");
    return false;
  }
  return true;
}

static bool has_component_type(const WgModule *m) {
  for (uint32_t i = 0; i < m->custom_count; i++)
    if (wg_cnew_starts(m->customs[i].name, "component-type")) return true;
  return false;
}

WgStatus wg_component_new(const uint8_t *core, size_t len,
                          const WgAdapter *adapter, WgBuf *out,
                          WgDiagList *diags) {
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  New n = { .arena = &arena, .diags = diags };
  n.types = wg_ctypes_new(wg_allocator_default());
  if (!n.types) wg_cnew_fail(&n, "out of memory");
  WgModule *m = NULL, *am = NULL;
  WgComponent *types = NULL;
  WgBuf merged = { 0 }; /* several component-type sections, merged */
  WgStr wname = { 0 };
  m = read_module(&n, "", core, len);
  if (!n.failed && adapter)
    am = read_module(&n, "the adapter: ", adapter->bytes, adapter->len);
  if (!n.failed && check_adapter(&n, m, adapter)) {
    n.core = m;
    n.adapter = am;
    if (am) {
      n.aname = adapter->name;
      n.abytes = adapter->bytes;
      n.alen = adapter->len;
    }
    /* the world: the module's, the adapter's, or both merged */
    const uint8_t *mods[2] = { core, am ? adapter->bytes : NULL };
    size_t lens[2] = { len, am ? adapter->len : 0 };
    if (am && has_component_type(m))
      n.world = find_world(&n, m, mods, lens, 2, &merged, &wname, &types);
    else if (am)
      n.world =
          find_world(&n, am, mods + 1, lens + 1, 1, &merged, &wname, &types);
    else
      n.world = find_world(&n, m, mods, lens, 1, &merged, &wname, &types);
  }
  if (!n.failed && prepare(&n)) build(&n, core, len);
  if (!n.failed) {
    WgComponent c = { .arena = &arena, .def_count = n.ndefs, .defs = n.defs };
    wg_cencode_component(out, &c);
    if (out->failed) wg_cnew_fail(&n, "out of memory");
  }
  (void)wname;
  wg_ctypes_delete(n.types); /* before the component its types point into */
  wg_component_free(types);
  wg_buf_free(&merged);
  if (m) wg_module_free(m);
  if (am) wg_module_free(am);
  wg_arena_release(&arena);
  return n.failed ? n.status : WG_OK;
}
