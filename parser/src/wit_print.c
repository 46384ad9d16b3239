/* SPDX-License-Identifier: Apache-2.0 */
/* Printing a resolved package back as WIT text. The output re-resolves to
 * the same model: items are written in the order the resolver numbered
 * them (types in their resolved order, functions interleaved so that they
 * are resolved in the same order), world items after elaboration. */
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "wit_internal.h"

typedef struct Printer {
  const WgWitResolve *r;
  WgWitId pkg;
  WgBuf b;
  int indent;
} Printer;

static const char *const KEYWORDS[] = {
  "as",          "async",    "bool",          "borrow",     "char",
  "constructor", "enum",     "error-context", "export",     "f32",
  "f64",         "feature",  "flags",         "float32",    "float64",
  "func",        "future",   "import",        "include",    "interface",
  "list",        "map",      "option",        "own",        "package",
  "record",      "resource", "result",        "s16",        "s32",
  "s64",         "s8",       "static",        "stream",     "string",
  "tuple",       "type",     "u16",           "u32",        "u64",
  "u8",          "use",      "variant",       "version",    "with",
  "world",       "since",    "unstable",      "deprecated",
};

void wit_put_name(WgBuf *b, WgStr s) {
  for (size_t i = 0; i < sizeof KEYWORDS / sizeof *KEYWORDS; i++) {
    if (strlen(KEYWORDS[i]) == s.len &&
        memcmp(KEYWORDS[i], s.ptr, s.len) == 0) {
      wg_buf_putc(b, '%');
      break;
    }
  }
  wg_buf_append_str(b, s);
}

static void name(Printer *p, WgStr s) {
  wit_put_name(&p->b, s);
}

static void ind(Printer *p) {
  for (int i = 0; i < p->indent; i++)
    wg_buf_puts(&p->b, "  ");
}

static void docs(Printer *p, WgWitDocs d) {
  if (!d.ptr) return;
  size_t s = 0;
  if (d.len == 0) {
    ind(p);
    wg_buf_puts(&p->b, "///\n");
    return;
  }
  while (s <= d.len) {
    size_t e = s;
    while (e < d.len && d.ptr[e] != '\n')
      e++;
    ind(p);
    if (e > s) {
      wg_buf_puts(&p->b, "/// ");
      wg_buf_append(&p->b, d.ptr + s, e - s);
    } else {
      wg_buf_puts(&p->b, "///");
    }
    wg_buf_putc(&p->b, '\n');
    if (e >= d.len) break;
    s = e + 1;
  }
}

static void stability(Printer *p, const WgWitStability *s) {
  if (s->kind == WG_WIT_STABILITY_STABLE) {
    ind(p);
    wg_buf_printf(&p->b, "@since(version = %.*s)\n", (int)s->since.len,
                  s->since.ptr);
  } else if (s->kind == WG_WIT_STABILITY_UNSTABLE) {
    ind(p);
    wg_buf_puts(&p->b, "@unstable(feature = ");
    name(p, s->feature);
    wg_buf_puts(&p->b, ")\n");
  }
  if (s->kind != WG_WIT_STABILITY_UNKNOWN && s->deprecated.ptr) {
    ind(p);
    wg_buf_printf(&p->b, "@deprecated(version = %.*s)\n",
                  (int)s->deprecated.len, s->deprecated.ptr);
  }
}

static void external_id(Printer *p, WgStr id) {
  if (!id.ptr) return;
  ind(p);
  wg_buf_puts(&p->b, "@external-id(\"");
  for (size_t i = 0; i < id.len; i++) {
    char c = id.ptr[i];
    if (c == '\n') {
      wg_buf_puts(&p->b, "\\n");
    } else if (c == '\t') {
      wg_buf_puts(&p->b, "\\t");
    } else if (c == '\r') {
      wg_buf_puts(&p->b, "\\r");
    } else {
      if (c == '"' || c == '\\') wg_buf_putc(&p->b, '\\');
      wg_buf_putc(&p->b, c);
    }
  }
  wg_buf_puts(&p->b, "\")\n");
}

static void type(Printer *p, WgWitType t);

static void opt(Printer *p, bool has, WgWitType t) {
  if (has) type(p, t);
}

