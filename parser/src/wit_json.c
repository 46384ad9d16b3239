/* SPDX-License-Identifier: Apache-2.0 */
/* JSON dump of a resolve in the shape of wit-parser's serde output
 * (serde_json pretty printer: two-space indent, `"key": value`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "wit_internal.h"

typedef struct Json {
  WgBuf b;
  int depth;
  bool first; /* no element written yet in the current container */
} Json;

static void indent(Json *j) {
  wg_buf_putc(&j->b, '\n');
  for (int i = 0; i < j->depth; i++)
    wg_buf_puts(&j->b, "  ");
}

static void str(Json *j, WgStr s) {
  wg_buf_putc(&j->b, '"');
  for (size_t i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.ptr[i];
    switch (c) {
      case '"':
        wg_buf_puts(&j->b, "\\\"");
        break;
      case '\\':
        wg_buf_puts(&j->b, "\\\\");
        break;
      case '\n':
        wg_buf_puts(&j->b, "\\n");
        break;
      case '\r':
        wg_buf_puts(&j->b, "\\r");
        break;
      case '\t':
        wg_buf_puts(&j->b, "\\t");
        break;
      case '\b':
        wg_buf_puts(&j->b, "\\b");
        break;
      case '\f':
        wg_buf_puts(&j->b, "\\f");
        break;
      default:
        if (c < 0x20)
          wg_buf_printf(&j->b, "\\u%04x", c);
        else
          wg_buf_putc(&j->b, (char)c);
    }
  }
  wg_buf_putc(&j->b, '"');
}

static void cstr(Json *j, const char *s) {
  str(j, wg_str_from_cstr(s));
}

/* Starts a value inside an array or object member. */
static void sep(Json *j) {
  if (!j->first) wg_buf_putc(&j->b, ',');
  j->first = false;
  indent(j);
}

static void key(Json *j, const char *k) {
  sep(j);
  cstr(j, k);
  wg_buf_puts(&j->b, ": ");
}

static void skey(Json *j, WgStr k) {
  sep(j);
  str(j, k);
  wg_buf_puts(&j->b, ": ");
}

static void open(Json *j, char c) {
  wg_buf_putc(&j->b, c);
  j->depth++;
  j->first = true;
}

static void close_(Json *j, char c) {
  j->depth--;
  if (!j->first) indent(j);
  wg_buf_putc(&j->b, c);
  j->first = false;
}

static void num(Json *j, uint64_t v) {
  wg_buf_printf(&j->b, "%llu", (unsigned long long)v);
}

static void id_or_null(Json *j, WgWitId id) {
  if (id == WG_WIT_NONE)
    wg_buf_puts(&j->b, "null");
  else
    num(j, id);
}

static void type(Json *j, WgWitType t) {
  if (WG_WIT_TYPE_IS_ID(t))
    num(j, WG_WIT_TYPE_ID(t));
  else
    cstr(j, wg_wit_prim_name((WgWitPrim)t));
}

static void opt_type(Json *j, bool has, WgWitType t) {
  if (has)
    type(j, t);
  else
    wg_buf_puts(&j->b, "null");
}

static void docs(Json *j, WgWitDocs d) {
  if (!d.ptr) return;
  key(j, "docs");
  open(j, '{');
  key(j, "contents");
  str(j, d);
  close_(j, '}');
}

static void stability(Json *j, const WgWitStability *s) {
  if (s->kind == WG_WIT_STABILITY_UNKNOWN) return;
  key(j, "stability");
  open(j, '{');
  if (s->kind == WG_WIT_STABILITY_STABLE) {
    key(j, "stable");
    open(j, '{');
    key(j, "since");
    str(j, s->since);
  } else {
    key(j, "unstable");
    open(j, '{');
    key(j, "feature");
    str(j, s->feature);
  }
  if (s->deprecated.ptr) {
    key(j, "deprecated");
    str(j, s->deprecated);
  }
  close_(j, '}');
  close_(j, '}');
}

static void name_map(Json *j, const WgWitNameMap *m) {
  open(j, '{');
  for (size_t i = 0; i < m->count; i++) {
    skey(j, m->items[i].name);
    num(j, m->items[i].id);
  }
  close_(j, '}');
}

