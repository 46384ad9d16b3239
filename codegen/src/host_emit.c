/* SPDX-License-Identifier: Apache-2.0 */
/* The host bindings run (wg_hostgen_generate()): the shared context and C
 * types with the host's hooks, every import and export in world order,
 * then the two files: `<world>_host.h` (types, import tables, typed export
 * calls) and `<world>_host.c` (per-type lifting and lowering, trampolines,
 * add_to_linker, bind), and with --stubs `<world>_host_stubs.c`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "strbuf.h"

/* Section: names */

static const char *item_path(HGen *g, const char *module, WgStr name) {
  return module ? cw_strf(&g->w, "%s#%.*s", module, (int)name.len, name.ptr)
                : cw_strf(&g->w, "%.*s", (int)name.len, name.ptr);
}

static bool refuse_async(HGen *g, const WgWitFunction *f) {
  switch (f->kind) {
    case WG_WIT_FUNC_ASYNC_FREESTANDING:
    case WG_WIT_FUNC_ASYNC_METHOD:
    case WG_WIT_FUNC_ASYNC_STATIC:
      return cw_fail(&g->w, WG_ERR_UNSUPPORTED,
                     "not supported yet: async function `%.*s`",
                     (int)f->name.len, f->name.ptr);
    default:
      return true;
  }
}

/* The word of a function in a table or a call's name: `f`, `r_m`,
 * `r_new` for a constructor, `r_s` for a static function. */
static const char *func_word(HGen *g, const WgWitFunction *f) {
  CWorld *w = &g->w;
  WgStr name = f->name;
  if (f->kind == WG_WIT_FUNC_FREESTANDING ||
      f->kind == WG_WIT_FUNC_ASYNC_FREESTANDING)
    return cw_word(w, name);
  const char *close = memchr(name.ptr, ']', name.len);
  size_t skip = close ? (size_t)(close - name.ptr) + 1 : 0;
  name.ptr += skip;
  name.len -= skip;
  const char *dot = memchr(name.ptr, '.', name.len);
  if (!dot) return cw_strf(w, "%s_new", cw_snake(w, name));
  WgStr r = { name.ptr, (size_t)(dot - name.ptr) };
  WgStr m = { dot + 1, name.len - r.len - 1 };
  return cw_strf(w, "%s_%s", cw_snake(w, r), cw_snake(w, m));
}

static bool push_import(HGen *g, HImport imp) {
  if (g->import_count == g->import_cap) {
    size_t cap = g->import_cap ? 2 * g->import_cap : 16;
    HImport *n = realloc(g->imports, cap * sizeof *n);
    if (!n) return cw_nomem(&g->w);
    g->imports = n;
    g->import_cap = cap;
  }
  g->imports[g->import_count++] = imp;
  return true;
}

/* Section: the world */

/* An imported interface on `side` (an import or an extra slot): its
 * types, its table, its add_to_linker. */