static void anon(Printer *p, const WgWitTypeDef *t) {
  switch (t->kind) {
    case WG_WIT_KIND_HANDLE_OWN:
      type(p, WG_WIT_TYPE_OF(t->resource));
      return;
    case WG_WIT_KIND_HANDLE_BORROW:
      wg_buf_puts(&p->b, "borrow<");
      type(p, WG_WIT_TYPE_OF(t->resource));
      wg_buf_putc(&p->b, '>');
      return;
    case WG_WIT_KIND_TUPLE:
      wg_buf_puts(&p->b, "tuple<");
      for (size_t i = 0; i < t->types.count; i++) {
        if (i) wg_buf_puts(&p->b, ", ");
        type(p, t->types.items[i]);
      }
      wg_buf_putc(&p->b, '>');
      return;
    case WG_WIT_KIND_OPTION:
      wg_buf_puts(&p->b, "option<");
      type(p, t->a);
      wg_buf_putc(&p->b, '>');
      return;
    case WG_WIT_KIND_RESULT:
      wg_buf_puts(&p->b, "result");
      if (t->has_a || t->has_b) {
        wg_buf_putc(&p->b, '<');
        if (t->has_a)
          type(p, t->a);
        else
          wg_buf_putc(&p->b, '_');
        if (t->has_b) {
          wg_buf_puts(&p->b, ", ");
          type(p, t->b);
        }
        wg_buf_putc(&p->b, '>');
      }
      return;
    case WG_WIT_KIND_LIST:
      wg_buf_puts(&p->b, "list<");
      type(p, t->a);
      wg_buf_putc(&p->b, '>');
      return;
    case WG_WIT_KIND_FIXED_LIST:
      wg_buf_puts(&p->b, "list<");
      type(p, t->a);
      wg_buf_printf(&p->b, ", %u>", (unsigned)t->size);
      return;
    case WG_WIT_KIND_MAP:
      wg_buf_puts(&p->b, "map<");
      type(p, t->a);
      wg_buf_puts(&p->b, ", ");
      type(p, t->b);
      wg_buf_putc(&p->b, '>');
      return;
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      wg_buf_puts(&p->b, t->kind == WG_WIT_KIND_FUTURE ? "future" : "stream");
      if (t->has_a) {
        wg_buf_putc(&p->b, '<');
        opt(p, true, t->a);
        wg_buf_putc(&p->b, '>');
      }
      return;
    case WG_WIT_KIND_TYPE:
      type(p, t->a);
      return;
    default:
      wg_buf_puts(&p->b, "/* unprintable type */");
  }
}

static void type(Printer *p, WgWitType t) {
  if (!WG_WIT_TYPE_IS_ID(t)) {
    wg_buf_puts(&p->b, wg_wit_prim_name((WgWitPrim)t));
    return;
  }
  const WgWitTypeDef *d = &p->r->types.items[WG_WIT_TYPE_ID(t)];
  if (d->name.ptr)
    name(p, d->name);
  else
    anon(p, d);
}

static void params(Printer *p, const WgWitFunction *f, size_t skip) {
  wg_buf_putc(&p->b, '(');
  for (size_t i = skip; i < f->params.count; i++) {
    if (i > skip) wg_buf_puts(&p->b, ", ");
    name(p, f->params.items[i].name);
    wg_buf_puts(&p->b, ": ");
    type(p, f->params.items[i].type);
  }
  wg_buf_putc(&p->b, ')');
}

static bool is_async(WgWitFuncKind k) {
  return k == WG_WIT_FUNC_ASYNC_FREESTANDING || k == WG_WIT_FUNC_ASYNC_METHOD ||
         k == WG_WIT_FUNC_ASYNC_STATIC;
}

/* `name: func(...) -> r;` (kw "func") for freestanding functions. */
static void func_sig(Printer *p, const WgWitFunction *f, size_t skip) {
  if (is_async(f->kind)) wg_buf_puts(&p->b, "async ");
  wg_buf_puts(&p->b, "func");
  params(p, f, skip);
  if (f->has_result) {
    wg_buf_puts(&p->b, " -> ");
    type(p, f->result);
  }
}

static void item_attrs(Printer *p, WgWitDocs d, const WgWitStability *s,
                       WgStr ext) {
  docs(p, d);
  stability(p, s);
  external_id(p, ext);
}

