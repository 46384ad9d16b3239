/* SPDX-License-Identifier: Apache-2.0 */
/* Functions in the bindings: import wrappers (lower the C arguments, call
 * the core import, lift the result) and export trampolines (lift and check
 * the core arguments, call the user's function, lower its result) with
 * their post-return functions. spec: CanonicalABI.md, canon lower / canon
 * lift, flatten_functype (MAX_FLAT_PARAMS, MAX_FLAT_RESULTS). */
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "strbuf.h"

#define MAX_FLAT 64

/* The Canonical ABI view and C types of a function's params/result. */
typedef struct Sig {
  const WgAbiType *params[64];
  const char *ctypes[64];
  const char *names[64];
  uint32_t count;
  const char *rtype; /* "void" when none */
  WgAbiFuncSig core;
  WgCoreType flat[MAX_FLAT]; /* flattened params, concatenated */
  uint32_t first[64];        /* index of each param's first flat value */
} Sig;

static bool make_sig(Gen *g, const WgWitFunction *f, WgAbiContext ctx, Sig *s) {
  if (f->params.count > 64)
    return cw_fail(&g->w, WG_ERR_INVALID, "too many parameters");
  s->count = (uint32_t)f->params.count;
  uint32_t k = 0;
  for (uint32_t i = 0; i < s->count; i++) {
    WgWitType t = f->params.items[i].type;
    char where[160];
    snprintf(where, sizeof where, "parameter of `%.*s`", (int)f->name.len,
             f->name.ptr);
    if (!ct_supported(&g->ct, t, where)) return false;
    s->params[i] = ct_abi(&g->ct, t);
    s->ctypes[i] = ct_cname(&g->ct, t);
    s->names[i] = cw_word(&g->w, f->params.items[i].name);
    if (!s->ctypes[i]) return false;
    s->first[i] = k;
    WgCoreType tmp[MAX_FLAT];
    uint32_t c = wg_abi_flatten(s->params[i], 4, tmp, MAX_FLAT);
    for (uint32_t j = 0; j < c && k + j < MAX_FLAT; j++)
      s->flat[k + j] = tmp[j];
    k += c;
  }
  s->rtype = "void";
  if (f->has_result) {
    char where[160];
    snprintf(where, sizeof where, "result of `%.*s`", (int)f->name.len,
             f->name.ptr);
    if (!ct_supported(&g->ct, f->result, where)) return false;
    s->rtype = ct_cname(&g->ct, f->result);
    if (!s->rtype) return false;
  }
  wg_abi_flatten_func(s->params, s->count,
                      f->has_result ? ct_abi(&g->ct, f->result) : NULL, 4, ctx,
                      &s->core);
  return !g->w.failed;
}

static void put_params(WgBuf *b, const Sig *s) {
  if (!s->count) wg_buf_puts(b, "void");
  for (uint32_t i = 0; i < s->count; i++)
    wg_buf_printf(b, "%s%s %s", i ? ", " : "", s->ctypes[i], s->names[i]);
}

/* A struct type laying out all params as a tuple (indirect params). */
static void put_args_struct(WgBuf *b, const Sig *s) {
  wg_buf_puts(b, "struct {");
  for (uint32_t i = 0; i < s->count; i++)
    wg_buf_printf(b, " %s a%u;", s->ctypes[i], i);
  wg_buf_puts(b, " }");
}

static bool owns(Gen *g, const WgWitFunction *f) {
  return f->has_result && ct_owns(&g->ct, f->result);
}

