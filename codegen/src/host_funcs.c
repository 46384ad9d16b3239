/* SPDX-License-Identifier: Apache-2.0 */
/* Functions in the host bindings: the typed call of each export (lower
 * the C arguments into the guest, call, lift the result into host
 * memory), and for each import a trampoline the runtime calls with the
 * core values (lift the arguments into host memory, call the table's
 * function, lower its result into the guest), its member in the
 * interface's table and its definition in add_to_linker. spec:
 * CanonicalABI.md, canon lift / canon lower, flatten_functype
 * (MAX_FLAT_PARAMS, MAX_FLAT_RESULTS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define MAX_PARAMS 64
#define MAX_FLAT   64

typedef struct HSig {
  uint32_t count;
  WgWitType types[MAX_PARAMS];
  const char *ctypes[MAX_PARAMS];
  const char *names[MAX_PARAMS];
  const WgAbiType *abis[MAX_PARAMS];
  uint32_t first[MAX_PARAMS]; /* first flat value of each parameter */
  uint32_t k[MAX_PARAMS];     /* first handle type of each parameter */
  uint32_t flat;              /* flat values of all parameters */
  bool has_result;
  WgWitType rtype;
  const char *rctype;
  uint32_t rk;
  WgAbiFuncSig core;
} HSig;

static bool make_sig(HGen *g, const WgWitFunction *f, WgAbiContext ctx,
                     HSig *s) {
  CWorld *w = &g->w;
  if (f->params.count > MAX_PARAMS)
    return cw_fail(w, WG_ERR_UNSUPPORTED,
                   "not supported yet: more than %d parameters", MAX_PARAMS);
  memset(s, 0, sizeof *s);
  s->count = (uint32_t)f->params.count;
  uint32_t flat = 0, k = 0;
  for (uint32_t i = 0; i < s->count; i++) {
    WgWitType t = f->params.items[i].type;
    char where[160];
    snprintf(where, sizeof where, "parameter of `%.*s`", (int)f->name.len,
             f->name.ptr);
    if (!ct_supported(&g->ct, t, where)) return false;
    s->types[i] = t;
    s->ctypes[i] = ct_cname(&g->ct, t);
    if (!s->ctypes[i]) return false;
    s->names[i] = cw_word(w, f->params.items[i].name);
    s->abis[i] = ct_abi(&g->ct, t);
    s->first[i] = flat;
    s->k[i] = k;
    WgCoreType tmp[MAX_FLAT];
    flat += wg_abi_flatten(s->abis[i], 4, tmp, MAX_FLAT);
    k += host_handle_count(g, t);
  }
  s->flat = flat;
  s->rk = k;
  s->has_result = f->has_result;
  if (f->has_result) {
    char where[160];
    snprintf(where, sizeof where, "result of `%.*s`", (int)f->name.len,
             f->name.ptr);
    if (!ct_supported(&g->ct, f->result, where)) return false;
    s->rtype = f->result;
    s->rctype = ct_cname(&g->ct, f->result);
    if (!s->rctype) return false;
  }
  wg_abi_flatten_func(s->abis, s->count,
                      f->has_result ? ct_abi(&g->ct, f->result) : NULL, 4, ctx,
                      &s->core);
  return !w->failed;
}

/* The parameters as the Canonical ABI lays them out when they spill. */
static WgAbiType params_tuple(const HSig *s) {
  WgAbiType t = { WG_ABI_TUPLE, s->count, s->abis };
  return t;
}

/* A name for `want` not among the parameters' (`ret`, else `_ret`). */
static const char *free_name(HGen *g, const HSig *s, const char *want) {
  for (uint32_t i = 0; i < s->count; i++)
    if (strcmp(s->names[i], want) == 0) return cw_strf(&g->w, "_%s", want);
  return want;
}

static void put_params(WgBuf *b, const HSig *s) {
  for (uint32_t i = 0; i < s->count; i++)
    wg_buf_printf(b, ", %s %s", s->ctypes[i], s->names[i]);
}

/* Section: exports */