static void resource_func(Printer *p, const WgWitFunction *f) {
  item_attrs(p, f->docs, &f->stability, f->external_id);
  ind(p);
  if (f->kind == WG_WIT_FUNC_CONSTRUCTOR) {
    wg_buf_puts(&p->b, "constructor");
    params(p, f, 0);
    bool implicit = false;
    if (f->has_result && WG_WIT_TYPE_IS_ID(f->result)) {
      const WgWitTypeDef *t = &p->r->types.items[WG_WIT_TYPE_ID(f->result)];
      implicit = (t->kind == WG_WIT_KIND_HANDLE_OWN && !t->name.ptr &&
                  t->resource == f->resource) ||
                 WG_WIT_TYPE_ID(f->result) == f->resource;
    }
    if (f->has_result && !implicit) {
      wg_buf_puts(&p->b, " -> ");
      type(p, f->result);
    }
    wg_buf_puts(&p->b, ";\n");
    return;
  }
  const char *dot = memchr(f->name.ptr, '.', f->name.len);
  WgStr short_name = { dot + 1, f->name.len - (size_t)(dot + 1 - f->name.ptr) };
  name(p, short_name);
  wg_buf_puts(&p->b, ": ");
  bool method =
      f->kind == WG_WIT_FUNC_METHOD || f->kind == WG_WIT_FUNC_ASYNC_METHOD;
  if (!method) wg_buf_puts(&p->b, "static ");
  func_sig(p, f, method ? 1 : 0);
  wg_buf_puts(&p->b, ";\n");
}

/* Path of interface `id` as seen from the printed package. */
static void iface_path(Printer *p, WgWitId id) {
  const WgWitInterface *i = &p->r->interfaces.items[id];
  if (i->package == p->pkg) {
    name(p, i->name);
    return;
  }
  const WgWitPackageName *n = &p->r->packages.items[i->package].name;
  name(p, n->ns);
  wg_buf_putc(&p->b, ':');
  name(p, n->name);
  wg_buf_putc(&p->b, '/');
  name(p, i->name);
  if (n->version.ptr)
    wg_buf_printf(&p->b, "@%.*s", (int)n->version.len, n->version.ptr);
}

/* Prints named type `id` of an interface or world body. */
static void typedef_item(Printer *p, WgWitId id, const WgWitFunctionList *funcs,
                         const WgWitWorldItems *wfuncs) {
  const WgWitTypeDef *t = &p->r->types.items[id];
  if (t->kind == WG_WIT_KIND_TYPE && WG_WIT_TYPE_IS_ID(t->a)) {
    const WgWitTypeDef *o = &p->r->types.items[WG_WIT_TYPE_ID(t->a)];
    if ((o->owner_kind != t->owner_kind || o->owner != t->owner) &&
        o->owner_kind == WG_WIT_OWNER_INTERFACE) {
      stability(p, &t->stability);
      external_id(p, t->external_id);
      ind(p);
      wg_buf_puts(&p->b, "use ");
      iface_path(p, o->owner);
      wg_buf_puts(&p->b, ".{");
      name(p, o->name);
      if (!wg_str_eq(o->name, t->name)) {
        wg_buf_puts(&p->b, " as ");
        name(p, t->name);
      }
      wg_buf_puts(&p->b, "};\n");
      return;
    }
  }
  item_attrs(p, t->docs, &t->stability, t->external_id);
  ind(p);
  switch (t->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_FLAGS:
    case WG_WIT_KIND_VARIANT:
    case WG_WIT_KIND_ENUM: {
      const char *kw = t->kind == WG_WIT_KIND_RECORD    ? "record"
                       : t->kind == WG_WIT_KIND_FLAGS   ? "flags"
                       : t->kind == WG_WIT_KIND_VARIANT ? "variant"
                                                        : "enum";
      wg_buf_printf(&p->b, "%s ", kw);
      name(p, t->name);
      wg_buf_puts(&p->b, " {\n");
      p->indent++;
      for (size_t i = 0; i < t->cases.count; i++) {
        const WgWitCase *c = &t->cases.items[i];
        docs(p, c->docs);
        ind(p);
        name(p, c->name);
        if (t->kind == WG_WIT_KIND_RECORD) {
          wg_buf_puts(&p->b, ": ");
          type(p, c->type);
        } else if (t->kind == WG_WIT_KIND_VARIANT && c->has_type) {
          wg_buf_putc(&p->b, '(');
          type(p, c->type);
          wg_buf_putc(&p->b, ')');
        }
        wg_buf_puts(&p->b, ",\n");
      }
      p->indent--;
      ind(p);
      wg_buf_puts(&p->b, "}\n");
      return;
    }
    case WG_WIT_KIND_RESOURCE: {
      wg_buf_puts(&p->b, "resource ");
      name(p, t->name);
      bool any = false;
      if (funcs) {
        for (size_t i = 0; i < funcs->count; i++)
          if (funcs->items[i].kind != WG_WIT_FUNC_FREESTANDING &&
              funcs->items[i].kind != WG_WIT_FUNC_ASYNC_FREESTANDING &&
              funcs->items[i].resource == id)
            any = true;
      }
      if (wfuncs) {
        for (size_t i = 0; i < wfuncs->count; i++) {
          const WgWitWorldEntry *e = &wfuncs->items[i];
          if (e->kind == WG_WIT_ITEM_FUNCTION &&
              e->func.kind != WG_WIT_FUNC_FREESTANDING &&
              e->func.kind != WG_WIT_FUNC_ASYNC_FREESTANDING &&
              e->func.resource == id)
            any = true;
        }
      }
      if (!any) {
        wg_buf_puts(&p->b, ";\n");
        return;
      }
      wg_buf_puts(&p->b, " {\n");
      p->indent++;
      for (size_t i = 0; funcs && i < funcs->count; i++)
        if (funcs->items[i].kind != WG_WIT_FUNC_FREESTANDING &&
            funcs->items[i].kind != WG_WIT_FUNC_ASYNC_FREESTANDING &&
            funcs->items[i].resource == id)
          resource_func(p, &funcs->items[i]);
      for (size_t i = 0; wfuncs && i < wfuncs->count; i++) {
        const WgWitWorldEntry *e = &wfuncs->items[i];
        if (e->kind == WG_WIT_ITEM_FUNCTION &&
            e->func.kind != WG_WIT_FUNC_FREESTANDING &&
            e->func.kind != WG_WIT_FUNC_ASYNC_FREESTANDING &&
            e->func.resource == id)
          resource_func(p, &e->func);
      }
      p->indent--;
      ind(p);
      wg_buf_puts(&p->b, "}\n");
      return;
    }
    case WG_WIT_KIND_HANDLE_OWN:
      wg_buf_puts(&p->b, "type ");
      name(p, t->name);
      wg_buf_puts(&p->b, " = own<");
      type(p, WG_WIT_TYPE_OF(t->resource));
      wg_buf_puts(&p->b, ">;\n");
      return;
    default:
      wg_buf_puts(&p->b, "type ");
      name(p, t->name);
      wg_buf_puts(&p->b, " = ");
      anon(p, t);
      wg_buf_puts(&p->b, ";\n");
      return;
  }
}

