/* SPDX-License-Identifier: Apache-2.0 */
/* The bindings run: prefixes for the world's interfaces, then every import
 * and export in world order, then the two files (header; source with the
 * runtime helpers, cabi_realloc and the component-type custom section). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "strbuf.h"

static const char *keep(Gen *g, char *s) {
  if (!s) return gen_fail(g, "out of memory"), "";
  if (g->str_count == g->str_cap) {
    size_t cap = g->str_cap ? g->str_cap * 2 : 1024;
    char **n = realloc(g->strs, cap * sizeof *n);
    if (!n) {
      free(s);
      return gen_fail(g, "out of memory"), "";
    }
    g->strs = n;
    g->str_cap = cap;
  }
  g->strs[g->str_count++] = s;
  return s;
}

bool gen_fail(Gen *g, const char *fmt, ...) {
  if (!g->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->err, sizeof g->err, fmt, ap);
    va_end(ap);
    g->failed = true;
  }
  return false;
}

const char *gen_strf(Gen *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = malloc((size_t)n + 1);
  if (s) {
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  return keep(g, s);
}

const char *gen_upper(Gen *g, const char *s) {
  char *u = strdup(s);
  for (char *p = u; p && *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
  return keep(g, u);
}

static bool is_c_identifier(const char *s) {
  if (!*s || (*s >= '0' && *s <= '9')) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '_'))
      return false;
  return true;
}

/* ---- prefixes ---------------------------------------------------------- */

static const char *snake(Gen *g, WgStr s) {
  char buf[512];
  wg_names_snake(buf, sizeof buf, 0, s);
  return gen_strf(g, "%s", buf);
}

/* The --rename target for an interface/world, or NULL. */
static const char *renamed(Gen *g, const char *wit_name, const char *wit_short,
                           const char *default_prefix) {
  for (size_t i = 0; i < g->opt->rename_count; i++) {
    const WgBindgenRename *rn = &g->opt->renames[i];
    if ((wit_name && strcmp(rn->from, wit_name) == 0) ||
        (wit_short && strcmp(rn->from, wit_short) == 0) ||
        strcmp(rn->from, default_prefix) == 0)
      return rn->to;
  }
  return NULL;
}

/* True for a named interface imported under a plain name (`import
 * primary: store;`): an instance of its own, in an extra slot. */
static bool is_extra_slot(const Gen *g, const WgWitWorldEntry *e, bool import) {
  return import && e->kind == WG_WIT_ITEM_INTERFACE && !e->key_is_interface &&
         g->r->interfaces.items[e->id].name.ptr != NULL;
}

/* The slot of extra entry `e`. */
static Side slot_of(const Gen *g, const WgWitWorldEntry *e) {
  for (size_t s = SIDE_FIRST_EXTRA; s < g->slot_count; s++)
    if (g->slots[s].iface == e->id && wg_str_eq(g->slots[s].key, e->key_name))
      return (Side)s;
  return SIDE_IMPORT;
}

static void note_iface(Gen *g, const WgWitWorldEntry *e, uint8_t flag) {
  if (e->kind != WG_WIT_ITEM_INTERFACE) return;
  if (is_extra_slot(g, e, flag == IFACE_IMPORTED)) return;
  g->iface_flags[e->id] |= flag;
  if (g->iface_wit[e->id]) return;
  const WgWitInterface *in = &g->r->interfaces.items[e->id];
  if (in->package != WG_WIT_NONE && in->name.ptr) {
    const WgWitPackageName *pn = &g->r->packages.items[in->package].name;
    const char *shortn = gen_strf(g, "%.*s:%.*s/%.*s", (int)pn->ns.len,
                                  pn->ns.ptr, (int)pn->name.len, pn->name.ptr,
                                  (int)in->name.len, in->name.ptr);
    g->iface_wit[e->id] = pn->version.ptr
                              ? gen_strf(g, "%s@%.*s", shortn,
                                         (int)pn->version.len, pn->version.ptr)
                              : shortn;
  } else {
    g->iface_wit[e->id] =
        gen_strf(g, "%.*s", (int)e->key_name.len, e->key_name.ptr);
  }
}

