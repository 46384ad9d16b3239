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
      if (id != 7) continue;
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

/* Section `id` of the adapter rewritten for lazy stack allocation: the type
 * section gains `() -> ()`, the function section the allocator, the code
 * section a `call` of it in front of every exported function's body and
 * the allocator's body (state, sp and the realloc import as given). */
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
  if (id == 1) { /* types */
    wg_buf_append(&sec, q, (size_t)(end - q));
    static const uint8_t empty[] = { 0x60, 0, 0 };
    wg_buf_append(&sec, empty, sizeof empty);
  } else if (id == 3) { /* functions */
    wg_buf_append(&sec, q, (size_t)(end - q));
    wg_buf_uleb(&sec, am->type_count);
  } else { /* code */
    for (uint32_t i = 0; i < count; i++) {
      uint32_t size;
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
      /* locals stay first; the call goes before the first instruction */
      const uint8_t *p = fb;
      uint32_t groups, n;
      if (!wg_leb_u32(&p, fe, &groups)) {
        wg_buf_free(&sec);
        return false;
      }
      for (uint32_t g = 0; g < groups; g++) {
        if (!wg_leb_u32(&p, fe, &n) || p >= fe) {
          wg_buf_free(&sec);
          return false;
        }
        p++; /* value type (numeric: one byte in an adapter) */
      }
      WgBuf call = { 0 };
      wg_buf_putc(&call, 0x10);
      wg_buf_uleb(&call, alloc_func);
      wg_buf_uleb(&sec, size + call.len);
      wg_buf_append(&sec, fb, (size_t)(p - fb));
      wg_buf_append(&sec, call.data, call.len);
      wg_buf_append(&sec, p, (size_t)(fe - p));
      wg_buf_free(&call);
    }
    /* if state == 0: state = 1; sp = realloc(0, 0, 8, 65536) + 65536;
     * state = 2 */
    WgBuf f = { 0 };
    wg_buf_putc(&f, 0); /* no locals */
    wg_buf_putc(&f, 0x23);
    wg_buf_uleb(&f, state);
    static const uint8_t if_unalloc[] = { 0x45, 0x04, 0x40, 0x41, 1, 0x24 };
    wg_buf_append(&f, if_unalloc, sizeof if_unalloc);
    wg_buf_uleb(&f, state);
    static const uint8_t args[] = { 0x41, 0,    0x41, 0,    0x41, 8,
                                    0x41, 0x80, 0x80, 0x04, 0x10 };
    wg_buf_append(&f, args, sizeof args);
    wg_buf_uleb(&f, realloc);
    static const uint8_t top[] = { 0x41, 0x80, 0x80, 0x04, 0x6a, 0x24 };
    wg_buf_append(&f, top, sizeof top);
    wg_buf_uleb(&f, sp);
    static const uint8_t done[] = { 0x41, 2, 0x24 };
    wg_buf_append(&f, done, sizeof done);
    wg_buf_uleb(&f, state);
    static const uint8_t ends[] = { 0x0b, 0x0b };
    wg_buf_append(&f, ends, sizeof ends);
    wg_buf_uleb(&sec, f.len);
    wg_buf_append(&sec, f.data, f.len);
    wg_buf_free(&f);
  }
  wg_cnew_put_section(out, id, &sec);
  return true;
}