static void freestanding(Printer *p, const WgWitFunction *f) {
  item_attrs(p, f->docs, &f->stability, f->external_id);
  ind(p);
  name(p, f->name);
  wg_buf_puts(&p->b, ": ");
  func_sig(p, f, 0);
  wg_buf_puts(&p->b, ";\n");
}

static bool is_free(const WgWitFunction *f) {
  return f->kind == WG_WIT_FUNC_FREESTANDING ||
         f->kind == WG_WIT_FUNC_ASYNC_FREESTANDING;
}

static void interface_body(Printer *p, const WgWitInterface *ifc) {
  p->indent++;
  size_t next_func = 0; /* functions printed so far, in map order */
  const WgWitFunctionList *fs = &ifc->functions;
  for (size_t i = 0; i < ifc->types.count; i++) {
    WgWitId id = ifc->types.items[i].id;
    if (p->r->types.items[id].kind == WG_WIT_KIND_RESOURCE) {
      /* free functions listed before this resource's methods go first */
      size_t first = fs->count;
      for (size_t k = 0; k < fs->count; k++)
        if (!is_free(&fs->items[k]) && fs->items[k].resource == id) {
          first = k;
          break;
        }
      if (first < fs->count) {
        for (; next_func < first; next_func++)
          if (is_free(&fs->items[next_func]))
            freestanding(p, &fs->items[next_func]);
      }
    }
    typedef_item(p, id, fs, NULL);
  }
  for (; next_func < fs->count; next_func++)
    if (is_free(&fs->items[next_func])) freestanding(p, &fs->items[next_func]);
  p->indent--;
}