static bool assign_prefixes(Gen *g) {
  const WgWitWorld *w = g->world;
  size_t cap = w->imports.count + w->exports.count + 1;
  WgPrefixRequest *reqs = calloc(cap, sizeof *reqs);
  WgWitId *ids = calloc(cap, sizeof *ids);
  const char **out = calloc(cap, sizeof *out);
  bool ok = reqs && ids && out;
  size_t n = 0;
  if (ok) {
    reqs[0].forms[0] = g->stem;
    reqs[0].form_count = 1;
    reqs[0].fixed = renamed(g, NULL, NULL, g->stem);
    ids[n++] = WG_WIT_NONE;
  }
  for (int side = 0; ok && side < 2; side++) {
    const WgWitWorldItems *items = side ? &w->exports : &w->imports;
    for (size_t i = 0; i < items->count; i++) {
      const WgWitWorldEntry *e = &items->items[i];
      if (e->kind != WG_WIT_ITEM_INTERFACE || is_extra_slot(g, e, !side))
        continue;
      bool seen = false;
      for (size_t j = 1; j < n; j++)
        seen |= ids[j] == e->id;
      if (seen) continue;
      const WgWitInterface *in = &g->r->interfaces.items[e->id];
      WgPrefixRequest *rq = &reqs[n];
      const char *shortn = NULL;
      if (in->package != WG_WIT_NONE && in->name.ptr) {
        const WgWitPackageName *pn = &g->r->packages.items[in->package].name;
        const char *pkg = snake(g, pn->name), *ns = snake(g, pn->ns);
        const char *nm = snake(g, in->name);
        rq->forms[0] = gen_strf(g, "%s_%s", pkg, nm);
        rq->forms[1] = gen_strf(g, "%s_%s_%s", ns, pkg, nm);
        rq->form_count = 2;
        if (pn->version.ptr)
          rq->forms[rq->form_count++] =
              gen_strf(g, "%s_%s", rq->forms[1], snake(g, pn->version));
        shortn = gen_strf(g, "%.*s:%.*s/%.*s", (int)pn->ns.len, pn->ns.ptr,
                          (int)pn->name.len, pn->name.ptr, (int)in->name.len,
                          in->name.ptr);
      } else {
        rq->forms[0] = snake(g, e->key_name);
        rq->forms[1] = gen_strf(g, "%s_%s", g->stem, rq->forms[0]);
        rq->form_count = 2;
      }
      rq->fixed = renamed(g, g->iface_wit[e->id], shortn, rq->forms[0]);
      ids[n++] = e->id;
    }
  }
  size_t first_slot = n;
  for (size_t k = SIDE_FIRST_EXTRA; ok && k < g->slot_count; k++) {
    WgPrefixRequest *rq = &reqs[n];
    rq->forms[0] = snake(g, g->slots[k].key);
    rq->forms[1] = gen_strf(g, "%s_%s", g->stem, rq->forms[0]);
    rq->form_count = 2;
    rq->fixed = renamed(
        g, gen_strf(g, "%.*s", (int)g->slots[k].key.len, g->slots[k].key.ptr),
        NULL, rq->forms[0]);
    ids[n++] = WG_WIT_NONE - 1; /* a slot, see below */
  }
  for (size_t i = 0; ok && i < g->opt->rename_count; i++)
    if (!is_c_identifier(g->opt->renames[i].to))
      ok = gen_fail(g, "--rename: `%s` is not a C identifier",
                    g->opt->renames[i].to);
  if (ok && !wg_names_assign_prefixes(&g->names, reqs, n, out))
    ok = gen_fail(g, "out of memory");
  for (size_t i = 0; ok && i < n; i++) {
    if (i >= first_slot)
      g->slots[SIDE_FIRST_EXTRA + (i - first_slot)].prefix = out[i];
    else if (ids[i] == WG_WIT_NONE)
      g->world_prefix = out[i];
    else
      g->iface_prefix[ids[i]] = out[i];
  }
  free(reqs);
  free(ids);
  free(out);
  return ok && !g->failed;
}