static bool gen_import_iface(HGen *g, WgWitId id, Side side) {
  CWorld *w = &g->w;
  const WgWitInterface *in = &w->r->interfaces.items[id];
  w->side = side;
  w->cur_iface = id;
  const char *prefix = w->iface_prefix[id];
  const char *module = w->iface_wit[id];
  if (side >= SIDE_FIRST_EXTRA) {
    prefix = w->slots[side].prefix;
    module =
        cw_strf(w, "%.*s", (int)w->slots[side].key.len, w->slots[side].key.ptr);
  }
  for (size_t i = 0; i < in->types.count; i++) {
    w->item = item_path(g, module, in->types.items[i].name);
    if (!ct_type(&g->ct, WG_WIT_TYPE_OF(in->types.items[i].id))) return false;
  }
  const char *impl_t =
      wg_names_claim(&w->names, cw_strf(w, "%s_impl_t", prefix));
  const char *add_fn =
      wg_names_claim(&w->names, cw_strf(w, "%s_add_to_linker", prefix));
  if (!impl_t || !add_fn) return cw_nomem(w);
  WgNames members = { 0 };
  WgBuf decl = { 0 }, defs = { 0 }, stubm = { 0 };
  bool ok = true;
  for (size_t i = 0; ok && i < in->types.count; i++) {
    WgWitId t = in->types.items[i].id;
    if (w->r->types.items[t].kind != WG_WIT_KIND_RESOURCE) continue;
    w->item = item_path(g, module, in->types.items[i].name);
    const char *m = wg_names_claim(
        &members,
        cw_strf(w, "%s_destructor", cw_snake(w, w->r->types.items[t].name)));
    ok = host_import_resource(g, t, module, impl_t, m, &decl, &defs, &stubm);
  }
  for (size_t i = 0; ok && i < in->functions.count; i++) {
    const WgWitFunction *f = &in->functions.items[i];
    w->item = item_path(g, module, f->name);
    ok = refuse_async(g, f) &&
         host_import_func(g, f, module, impl_t,
                          wg_names_claim(&members, func_word(g, f)), &decl,
                          &defs, &stubm);
  }
  if (ok && decl.len) {
    WgBuf *h = &g->h_funcs;
    wg_buf_printf(
        h,
        "/* ---- Imported `%s`: you implement it ---- */\n\n"
        "/* Its functions (a NULL member is not defined). Each receives the "
        "`ctx` given to\n * %s() and the call (witgen/component.h's "
        "WgCCall: store, calling\n * instance), and returns NULL or a trap, "
        "which poisons the calling instance.\n"
        " * You own the arguments (release them with their *_free "
        "functions); borrowed\n * handles are valid until you return. The "
        "result (`*ret`) is given away: its\n * strings and lists must be "
        "in the heap (malloc); the bindings free them after\n * the "
        "component has copied them (leave `*ret` unset when you return a "
        "trap). */\n"
        "typedef struct %s {\n",
        module, add_fn, impl_t);
    wg_buf_append(h, decl.data, decl.len);
    wg_buf_printf(h,
                  "} %s;\n\n"
                  "/* Defines the non-NULL members of `impl` in `linker` "
                  "under their WIT names\n * (`%s#...`; imports of "
                  "semver-compatible versions match too), each\n * with its "
                  "WIT signature, checked at link time. `impl` is borrowed: "
                  "it must\n * outlive the linker and every instance made "
                  "with it. WG_OK, or the first\n * error (also in `diags`). "
                  "*/\n"
                  "WgStatus %s(WgComponentLinker *linker, const %s *impl, "
                  "void *ctx,\n    WgDiagList *diags);\n\n",
                  impl_t, module, add_fn, impl_t);
    wg_buf_printf(&g->c_code,
                  "WgStatus %s(WgComponentLinker *linker, const %s *impl, "
                  "void *ctx, WgDiagList *diags) {\n"
                  "  WgStatus _st = WG_OK;\n",
                  add_fn, impl_t);
    wg_buf_append(&g->c_code, defs.data, defs.len);
    wg_buf_puts(&g->c_code, "  return _st;\n}\n\n");
    if (g->opt->stubs)
      wg_buf_printf(&g->stub_tables, "static const %s HgStubs_%s = {\n%s};\n\n",
                    impl_t, prefix, stubm.data ? stubm.data : "");
    ok = push_import(g, (HImport){ module, prefix, impl_t, add_fn });
  }
  wg_names_free(&members);
  wg_buf_free(&decl);
  wg_buf_free(&defs);
  wg_buf_free(&stubm);
  return ok && !w->failed;
}