static void world_entry(Printer *p, const WgWitWorldEntry *e, bool import) {
  const char *kw = import ? "import " : "export ";
  if (e->kind == WG_WIT_ITEM_FUNCTION) {
    if (!is_free(&e->func)) return; /* printed inside its resource */
    item_attrs(p, e->func.docs, &e->func.stability, e->func.external_id);
    ind(p);
    wg_buf_puts(&p->b, kw);
    name(p, e->func.name);
    wg_buf_puts(&p->b, ": ");
    func_sig(p, &e->func, 0);
    wg_buf_puts(&p->b, ";\n");
    return;
  }
  const WgWitInterface *ifc = &p->r->interfaces.items[e->id];
  if (e->key_is_interface) {
    item_attrs(p, e->docs, &e->stability, e->external_id);
    ind(p);
    wg_buf_puts(&p->b, kw);
    iface_path(p, e->id);
    wg_buf_puts(&p->b, ";\n");
    return;
  }
  if (!ifc->name.ptr) {
    item_attrs(p, ifc->docs, &ifc->stability, e->external_id);
    ind(p);
    wg_buf_puts(&p->b, kw);
    name(p, e->key_name);
    wg_buf_puts(&p->b, ": interface {\n");
    interface_body(p, ifc);
    ind(p);
    wg_buf_puts(&p->b, "}\n");
    return;
  }
  item_attrs(p, e->docs, &e->stability, e->external_id);
  ind(p);
  wg_buf_puts(&p->b, kw);
  name(p, e->key_name);
  wg_buf_puts(&p->b, ": ");
  iface_path(p, e->id);
  wg_buf_puts(&p->b, ";\n");
}

static void world(Printer *p, const WgWitWorld *w) {
  item_attrs(p, w->docs, &w->stability, (WgStr){ 0 });
  ind(p);
  wg_buf_puts(&p->b, "world ");
  name(p, w->name);
  wg_buf_puts(&p->b, " {\n");
  p->indent++;
  for (size_t i = 0; i < w->imports.count; i++) {
    const WgWitWorldEntry *e = &w->imports.items[i];
    if (e->kind == WG_WIT_ITEM_TYPE)
      typedef_item(p, e->id, NULL, &w->imports);
    else
      world_entry(p, e, true);
  }
  for (size_t i = 0; i < w->exports.count; i++)
    world_entry(p, &w->exports.items[i], false);
  p->indent--;
  ind(p);
  wg_buf_puts(&p->b, "}\n");
}

static void package_items(Printer *p, const WgWitPackage *k) {
  for (size_t i = 0; i < k->interfaces.count; i++) {
    const WgWitInterface *ifc =
        &p->r->interfaces.items[k->interfaces.items[i].id];
    wg_buf_putc(&p->b, '\n');
    item_attrs(p, ifc->docs, &ifc->stability, (WgStr){ 0 });
    ind(p);
    wg_buf_puts(&p->b, "interface ");
    name(p, ifc->name);
    wg_buf_puts(&p->b, " {\n");
    interface_body(p, ifc);
    ind(p);
    wg_buf_puts(&p->b, "}\n");
  }
  for (size_t i = 0; i < k->worlds.count; i++) {
    wg_buf_putc(&p->b, '\n');
    world(p, &p->r->worlds.items[k->worlds.items[i].id]);
  }
}

static void package_name(Printer *p, const WgWitPackage *k) {
  name(p, k->name.ns);
  wg_buf_putc(&p->b, ':');
  name(p, k->name.name);
  if (k->name.version.ptr)
    wg_buf_printf(&p->b, "@%.*s", (int)k->name.version.len,
                  k->name.version.ptr);
}

char *wg_wit_print_package(const WgWitResolve *r, WgWitId pkg) {
  Printer p = { r, pkg, { 0 }, 0 };
  if (pkg >= r->packages.count) return wg_buf_take(&p.b, NULL);
  const WgWitPackage *k = &r->packages.items[pkg];
  docs(&p, k->docs);
  wg_buf_puts(&p.b, "package ");
  package_name(&p, k);
  wg_buf_puts(&p.b, ";\n");
  package_items(&p, k);
  /* packages declared in nested blocks of the same files */
  const WitResolveInternal *in = wit_internal(r);
  if (pkg == r->main_package) {
    for (size_t i = 0; i < in->in_main_group.count; i++) {
      if (i == pkg || !in->in_main_group.items[i]) continue;
      const WgWitPackage *n = &r->packages.items[i];
      p.pkg = (WgWitId)i;
      wg_buf_putc(&p.b, '\n');
      docs(&p, n->docs);
      wg_buf_puts(&p.b, "package ");
      package_name(&p, n);
      wg_buf_puts(&p.b, " {");
      p.indent++;
      package_items(&p, n);
      p.indent--;
      wg_buf_puts(&p.b, "}\n");
    }
  }
  if (p.b.failed) {
    wg_buf_free(&p.b);
    return NULL;
  }
  return wg_buf_take(&p.b, NULL);
}