/* The adapter without its component-type sections, exporting globals
 * `sp` and `state` as `$sp` and `$state` (when not NONE) for the start
 * module, or, with `lazy` (sp and state given, `realloc` the main module's
 * realloc import), allocating its stack on first use. */
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
    if (lazy && (id == 1 || id == 3 || id == 10)) {
      if (!lazy_stack_section(n->adapter, id, body, p, sp, state, realloc, out))
        return wg_cnew_fail(n, "the adapter's section %u is malformed", id);
      continue;
    }
    if (id != 7 || sp == NONE || lazy) {
      wg_buf_append(out, start, (size_t)(p - start));
      continue;
    }
    const uint8_t *q = body;
    uint32_t count;
    if (!wg_leb_u32(&q, p, &count)) break;
    WgBuf sec = { 0 };
    wg_buf_uleb(&sec, count + 2);
    wg_buf_append(&sec, q, (size_t)(p - q));
    wg_cnew_put_name(&sec, WG_STR("$sp"));
    wg_buf_putc(&sec, 0x03);
    wg_buf_uleb(&sec, sp);
    wg_cnew_put_name(&sec, WG_STR("$state"));
    wg_buf_putc(&sec, 0x03);
    wg_buf_uleb(&sec, state);
    wg_cnew_put_section(out, 7, &sec);
  }
  wg_buf_free(&stripped);
  return true;
}

/* `(func (param i32 i32 i32 i32) (result i32))` allocating fresh pages:
 * the realloc the adapter gets when the main module has no cabi_realloc
 * (it only ever asks for new blocks). */
static void grow_realloc_module(WgBuf *m) {
  // clang-format off
  static const uint8_t mod[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0,
    /* type: (i32 i32 i32 i32) -> i32 */
    1, 9, 1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f,
    /* import env.memory */
    2, 15, 1, 3, 'e', 'n', 'v', 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0, 0,
    /* func 0: type 0 */
    3, 2, 1, 0,
    /* export "realloc" */
    7, 11, 1, 7, 'r', 'e', 'a', 'l', 'l', 'o', 'c', 0, 0,
    /* code: if (old_ptr | old_size) unreachable;
     *       r = memory.grow((size + 65535) >> 16); if r == -1 unreachable;
     *       r << 16 */
    10, 41, 1, 39, 1, 1, 0x7f,
    0x20, 0, 0x20, 1, 0x72, 0x04, 0x40, 0x00, 0x0b,
    0x20, 3, 0x41, 0xff, 0xff, 0x03, 0x6a, 0x41, 16, 0x76,
    0x40, 0, 0x22, 4,
    0x41, 0x7f, 0x46, 0x04, 0x40, 0x00, 0x0b,
    0x20, 4, 0x41, 16, 0x74, 0x0b,
  };
  // clang-format on
  wg_buf_append(m, mod, sizeof mod);
}

/* Start module: imports env.memory and the adapter's `$sp`/`$state`
 * globals; allocates one page as the adapter's stack. */
static void stack_module(WgBuf *m) {
  // clang-format off
  static const uint8_t mod[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0,
    2, 40, 3,
    3, 'e', 'n', 'v', 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0, 0,
    3, 'e', 'n', 'v', 3, '$', 's', 'p', 3, 0x7f, 1,
    3, 'e', 'n', 'v', 6, '$', 's', 't', 'a', 't', 'e', 3, 0x7f, 1,
    3, 2, 1, 0,
    8, 1, 0,
    /* sp = (memory.grow 1) << 16 + 65536 (trap when it fails); state = 2 */
    10, 35, 1, 33, 1, 1, 0x7f,
    0x41, 1, 0x40, 0, 0x22, 0,
    0x41, 0x7f, 0x46, 0x04, 0x40, 0x00, 0x0b,
    0x20, 0, 0x41, 16, 0x74, 0x41, 0x80, 0x80, 0x04, 0x6a, 0x24, 0,
    0x41, 2, 0x24, 1, 0x0b,
  };
  // clang-format on
  wg_buf_append(m, mod, sizeof mod);
}

/* A core instance exporting `count` items. */
static uint32_t core_bag(New *n, WgCInstantiateArg *items, uint32_t count) {
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE);
  if (!d) return NONE;
  d->u.instance =
      (WgCInstance){ .is_core = true, .arg_count = count, .args = items };
  return n->ncore_instances++;
}