/* An exported interface: its types and a typed call per function. */
static bool gen_export_iface(HGen *g, WgWitId id) {
  CWorld *w = &g->w;
  const WgWitInterface *in = &w->r->interfaces.items[id];
  w->side = SIDE_EXPORT;
  w->cur_iface = id;
  const char *module = w->iface_wit[id];
  for (size_t i = 0; i < in->types.count; i++) {
    w->item = item_path(g, module, in->types.items[i].name);
    if (!ct_type(&g->ct, WG_WIT_TYPE_OF(in->types.items[i].id))) return false;
  }
  const char *prefix = cw_strf(w, "exports_%s", w->iface_prefix[id]);
  if (in->functions.count)
    wg_buf_printf(&g->h_funcs, "/* ---- Exported `%s`: you call it ---- */\n\n",
                  module);
  for (size_t i = 0; i < in->functions.count; i++) {
    const WgWitFunction *f = &in->functions.items[i];
    w->item = item_path(g, module, f->name);
    if (!refuse_async(g, f)) return false;
    const char *cname = wg_names_claim(
        &w->names, cw_strf(w, "%s_call_%s", prefix, func_word(g, f)));
    if (!cname) return cw_nomem(w);
    if (!host_export_func(g, f, w->item, cname)) return false;
  }
  return !w->failed;
}

/* Every import, then every export, in WIT order. */
static bool gen_world_items(HGen *g, WgNames *agg) {
  CWorld *w = &g->w;
  const char *wp = w->world_prefix;
  const char *imports_t = cw_strf(w, "%s_imports_t", wp);
  for (int side = 0; side < 2; side++) {
    const WgWitWorldItems *items =
        side ? &w->world->exports : &w->world->imports;
    for (size_t i = 0; i < items->count; i++) {
      const WgWitWorldEntry *e = &items->items[i];
      w->side = (Side)side;
      w->cur_iface = WG_WIT_NONE;
      bool ok = true;
      switch (e->kind) {
        case WG_WIT_ITEM_INTERFACE:
          if (side)
            ok = gen_export_iface(g, e->id);
          else
            ok = gen_import_iface(
                g, e->id,
                cw_is_extra_slot(w, e, true) ? cw_slot_of(w, e) : SIDE_IMPORT);
          break;
        case WG_WIT_ITEM_TYPE:
          w->side = SIDE_IMPORT;
          w->item = item_path(g, NULL, e->key_name);
          ok = ct_type(&g->ct, WG_WIT_TYPE_OF(e->id)) != NULL;
          if (ok && !side &&
              w->r->types.items[e->id].kind == WG_WIT_KIND_RESOURCE) {
            const char *m = wg_names_claim(
                agg, cw_strf(w, "%s_destructor",
                             cw_snake(w, w->r->types.items[e->id].name)));
            ok = host_import_resource(g, e->id, "$root", imports_t, m,
                                      &g->world_members, &g->world_defs,
                                      &g->world_stub_members);
          }
          break;
        case WG_WIT_ITEM_FUNCTION: {
          const WgWitFunction *f = &e->func;
          w->item = item_path(g, NULL, f->name);
          if (!refuse_async(g, f)) return false;
          if (side) {
            const char *cname = wg_names_claim(
                &w->names, cw_strf(w, "%s_call_%s", wp, func_word(g, f)));
            ok = cname && host_export_func(g, f, w->item, cname);
          } else {
            ok = host_import_func(
                g, f, "$root", imports_t, wg_names_claim(agg, func_word(g, f)),
                &g->world_members, &g->world_defs, &g->world_stub_members);
          }
          break;
        }
      }
      if (!ok || w->failed) return false;
    }
  }
  w->item = NULL;
  return true;
}

/* Section: files */