bool host_export_func(HGen *g, const WgWitFunction *f, const char *export_name,
                      const char *cname) {
  CWorld *w = &g->w;
  HSig s;
  if (!cname || !make_sig(g, f, WG_ABI_LIFT, &s)) return false;
  const char *sig = host_sig(g, f);
  if (!sig) return false;
  if (g->export_count == g->export_cap) {
    size_t cap = g->export_cap ? 2 * g->export_cap : 32;
    HExport *n = realloc(g->exports, cap * sizeof *n);
    if (!n) return cw_nomem(w);
    g->exports = n;
    g->export_cap = cap;
  }
  size_t index = g->export_count++;
  g->exports[index] = (HExport){ export_name, sig };
  const char *base = wg_names_claim(&g->done, cw_strf(w, "Hg_%s", cname));
  if (!base) return cw_nomem(w);
  base += 3; /* without "Hg_" */
  /* declaration */
  WgBuf *h = &g->h_funcs;
  ct_put_docs(h, f->docs, "");
  wg_buf_printf(h,
                "/* Calls exported `%s`. Arguments are borrowed for the call "
                "(owned handles\n * move in).",
                export_name);
  if (s.has_result && ct_owns(&g->ct, s.rtype))
    wg_buf_puts(h, " The caller owns the result: release it with its *_free\n"
                   " * function.");
  wg_buf_puts(h, " Returns NULL, or a trap the caller owns (then there is "
                 "no result). */\n");
  wg_buf_printf(h, "WgTrap *%s(%s *_self", cname, g->bound_t);
  put_params(h, &s);
  if (s.has_result) wg_buf_printf(h, ", %s *_ret", s.rctype);
  wg_buf_puts(h, ");\n\n");
  /* lowering the arguments */
  WgBuf *c = &g->c_code;
  WgBuf b = { 0 };
  wg_buf_printf(&b,
                "static bool HgLo_%s(WgCAbiCx *cx, void *data, WgVal *flat, "
                "uint32_t *count) {\n  void **_a = (void **)data;\n"
                "  (void)_a;\n",
                base);
  if (!s.core.params_indirect) {
    for (uint32_t i = 0; i < s.count; i++)
      host_lower(
          g, &b, s.types[i], cw_strf(w, "(const %s *)_a[%u]", s.ctypes[i], i),
          cw_strf(w, "flat + %u", s.first[i]), cw_strf(w, "%u", s.k[i]), "  ");
    wg_buf_printf(&b, "  *count = %u;\n", s.flat);
  } else {
    WgAbiType tup = params_tuple(&s);
    wg_buf_printf(&b,
                  "  uint32_t _area;\n"
                  "  if (!wg_cabi_realloc(cx, %u, %u, &_area)) return false;\n",
                  wg_abi_size(&tup, 4), wg_abi_alignment(&tup, 4));
    for (uint32_t i = 0; i < s.count; i++)
      host_store(g, &b, s.types[i],
                 cw_strf(w, "(const %s *)_a[%u]", s.ctypes[i], i),
                 cw_strf(w, "_area + %u", wg_abi_field_offset(&tup, i, 4)),
                 cw_strf(w, "%u", s.k[i]), "  ");
    wg_buf_puts(&b, "  flat[0] = wg_val_i32((int32_t)_area);\n"
                    "  *count = 1;\n");
  }
  wg_buf_puts(&b, "  (void)cx;\n  (void)flat;\n  return true;\n}\n\n");
  /* lifting the result */
  if (s.has_result) {
    wg_buf_printf(&b,
                  "static bool HgLi_%s(WgCAbiCx *cx, void *data, const WgVal "
                  "*flat) {\n  %s *_r = (%s *)((void **)data)[%u];\n"
                  "  (void)cx;\n",
                  base, s.rctype, s.rctype, s.count);
    const char *rk = cw_strf(w, "%u", s.rk);
    if (!s.core.results_indirect) {
      host_lift(g, &b, s.rtype, "flat", "_r", rk, "  ");
    } else {
      const WgAbiType *ra = ct_abi(&g->ct, s.rtype);
      wg_buf_printf(&b,
                    "  uint8_t *_m;\n"
                    "  if (!wg_cabi_view(cx, (uint32_t)flat[0].of.i32, %u, %u, "
                    "\"return area\", &_m)) return false;\n",
                    wg_abi_size(ra, 4), wg_abi_alignment(ra, 4));
      host_load(g, &b, s.rtype, "_m", "_r", rk, "  ");
    }
    wg_buf_puts(&b, "  return true;\n}\n\n");
  }
  /* the call */
  wg_buf_printf(&b, "WgTrap *%s(%s *_self", cname, g->bound_t);
  put_params(&b, &s);
  if (s.has_result) wg_buf_printf(&b, ", %s *_ret", s.rctype);
  wg_buf_puts(&b, ") {\n");
  uint32_t slots = s.count + (s.has_result ? 1 : 0);
  wg_buf_printf(&b, "  void *_a[%u] = {", slots ? slots : 1);
  for (uint32_t i = 0; i < s.count; i++)
    wg_buf_printf(&b, "%s &%s", i ? "," : "", s.names[i]);
  if (s.has_result) wg_buf_printf(&b, "%s _ret", s.count ? "," : "");
  if (!slots) wg_buf_puts(&b, " NULL");
  wg_buf_puts(&b, " };\n");
  if (s.has_result) wg_buf_puts(&b, "  memset(_ret, 0, sizeof *_ret);\n");
  wg_buf_printf(&b, "  WgTrap *_t = wg_cabi_call(_self->funcs[%zu], HgLo_%s, ",
                index, base);
  if (s.has_result)
    wg_buf_printf(&b, "HgLi_%s, _a);\n", base);
  else
    wg_buf_puts(&b, "NULL, _a);\n");
  if (s.has_result && ct_owns(&g->ct, s.rtype)) {
    const char *fn = host_free_fn(g, s.rtype);
    if (!fn) {
      wg_buf_free(&b);
      return false;
    }
    wg_buf_printf(&b,
                  "  if (_t) {\n    %s(_ret);\n"
                  "    memset(_ret, 0, sizeof *_ret);\n  }\n",
                  fn);
  }
  wg_buf_puts(&b, "  return _t;\n}\n\n");
  wg_buf_append(c, b.data, b.len);
  wg_buf_free(&b);
  return !w->failed;
}