static void function(Json *j, const WgWitFunction *f) {
  open(j, '{');
  key(j, "name");
  str(j, f->name);
  key(j, "kind");
  static const char *const KINDS[] = { "freestanding", "async-freestanding",
                                       "method",       "async-method",
                                       "static",       "async-static",
                                       "constructor" };
  if (f->kind == WG_WIT_FUNC_FREESTANDING ||
      f->kind == WG_WIT_FUNC_ASYNC_FREESTANDING) {
    cstr(j, KINDS[f->kind]);
  } else {
    open(j, '{');
    key(j, KINDS[f->kind]);
    num(j, f->resource);
    close_(j, '}');
  }
  key(j, "params");
  open(j, '[');
  for (size_t i = 0; i < f->params.count; i++) {
    sep(j);
    open(j, '{');
    if (f->params.items[i].name.len) {
      key(j, "name");
      str(j, f->params.items[i].name);
    }
    key(j, "type");
    type(j, f->params.items[i].type);
    close_(j, '}');
  }
  close_(j, ']');
  if (f->has_result) {
    key(j, "result");
    type(j, f->result);
  }
  docs(j, f->docs);
  stability(j, &f->stability);
  if (f->external_id.ptr) {
    key(j, "external_id");
    str(j, f->external_id);
  }
  close_(j, '}');
}

static void world_items(Json *j, const WgWitWorldItems *items) {
  open(j, '{');
  for (size_t i = 0; i < items->count; i++) {
    const WgWitWorldEntry *e = &items->items[i];
    sep(j);
    if (e->key_is_interface) {
      char buf[40];
      snprintf(buf, sizeof buf, "interface-%u", (unsigned)e->key_iface);
      cstr(j, buf);
    } else {
      str(j, e->key_name);
    }
    wg_buf_puts(&j->b, ": ");
    open(j, '{');
    switch (e->kind) {
      case WG_WIT_ITEM_INTERFACE:
        key(j, "interface");
        open(j, '{');
        key(j, "id");
        num(j, e->id);
        stability(j, &e->stability);
        if (e->external_id.ptr) {
          key(j, "external_id");
          str(j, e->external_id);
        }
        docs(j, e->docs);
        close_(j, '}');
        break;
      case WG_WIT_ITEM_FUNCTION:
        key(j, "function");
        function(j, &e->func);
        break;
      case WG_WIT_ITEM_TYPE:
        key(j, "type");
        num(j, e->id);
        break;
    }
    close_(j, '}');
  }
  close_(j, '}');
}

static void cases(Json *j, const WgWitCaseList *cs, bool with_type, bool opt) {
  open(j, '[');
  for (size_t i = 0; i < cs->count; i++) {
    const WgWitCase *c = &cs->items[i];
    sep(j);
    open(j, '{');
    key(j, "name");
    str(j, c->name);
    if (with_type) {
      key(j, "type");
      if (opt)
        opt_type(j, c->has_type, c->type);
      else
        type(j, c->type);
    }
    docs(j, c->docs);
    close_(j, '}');
  }
  close_(j, ']');
}

static void kind(Json *j, const WgWitTypeDef *t) {
  switch (t->kind) {
    case WG_WIT_KIND_RESOURCE:
      cstr(j, "resource");
      return;
    case WG_WIT_KIND_UNKNOWN:
      cstr(j, "unknown");
      return;
    default:
      break;
  }
  open(j, '{');
  switch (t->kind) {
    case WG_WIT_KIND_RECORD:
      key(j, "record");
      open(j, '{');
      key(j, "fields");
      cases(j, &t->cases, true, false);
      close_(j, '}');
      break;
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      key(j, "handle");
      open(j, '{');
      key(j, t->kind == WG_WIT_KIND_HANDLE_OWN ? "own" : "borrow");
      num(j, t->resource);
      close_(j, '}');
      break;
    case WG_WIT_KIND_FLAGS:
      key(j, "flags");
      open(j, '{');
      key(j, "flags");
      cases(j, &t->cases, false, false);
      close_(j, '}');
      break;
    case WG_WIT_KIND_TUPLE:
      key(j, "tuple");
      open(j, '{');
      key(j, "types");
      open(j, '[');
      for (size_t i = 0; i < t->types.count; i++) {
        sep(j);
        type(j, t->types.items[i]);
      }
      close_(j, ']');
      close_(j, '}');
      break;
    case WG_WIT_KIND_VARIANT:
      key(j, "variant");
      open(j, '{');
      key(j, "cases");
      cases(j, &t->cases, true, true);
      close_(j, '}');
      break;
    case WG_WIT_KIND_ENUM:
      key(j, "enum");
      open(j, '{');
      key(j, "cases");
      cases(j, &t->cases, false, false);
      close_(j, '}');
      break;
    case WG_WIT_KIND_OPTION:
      key(j, "option");
      type(j, t->a);
      break;
    case WG_WIT_KIND_RESULT:
      key(j, "result");
      open(j, '{');
      key(j, "ok");
      opt_type(j, t->has_a, t->a);
      key(j, "err");
      opt_type(j, t->has_b, t->b);
      close_(j, '}');
      break;
    case WG_WIT_KIND_LIST:
      key(j, "list");
      type(j, t->a);
      break;
    case WG_WIT_KIND_MAP:
      key(j, "map");
      open(j, '[');
      sep(j);
      type(j, t->a);
      sep(j);
      type(j, t->b);
      close_(j, ']');
      break;
    case WG_WIT_KIND_FIXED_LIST:
      key(j, "fixed-length-list");
      open(j, '[');
      sep(j);
      type(j, t->a);
      sep(j);
      num(j, t->size);
      close_(j, ']');
      break;
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      key(j, t->kind == WG_WIT_KIND_FUTURE ? "future" : "stream");
      opt_type(j, t->has_a, t->a);
      break;
    case WG_WIT_KIND_TYPE:
      key(j, "type");
      type(j, t->a);
      break;
    default:
      break;
  }
  close_(j, '}');
}

