/* SPDX-License-Identifier: Apache-2.0 */
/* Per-type helpers of the generated .c file, one static function per type
 * and job: free (memory and owned handles; the body of the public `*_free`
 * that c_types.c declares, CTypeHooks.free_fn), free memory only
 * (post-return), check (the values an export trampoline lifted: bounds,
 * alignment, UTF-8, discriminants, enum values, flag bits, chars; traps on
 * bad input, as CanonicalABI.md's lift_* trap_if's do), and drop the
 * borrowed handles an export received. */
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "strbuf.h"

static const char *const MODE_NAME[] = { "free", "free_memory", "check",
                                         "borrows" };

static bool any_needed(Gen *g, const WgWitTypeDef *d, WalkMode m) {
  for (size_t i = 0; i < d->cases.count; i++)
    if (d->cases.items[i].has_type &&
        guest_walk_needed(g, d->cases.items[i].type, m))
      return true;
  for (size_t i = 0; i < d->types.count; i++)
    if (guest_walk_needed(g, d->types.items[i], m)) return true;
  return false;
}

bool guest_walk_needed(Gen *g, WgWitType t, WalkMode m) {
  if (m == WALK_FREE) return ct_owns(&g->ct, t); /* the public *_free */
  t = cw_dealias(&g->w, t);
  if (!WG_WIT_TYPE_IS_ID(t)) {
    if (t == WG_WIT_STRING) return m != WALK_BORROWS;
    return m == WALK_CHECK && (t == WG_WIT_BOOL || t == WG_WIT_CHAR);
  }
  const WgWitTypeDef *d = cw_def(&g->w, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_TUPLE:
      return any_needed(g, d, m);
    case WG_WIT_KIND_VARIANT:
      return m == WALK_CHECK || any_needed(g, d, m);
    case WG_WIT_KIND_ENUM:
    case WG_WIT_KIND_FLAGS:
      return m == WALK_CHECK;
    case WG_WIT_KIND_OPTION:
      return m == WALK_CHECK || guest_walk_needed(g, d->a, m);
    case WG_WIT_KIND_RESULT:
      return m == WALK_CHECK || (d->has_a && guest_walk_needed(g, d->a, m)) ||
             (d->has_b && guest_walk_needed(g, d->b, m));
    case WG_WIT_KIND_LIST:
      return m != WALK_BORROWS || guest_walk_needed(g, d->a, m);
    case WG_WIT_KIND_MAP:
      return m != WALK_BORROWS || guest_walk_needed(g, d->a, m) ||
             guest_walk_needed(g, d->b, m);
    case WG_WIT_KIND_FIXED_LIST:
      return guest_walk_needed(g, d->a, m);
    case WG_WIT_KIND_HANDLE_BORROW:
      return m == WALK_BORROWS &&
             !cw_resource_is_exported(&g->w, cw_resource_of(&g->w, t));
    default: /* owned handles: dropped by WALK_FREE only */
      return false;
  }
}

/* Appends `F(expr)` for member type `t` when it needs `m`. */
static bool visit(Gen *g, WgBuf *b, WgWitType t, WalkMode m, const char *expr,
                  const char *indent) {
  if (!guest_walk_needed(g, t, m)) return true;
  const char *fn = guest_walk_fn(g, t, m);
  if (!fn) return false;
  wg_buf_printf(b, "%s%s(%s%s);\n", indent, fn, expr,
                m == WALK_BORROWS ? ", b" : "");
  return true;
}

