/* SPDX-License-Identifier: Apache-2.0 */
/* Functions in the bindings: import wrappers (lower the C arguments, call
 * the core import, lift the result) and export trampolines (lift and check
 * the core arguments, call the user's function, lower its result) with
 * their post-return functions. spec: CanonicalABI.md, canon lower / canon
 * lift, flatten_functype (MAX_FLAT_PARAMS, MAX_FLAT_RESULTS). */
#include <stdio.h>
#include <string.h>

#include "bindgen.h"
#include "strbuf.h"

#define MAX_FLAT 64

static const char *word(Gen *g, WgStr name) {
  char buf[256];
  wg_names_word(buf, sizeof buf, name);
  return gen_strf(g, "%s", buf);
}

const char *gen_func_cname(Gen *g, const char *prefix, const WgWitFunction *f) {
  char buf[512];
  size_t n = (size_t)snprintf(buf, sizeof buf, "%s_", prefix);
  WgStr name = f->name;
  if (f->kind != WG_WIT_FUNC_FREESTANDING &&
      f->kind != WG_WIT_FUNC_ASYNC_FREESTANDING) {
    /* "[method]r.m", "[static]r.s", "[constructor]r" */
    const char *close = memchr(name.ptr, ']', name.len);
    size_t skip = close ? (size_t)(close - name.ptr) + 1 : 0;
    name.ptr += skip;
    name.len -= skip;
    const char *dot = memchr(name.ptr, '.', name.len);
    if (dot) {
      n = wg_names_snake(buf, sizeof buf, n,
                         (WgStr){ name.ptr, (size_t)(dot - name.ptr) });
      n += (size_t)snprintf(buf + n, sizeof buf - n, "_");
      name.len -= (size_t)(dot - name.ptr) + 1;
      name.ptr = dot + 1;
    } else {
      n = wg_names_snake(buf, sizeof buf, n, name);
      n += (size_t)snprintf(buf + n, sizeof buf - n, "_%s",
                            g->side == SIDE_EXPORT ? "constructor" : "new");
      name.len = 0;
    }
  }
  wg_names_snake(buf, sizeof buf, n, name);
  const char *c = wg_names_claim(&g->names, buf);
  if (!c) gen_fail(g, "out of memory");
  return c;
}

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
  if (f->params.count > 64) return gen_fail(g, "too many parameters");
  s->count = (uint32_t)f->params.count;
  uint32_t k = 0;
  for (uint32_t i = 0; i < s->count; i++) {
    WgWitType t = f->params.items[i].type;
    char where[160];
    snprintf(where, sizeof where, "parameter of `%.*s`", (int)f->name.len,
             f->name.ptr);
    if (!gen_supported(g, t, where)) return false;
    s->params[i] = gen_abi(g, t);
    s->ctypes[i] = gen_cname(g, t);
    s->names[i] = word(g, f->params.items[i].name);
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
    if (!gen_supported(g, f->result, where)) return false;
    s->rtype = gen_cname(g, f->result);
    if (!s->rtype) return false;
  }
  wg_abi_flatten_func(s->params, s->count,
                      f->has_result ? gen_abi(g, f->result) : NULL, 4, ctx,
                      &s->core);
  return !g->failed;
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
  return f->has_result && gen_walk_needed(g, f->result, WALK_FREE);
}