static void opt_name(Json *j, WgStr s) {
  if (s.ptr)
    str(j, s);
  else
    wg_buf_puts(&j->b, "null");
}

char *wg_wit_to_json(const WgWitResolve *r) {
  Json j;
  memset(&j, 0, sizeof j);
  open(&j, '{');
  key(&j, "worlds");
  open(&j, '[');
  for (size_t i = 0; i < r->worlds.count; i++) {
    const WgWitWorld *w = &r->worlds.items[i];
    sep(&j);
    open(&j, '{');
    key(&j, "name");
    str(&j, w->name);
    key(&j, "imports");
    world_items(&j, &w->imports);
    key(&j, "exports");
    world_items(&j, &w->exports);
    key(&j, "package");
    id_or_null(&j, w->package);
    docs(&j, w->docs);
    stability(&j, &w->stability);
    close_(&j, '}');
  }
  close_(&j, ']');
  key(&j, "interfaces");
  open(&j, '[');
  for (size_t i = 0; i < r->interfaces.count; i++) {
    const WgWitInterface *f = &r->interfaces.items[i];
    sep(&j);
    open(&j, '{');
    key(&j, "name");
    opt_name(&j, f->name);
    key(&j, "types");
    name_map(&j, &f->types);
    key(&j, "functions");
    open(&j, '{');
    for (size_t k = 0; k < f->functions.count; k++) {
      skey(&j, f->functions.items[k].name);
      function(&j, &f->functions.items[k]);
    }
    close_(&j, '}');
    docs(&j, f->docs);
    stability(&j, &f->stability);
    key(&j, "package");
    id_or_null(&j, f->package);
    if (f->clone_of != WG_WIT_NONE) {
      key(&j, "clone_of");
      num(&j, f->clone_of);
    }
    close_(&j, '}');
  }
  close_(&j, ']');
  key(&j, "types");
  open(&j, '[');
  for (size_t i = 0; i < r->types.count; i++) {
    const WgWitTypeDef *t = &r->types.items[i];
    sep(&j);
    open(&j, '{');
    key(&j, "name");
    opt_name(&j, t->name);
    key(&j, "kind");
    kind(&j, t);
    key(&j, "owner");
    if (t->owner_kind == WG_WIT_OWNER_NONE) {
      wg_buf_puts(&j.b, "null");
    } else {
      open(&j, '{');
      key(&j, t->owner_kind == WG_WIT_OWNER_WORLD ? "world" : "interface");
      num(&j, t->owner);
      close_(&j, '}');
    }
    docs(&j, t->docs);
    stability(&j, &t->stability);
    if (t->external_id.ptr) {
      key(&j, "external_id");
      str(&j, t->external_id);
    }
    close_(&j, '}');
  }
  close_(&j, ']');
  key(&j, "packages");
  open(&j, '[');
  for (size_t i = 0; i < r->packages.count; i++) {
    const WgWitPackage *p = &r->packages.items[i];
    sep(&j);
    open(&j, '{');
    key(&j, "name");
    WgBuf nb = { 0 };
    wg_buf_printf(&nb, "%.*s:%.*s", (int)p->name.ns.len, p->name.ns.ptr,
                  (int)p->name.name.len, p->name.name.ptr);
    if (p->name.version.ptr)
      wg_buf_printf(&nb, "@%.*s", (int)p->name.version.len,
                    p->name.version.ptr);
    str(&j, (WgStr){ nb.data ? nb.data : "", nb.len });
    wg_buf_free(&nb);
    docs(&j, p->docs);
    key(&j, "interfaces");
    name_map(&j, &p->interfaces);
    key(&j, "worlds");
    name_map(&j, &p->worlds);
    close_(&j, '}');
  }
  close_(&j, ']');
  close_(&j, '}');
  wg_buf_putc(&j.b, '\n');
  if (j.b.failed) {
    wg_buf_free(&j.b);
    return NULL;
  }
  return wg_buf_take(&j.b, NULL);
}