/* Section: imports */

/* The full name an import is defined under. */
static const char *import_name(HGen *g, const char *module, WgStr name) {
  if (strcmp(module, "$root") == 0)
    return cw_strf(&g->w, "%.*s", (int)name.len, name.ptr);
  return cw_strf(&g->w, "%s#%.*s", module, (int)name.len, name.ptr);
}

bool host_import_func(HGen *g, const WgWitFunction *f, const char *module,
                      const char *impl_t, const char *member, WgBuf *decl,
                      WgBuf *defs, WgBuf *stub_members) {
  CWorld *w = &g->w;
  HSig s;
  if (!member || !make_sig(g, f, WG_ABI_LOWER, &s)) return false;
  const char *sig = host_sig(g, f);
  if (!sig) return false;
  const char *full = import_name(g, module, f->name);
  const char *base =
      wg_names_claim(&g->done, cw_strf(w, "Hg_%s_%s", impl_t, member));
  if (!base) return cw_nomem(w);
  base += 3;
  const char *ctx = free_name(g, &s, "ctx"), *call = free_name(g, &s, "call"),
             *ret = free_name(g, &s, "ret");
  /* the table's member */
  ct_put_docs(decl, f->docs, "  ");
  wg_buf_printf(decl, "  /* `%.*s` */\n  WgTrap *(*%s)(void *%s, WgCCall *%s",
                (int)f->name.len, f->name.ptr, member, ctx, call);
  put_params(decl, &s);
  if (s.has_result) wg_buf_printf(decl, ", %s *%s", s.rctype, ret);
  wg_buf_puts(decl, ");\n");
  /* lifting the arguments */
  WgBuf b = { 0 };
  if (s.count) {
    wg_buf_printf(&b, "static bool HgIn_%s(WgCAbiCx *cx, const WgVal *args",
                  base);
    for (uint32_t i = 0; i < s.count; i++)
      wg_buf_printf(&b, ", %s *p%u", s.ctypes[i], i);
    wg_buf_puts(&b, ") {\n");
    if (!s.core.params_indirect) {
      for (uint32_t i = 0; i < s.count; i++)
        host_lift(g, &b, s.types[i], cw_strf(w, "args + %u", s.first[i]),
                  cw_strf(w, "p%u", i), cw_strf(w, "%u", s.k[i]), "  ");
    } else {
      WgAbiType tup = params_tuple(&s);
      wg_buf_printf(&b,
                    "  uint8_t *_m;\n"
                    "  if (!wg_cabi_view(cx, (uint32_t)args[0].of.i32, %u, %u, "
                    "\"parameter area\", &_m)) return false;\n",
                    wg_abi_size(&tup, 4), wg_abi_alignment(&tup, 4));
      for (uint32_t i = 0; i < s.count; i++)
        host_load(g, &b, s.types[i],
                  cw_strf(w, "_m + %u", wg_abi_field_offset(&tup, i, 4)),
                  cw_strf(w, "p%u", i), cw_strf(w, "%u", s.k[i]), "  ");
    }
    wg_buf_puts(&b, "  (void)cx;\n  return true;\n}\n\n");
  }
  /* lowering the result */
  if (s.has_result) {
    wg_buf_printf(&b,
                  "static bool HgOut_%s(WgCAbiCx *cx, const WgVal *args, "
                  "const %s *r, WgVal *results) {\n"
                  "  (void)cx;\n  (void)args;\n  (void)results;\n",
                  base, s.rctype);
    const char *rk = cw_strf(w, "%u", s.rk);
    if (!s.core.results_indirect) {
      host_lower(g, &b, s.rtype, "r", "results", rk, "  ");
    } else {
      const WgAbiType *ra = ct_abi(&g->ct, s.rtype);
      wg_buf_printf(&b,
                    "  uint32_t _rp = (uint32_t)args[%u].of.i32;\n"
                    "  {\n    uint8_t *_m;\n"
                    "    if (!wg_cabi_view(cx, _rp, %u, %u, \"return area\", "
                    "&_m)) return false;\n  }\n",
                    s.core.params_indirect ? 1 : s.flat, wg_abi_size(ra, 4),
                    wg_abi_alignment(ra, 4));
      host_store(g, &b, s.rtype, "r", "_rp", rk, "  ");
    }
    wg_buf_puts(&b, "  return true;\n}\n\n");
  }
  /* the trampoline */
  wg_buf_printf(&b,
                "static WgTrap *HgImp_%s(void *env, WgCAbiCx *cx, const WgVal "
                "*args, WgVal *results) {\n"
                "  const HgEnv *_e = (const HgEnv *)env;\n"
                "  const %s *_impl = (const %s *)_e->impl;\n"
                "  (void)args;\n  (void)results;\n",
                base, impl_t, impl_t);
  for (uint32_t i = 0; i < s.count; i++)
    wg_buf_printf(&b, "  %s _p%u;\n  memset(&_p%u, 0, sizeof _p%u);\n",
                  s.ctypes[i], i, i, i);
  if (s.count) {
    wg_buf_printf(&b, "  if (!HgIn_%s(cx, args", base);
    for (uint32_t i = 0; i < s.count; i++)
      wg_buf_printf(&b, ", &_p%u", i);
    wg_buf_puts(&b, ")) {\n");
    for (uint32_t i = 0; i < s.count; i++) {
      const char *fm = host_freemem_fn(g, s.types[i]);
      if (fm) wg_buf_printf(&b, "    %s(&_p%u);\n", fm, i);
    }
    wg_buf_puts(&b, "    return wg_cabi_take_trap(cx);\n  }\n");
  }
  if (s.has_result)
    wg_buf_printf(&b, "  %s _r;\n  memset(&_r, 0, sizeof _r);\n", s.rctype);
  wg_buf_printf(&b, "  WgTrap *_t = _impl->%s(_e->ctx, wg_cabi_ccall(cx)",
                member);
  for (uint32_t i = 0; i < s.count; i++)
    wg_buf_printf(&b, ", _p%u", i);
  if (s.has_result) wg_buf_puts(&b, ", &_r");
  wg_buf_puts(&b, ");\n");
  if (s.has_result) {
    const char *fm = host_freemem_fn(g, s.rtype);
    wg_buf_printf(&b,
                  "  if (_t) return _t;\n"
                  "  bool _ok = HgOut_%s(cx, args, &_r, results);\n",
                  base);
    if (fm) wg_buf_printf(&b, "  %s(&_r);\n", fm);
    wg_buf_puts(&b, "  return _ok ? NULL : wg_cabi_take_trap(cx);\n}\n\n");
  } else {
    wg_buf_puts(&b, "  return _t;\n}\n\n");
  }
  wg_buf_append(&g->c_code, b.data, b.len);
  wg_buf_free(&b);
  /* its definition */
  wg_buf_printf(defs,
                "  if (_st == WG_OK && impl->%s)\n"
                "    _st = HgDefine(linker, WG_STR(\"%s\"),\n"
                "                   WG_STR(\"%s\"),\n"
                "                   HgImp_%s, impl, ctx, diags);\n",
                member, full, sig, base);
  /* a stub */
  if (g->opt->stubs) {
    wg_buf_printf(&g->stubs,
                  "static WgTrap *HgStub_%s(void *ctx, WgCCall *call", base);
    for (uint32_t i = 0; i < s.count; i++)
      wg_buf_printf(&g->stubs, ", %s a%u", s.ctypes[i], i);
    if (s.has_result) wg_buf_printf(&g->stubs, ", %s *ret", s.rctype);
    wg_buf_puts(&g->stubs, ") {\n  (void)ctx;\n  (void)call;\n");
    for (uint32_t i = 0; i < s.count; i++)
      wg_buf_printf(&g->stubs, "  (void)a%u;\n", i);
    if (s.has_result) wg_buf_puts(&g->stubs, "  (void)ret;\n");
    wg_buf_printf(&g->stubs,
                  "  return wg_trap_new(\"stub of `%s` called\");\n}\n\n",
                  full);
    wg_buf_printf(stub_members, "  .%s = HgStub_%s,\n", member, base);
  }
  return !w->failed;
}