/* ---- the world ----------------------------------------------------------- */

static bool refuse_async(Gen *g, const WgWitFunction *f) {
  switch (f->kind) {
    case WG_WIT_FUNC_ASYNC_FREESTANDING:
    case WG_WIT_FUNC_ASYNC_METHOD:
    case WG_WIT_FUNC_ASYNC_STATIC:
      return gen_fail(g, "not supported yet: async function `%.*s`",
                      (int)f->name.len, f->name.ptr);
    default:
      return true;
  }
}

/* The resource drops of an interface follow its functions. */
static void flush_late_imports(Gen *g) {
  wg_buf_append(&g->c_imports, g->c_imports_late.data, g->c_imports_late.len);
  g->c_imports_late.len = 0;
  wg_buf_append(&g->c_code, g->c_code_late.data, g->c_code_late.len);
  g->c_code_late.len = 0;
}

static bool gen_interface(Gen *g, WgWitId id, Side side) {
  const WgWitInterface *in = &g->r->interfaces.items[id];
  g->side = side;
  g->cur_iface = id;
  for (size_t i = 0; i < in->types.count; i++)
    if (!gen_type(g, WG_WIT_TYPE_OF(in->types.items[i].id))) return false;
  const char *prefix = g->iface_prefix[id];
  const char *module = g->iface_wit[id];
  if (side >= SIDE_FIRST_EXTRA) {
    prefix = g->slots[side].prefix;
    module = gen_strf(g, "%.*s", (int)g->slots[side].key.len,
                      g->slots[side].key.ptr);
  }
  if (side == SIDE_EXPORT) prefix = gen_strf(g, "exports_%s", prefix);
  if (in->functions.count)
    wg_buf_printf(&g->h_funcs, "/* ---- %s `%s` ---- */\n\n",
                  side == SIDE_EXPORT ? "Exported" : "Imported", module);
  for (size_t i = 0; i < in->functions.count; i++) {
    const WgWitFunction *f = &in->functions.items[i];
    if (!refuse_async(g, f)) return false;
    const char *cname = gen_func_cname(g, prefix, f);
    bool ok = side != SIDE_EXPORT
                  ? gen_import_func(g, f, module, cname)
                  : gen_export_func(g, f,
                                    gen_strf(g, "%s#%.*s", g->iface_wit[id],
                                             (int)f->name.len, f->name.ptr),
                                    cname);
    if (!ok) return false;
  }
  flush_late_imports(g);
  return true;
}

static bool gen_world_items(Gen *g) {
  const WgWitWorld *w = g->world;
  for (int side = 0; side < 2; side++) {
    const WgWitWorldItems *items = side ? &w->exports : &w->imports;
    for (size_t i = 0; i < items->count; i++) {
      const WgWitWorldEntry *e = &items->items[i];
      g->side = (Side)side;
      g->cur_iface = WG_WIT_NONE;
      bool ok = true;
      switch (e->kind) {
        case WG_WIT_ITEM_INTERFACE:
          ok = gen_interface(g, e->id,
                             is_extra_slot(g, e, !side) ? slot_of(g, e)
                                                        : (Side)side);
          break;
        case WG_WIT_ITEM_TYPE:
          g->side = SIDE_IMPORT;
          ok = gen_type(g, WG_WIT_TYPE_OF(e->id)) != NULL;
          break;
        case WG_WIT_ITEM_FUNCTION: {
          if (!refuse_async(g, &e->func)) return false;
          const char *prefix = side ? gen_strf(g, "exports_%s", g->world_prefix)
                                    : g->world_prefix;
          const char *cname = gen_func_cname(g, prefix, &e->func);
          ok = side ? gen_export_func(g, &e->func,
                                      gen_strf(g, "%.*s", (int)e->func.name.len,
                                               e->func.name.ptr),
                                      cname)
                    : gen_import_func(g, &e->func, "$root", cname);
          break;
        }
      }
      if (!ok || g->failed) return false;
    }
    flush_late_imports(g);
  }
  return true;
}

/* ---- files ------------------------------------------------------------- */