/* The body of helper `m` for `t` (a C value `*v`). */
static bool body(Gen *g, WgBuf *b, WgWitType t, WalkMode m) {
  const WgAbiType *abi = ct_abi(&g->ct, t);
  if (!WG_WIT_TYPE_IS_ID(t)) {
    if (t == WG_WIT_STRING) {
      if (m == WALK_CHECK)
        wg_buf_puts(b, "  witgen_check_range(v->ptr, v->len, 1, 1);\n"
                       "  witgen_check_utf8(v->ptr, v->len);\n");
      else
        wg_buf_puts(b, "  witgen_free_ptr(v->ptr);\n");
    } else if (t == WG_WIT_BOOL) {
      wg_buf_puts(b, "  uint8_t *b = (uint8_t *)v;\n  *b = *b != 0;\n");
    } else if (t == WG_WIT_CHAR) {
      wg_buf_puts(b, "  if (*v >= 0x110000 || (*v >= 0xD800 && *v < 0xE000))\n"
                     "    __builtin_trap();\n");
    }
    return true;
  }
  const WgWitTypeDef *d = cw_def(&g->w, t);
  const char *trap = m == WALK_CHECK ? "__builtin_trap()" : "break";
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
      for (size_t i = 0; i < d->cases.count; i++)
        if (!visit(g, b, d->cases.items[i].type, m,
                   cw_strf(&g->w, "&v->%s",
                           cw_word(&g->w, d->cases.items[i].name)),
                   "  "))
          return false;
      return true;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->types.count; i++)
        if (!visit(g, b, d->types.items[i], m, cw_strf(&g->w, "&v->f%zu", i),
                   "  "))
          return false;
      return true;
    case WG_WIT_KIND_VARIANT:
      wg_buf_puts(b, "  switch (v->tag) {\n");
      for (size_t i = 0; i < d->cases.count; i++) {
        const WgWitCase *c = &d->cases.items[i];
        wg_buf_printf(b, "    case %zu:\n", i);
        if (c->has_type &&
            !visit(g, b, c->type, m,
                   cw_strf(&g->w, "&v->val.%s", cw_word(&g->w, c->name)),
                   "      "))
          return false;
        wg_buf_puts(b, "      break;\n");
      }
      wg_buf_printf(b, "    default:\n      %s;\n  }\n", trap);
      return true;
    case WG_WIT_KIND_ENUM:
      wg_buf_printf(b, "  if (*v >= %zu) __builtin_trap();\n", d->cases.count);
      return true;
    case WG_WIT_KIND_FLAGS: {
      size_t n = d->cases.count;
      if (n <= 32) {
        if (n % 8)
          wg_buf_printf(b, "  if ((uint32_t)*v >> %zu) __builtin_trap();\n", n);
      } else if (n % 32) {
        wg_buf_printf(b, "  if (v->bits[%zu] >> %zu) __builtin_trap();\n",
                      n / 32, n % 32);
      }
      wg_buf_puts(b, "  (void)v;\n");
      return true;
    }
    case WG_WIT_KIND_OPTION:
      if (m == WALK_CHECK)
        wg_buf_puts(b,
                    "  if (*(uint8_t *)&v->is_some > 1) __builtin_trap();\n");
      wg_buf_puts(b, "  if (v->is_some) {\n");
      if (!visit(g, b, d->a, m, "&v->val", "    ")) return false;
      wg_buf_puts(b, "  }\n");
      return true;
    case WG_WIT_KIND_RESULT:
      if (m == WALK_CHECK)
        wg_buf_puts(b, "  if (*(uint8_t *)&v->is_err > 1) __builtin_trap();\n");
      wg_buf_puts(b, "  if (v->is_err) {\n");
      if (d->has_b && !visit(g, b, d->b, m, "&v->val.err", "    "))
        return false;
      wg_buf_puts(b, "  } else {\n");
      if (d->has_a && !visit(g, b, d->a, m, "&v->val.ok", "    ")) return false;
      wg_buf_puts(b, "  }\n");
      return true;
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP: {
      const WgAbiType *elem = abi->children[0];
      WgAbiType entry = { WG_ABI_TUPLE, 2, abi->children };
      if (d->kind == WG_WIT_KIND_MAP) elem = &entry;
      if (m == WALK_CHECK)
        wg_buf_printf(b, "  witgen_check_range(v->ptr, v->len, %u, %u);\n",
                      wg_abi_size(elem, 4), wg_abi_alignment(elem, 4));
      wg_buf_puts(b, "  for (size_t i = 0; i < v->len; i++) {\n");
      if (d->kind == WG_WIT_KIND_LIST) {
        if (!visit(g, b, d->a, m, "&v->ptr[i]", "    ")) return false;
      } else if (!visit(g, b, d->a, m, "&v->ptr[i].key", "    ") ||
                 !visit(g, b, d->b, m, "&v->ptr[i].value", "    ")) {
        return false;
      }
      wg_buf_puts(b, "  }\n");
      if (m == WALK_FREE || m == WALK_FREE_MEMORY)
        wg_buf_puts(b, "  witgen_free_ptr(v->ptr);\n");
      return true;
    }
    case WG_WIT_KIND_FIXED_LIST:
      wg_buf_printf(b, "  for (size_t i = 0; i < %u; i++) {\n", d->size);
      if (!visit(g, b, d->a, m, "&v->items[i]", "    ")) return false;
      wg_buf_puts(b, "  }\n");
      return true;
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN: {
      const char *drop = guest_resource_drop_fn(g, cw_resource_of(&g->w, t));
      if (!drop) return false;
      wg_buf_printf(b, "  %s(*v);\n", drop);
      return true;
    }
    case WG_WIT_KIND_HANDLE_BORROW: {
      WgWitId res = cw_resource_of(&g->w, t);
      if (!guest_resource_drop_fn(g, res)) return false;
      const ResInfo *ri = g->res[cw_side_of(&g->w, res)][res];
      wg_buf_printf(b, "  witgen_borrows_push(b, v->handle, %s);\n",
                    ri->drop_import);
      return true;
    }
    default:
      return cw_fail(&g->w, WG_ERR_INVALID,
                     "internal: no %s helper for kind %d", MODE_NAME[m],
                     (int)d->kind);
  }
}

const char *guest_walk_fn(Gen *g, WgWitType t, WalkMode m) {
  t = cw_dealias(&g->w, t);
  const TypeInfo *ti = ct_type(&g->ct, t);
  if (!ti) return NULL;
  const char *name = cw_strf(&g->w, "witgen_%s_%s", MODE_NAME[m], ti->base);
  if (wg_names_taken(&g->helpers, name)) return name;
  if (!wg_names_reserve(&g->helpers, name)) return cw_nomem(&g->w), NULL;
  WgBuf b = { 0 };
  wg_buf_printf(&b, "static __attribute__((unused)) void %s(%s *v%s) {\n", name,
                ti->cname, m == WALK_BORROWS ? ", witgen_borrows_t *b" : "");
  bool ok = body(g, &b, t, m);
  wg_buf_puts(&b, "}\n\n");
  if (ok) wg_buf_append(&g->c_helpers, b.data, b.len);
  wg_buf_free(&b);
  return ok ? name : NULL;
}

const char *guest_free_fn(void *user, WgWitType t) {
  return guest_walk_fn(user, t, WALK_FREE);
}