static void put_header(HGen *g, WgBuf *h) {
  CWorld *w = &g->w;
  const char *guard =
      cw_upper(w, cw_strf(w, "WITGEN_HOST_BINDINGS_%s_H", w->stem));
  const char *wp = w->world_prefix;
  wg_buf_printf(
      h,
      "/* Generated by witgen %s from world `%.*s` (host side). DO NOT EDIT.\n"
      " * The API is documented in witgen's docs/host-bindings.md. */\n"
      "#ifndef %s\n#define %s\n\n"
      "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
      "#include \"witgen/component.h\"\n\n"
      "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
      "/* A WIT string: UTF-8, `len` bytes, NOT NUL-terminated. */\n"
      "typedef struct %s_string_t {\n  uint8_t *ptr;\n  size_t len;\n} "
      "%s_string_t;\n"
      "/* Points `s` at the NUL-terminated `cstr` without copying it: for "
      "arguments\n * you pass (borrowed), never for values the bindings "
      "free. */\n"
      "void %s_string_set(%s_string_t *s, const char *cstr);\n"
      "/* Copies the NUL-terminated `cstr` into the heap; release with "
      "%s_string_free(). */\n"
      "void %s_string_dup(%s_string_t *s, const char *cstr);\n"
      "/* Frees the bytes of `s` (from malloc). */\n"
      "void %s_string_free(%s_string_t *s);\n\n",
      wg_version(), (int)w->world->name.len, w->world->name.ptr, guard, guard,
      wp, wp, wp, wp, wp, wp, wp, wp, wp);
  wg_buf_append(h, g->ct.h_types.data, g->ct.h_types.len);
  wg_buf_printf(
      h,
      "/* ---- The world's exports, bound to an instance ---- */\n\n"
      "/* The exports of world `%.*s` in one component instance: %s_bind() "
      "finds\n * each (semver-compatible names match) and checks its type; "
      "then call them with\n * the *_call_* functions below. `funcs` are "
      "the runtime's handles, in world\n * order. Owned by the caller; the "
      "instance is owned by its store. */\n"
      "typedef struct %s {\n  WgComponentInstance *instance;\n"
      "  WgComponentFunc *funcs[%zu];\n} %s;\n\n"
      "/* Binds `bindings` to the exports of `instance`. WG_OK, or "
      "WG_ERR_UNLINKABLE\n * when an export is missing or has another type "
      "(each named in `diags`). */\n"
      "WgStatus %s_bind(%s *bindings, WgComponentInstance *instance,\n"
      "    WgDiagList *diags);\n"
      "/* wg_component_linker_instantiate() and %s_bind() in one call. */\n"
      "WgStatus %s_instantiate(WgComponentLinker *linker, WgStore *store,\n"
      "    WgWasmComponent *component, %s *out, WgDiagList *diags);\n"
      "/* wg_component_pre_instantiate() and %s_bind() in one call. */\n"
      "WgStatus %s_instantiate_pre(WgComponentPre *pre, WgStore *store, %s "
      "*out,\n    WgDiagList *diags);\n\n",
      (int)w->world->name.len, w->world->name.ptr, wp, g->bound_t,
      g->export_count ? g->export_count : 1, g->bound_t, wp, g->bound_t, wp, wp,
      g->bound_t, wp, wp, g->bound_t);
  wg_buf_append(h, g->h_funcs.data, g->h_funcs.len);
  wg_buf_printf(h,
                "/* ---- Every import of world `%.*s` ---- */\n\n"
                "/* A table per imported interface (NULL: not defined) and "
                "the world's own\n * functions (NULL: not defined). */\n"
                "typedef struct %s_imports_t {\n",
                (int)w->world->name.len, w->world->name.ptr, wp);
  for (size_t i = 0; i < g->import_count; i++)
    wg_buf_printf(h, "  const %s *%s; /* %s */\n", g->imports[i].impl_t,
                  g->imports[i].member, g->imports[i].wit);
  wg_buf_append(h, g->world_members.data, g->world_members.len);
  if (!g->import_count && !g->world_members.len)
    wg_buf_puts(h, "  bool nothing; /* the world imports nothing */\n");
  wg_buf_printf(h,
                "} %s_imports_t;\n\n"
                "/* Defines every import `impl` has (each interface with its "
                "add_to_linker\n * function) in `linker`. `impl` and its "
                "tables are borrowed: they must\n * outlive the linker and "
                "every instance made with it. WG_OK, or the first\n * error "
                "(also in `diags`). */\n"
                "WgStatus %s_add_to_linker(WgComponentLinker *linker,\n"
                "    const %s_imports_t *impl, void *ctx, WgDiagList "
                "*diags);\n\n",
                wp, wp, wp);
  wg_buf_printf(h, "#ifdef __cplusplus\n}\n#endif\n#endif /* %s */\n", guard);
}