static void put_header(Gen *g, WgBuf *h) {
  const char *guard =
      gen_upper(g, gen_strf(g, "WITGEN_BINDINGS_%s_H", g->stem));
  const char *wp = g->world_prefix;
  wg_buf_printf(
      h,
      "/* Generated by witgen %s from world `%.*s`. DO NOT EDIT.\n"
      " * The API is documented in witgen's docs/bindings.md. */\n"
      "#ifndef %s\n#define %s\n\n"
      "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
      "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
      "/* A WIT string: UTF-8, `len` bytes, NOT NUL-terminated. */\n"
      "typedef struct %s_string_t {\n  uint8_t *ptr;\n  size_t len;\n} "
      "%s_string_t;\n"
      "/* Points `s` at the NUL-terminated `cstr` without copying it "
      "(a literal or\n * other static storage is never passed to "
      "free() by the bindings). */\n"
      "void %s_string_set(%s_string_t *s, const char *cstr);\n"
      "/* Copies the NUL-terminated `cstr` into the heap; release with "
      "%s_string_free(). */\n"
      "void %s_string_dup(%s_string_t *s, const char *cstr);\n"
      "/* Frees the bytes of `s` if they are in the heap. */\n"
      "void %s_string_free(%s_string_t *s);\n\n",
      wg_version(), (int)g->world->name.len, g->world->name.ptr, guard, guard,
      wp, wp, wp, wp, wp, wp, wp, wp, wp);
  wg_buf_append(h, g->h_types.data, g->h_types.len);
  wg_buf_append(h, g->h_funcs.data, g->h_funcs.len);
  wg_buf_printf(h, "#ifdef __cplusplus\n}\n#endif\n#endif /* %s */\n", guard);
}

static const char RUNTIME[] =
    "/* Frees `p` when it is in the heap (static data and the stack lie below\n"
    " * __heap_base), so values pointing at literals are safe to free. */\n"
    "extern unsigned char __heap_base;\n"
    "static __attribute__((unused)) void witgen_free_ptr(void *p) {\n"
    "  if ((uintptr_t)p >= (uintptr_t)&__heap_base) free(p);\n"
    "}\n\n"
    "/* Traps unless [p, p + len * size) lies in linear memory, aligned. */\n"
    "static __attribute__((unused)) void witgen_check_range(const void *p, "
    "size_t len,\n"
    "                                                      size_t size, "
    "size_t align) {\n"
    "  uint64_t mem = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;\n"
    "  uint64_t at = (uint64_t)(uintptr_t)p;\n"
    "  if (at % align != 0 || at > mem) __builtin_trap();\n"
    "  if ((uint64_t)len > (mem - at) / size) __builtin_trap();\n"
    "}\n\n"
    "/* Traps unless s[0..len) is well-formed UTF-8 (no overlongs, no\n"
    " * surrogates, nothing above U+10FFFF). */\n"
    "static __attribute__((unused)) void witgen_check_utf8(const uint8_t *s, "
    "size_t len) {\n"
    "  size_t i = 0;\n"
    "  while (i < len) {\n"
    "    uint8_t c = s[i];\n"
    "    if (c < 0x80) {\n      i++;\n      continue;\n    }\n"
    "    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;\n"
    "    if (c < 0xC2 || c > 0xF4 || len - i < n) __builtin_trap();\n"
    "    uint32_t cp = c & (0x3F >> (n - 1));\n"
    "    for (size_t k = 1; k < n; k++) {\n"
    "      if ((s[i + k] & 0xC0) != 0x80) __builtin_trap();\n"
    "      cp = (cp << 6) | (s[i + k] & 0x3F);\n"
    "    }\n"
    "    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||\n"
    "        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))\n"
    "      __builtin_trap();\n"
    "    i += n;\n"
    "  }\n"
    "}\n\n"
    "static __attribute__((unused)) int32_t witgen_f32_bits(float f) {\n"
    "  int32_t i;\n  memcpy(&i, &f, 4);\n  return i;\n}\n"
    "static __attribute__((unused)) float witgen_f32_from_bits(int32_t i) {\n"
    "  float f;\n  memcpy(&f, &i, 4);\n  return f;\n}\n"
    "static __attribute__((unused)) int64_t witgen_f64_bits(double f) {\n"
    "  int64_t i;\n  memcpy(&i, &f, 8);\n  return i;\n}\n"
    "static __attribute__((unused)) double witgen_f64_from_bits(int64_t i) {\n"
    "  double f;\n  memcpy(&f, &i, 8);\n  return f;\n}\n\n"
    "/* Borrowed handles an export received, dropped when it returns. */\n"
    "typedef struct witgen_borrow_t {\n"
    "  int32_t handle;\n"
    "  void (*drop)(int32_t);\n"
    "} witgen_borrow_t;\n"
    "typedef struct witgen_borrows_t {\n"
    "  witgen_borrow_t *items;\n"
    "  size_t len, cap;\n"
    "} witgen_borrows_t;\n"
    "static __attribute__((unused)) void witgen_borrows_push(\n"
    "    witgen_borrows_t *b, int32_t handle, void (*drop)(int32_t)) {\n"
    "  if (b->len == b->cap) {\n"
    "    b->cap = b->cap ? 2 * b->cap : 8;\n"
    "    b->items = realloc(b->items, b->cap * sizeof *b->items);\n"
    "    if (!b->items) abort();\n"
    "  }\n"
    "  b->items[b->len].handle = handle;\n"
    "  b->items[b->len++].drop = drop;\n"
    "}\n"
    "static __attribute__((unused)) void witgen_borrows_drop(witgen_borrows_t "
    "*b) {\n"
    "  for (size_t i = 0; i < b->len; i++) "
    "b->items[i].drop(b->items[i].handle);\n"
    "  free(b->items);\n"
    "}\n\n"
    "/* The allocator the host uses to pass strings and lists in. */\n"
    "__attribute__((__weak__, __export_name__(\"cabi_realloc\")))\n"
    "void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t "
    "new_size) {\n"
    "  if (old_size == 0) ptr = NULL;\n"
    "  if (new_size == 0) return (void *)align;\n"
    "  void *p = realloc(ptr, new_size);\n"
    "  if (!p || (uintptr_t)p % align != 0) abort();\n"
    "  return p;\n"
    "}\n\n";