bool gen_import_func(Gen *g, const WgWitFunction *f, const char *module,
                     const char *cname) {
  Sig s;
  if (!cname || !make_sig(g, f, WG_ABI_LOWER, &s)) return false;
  WgBuf *h = &g->h_funcs, *c = &g->c_code;
  /* Declaration, with its ownership rule. */
  gen_put_docs(h, f->docs, "");
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
                k->result_count ? gen_core_ctype(k->results[0]) : "void",
                cname);
  uint32_t np = k->param_count;
  for (uint32_t i = 0; i < np; i++)
    wg_buf_printf(&g->c_imports, "%s%s", i ? ", " : "",
                  gen_core_ctype(k->params[i]));
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
      wg_buf_printf(c, "  %s _f%u = 0;\n", gen_core_ctype(k->params[i]), i);
    for (uint32_t i = 0; i < s.count; i++)
      gen_lower_flat(g, c, f->params.items[i].type, s.names[i], s.first[i],
                     s.flat, 2);
  }
  if (f->has_result)
    wg_buf_printf(c, "  %s _ret;\n  memset(&_ret, 0, sizeof _ret);\n", s.rtype);
  wg_buf_puts(c, "  ");
  if (k->result_count)
    wg_buf_printf(c, "%s _r0 = ", gen_core_ctype(k->results[0]));
  wg_buf_printf(c, "witgen_imp_%s(", cname);
  for (uint32_t i = 0; i < nargs; i++)
    wg_buf_printf(c, "%s_f%u", i ? ", " : "", i);
  if (k->results_indirect)
    wg_buf_printf(c, "%s(int32_t)(uintptr_t)&_ret", nargs ? ", " : "");
  wg_buf_puts(c, ");\n");
  if (k->result_count) {
    g->fv = "_r";
    gen_lift_flat(g, c, f->result, "_ret", 0, k->results, 2);
  }
  if (f->has_result) wg_buf_puts(c, "  return _ret;\n");
  wg_buf_puts(c, "}\n\n");
  if (g->opt->stubs)
    wg_buf_printf(&g->stub_keep, "  (const void *)%s,\n", cname);
  return !g->failed;
}

bool gen_export_func(Gen *g, const WgWitFunction *f, const char *export_name,
                     const char *cname) {
  Sig s;
  if (!cname || !make_sig(g, f, WG_ABI_LIFT, &s)) return false;
  WgBuf *h = &g->h_funcs, *c = &g->c_code;
  gen_put_docs(h, f->docs, "");
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
  const char *core_rt =
      k->result_count ? gen_core_ctype(k->results[0]) : "void";
  wg_buf_printf(c,
                "__attribute__((__export_name__(\"%s\")))\n%s witgen_exp_%s(",
                export_name, core_rt, cname);
  for (uint32_t i = 0; i < k->param_count; i++)
    wg_buf_printf(c, "%s%s _f%u", i ? ", " : "", gen_core_ctype(k->params[i]),
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
      gen_lift_flat(g, c, f->params.items[i].type, gen_strf(g, "_p%u", i),
                    s.first[i], s.flat, 2);
  }
  for (uint32_t i = 0; i < s.count; i++) {
    WgWitType t = f->params.items[i].type;
    if (gen_walk_needed(g, t, WALK_CHECK))
      wg_buf_printf(c, "  %s(&_p%u);\n", gen_walk_fn(g, t, WALK_CHECK), i);
  }
  /* Borrowed handles of imported resources are valid for the call only:
   * collected now (the user may free the lists holding them), dropped
   * when the user returns, as the Canonical ABI requires. */
  bool borrows = false;
  for (uint32_t i = 0; i < s.count; i++) {
    WgWitType t = f->params.items[i].type;
    if (!gen_walk_needed(g, t, WALK_BORROWS)) continue;
    if (!borrows)
      wg_buf_puts(c, "  witgen_borrows_t _borrows = { 0, 0, 0 };\n");
    borrows = true;
    wg_buf_printf(c, "  %s(&_p%u, &_borrows);\n",
                  gen_walk_fn(g, t, WALK_BORROWS), i);
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
    gen_lower_flat(g, c, f->result, "_ret", 0, k->results, 2);
    wg_buf_puts(c, "  return _r0;\n");
  }
  wg_buf_puts(c, "}\n\n");
  if (k->results_indirect && gen_walk_needed(g, f->result, WALK_FREE_MEMORY)) {
    const char *fn = gen_walk_fn(g, f->result, WALK_FREE_MEMORY);
    if (!fn) return false;
    wg_buf_printf(
        c,
        "__attribute__((__export_name__(\"cabi_post_%s\")))\n"
        "void witgen_post_%s(int32_t p) { %s((%s *)(uintptr_t)p); }\n\n",
        export_name, cname, fn, s.rtype);
  }
  if (g->opt->stubs) gen_stub_func(g, f, cname);
  return !g->failed;
}