static const char PRELUDE[] =
    "#if defined(__GNUC__) || defined(__clang__)\n"
    "#define HG_UNUSED __attribute__((unused))\n"
    "#else\n#define HG_UNUSED\n#endif\n\n"
    "/* Little-endian reads and writes of guest memory (through views the\n"
    " * runtime checked). */\n"
    "static HG_UNUSED uint16_t HgRd16(const uint8_t *m) {\n"
    "  uint16_t v;\n  memcpy(&v, m, 2);\n  return v;\n}\n"
    "static HG_UNUSED uint32_t HgRd32(const uint8_t *m) {\n"
    "  uint32_t v;\n  memcpy(&v, m, 4);\n  return v;\n}\n"
    "static HG_UNUSED uint64_t HgRd64(const uint8_t *m) {\n"
    "  uint64_t v;\n  memcpy(&v, m, 8);\n  return v;\n}\n"
    "static HG_UNUSED void HgWr8(uint8_t *m, uint8_t v) {\n  m[0] = v;\n}\n"
    "static HG_UNUSED void HgWr16(uint8_t *m, uint16_t v) {\n"
    "  memcpy(m, &v, 2);\n}\n"
    "static HG_UNUSED void HgWr32(uint8_t *m, uint32_t v) {\n"
    "  memcpy(m, &v, 4);\n}\n"
    "static HG_UNUSED void HgWr64(uint8_t *m, uint64_t v) {\n"
    "  memcpy(m, &v, 8);\n}\n\n"
    "/* Floats: NaNs canonical, as the Canonical ABI lifts them. */\n"
    "static HG_UNUSED float HgF32(uint32_t bits) {\n"
    "  float f;\n  memcpy(&f, &bits, 4);\n  return f != f ? NAN : f;\n}\n"
    "static HG_UNUSED double HgF64(uint64_t bits) {\n"
    "  double d;\n  memcpy(&d, &bits, 8);\n  return d != d ? (double)NAN : "
    "d;\n}\n"
    "static HG_UNUSED uint32_t HgF32Bits(float f) {\n"
    "  uint32_t b;\n  if (f != f) f = NAN;\n  memcpy(&b, &f, 4);\n"
    "  return b;\n}\n"
    "static HG_UNUSED uint64_t HgF64Bits(double d) {\n"
    "  uint64_t b;\n  if (d != d) d = (double)NAN;\n  memcpy(&b, &d, 8);\n"
    "  return b;\n}\n"
    "static HG_UNUSED WgVal HgF32Val(float f) {\n"
    "  WgVal v;\n  v.kind = WG_VAL_F32;\n  v.of.i64 = 0;\n"
    "  v.of.f32_bits = HgF32Bits(f);\n  return v;\n}\n"
    "static HG_UNUSED WgVal HgF64Val(double d) {\n"
    "  WgVal v;\n  v.kind = WG_VAL_F64;\n  v.of.f64_bits = HgF64Bits(d);\n"
    "  return v;\n}\n\n"
    "/* Flat values of variant payloads: zero, and the conversions between "
    "a case's\n * own types and the joined ones (spec: join, "
    "lower_flat_variant). */\n"
    "static HG_UNUSED WgVal HgZero(WgValKind kind) {\n"
    "  WgVal v;\n  v.kind = kind;\n  v.of.i64 = 0;\n  return v;\n}\n"
    "static HG_UNUSED WgVal HgCoerce(WgVal v, WgValKind want) {\n"
    "  uint64_t bits = v.kind == WG_VAL_I64 || v.kind == WG_VAL_F64\n"
    "                      ? (uint64_t)v.of.i64\n"
    "                      : (uint64_t)(uint32_t)v.of.i32;\n"
    "  WgVal r = HgZero(want);\n"
    "  if (want == WG_VAL_I64 || want == WG_VAL_F64)\n"
    "    r.of.i64 = (int64_t)bits;\n"
    "  else\n"
    "    r.of.i32 = (int32_t)(uint32_t)bits;\n"
    "  return r;\n}\n\n"
    "/* Chars: a value from the host must be a Unicode scalar value "
    "(WG_TRAP_MISUSE);\n * one from a guest too (a trap). */\n"
    "static HG_UNUSED bool HgCheckChar(WgCAbiCx *cx, uint32_t c) {\n"
    "  if (c < 0xD800 || (c > 0xDFFF && c < 0x110000)) return true;\n"
    "  return wg_cabi_fail(cx, WG_TRAP_MISUSE, \"not a Unicode scalar "
    "value: %#x\", c);\n}\n"
    "static HG_UNUSED bool HgLiftChar(WgCAbiCx *cx, uint32_t c, uint32_t "
    "*out) {\n"
    "  if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF))\n"
    "    return wg_cabi_fail(cx, WG_TRAP_WASM, \"invalid `char` bit pattern "
    "%#x\", c);\n"
    "  *out = c;\n  return true;\n}\n\n"
    "/* What a trampoline receives: the table and the user's context. */\n"
    "typedef struct HgEnv {\n  const void *impl;\n  void *ctx;\n} HgEnv;\n\n"
    "static HG_UNUSED WgStatus HgDefine(WgComponentLinker *linker, WgStr "
    "name,\n                                   WgStr type, WgCAbiHostFn fn, "
    "const void *impl,\n                                   void *ctx, "
    "WgDiagList *diags) {\n"
    "  HgEnv *e = (HgEnv *)malloc(sizeof *e);\n"
    "  if (!e) return WG_ERR_NOMEM;\n"
    "  e->impl = impl;\n  e->ctx = ctx;\n"
    "  return wg_component_linker_define_abi(linker, name, type, fn, e, "
    "free, diags);\n}\n"
    "static HG_UNUSED WgStatus HgDefineRes(WgComponentLinker *linker, WgStr "
    "name,\n                                      WgCResourceDtor dtor, "
    "const void *impl,\n                                      void *ctx, "
    "WgDiagList *diags) {\n"
    "  HgEnv *e = NULL;\n"
    "  if (dtor) {\n    e = (HgEnv *)malloc(sizeof *e);\n"
    "    if (!e) return WG_ERR_NOMEM;\n    e->impl = impl;\n    e->ctx = ctx;\n"
    "  }\n"
    "  return wg_component_linker_define_resource(linker, name, dtor, e,\n"
    "                                             dtor ? free : NULL, NULL, "
    "diags);\n}\n\n";