static bool functype_eq(const WgFuncType *a, const WgFuncType *b) {
  return a->param_count == b->param_count &&
         a->result_count == b->result_count &&
         memcmp(a->types, b->types, a->param_count + a->result_count) == 0;
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
  uint32_t ty = e->index < am->func_import_count
                    ? wg_cnew_func_import_type(am, e->index)
                    : am->funcs[e->index - am->func_import_count].type_index;
  const WgFuncType *ft = &n->core->types[im->desc.func_type];
  if (ty >= am->type_count || !functype_eq(ft, &am->types[ty]))
    return wg_cnew_fail(
        n, "`%.*s`.`%.*s`: the adapter's function has another type",
        (int)aname.len, aname.ptr, (int)im->name.len, im->name.ptr);
  *slot = (Lowered){ .ft = ft, .func = NONE, .adapter = im->name };
  return true;
}

/* The adapter's instance (n->adapter_inst) once the main module exists:
 * `env` gives it the main memory, `__main_module__` the main module's
 * exports (a memory.grow realloc when it has no cabi_realloc), its other
 * imports `core_of` (shim slots or resource drops, per adapter import);
 * then its stack. *adapter_realloc: its cabi_import_realloc, for lowering
 * its imports. */
bool wg_cnew_instantiate_adapter(New *n, uint32_t main_inst, uint32_t memory,
                                 const uint32_t *core_of,
                                 uint32_t *adapter_realloc) {
  const WgModule *am = n->adapter;
  WgCInstantiateArg *envm = wg_arena_zalloc(n->arena, 3 * sizeof *envm);
  if (!envm) return wg_cnew_fail(n, "out of memory");
  envm[0] = (WgCInstantiateArg){ .name = WG_STR("memory"),
                                 .core_sort = WG_CCORE_MEMORY,
                                 .index = memory };
  uint32_t env = core_bag(n, envm, 1);
  /* what the adapter takes from the main module */
  uint32_t main_realloc = NONE;
  WgCInstantiateArg *mm =
      wg_arena_zalloc(n->arena, (am->import_count + 1) * sizeof *mm);
  if (!mm) return wg_cnew_fail(n, "out of memory");
  uint32_t nmm = 0;
  for (uint32_t j = 0; j < am->import_count; j++) {
    const WgImport *im = &am->imports[j];
    if (!wg_cnew_str_is(im->module, "__main_module__")) continue;
    uint32_t f;
    if (wg_cnew_core_export(n, im->name, WG_EXTERN_FUNC)) {
      WgStr name = wg_cnew_str_is(im->name, "cabi_realloc")
                       ? wg_cnew_realloc_name(n)
                       : im->name;
      f = wg_cnew_alias_core(n, main_inst, name, WG_CCORE_FUNC);
    } else if (wg_cnew_str_is(im->name, "cabi_realloc")) {
      if (main_realloc == NONE) {
        WgBuf b = { 0 };
        grow_realloc_module(&b);
        uint32_t mod = wg_cnew_add_module(n, &b);
        WgCInstantiateArg *w = wg_arena_zalloc(n->arena, sizeof *w);
        WgCDef *d = w ? wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE) : NULL;
        if (!d) return wg_cnew_fail(n, "out of memory");
        *w = (WgCInstantiateArg){ .name = WG_STR("env"),
                                  .core_sort = WG_CCORE_INSTANCE,
                                  .index = env };
        d->u.instance = (WgCInstance){ .is_core = true,
                                       .instantiate = true,
                                       .target = mod,
                                       .arg_count = 1,
                                       .args = w };
        main_realloc = wg_cnew_alias_core(n, n->ncore_instances++,
                                          WG_STR("realloc"), WG_CCORE_FUNC);
      }
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
  /* one core instance per other import module of the adapter */
  WgCInstantiateArg *with =
      wg_arena_zalloc(n->arena, (am->import_count + 3) * sizeof *with);
  if (!with) return wg_cnew_fail(n, "out of memory");
  uint32_t nwith = 0;
  with[nwith++] = (WgCInstantiateArg){ .name = WG_STR("env"),
                                       .core_sort = WG_CCORE_INSTANCE,
                                       .index = env };
  if (nmm)
    with[nwith++] = (WgCInstantiateArg){ .name = WG_STR("__main_module__"),
                                         .core_sort = WG_CCORE_INSTANCE,
                                         .index = core_bag(n, mm, nmm) };
  for (uint32_t j = 0; j < am->import_count; j++) {
    WgStr mod = am->imports[j].module;
    if (wg_cnew_str_is(mod, "env") || wg_cnew_str_is(mod, "__main_module__"))
      continue;
    bool seen = false;
    for (uint32_t a = 0; a < nwith; a++)
      if (wg_str_eq(with[a].name, mod)) seen = true;
    if (seen) continue;
    uint32_t count = 0;
    for (uint32_t q = j; q < am->import_count; q++)
      if (wg_str_eq(am->imports[q].module, mod)) count++;
    WgCInstantiateArg *ex = wg_arena_zalloc(n->arena, count * sizeof *ex);
    if (!ex) return wg_cnew_fail(n, "out of memory");
    count = 0;
    for (uint32_t q = j; q < am->import_count; q++)
      if (wg_str_eq(am->imports[q].module, mod))
        ex[count++] = (WgCInstantiateArg){ .name = am->imports[q].name,
                                           .core_sort = WG_CCORE_FUNC,
                                           .index = core_of[q] };
    with[nwith++] = (WgCInstantiateArg){ .name = mod,
                                         .core_sort = WG_CCORE_INSTANCE,
                                         .index = core_bag(n, ex, count) };
  }
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
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE);
  if (!d) return false;
  d->u.instance = (WgCInstance){ .is_core = true,
                                 .instantiate = true,
                                 .target = amod,
                                 .arg_count = nwith,
                                 .args = with };
  uint32_t ai = n->adapter_inst = n->ncore_instances++;
  if (sp != NONE && !lazy) {
    WgCInstantiateArg *g = wg_arena_zalloc(n->arena, 3 * sizeof *g);
    if (!g) return wg_cnew_fail(n, "out of memory");
    g[0] = envm[0];
    g[1] = (WgCInstantiateArg){ .name = WG_STR("$sp"),
                                .core_sort = WG_CCORE_GLOBAL,
                                .index = wg_cnew_alias_core(
                                    n, ai, WG_STR("$sp"), WG_CCORE_GLOBAL) };
    g[2] = (WgCInstantiateArg){ .name = WG_STR("$state"),
                                .core_sort = WG_CCORE_GLOBAL,
                                .index = wg_cnew_alias_core(
                                    n, ai, WG_STR("$state"), WG_CCORE_GLOBAL) };
    uint32_t genv = core_bag(n, g, 3);
    WgBuf b = { 0 };
    stack_module(&b);
    uint32_t smod = wg_cnew_add_module(n, &b);
    WgCInstantiateArg *w = wg_arena_zalloc(n->arena, sizeof *w);
    WgCDef *sd = w ? wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE) : NULL;
    if (!sd) return wg_cnew_fail(n, "out of memory");
    *w = (WgCInstantiateArg){ .name = WG_STR("env"),
                              .core_sort = WG_CCORE_INSTANCE,
                              .index = genv };
    sd->u.instance = (WgCInstance){ .is_core = true,
                                    .instantiate = true,
                                    .target = smod,
                                    .arg_count = 1,
                                    .args = w };
    n->ncore_instances++;
  }
  *adapter_realloc = NONE;
  if (wg_cnew_module_export(am, WG_STR("cabi_import_realloc"), WG_EXTERN_FUNC))
    *adapter_realloc =
        wg_cnew_alias_core(n, ai, WG_STR("cabi_import_realloc"), WG_CCORE_FUNC);
  return !n->failed;
}
