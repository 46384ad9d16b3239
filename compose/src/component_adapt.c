/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new --adapt`: preview1 adapters (component_new.c builds the rest).
 *
 * A module built for WASI preview1 imports `wasi_snapshot_preview1`
 * functions; an adapter module (carrying its own world, e.g.
 * wasi:cli/command) implements them over WASI 0.2. The adapter imports the
 * main module's memory (`env.memory`) and exports (`__main_module__`:
 * `_start`, `cabi_realloc`), so the main module is instantiated first and
 * reaches the adapter's functions through the shim table, filled once the
 * adapter exists. The adapter's own WASI 0.2 imports are lowered into the
 * same table (their realloc, `cabi_import_realloc`, is the adapter's).
 * The adapter keeps its stack pointer and allocation state in globals that
 * start at 0. When the main module exports `cabi_realloc` (and so owns the
 * heap: pages grown behind its allocator's back may be handed out again),
 * the stack is allocated lazily as wit-component does: every exported
 * function of the adapter first calls an added function that, while the
 * state is 0, sets it to 1 (allocating), takes 64 KiB from the main
 * module's cabi_realloc and sets it to 2 (allocated). Otherwise a small
 * start module allocates its stack (one page grown from the shared memory)
 * and marks it allocated before anything runs. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"
#include "core_writer.h"
#include "leb128.h"
#include "strbuf.h"

/* The index of global `name` from the module's `name` section. */
static uint32_t global_by_name(const WgModule *m, const char *name) {
  for (uint32_t i = 0; i < m->custom_count; i++) {
    if (!wg_cnew_str_is(m->customs[i].name, "name")) continue;
    const uint8_t *p = m->customs[i].bytes, *end = p + m->customs[i].len;
    while (p < end) {
      uint8_t id = *p++;
      uint32_t size;
      if (!wg_leb_u32(&p, end, &size) || size > (size_t)(end - p)) break;
      const uint8_t *q = p, *qe = p + size;
      p = qe;
      if (id != CW_NAME_GLOBALS) continue;
      uint32_t count;
      if (!wg_leb_u32(&q, qe, &count)) break;
      for (uint32_t k = 0; k < count; k++) {
        uint32_t idx, len;
        if (!wg_leb_u32(&q, qe, &idx) || !wg_leb_u32(&q, qe, &len) ||
            len > (size_t)(qe - q))
          return NONE;
        if (len == strlen(name) && memcmp(q, name, len) == 0) return idx;
        q += len;
      }
    }
  }
  return NONE;
}

/* Lazy stack allocation (see the file comment): the function index of the
 * adapter's `__main_module__.cabi_realloc` import, or NONE. */
static uint32_t main_realloc_import(const WgModule *am) {
  uint32_t f = 0;
  for (uint32_t j = 0; j < am->import_count; j++) {
    const WgImport *im = &am->imports[j];
    if (im->kind != WG_EXTERN_FUNC) continue;
    if (wg_cnew_str_is(im->module, "__main_module__") &&
        wg_cnew_str_is(im->name, "cabi_realloc"))
      return f;
    f++;
  }
  return NONE;
}

static bool is_exported_func(const WgModule *am, uint32_t func) {
  for (uint32_t i = 0; i < am->export_count; i++)
    if (am->exports[i].kind == WG_EXTERN_FUNC && am->exports[i].index == func)
      return true;
  return false;
}

/* The allocator's body: if state == 0 { state = 1; sp = realloc(0, 0, 8,
 * 65536) + 65536; state = 2 }. */
static void stack_allocator(WgBuf *f, uint32_t sp, uint32_t state,
                            uint32_t realloc) {
  wg_buf_uleb(f, 0); /* no locals */
  wg_cw_op_u(f, CW_OP_GLOBAL_GET, state);
  wg_cw_op(f, CW_OP_I32_EQZ);
  wg_cw_op_u(f, CW_OP_IF, CW_BLOCK_EMPTY);
  wg_cw_i32_const(f, 1);
  wg_cw_op_u(f, CW_OP_GLOBAL_SET, state);
  wg_cw_i32_const(f, 0);
  wg_cw_i32_const(f, 0);
  wg_cw_i32_const(f, 8);
  wg_cw_i32_const(f, 65536);
  wg_cw_op_u(f, CW_OP_CALL, realloc);
  wg_cw_i32_const(f, 65536);
  wg_cw_op(f, CW_OP_I32_ADD);
  wg_cw_op_u(f, CW_OP_GLOBAL_SET, sp);
  wg_cw_i32_const(f, 2);
  wg_cw_op_u(f, CW_OP_GLOBAL_SET, state);
  wg_cw_op(f, CW_OP_END);
  wg_cw_op(f, CW_OP_END);
}

/* Section `id` of the adapter rewritten for lazy stack allocation: the type
 * section gains `() -> ()`, the function section the allocator, the code
 * section a `call` of it in front of every exported function's body and
 * the allocator's body. */
static bool lazy_stack_section(const WgModule *am, uint8_t id,
                               const uint8_t *body, const uint8_t *end,
                               uint32_t sp, uint32_t state, uint32_t realloc,
                               WgBuf *out) {
  uint32_t count;
  const uint8_t *q = body;
  if (!wg_leb_u32(&q, end, &count)) return false;
  WgBuf sec = { 0 };
  wg_buf_uleb(&sec, count + 1);
  uint32_t alloc_func = am->func_import_count + am->func_count;
  if (id == CW_SEC_TYPE) {
    wg_buf_append(&sec, q, (size_t)(end - q));
    wg_cw_functype(&sec, NULL, 0, NULL, 0);
  } else if (id == CW_SEC_FUNC) {
    wg_buf_append(&sec, q, (size_t)(end - q));
    wg_buf_uleb(&sec, am->type_count);
  } else {
    for (uint32_t i = 0; i < count; i++) {
      uint32_t size, groups, n;
      if (!wg_leb_u32(&q, end, &size) || size > (size_t)(end - q)) {
        wg_buf_free(&sec);
        return false;
      }
      const uint8_t *fb = q, *fe = q + size;
      q = fe;
      if (!is_exported_func(am, am->func_import_count + i)) {
        wg_buf_uleb(&sec, size);
        wg_buf_append(&sec, fb, size);
        continue;
      }
      /* the locals stay first; the call goes before the first instruction */
      const uint8_t *p = fb;
      bool ok = wg_leb_u32(&p, fe, &groups);
      for (uint32_t g = 0; ok && g < groups; g++) {
        ok = wg_leb_u32(&p, fe, &n) && p < fe;
        p++; /* a numeric value type: one byte in an adapter */
      }
      if (!ok) {
        wg_buf_free(&sec);
        return false;
      }
      WgBuf call = { 0 };
      wg_cw_op_u(&call, CW_OP_CALL, alloc_func);
      wg_buf_uleb(&sec, size + call.len);
      wg_buf_append(&sec, fb, (size_t)(p - fb));
      wg_buf_append(&sec, call.data, call.len);
      wg_buf_append(&sec, p, (size_t)(fe - p));
      wg_buf_free(&call);
    }
    WgBuf f = { 0 };
    stack_allocator(&f, sp, state, realloc);
    wg_buf_uleb(&sec, f.len);
    wg_buf_append(&sec, f.data, f.len);
    wg_buf_free(&f);
  }
  wg_cw_section(out, (CwSection)id, &sec);
  return true;
}

/* The adapter without its component-type sections, exporting globals
 * `sp` and `state` as `$sp` and `$state` (when not NONE) for the start
 * module, or, with `lazy` (`realloc` the main module's realloc import),
 * allocating its stack on first use. */
static bool adapter_bytes(New *n, const uint8_t *bytes, size_t len, uint32_t sp,
                          uint32_t state, bool lazy, uint32_t realloc,
                          WgBuf *out) {
  WgBuf stripped = { 0 };
  if (!wg_cnew_strip_types(n, bytes, len, &stripped)) return false;
  const uint8_t *p = (const uint8_t *)stripped.data + 8,
                *end = (const uint8_t *)stripped.data + stripped.len;
  wg_buf_append(out, stripped.data, 8);
  while (p < end) {
    const uint8_t *start = p;
    uint8_t id = *p++;
    uint32_t size;
    if (!wg_leb_u32(&p, end, &size) || size > (size_t)(end - p)) break;
    const uint8_t *body = p;
    p += size;
    if (lazy && (id == CW_SEC_TYPE || id == CW_SEC_FUNC || id == CW_SEC_CODE)) {
      if (!lazy_stack_section(n->adapter, id, body, p, sp, state, realloc, out))
        return wg_cnew_fail(n, "the adapter's section %u is malformed", id);
      continue;
    }
    if (id != CW_SEC_EXPORT || sp == NONE || lazy) {
      wg_buf_append(out, start, (size_t)(p - start));
      continue;
    }
    const uint8_t *q = body;
    uint32_t count;
    if (!wg_leb_u32(&q, p, &count)) break;
    WgBuf sec = { 0 };
    wg_buf_uleb(&sec, count + 2);
    wg_buf_append(&sec, q, (size_t)(p - q));
    wg_cw_export(&sec, WG_STR("$sp"), WG_EXTERN_GLOBAL, sp);
    wg_cw_export(&sec, WG_STR("$state"), WG_EXTERN_GLOBAL, state);
    wg_cw_section(out, CW_SEC_EXPORT, &sec);
  }
  wg_buf_free(&stripped);
  return true;
}

static bool functype_eq(const WgFuncType *a, const WgFuncType *b) {
  return a->param_count == b->param_count &&
         a->result_count == b->result_count &&
         memcmp(a->types, b->types,
                (a->param_count + a->result_count) * sizeof *a->types) == 0;
}

/* Main module import `im` (of the adapter's module name): a slot filled
 * with the adapter's function of the same name and type. */
bool wg_cnew_adapter_slot(New *n, const WgImport *im, Lowered *slot) {
  const WgModule *am = n->adapter;
  WgStr aname = n->aname;
  if (im->kind != WG_EXTERN_FUNC)
    return wg_cnew_fail(n, "import `%.*s`.`%.*s` is not a function",
                        (int)aname.len, aname.ptr, (int)im->name.len,
                        im->name.ptr);
  const WgExport *e = wg_cnew_module_export(am, im->name, WG_EXTERN_FUNC);
  if (!e)
    return wg_cnew_fail(n, "the adapter does not provide `%.*s`.`%.*s`",
                        (int)aname.len, aname.ptr, (int)im->name.len,
                        im->name.ptr);
  const WgFuncType *aft = wg_cnew_func_type(am, e->index);
  const WgFuncType *ft = &n->core->types[im->desc.func_type];
  if (!aft || !functype_eq(ft, aft))
    return wg_cnew_fail(
        n, "`%.*s`.`%.*s`: the adapter's function has another type",
        (int)aname.len, aname.ptr, (int)im->name.len, im->name.ptr);
  *slot = (Lowered){ .ft = ft, .func = NONE, .adapter = im->name };
  return true;
}


/* A core instance exporting `memory` (an `env` for the adapter and the
 * modules around it): `mem` is its only item, kept for reuse. */
static uint32_t env_bag(New *n, uint32_t memory, WgCInstantiateArg **mem) {
  WgCInstantiateArg *envm = wg_arena_zalloc(n->arena, 3 * sizeof *envm);
  if (!envm) {
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  envm[0] = (WgCInstantiateArg){ .name = WG_STR("memory"),
                                 .core_sort = WG_CCORE_MEMORY,
                                 .index = memory };
  *mem = envm;
  return wg_cnew_core_bag(n, envm, 1);
}

/* `realloc` for a main module without `cabi_realloc`: a module growing the
 * memory of `env` by whole pages, instantiated; its function. */
static uint32_t pages_realloc(New *n, uint32_t env) {
  WgBuf b = { 0 };
  wg_cnew_realloc_module(&b);
  uint32_t mod = wg_cnew_add_module(n, &b);
  WgCInstantiateArg *w = wg_arena_zalloc(n->arena, sizeof *w);
  if (!w) {
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  *w = (WgCInstantiateArg){ .name = WG_STR("env"),
                            .core_sort = WG_CCORE_INSTANCE,
                            .index = env };
  uint32_t inst = wg_cnew_instantiate_core(n, mod, w, 1);
  if (inst == NONE) return NONE;
  return wg_cnew_alias_core(n, inst, WG_STR("realloc"), WG_CCORE_FUNC);
}

/* What the adapter takes from the main module (`__main_module__`: its
 * exports, a page realloc when it has no cabi_realloc) as a core instance
 * appended to `with`; nothing when the adapter takes nothing. */
static bool main_module_bag(New *n, uint32_t main_inst, uint32_t env,
                            WgCInstantiateArg *with, uint32_t *nwith) {
  const WgModule *am = n->adapter;
  uint32_t main_realloc = NONE;
  WgCInstantiateArg *mm =
      wg_arena_zalloc(n->arena, (am->import_count + 1) * sizeof *mm);
  if (!mm) return wg_cnew_fail(n, "out of memory");
  uint32_t nmm = 0;
  for (uint32_t j = 0; j < am->import_count && !n->failed; j++) {
    const WgImport *im = &am->imports[j];
    if (!wg_cnew_str_is(im->module, "__main_module__")) continue;
    uint32_t f;
    if (wg_cnew_core_export(n, im->name, WG_EXTERN_FUNC)) {
      WgStr name = wg_cnew_str_is(im->name, "cabi_realloc")
                       ? wg_cnew_realloc_name(n)
                       : im->name;
      f = wg_cnew_alias_core(n, main_inst, name, WG_CCORE_FUNC);
    } else if (wg_cnew_str_is(im->name, "cabi_realloc")) {
      if (main_realloc == NONE) main_realloc = pages_realloc(n, env);
      f = main_realloc;
    } else {
      return wg_cnew_fail(
          n,
          "the adapter needs `%.*s` from the core module, which "
          "does not export it",
          (int)im->name.len, im->name.ptr);
    }
    mm[nmm++] = (WgCInstantiateArg){ .name = im->name,
                                     .core_sort = WG_CCORE_FUNC,
                                     .index = f };
  }
  if (nmm && !n->failed)
    with[(*nwith)++] =
        (WgCInstantiateArg){ .name = WG_STR("__main_module__"),
                             .core_sort = WG_CCORE_INSTANCE,
                             .index = wg_cnew_core_bag(n, mm, nmm) };
  return !n->failed;
}

/* The adapter's stack: a start module growing one page of the shared
 * memory (`mem`) for it and setting its globals `$sp` and `$state` (of
 * adapter instance `ai`). */
static bool allocate_stack(New *n, uint32_t ai, const WgCInstantiateArg *mem) {
  WgCInstantiateArg *g = wg_arena_zalloc(n->arena, 3 * sizeof *g);
  if (!g) return wg_cnew_fail(n, "out of memory");
  g[0] = *mem;
  g[1] = (WgCInstantiateArg){ .name = WG_STR("$sp"),
                              .core_sort = WG_CCORE_GLOBAL,
                              .index = wg_cnew_alias_core(n, ai, WG_STR("$sp"),
                                                          WG_CCORE_GLOBAL) };
  g[2] = (WgCInstantiateArg){ .name = WG_STR("$state"),
                              .core_sort = WG_CCORE_GLOBAL,
                              .index = wg_cnew_alias_core(
                                  n, ai, WG_STR("$state"), WG_CCORE_GLOBAL) };
  uint32_t genv = wg_cnew_core_bag(n, g, 3);
  WgBuf b = { 0 };
  wg_cnew_stack_module(&b);
  uint32_t smod = wg_cnew_add_module(n, &b);
  WgCInstantiateArg *w = wg_arena_zalloc(n->arena, sizeof *w);
  if (!w) return wg_cnew_fail(n, "out of memory");
  *w = (WgCInstantiateArg){ .name = WG_STR("env"),
                            .core_sort = WG_CCORE_INSTANCE,
                            .index = genv };
  if (!n->failed) wg_cnew_instantiate_core(n, smod, w, 1);
  return !n->failed;
}

/* Imports of the adapter provided by the main module, not by the world. */
static bool from_main_module(WgStr module) {
  return wg_cnew_str_is(module, "env") ||
         wg_cnew_str_is(module, "__main_module__");
}

/* The adapter's instance (n->adapter_inst) once the main module exists:
 * `env` gives it the main memory, `__main_module__` the main module's
 * exports, its other imports `core_of` (shim slots or resource drops, per
 * adapter import); then its stack. *adapter_realloc: its
 * cabi_import_realloc, for lowering its imports. */
bool wg_cnew_instantiate_adapter(New *n, uint32_t main_inst, uint32_t memory,
                                 const uint32_t *core_of,
                                 uint32_t *adapter_realloc) {
  const WgModule *am = n->adapter;
  WgCInstantiateArg *mem = NULL;
  uint32_t env = env_bag(n, memory, &mem);
  WgCInstantiateArg *with =
      wg_arena_zalloc(n->arena, (am->import_count + 3) * sizeof *with);
  if (!with) return wg_cnew_fail(n, "out of memory");
  uint32_t nwith = 0;
  with[nwith++] = (WgCInstantiateArg){ .name = WG_STR("env"),
                                       .core_sort = WG_CCORE_INSTANCE,
                                       .index = env };
  if (n->failed || !main_module_bag(n, main_inst, env, with, &nwith) ||
      !wg_cnew_module_bags(n, am->imports, am->import_count, core_of,
                           from_main_module, with, &nwith))
    return false;
  /* the adapter itself, then its stack */
  uint32_t sp = global_by_name(am, "__stack_pointer");
  uint32_t state = global_by_name(am, "allocation_state");
  if ((sp == NONE) != (state == NONE))
    return wg_cnew_fail(n, "the adapter has a stack pointer but no allocation "
                           "state (or the reverse)");
  uint32_t realloc_import = main_realloc_import(am);
  bool lazy = sp != NONE && realloc_import != NONE &&
              wg_cnew_core_export(n, WG_STR("cabi_realloc"), WG_EXTERN_FUNC);
  WgBuf ab = { 0 };
  if (!adapter_bytes(n, n->abytes, n->alen, sp, state, lazy, realloc_import,
                     &ab))
    return false;
  uint32_t amod = wg_cnew_add_module(n, &ab);
  if (n->failed) return false;
  uint32_t ai = n->adapter_inst =
      wg_cnew_instantiate_core(n, amod, with, nwith);
  if (ai == NONE) return false;
  if (sp != NONE && !lazy && !allocate_stack(n, ai, mem)) return false;
  *adapter_realloc = NONE;
  if (wg_cnew_module_export(am, WG_STR("cabi_import_realloc"), WG_EXTERN_FUNC))
    *adapter_realloc =
        wg_cnew_alias_core(n, ai, WG_STR("cabi_import_realloc"), WG_CCORE_FUNC);
  return !n->failed;
}

/* ---- the realloc of a C command ----
 * wasm-ld wraps every export of a command module (one with `_start`) but
 * `_start` itself in a function that runs the C destructors after the call
 * (`cabi_realloc.command_export`: flushing and closing stdio). Run as the
 * component's realloc, that makes imports during realloc (a trap in a
 * conforming runtime) and resets stdio buffers in the middle of a write.
 * When `cabi_realloc` is such a wrapper (at most one call, its four
 * parameters forwarded to one call, then at most one more call: the
 * constructors, the allocator, the destructors), the wrapped function is
 * exported too, under WG_CNEW_INNER_REALLOC, and used instead. */

WgStr wg_cnew_realloc_name(const New *n) {
  if (n->inner_realloc) return WG_STR(WG_CNEW_INNER_REALLOC);
  return n->cm32 ? WG_STR("cm32p2_realloc") : WG_STR("cabi_realloc");
}

/* The function `cabi_realloc` forwards to, or NONE when it is not a
 * command-export wrapper. */
static uint32_t wrapped_realloc(const WgModule *m) {
  const WgExport *e = NULL;
  for (uint32_t i = 0; i < m->export_count; i++)
    if (m->exports[i].kind == WG_EXTERN_FUNC &&
        wg_cnew_str_is(m->exports[i].name, "cabi_realloc"))
      e = &m->exports[i];
  if (!e || e->index < m->func_import_count) return NONE;
  const WgFunc *f = &m->funcs[e->index - m->func_import_count];
  if (f->local_count != 0) return NONE;
  const uint8_t *p = f->code, *end = f->code + f->code_len;
  uint32_t target, other;
  if (p < end && *p == CW_OP_CALL) { /* the constructors first */
    p++;
    if (!wg_leb_u32(&p, end, &other)) return NONE;
  }
  for (uint8_t k = 0; k < 4; k++) {
    if (end - p < 2 || p[0] != CW_OP_LOCAL_GET || p[1] != k) return NONE;
    p += 2;
  }
  if (p >= end || *p++ != CW_OP_CALL || !wg_leb_u32(&p, end, &target))
    return NONE;
  if (p < end && *p == CW_OP_CALL) {
    p++;
    if (!wg_leb_u32(&p, end, &other)) return NONE;
  }
  if (p + 1 != end || *p != CW_OP_END) return NONE;
  uint32_t nfuncs = m->func_import_count + m->func_count;
  if (target >= nfuncs || target == e->index) return NONE;
  return target;
}

bool wg_cnew_unwrap_realloc(New *n, WgBuf *module) {
  uint32_t func = n->cm32 ? NONE : wrapped_realloc(n->core);
  if (func == NONE) return true;
  const uint8_t *p = (const uint8_t *)module->data + 8,
                *end = (const uint8_t *)module->data + module->len;
  WgBuf out = { 0 };
  wg_buf_append(&out, module->data, 8);
  bool done = false;
  while (p < end) {
    const uint8_t *start = p;
    uint8_t id = *p++;
    uint32_t size, count;
    if (!wg_leb_u32(&p, end, &size) || size > (size_t)(end - p)) break;
    const uint8_t *body = p;
    p += size;
    const uint8_t *q = body;
    if (id != CW_SEC_EXPORT || !wg_leb_u32(&q, p, &count)) {
      wg_buf_append(&out, start, (size_t)(p - start));
      continue;
    }
    WgBuf sec = { 0 };
    wg_buf_uleb(&sec, count + 1);
    wg_buf_append(&sec, q, (size_t)(p - q));
    wg_cw_export(&sec, WG_STR(WG_CNEW_INNER_REALLOC), WG_EXTERN_FUNC, func);
    wg_cw_section(&out, CW_SEC_EXPORT, &sec);
    done = true;
  }
  if (!done || out.failed) {
    wg_buf_free(&out);
    return true; /* keep the wrapper */
  }
  wg_buf_free(module);
  *module = out;
  n->inner_realloc = true;
  return true;
}