bool host_import_resource(HGen *g, WgWitId res, const char *module,
                          const char *impl_t, const char *member, WgBuf *decl,
                          WgBuf *defs, WgBuf *stub_members) {
  CWorld *w = &g->w;
  const WgWitTypeDef *d = &w->r->types.items[res];
  const TypeInfo *own = ct_type(&g->ct, WG_WIT_TYPE_OF(res));
  if (!own || !member) return false;
  const char *full = import_name(g, module, d->name);
  const char *base =
      wg_names_claim(&g->done, cw_strf(w, "Hg_%s_%s", impl_t, member));
  if (!base) return cw_nomem(w);
  base += 3;
  wg_buf_printf(decl,
                "  /* Destructor of resource `%.*s` (NULL: none): the "
                "component dropped the last\n   * handle of `self`. */\n"
                "  WgTrap *(*%s)(void *ctx, %s self);\n",
                (int)d->name.len, d->name.ptr, member, own->cname);
  wg_buf_printf(&g->c_code,
                "static WgTrap *HgDtor_%s(void *env, uint32_t rep) {\n"
                "  const HgEnv *_e = (const HgEnv *)env;\n"
                "  const %s *_impl = (const %s *)_e->impl;\n"
                "  %s _h;\n  _h.rep = rep;\n"
                "  return _impl->%s(_e->ctx, _h);\n}\n\n",
                base, impl_t, impl_t, own->cname, member);
  wg_buf_printf(defs,
                "  if (_st == WG_OK)\n"
                "    _st = HgDefineRes(linker, WG_STR(\"%s\"),\n"
                "                      impl->%s ? HgDtor_%s : NULL, impl, "
                "ctx, diags);\n",
                full, member, base);
  if (g->opt->stubs) {
    wg_buf_printf(&g->stubs,
                  "static WgTrap *HgStub_%s(void *ctx, %s self) {\n"
                  "  (void)ctx;\n  (void)self;\n  return NULL;\n}\n\n",
                  base, own->cname);
    wg_buf_printf(stub_members, "  .%s = HgStub_%s,\n", member, base);
  }
  return !w->failed;
}