bool guest_import_func(Gen *g, const WgWitFunction *f, const char *module,
                       const char *cname) {
  Sig s;
  if (!cname || !make_sig(g, f, WG_ABI_LOWER, &s)) return false;
  WgBuf *h = &g->h_funcs, *c = &g->c_code;
  /* Declaration, with its ownership rule. */
  ct_put_docs(h, f->docs, "");
  wg_buf_printf(h,
                "/* Imported `%.*s` from %s. Arguments are borrowed for "
                "the call (owned handles move in).",
                (int)f->name.len, f->name.ptr, module);
  if (owns(g, f))
    wg_buf_puts(h, "\n * The caller owns the result: release it with its "
                   "*_free function.");
  wg_buf_printf(h, " */\n%s %s(", s.rtype, cname);
  put_params(h, &s);
  wg_buf_puts(h, ");\n\n");
  /* The core import. */
  const WgAbiFuncSig *k = &s.core;
  wg_buf_printf(&g->c_imports,
                "__attribute__((__import_module__(\"%s\"), "
                "__import_name__(\"%.*s\")))\nextern %s witgen_imp_%s(",
                module, (int)f->name.len, f->name.ptr,
                k->result_count ? ct_core_ctype(k->results[0]) : "void", cname);
  uint32_t np = k->param_count;
  for (uint32_t i = 0; i < np; i++)
    wg_buf_printf(&g->c_imports, "%s%s", i ? ", " : "",
                  ct_core_ctype(k->params[i]));
  if (!np) wg_buf_puts(&g->c_imports, "void");
  wg_buf_puts(&g->c_imports, ");\n");
  /* The wrapper. */
  wg_buf_printf(c, "%s %s(", s.rtype, cname);
  put_params(c, &s);
  wg_buf_puts(c, ") {\n");
  g->fv = "_f";
  uint32_t nargs = k->params_indirect ? 1 : np - (k->results_indirect ? 1 : 0);
  if (k->params_indirect) {
    wg_buf_puts(c, "  ");
    put_args_struct(c, &s);
    wg_buf_puts(c, " _args = {");
    for (uint32_t i = 0; i < s.count; i++)
      wg_buf_printf(c, "%s%s", i ? ", " : " ", s.names[i]);
    wg_buf_puts(c, " };\n  int32_t _f0 = (int32_t)(uintptr_t)&_args;\n");
  } else {
    for (uint32_t i = 0; i < nargs; i++)
      wg_buf_printf(c, "  %s _f%u = 0;\n", ct_core_ctype(k->params[i]), i);
    for (uint32_t i = 0; i < s.count; i++)
      guest_lower_flat(g, c, f->params.items[i].type, s.names[i], s.first[i],
                       s.flat, 2);
  }
  if (f->has_result)
    wg_buf_printf(c, "  %s _ret;\n  memset(&_ret, 0, sizeof _ret);\n", s.rtype);
  wg_buf_puts(c, "  ");
  if (k->result_count)
    wg_buf_printf(c, "%s _r0 = ", ct_core_ctype(k->results[0]));
  wg_buf_printf(c, "witgen_imp_%s(", cname);
  for (uint32_t i = 0; i < nargs; i++)
    wg_buf_printf(c, "%s_f%u", i ? ", " : "", i);
  if (k->results_indirect)
    wg_buf_printf(c, "%s(int32_t)(uintptr_t)&_ret", nargs ? ", " : "");
  wg_buf_puts(c, ");\n");
  if (k->result_count) {
    g->fv = "_r";
    guest_lift_flat(g, c, f->result, "_ret", 0, k->results, 2);
  }
  if (f->has_result) wg_buf_puts(c, "  return _ret;\n");
  wg_buf_puts(c, "}\n\n");
  if (g->opt->stubs)
    wg_buf_printf(&g->stub_keep, "  (const void *)%s,\n", cname);
  return !g->w.failed;
}