static void put_source(HGen *g, WgBuf *c) {
  CWorld *w = &g->w;
  const char *wp = w->world_prefix;
  wg_buf_printf(
      c,
      "/* Generated by witgen %s from world `%.*s` (host side). DO "
      "NOT EDIT. */\n"
      "#include \"%s_host.h\"\n\n"
      "#include <math.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
      "#include \"witgen/component_abi.h\"\n\n",
      wg_version(), (int)w->world->name.len, w->world->name.ptr, w->stem);
  wg_buf_puts(c, PRELUDE);
  wg_buf_printf(
      c,
      "void %s_string_set(%s_string_t *s, const char *cstr) {\n"
      "  s->ptr = (uint8_t *)cstr;\n  s->len = strlen(cstr);\n}\n"
      "void %s_string_dup(%s_string_t *s, const char *cstr) {\n"
      "  s->len = strlen(cstr);\n  s->ptr = (uint8_t *)malloc(s->len ? s->len "
      ": 1);\n"
      "  if (!s->ptr) abort();\n  memcpy(s->ptr, cstr, s->len);\n}\n"
      "void %s_string_free(%s_string_t *s) {\n"
      "  free(s->ptr);\n  s->ptr = NULL;\n  s->len = 0;\n}\n\n",
      wp, wp, wp, wp, wp, wp);
  wg_buf_append(c, g->c_helpers.data, g->c_helpers.len);
  wg_buf_append(c, g->c_code.data, g->c_code.len);
  wg_buf_append(c, g->ct.c_frees.data, g->ct.c_frees.len);
  /* bind */
  if (g->export_count) {
    wg_buf_printf(
        c, "static const struct {\n  WgStr name, type;\n} HgExports[%zu] = {\n",
        g->export_count);
    for (size_t i = 0; i < g->export_count; i++)
      wg_buf_printf(c, "  { WG_STR(\"%s\"),\n    WG_STR(\"%s\") },\n",
                    g->exports[i].name, g->exports[i].sig);
    wg_buf_puts(c, "};\n\n");
  }
  wg_buf_printf(c,
                "WgStatus %s_bind(%s *bindings, WgComponentInstance "
                "*instance, WgDiagList *diags) {\n"
                "  WgStatus st = WG_OK;\n"
                "  memset(bindings, 0, sizeof *bindings);\n"
                "  bindings->instance = instance;\n",
                wp, g->bound_t);
  if (g->export_count)
    wg_buf_printf(
        c,
        "  for (size_t i = 0; i < %zu; i++) {\n"
        "    WgStatus s = wg_cabi_export(instance, HgExports[i].name, "
        "HgExports[i].type,\n"
        "                                &bindings->funcs[i], "
        "diags);\n"
        "    if (s != WG_OK && st == WG_OK) st = s;\n  }\n",
        g->export_count);
  else
    wg_buf_puts(c, "  (void)diags;\n");
  wg_buf_printf(c,
                "  return st;\n}\n\n"
                "WgStatus %s_instantiate(WgComponentLinker *linker, WgStore "
                "*store, WgWasmComponent *component, %s *out, WgDiagList "
                "*diags) {\n"
                "  WgComponentInstance *inst;\n"
                "  memset(out, 0, sizeof *out);\n"
                "  WgStatus st = wg_component_linker_instantiate(linker, "
                "store, component, &inst, diags);\n"
                "  return st == WG_OK ? %s_bind(out, inst, diags) : st;\n}\n\n"
                "WgStatus %s_instantiate_pre(WgComponentPre *pre, WgStore "
                "*store, %s *out, WgDiagList *diags) {\n"
                "  WgComponentInstance *inst;\n"
                "  memset(out, 0, sizeof *out);\n"
                "  WgStatus st = wg_component_pre_instantiate(pre, store, "
                "&inst, diags);\n"
                "  return st == WG_OK ? %s_bind(out, inst, diags) : st;\n}\n\n",
                wp, g->bound_t, wp, wp, g->bound_t, wp);
  /* the world's add_to_linker */
  wg_buf_printf(
      c,
      "WgStatus %s_add_to_linker(WgComponentLinker *linker, const "
      "%s_imports_t *impl, void *ctx, WgDiagList *diags) {\n"
      "  WgStatus _st = WG_OK;\n"
      "  (void)linker;\n  (void)impl;\n  (void)ctx;\n  (void)diags;\n",
      wp, wp);
  for (size_t i = 0; i < g->import_count; i++)
    wg_buf_printf(c,
                  "  if (_st == WG_OK && impl->%s)\n"
                  "    _st = %s(linker, impl->%s, ctx, diags);\n",
                  g->imports[i].member, g->imports[i].add_fn,
                  g->imports[i].member);
  wg_buf_append(c, g->world_defs.data, g->world_defs.len);
  wg_buf_puts(c, "  return _st;\n}\n");
}