static void put_source(Gen *g, WgBuf *c, const WgBuf *type_bytes) {
  const char *wp = g->world_prefix;
  wg_buf_printf(
      c,
      "/* Generated by witgen %s from world `%.*s`. DO NOT EDIT. */\n"
      "#include \"%s.h\"\n\n#include <stdlib.h>\n#include <string.h>\n\n",
      wg_version(), (int)g->world->name.len, g->world->name.ptr, g->stem);
  wg_buf_puts(c, RUNTIME);
  wg_buf_printf(
      c,
      "void %s_string_set(%s_string_t *s, const char *cstr) {\n"
      "  s->ptr = (uint8_t *)cstr;\n  s->len = strlen(cstr);\n}\n"
      "void %s_string_dup(%s_string_t *s, const char *cstr) {\n"
      "  s->len = strlen(cstr);\n  s->ptr = malloc(s->len ? s->len : 1);\n"
      "  if (!s->ptr) abort();\n  memcpy(s->ptr, cstr, s->len);\n}\n"
      "void %s_string_free(%s_string_t *s) {\n"
      "  witgen_free_ptr(s->ptr);\n  s->ptr = NULL;\n  s->len = 0;\n}\n\n",
      wp, wp, wp, wp, wp, wp);
  wg_buf_append(c, g->c_imports.data, g->c_imports.len);
  wg_buf_puts(c, "\n");
  wg_buf_append(c, g->c_helpers.data, g->c_helpers.len);
  wg_buf_append(c, g->c_code.data, g->c_code.len);
  wg_buf_append(c, g->c_frees.data, g->c_frees.len);
  /* The world's component type for `component new`. */
  wg_buf_printf(c,
                "/* The component type of world `%.*s` (read by `component "
                "new`), in\n * blocks that re-enter the same section: each "
                "string stays short. */\n",
                (int)g->world->name.len, g->world->name.ptr);
  for (size_t i = 0; i < type_bytes->len; i++) {
    if (i % 384 == 0)
      wg_buf_printf(c,
                    "%s__asm__(\".section \\\".custom_section.component-"
                    "type:%.*s\\\",\\\"\\\",@\\n\"",
                    i ? "\\n\"\n        \".text\\n\");\n" : "",
                    (int)g->world->name.len, g->world->name.ptr);
    if (i % 24 == 0)
      wg_buf_puts(c, "\n        \".byte ");
    else
      wg_buf_putc(c, ',');
    wg_buf_printf(c, "%u", (unsigned)(uint8_t)type_bytes->data[i]);
    if (i % 24 == 23 && (i + 1) % 384 != 0 && i + 1 < type_bytes->len)
      wg_buf_puts(c, "\\n\"");
  }
  wg_buf_puts(c, "\\n\"\n        \".text\\n\");\n");
}