bool guest_export_func(Gen *g, const WgWitFunction *f, const char *export_name,
                       const char *cname) {
  Sig s;
  if (!cname || !make_sig(g, f, WG_ABI_LIFT, &s)) return false;
  WgBuf *h = &g->h_funcs, *c = &g->c_code;
  ct_put_docs(h, f->docs, "");
  wg_buf_printf(h,
                "/* You implement: exported `%s`. You own the arguments "
                "(release them with\n * their *_free functions); borrowed "
                "handles are valid until you return.",
                export_name);
  if (owns(g, f))
    wg_buf_puts(h, "\n * The result is given away: its strings and lists "
                   "must be in the heap or in\n * static storage; the "
                   "bindings free it after the caller has copied it.");
  wg_buf_printf(h, " */\n%s %s(", s.rtype, cname);
  put_params(h, &s);
  wg_buf_puts(h, ");\n\n");
  const WgAbiFuncSig *k = &s.core;
  const char *core_rt = k->result_count ? ct_core_ctype(k->results[0]) : "void";
  wg_buf_printf(c,
                "__attribute__((__export_name__(\"%s\")))\n%s witgen_exp_%s(",
                export_name, core_rt, cname);
  for (uint32_t i = 0; i < k->param_count; i++)
    wg_buf_printf(c, "%s%s _f%u", i ? ", " : "", ct_core_ctype(k->params[i]),
                  i);
  if (!k->param_count) wg_buf_puts(c, "void");
  wg_buf_puts(c, ") {\n");
  for (uint32_t i = 0; i < s.count; i++)
    wg_buf_printf(c, "  %s _p%u;\n  memset(&_p%u, 0, sizeof _p%u);\n",
                  s.ctypes[i], i, i, i);
  g->fv = "_f";
  if (k->params_indirect) {
    WgAbiType tuple = { WG_ABI_TUPLE, s.count, s.params };
    wg_buf_printf(
        c, "  witgen_check_range((const void *)(uintptr_t)_f0, 1, %u, %u);\n  ",
        wg_abi_size(&tuple, 4), wg_abi_alignment(&tuple, 4));
    put_args_struct(c, &s);
    wg_buf_puts(c, " *_args = (void *)(uintptr_t)_f0;\n");
    /* Byte copies: a bool of 2 must not be read as a C bool before the
     * check below normalises it (that read is undefined behaviour). */
    for (uint32_t i = 0; i < s.count; i++)
      wg_buf_printf(c, "  memcpy(&_p%u, &_args->a%u, sizeof _p%u);\n", i, i, i);
    wg_buf_puts(c, "  witgen_free_ptr(_args);\n");
  } else {
    for (uint32_t i = 0; i < s.count; i++)
      guest_lift_flat(g, c, f->params.items[i].type, cw_strf(&g->w, "_p%u", i),
                      s.first[i], s.flat, 2);
  }
  for (uint32_t i = 0; i < s.count; i++) {
    WgWitType t = f->params.items[i].type;
    if (guest_walk_needed(g, t, WALK_CHECK))
      wg_buf_printf(c, "  %s(&_p%u);\n", guest_walk_fn(g, t, WALK_CHECK), i);
  }
  /* Borrowed handles of imported resources are valid for the call only:
   * collected now (the user may free the lists holding them), dropped
   * when the user returns, as the Canonical ABI requires. */
  bool borrows = false;
  for (uint32_t i = 0; i < s.count; i++) {
    WgWitType t = f->params.items[i].type;
    if (!guest_walk_needed(g, t, WALK_BORROWS)) continue;
    if (!borrows)
      wg_buf_puts(c, "  witgen_borrows_t _borrows = { 0, 0, 0 };\n");
    borrows = true;
    wg_buf_printf(c, "  %s(&_p%u, &_borrows);\n",
                  guest_walk_fn(g, t, WALK_BORROWS), i);
  }
  wg_buf_puts(c, "  ");
  if (f->has_result) wg_buf_printf(c, "%s _ret = ", s.rtype);
  wg_buf_printf(c, "%s(", cname);
  for (uint32_t i = 0; i < s.count; i++)
    wg_buf_printf(c, "%s_p%u", i ? ", " : "", i);
  wg_buf_puts(c, ");\n");
  if (borrows) wg_buf_puts(c, "  witgen_borrows_drop(&_borrows);\n");
  if (k->results_indirect) {
    wg_buf_printf(c,
                  "  static %s witgen_ret_%s;\n  witgen_ret_%s = _ret;\n"
                  "  return (int32_t)(uintptr_t)&witgen_ret_%s;\n",
                  s.rtype, cname, cname, cname);
  } else if (k->result_count) {
    g->fv = "_r";
    wg_buf_printf(c, "  %s _r0 = 0;\n", core_rt);
    guest_lower_flat(g, c, f->result, "_ret", 0, k->results, 2);
    wg_buf_puts(c, "  return _r0;\n");
  }
  wg_buf_puts(c, "}\n\n");
  if (k->results_indirect &&
      guest_walk_needed(g, f->result, WALK_FREE_MEMORY)) {
    const char *fn = guest_walk_fn(g, f->result, WALK_FREE_MEMORY);
    if (!fn) return false;
    wg_buf_printf(
        c,
        "__attribute__((__export_name__(\"cabi_post_%s\")))\n"
        "void witgen_post_%s(int32_t p) { %s((%s *)(uintptr_t)p); }\n\n",
        export_name, cname, fn, s.rtype);
  }
  if (g->opt->stubs) guest_stub_func(g, f, cname);
  return !g->w.failed;
}