static char *put_stubs(HGen *g) {
  CWorld *w = &g->w;
  const char *wp = w->world_prefix;
  WgBuf s = { 0 };
  wg_buf_printf(&s,
                "/* Trivial implementations of the imports of world `%.*s` "
                "(witgen --host\n * --stubs): functions trap, destructors do "
                "nothing. */\n"
                "#include \"%s_host.h\"\n\n",
                (int)w->world->name.len, w->world->name.ptr, w->stem);
  wg_buf_append(&s, g->stubs.data, g->stubs.len);
  wg_buf_append(&s, g->stub_tables.data, g->stub_tables.len);
  wg_buf_printf(&s,
                "extern const %s_imports_t %s_stub_imports;\n"
                "const %s_imports_t %s_stub_imports = {\n",
                wp, wp, wp, wp);
  for (size_t i = 0; i < g->import_count; i++)
    wg_buf_printf(&s, "  .%s = &HgStubs_%s,\n", g->imports[i].member,
                  g->imports[i].member);
  wg_buf_append(&s, g->world_stub_members.data, g->world_stub_members.len);
  if (!g->import_count && !g->world_stub_members.len)
    wg_buf_puts(&s, "  .nothing = false,\n");
  wg_buf_puts(&s, "};\n");
  return wg_buf_take(&s, NULL);
}