static void gen_free(Gen *g) {
  wg_names_free(&g->names);
  wg_names_free(&g->helpers);
  size_t nt = g->r->types.count;
  for (size_t s = 0; s < g->slot_count; s++) {
    for (size_t i = 0; g->res && g->res[s] && i < nt; i++)
      free(g->res[s][i]);
    if (g->types) free(g->types[s]);
    if (g->borrows) free(g->borrows[s]);
    if (g->res) free(g->res[s]);
  }
  free(g->types);
  free(g->borrows);
  free(g->res);
  free(g->slots);
  for (size_t i = 0; i < g->shape_count; i++)
    free(g->shapes[i].shape);
  free(g->shapes);
  free(g->abi);
  for (size_t i = 0; i < g->abi_node_count; i++)
    free(g->abi_nodes[i]);
  free(g->abi_nodes);
  free(g->iface_prefix);
  free(g->iface_wit);
  free(g->iface_flags);
  wg_buf_free(&g->h_types);
  wg_buf_free(&g->h_funcs);
  wg_buf_free(&g->c_imports);
  wg_buf_free(&g->c_imports_late);
  wg_buf_free(&g->c_code_late);
  wg_buf_free(&g->c_frees);
  wg_buf_free(&g->c_helpers);
  wg_buf_free(&g->c_code);
  wg_buf_free(&g->stubs);
  wg_buf_free(&g->stub_keep);
  for (size_t i = 0; i < g->str_count; i++)
    free(g->strs[i]);
  free(g->strs);
}