static void gen_free(HGen *g) {
  wg_names_free(&g->done);
  free(g->exports);
  free(g->imports);
  wg_buf_free(&g->h_funcs);
  wg_buf_free(&g->c_helpers);
  wg_buf_free(&g->c_code);
  wg_buf_free(&g->stubs);
  wg_buf_free(&g->stub_tables);
  wg_buf_free(&g->world_members);
  wg_buf_free(&g->world_defs);
  wg_buf_free(&g->world_stub_members);
  ct_free(&g->ct);
  cw_free(&g->w);
}

static bool gen_init(HGen *g, const WgWitResolve *resolve, WgWitId world,
                     const WgBindgenOptions *options, WgDiagList *diags) {
  g->opt = options;
  if (!cw_init(&g->w, resolve, world, options->renames, options->rename_count,
               diags))
    return false;
  const CTypeHooks hooks = { g, host_resource_define, host_free_fn };
  if (!ct_init(&g->ct, &g->w, &hooks)) return false;
  CWorld *w = &g->w;
  const char *wp = w->world_prefix;
  /* fixed names, taken before any WIT item can take them */
  const char *fixed[] = { "_t",           "_bind",
                          "_instantiate", "_instantiate_pre",
                          "_imports_t",   "_add_to_linker",
                          "_stub_imports" };
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
    if (!wg_names_reserve(&w->names, cw_strf(w, "%s%s", wp, fixed[i])))
      return cw_fail(w, WG_ERR_INVALID, "internal: name `%s%s` taken", wp,
                     fixed[i]);
  g->bound_t = cw_strf(w, "%s_t", wp);
  return !w->failed;
}

WgStatus wg_hostgen_generate(const WgWitResolve *resolve, WgWitId world,
                             const WgBindgenOptions *options,
                             WgBindgenFiles *out, WgDiagList *diags) {
  memset(out, 0, sizeof *out);
  static const WgBindgenOptions defaults = { 0 };
  HGen g0 = { 0 }, *g = &g0;
  WgNames agg = { 0 };
  bool ok = gen_init(g, resolve, world, options ? options : &defaults, diags);
  if (ok) {
    /* the aggregate's members: interface prefixes first */
    for (size_t i = 0; i < g->w.world->imports.count; i++) {
      const WgWitWorldEntry *e = &g->w.world->imports.items[i];
      if (e->kind != WG_WIT_ITEM_INTERFACE) continue;
      const char *p = cw_is_extra_slot(&g->w, e, true)
                          ? g->w.slots[cw_slot_of(&g->w, e)].prefix
                          : g->w.iface_prefix[e->id];
      if (p && !wg_names_taken(&agg, p)) wg_names_reserve(&agg, p);
    }
    wg_names_reserve(&agg, "nothing");
    ok = gen_world_items(g, &agg);
  }
  if (ok && !g->w.failed) {
    WgBuf h = { 0 }, c = { 0 };
    put_header(g, &h);
    put_source(g, &c);
    out->stem = malloc(strlen(g->w.stem) + 6);
    if (out->stem) sprintf(out->stem, "%s_host", g->w.stem);
    out->header = wg_buf_take(&h, NULL);
    out->source = wg_buf_take(&c, NULL);
    if (g->opt->stubs && !(out->stubs = put_stubs(g))) cw_nomem(&g->w);
    if (h.failed || c.failed || !out->stem || !out->header || !out->source)
      cw_nomem(&g->w);
  }
  WgStatus st = g->w.failed ? g->w.status : WG_OK;
  if (st != WG_OK) wg_bindgen_files_free(out);
  wg_names_free(&agg);
  gen_free(g);
  return st;
}