WgStatus wg_bindgen_generate(const WgWitResolve *resolve, WgWitId world,
                             const WgBindgenOptions *options,
                             WgBindgenFiles *out, char *err, size_t err_cap) {
  memset(out, 0, sizeof *out);
  WgBindgenOptions defaults = { 0 };
  Gen g0 = { 0 }, *g = &g0;
  g->r = resolve;
  g->world_id = world;
  g->world = &resolve->worlds.items[world];
  g->opt = options ? options : &defaults;
  size_t nt = resolve->types.count ? resolve->types.count : 1;
  size_t ni = resolve->interfaces.count ? resolve->interfaces.count : 1;
  g->iface_prefix = calloc(ni, sizeof *g->iface_prefix);
  g->iface_wit = calloc(ni, sizeof *g->iface_wit);
  g->iface_flags = calloc(ni, 1);
  g->abi = calloc(nt, sizeof *g->abi);
  g->slot_count = SIDE_FIRST_EXTRA;
  for (size_t i = 0; i < g->world->imports.count; i++)
    g->slot_count += is_extra_slot(g, &g->world->imports.items[i], true);
  g->slots = calloc(g->slot_count, sizeof *g->slots);
  g->types = calloc(g->slot_count, sizeof *g->types);
  g->borrows = calloc(g->slot_count, sizeof *g->borrows);
  g->res = calloc(g->slot_count, sizeof *g->res);
  bool ok = g->iface_prefix && g->iface_wit && g->iface_flags && g->abi &&
            g->slots && g->types && g->borrows && g->res;
  for (size_t i = 0, k = SIDE_FIRST_EXTRA; ok && i < g->world->imports.count;
       i++) {
    const WgWitWorldEntry *e = &g->world->imports.items[i];
    if (is_extra_slot(g, e, true))
      g->slots[k++] = (Slot){ e->id, e->key_name, NULL };
  }
  for (size_t s = 0; s < g->slot_count && ok; s++) {
    g->types[s] = calloc(nt, sizeof(TypeInfo));
    g->borrows[s] = calloc(nt, sizeof(TypeInfo));
    g->res[s] = calloc(nt, sizeof(ResInfo *));
    ok = g->types[s] && g->borrows[s] && g->res[s];
  }
  if (!ok) gen_fail(g, "out of memory");
  WgBuf type_bytes = { 0 };
  WgStatus st = WG_OK;
  if (ok) {
    g->stem = snake(g, g->world->name);
    for (size_t i = 0; i < g->world->imports.count; i++)
      note_iface(g, &g->world->imports.items[i], IFACE_IMPORTED);
    for (size_t i = 0; i < g->world->exports.count; i++)
      note_iface(g, &g->world->exports.items[i], IFACE_EXPORTED);
    ok = assign_prefixes(g);
  }
  if (ok) {
    const char *wp = g->world_prefix;
    g->string_info.cname = gen_strf(g, "%s_string_t", wp);
    g->string_info.base = gen_strf(g, "%s_string", wp);
    const char *fixed[] = { "_string", "_string_t", "_string_set",
                            "_string_dup", "_string_free" };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
      wg_names_reserve(&g->names, gen_strf(g, "%s%s", wp, fixed[i]));
    ok = gen_world_items(g);
  }
  if (ok) {
    WgDiagList *tdiags = wg_diag_list_new();
    if (!tdiags)
      ok = gen_fail(g, "out of memory");
    else if (wg_wit_encode_world(resolve, world, &type_bytes, tdiags) != WG_OK)
      ok = gen_fail(g, "%s", wg_diag_list_first_error(tdiags));
    wg_diag_list_delete(tdiags);
  }
  if (ok && !g->failed) {
    WgBuf h = { 0 }, c = { 0 };
    put_header(g, &h);
    put_source(g, &c, &type_bytes);
    out->stem = strdup(g->stem);
    out->header = wg_buf_take(&h, NULL);
    out->source = wg_buf_take(&c, NULL);
    if (g->opt->stubs) {
      WgBuf s = { 0 };
      wg_buf_printf(&s,
                    "/* Trivial exports of world `%.*s` (witgen --stubs). */\n"
                    "#include \"%s.h\"\n\n#include <string.h>\n\n",
                    (int)g->world->name.len, g->world->name.ptr, g->stem);
      wg_buf_append(&s, g->stubs.data, g->stubs.len);
      /* Every import wrapper, referenced so that the linker keeps every
       * import: `component new` then sees the whole world. */
      wg_buf_puts(&s, "__attribute__((used)) const void *const "
                      "witgen_stub_keep_imports[] = {\n");
      wg_buf_append(&s, g->stub_keep.data, g->stub_keep.len);
      wg_buf_puts(&s, "  0\n};\n");
      out->stubs = wg_buf_take(&s, NULL);
      if (!out->stubs) gen_fail(g, "out of memory");
    }
    if (h.failed || c.failed || !out->stem || !out->header || !out->source)
      gen_fail(g, "out of memory");
  }
  if (g->failed) {
    snprintf(err, err_cap, "%s", g->err);
    st = strncmp(g->err, "not supported", 13) == 0   ? WG_ERR_UNSUPPORTED
         : strncmp(g->err, "out of memory", 13) == 0 ? WG_ERR_NOMEM
                                                     : WG_ERR_INVALID;
    wg_bindgen_files_free(out);
  }
  wg_buf_free(&type_bytes);
  gen_free(g);
  return st;
}

void wg_bindgen_files_free(WgBindgenFiles *files) {
  if (!files) return;
  free(files->stem);
  free(files->header);
  free(files->source);
  free(files->stubs);
  memset(files, 0, sizeof *files);
}
