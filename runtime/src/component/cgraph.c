/* SPDX-License-Identifier: Apache-2.0 */
/* Component graphs: components linked to each other at run time (what
 * `witgen run APP.wasm --link LIB.wasm...` does). Linking a graph
 *  1. binds every import of every component to the one other component
 *     that exports it (by name, semver-compatible), or to the host when
 *     none does, refusing two exporters (a name clash) and an exporter of
 *     the same interface at an incompatible version;
 *  2. checks every binding with wg_cfill_check() (the words `witgen plug`
 *     and `witgen compose` use);
 *  3. orders the components so that each comes after what it imports
 *     from, refusing cycles;
 *  4. makes a WgComponentPre per component whose bound imports are links
 *     to the exporter's lifts and resource types (clinker.c's binder),
 *     with their fused calls compiled, and the others resolved in the host
 *     linker;
 *  5. checks that both sides of every bound function name the same
 *     resource types, following re-exports to where each is defined.
 * Instantiating makes one instance per component, in that order, each
 * given the instances its links name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cinternal.h"
#include "strbuf.h"

/* Where an import of a node is bound: another node's export, or the host
 * (`node` UINT32_MAX). */
typedef struct GBind {
  uint32_t node;
  const WgCItem *export;
} GBind;

typedef struct GNode {
  char *name; /* NUL-terminated copy */
  WgWasmComponent *comp;
  const WgCComponentTy *type;
  GBind *binds; /* per import of `type` */
  WgComponentPre *pre;
  uint8_t mark; /* ordering: 0 new, 1 on the path, 2 done */
} GNode;

struct WgComponentGraph {
  WgEngine *engine;
  WgComponentLinker *host;
  GNode *nodes;
  uint32_t count, cap;
  uint32_t *order; /* providers first */
  bool linked;
  uint32_t cur; /* the node whose pre is being made */
  WgCResourceType **stubs;
  uint32_t stub_count, stub_cap;
};

/* Section: building */

WgComponentGraph *wg_component_graph_new(WgComponentLinker *host) {
  if (!host) return NULL;
  WgComponentGraph *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->host = host;
  return g;
}

void wg_component_graph_delete(WgComponentGraph *g) {
  if (!g) return;
  for (uint32_t i = 0; i < g->count; i++) {
    WgComponentPre *pre = g->nodes[i].pre;
    if (pre && pre->graph) { /* given out by wg_component_graph_pre() */
      pre->graph = NULL;
      pre->graph_gone = true;
    }
    wg_component_pre_delete(pre);
    wg_wasm_component_delete(g->nodes[i].comp);
    free(g->nodes[i].name);
    free(g->nodes[i].binds);
  }
  for (uint32_t i = 0; i < g->stub_count; i++)
    wg_cresource_release(g->stubs[i]);
  free(g->stubs);
  free(g->nodes);
  free(g->order);
  free(g);
}

static WgStatus nomem(WgDiagList *diags) {
  wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
  return WG_ERR_NOMEM;
}

WgStatus wg_component_graph_add(WgComponentGraph *g, WgStr name,
                                WgWasmComponent *c, WgDiagList *diags) {
  if (!g || !c || g->linked || (g->engine && c->engine != g->engine)) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                        "a component is added to a graph already linked, or "
                        "of another engine");
    return WG_ERR_MISUSE;
  }
  if (g->count == g->cap) {
    uint32_t n = g->cap ? g->cap * 2 : 4;
    GNode *m = realloc(g->nodes, n * sizeof *m);
    if (!m) return nomem(diags);
    g->nodes = m;
    g->cap = n;
  }
  GNode *node = &g->nodes[g->count];
  memset(node, 0, sizeof *node);
  node->name = malloc(name.len + 1);
  if (!node->name) return nomem(diags);
  if (name.len) memcpy(node->name, name.ptr, name.len);
  node->name[name.len] = 0;
  node->comp = c;
  node->type = wg_wasm_component_type(c);
  atomic_fetch_add(&c->refcount, 1);
  g->engine = c->engine;
  g->count++;
  return WG_OK;
}

size_t wg_component_graph_count(const WgComponentGraph *g) {
  return g ? g->count : 0;
}

/* Section: binding imports to exports */

/* `name` without its `@version`. */
static WgStr base_of(WgStr name) {
  const char *at = memchr(name.ptr, '@', name.len);
  return at ? (WgStr){ name.ptr, (size_t)(at - name.ptr) } : name;
}

static void print_version(WgBuf *b, WgStr name) {
  const char *at = memchr(name.ptr, '@', name.len);
  if (at)
    wg_buf_append(b, at + 1, name.len - (size_t)(at + 1 - name.ptr));
  else
    wg_buf_append(b, "none", 4);
}

/* Binds import `k` of node `i`; false (with a message) when it cannot. */
static bool bind_import(WgComponentGraph *g, uint32_t i, uint32_t k,
                        WgDiagList *diags) {
  GNode *n = &g->nodes[i];
  const WgCItem *im = &n->type->imports[k];
  WgStr want = im->name.name;
  GBind b = { UINT32_MAX, NULL };
  for (uint32_t j = 0; j < g->count; j++) {
    if (j == i) continue;
    const WgCComponentTy *t = g->nodes[j].type;
    for (uint32_t e = 0; e < t->export_count; e++) {
      if (!wg_cname_compatible(want, t->exports[e].name.name)) continue;
      if (b.node != UINT32_MAX && b.node != j) {
        WgStr x = b.export->name.name, y = t->exports[e].name.name;
        wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, want,
                             "%s imports `%.*s`, which two linked components "
                             "export: %s as `%.*s` and %s as `%.*s` (a name "
                             "clash: link one of them)",
                             n->name, (int)want.len, want.ptr,
                             g->nodes[b.node].name, (int)x.len, x.ptr,
                             g->nodes[j].name, (int)y.len, y.ptr);
        return false;
      }
      b.node = j;
      b.export = &t->exports[e];
    }
  }
  if (b.node == UINT32_MAX) {
    /* the same interface at a version that cannot serve: say so rather
     * than pass the import to the host */
    WgStr base = base_of(want);
    for (uint32_t j = 0; j < g->count; j++) {
      if (j == i || base.len == want.len) continue;
      const WgCComponentTy *t = g->nodes[j].type;
      for (uint32_t e = 0; e < t->export_count; e++) {
        WgStr have = t->exports[e].name.name;
        if (have.len == base.len || !wg_str_eq(base_of(have), base)) continue;
        WgBuf v = { 0 };
        print_version(&v, want);
        wg_buf_append(&v, " and ", 5);
        print_version(&v, have);
        wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, want,
                             "%s imports `%.*s`; %s exports `%.*s`, which is "
                             "not semver-compatible with it (versions %s)",
                             n->name, (int)want.len, want.ptr, g->nodes[j].name,
                             (int)have.len, have.ptr,
                             v.failed ? "?" : wg_buf_cstr(&v));
        wg_buf_free(&v);
        return false;
      }
    }
  } else if (!wg_cfill_check(im, n->name, b.export, g->nodes[b.node].name,
                             diags)) {
    return false;
  }
  n->binds[k] = b;
  return true;
}

/* Section: order */

/* Depth-first: node `i` after everything it imports from. */
static bool visit(WgComponentGraph *g, uint32_t i, uint32_t *count,
                  uint32_t *path, uint32_t depth, WgDiagList *diags) {
  GNode *n = &g->nodes[i];
  if (n->mark == 2) return true;
  path[depth] = i;
  if (n->mark == 1) {
    /* the cycle: from where `i` first appears on the path back to it */
    uint32_t from = 0;
    while (path[from] != i)
      from++;
    WgBuf b = { 0 };
    WgStr first = { "", 0 };
    for (uint32_t d = from; d < depth; d++) {
      GNode *x = &g->nodes[path[d]], *y = &g->nodes[path[d + 1]];
      WgStr via = { "", 0 };
      for (uint32_t k = 0; k < x->type->import_count; k++)
        if (x->binds[k].node == path[d + 1])
          via = x->type->imports[k].name.name;
      if (d == from) first = via;
      char line[512];
      int len =
          d == from
              ? snprintf(line, sizeof line, "%s imports `%.*s` from %s",
                         x->name, (int)via.len, via.ptr, y->name)
              : snprintf(line, sizeof line, ", which imports `%.*s` from %s",
                         (int)via.len, via.ptr, y->name);
      if (len > 0)
        wg_buf_append(&b, line,
                      (size_t)len < sizeof line ? (size_t)len
                                                : sizeof line - 1);
    }
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, first,
                         "components import from each other in a cycle: %s "
                         "(a graph is instantiated providers first, so one "
                         "of these imports must go)",
                         b.failed || !b.len ? "?" : wg_buf_cstr(&b));
    wg_buf_free(&b);
    return false;
  }
  n->mark = 1;
  for (uint32_t k = 0; k < n->type->import_count; k++) {
    uint32_t j = n->binds[k].node;
    if (j != UINT32_MAX && !visit(g, j, count, path, depth + 1, diags))
      return false;
  }
  n->mark = 2;
  g->order[(*count)++] = i;
  return true;
}

/* Section: pre-instantiation (clinker.c's binder) */

/* The bind of the import a root import path belongs to (the part before
 * the first `#`), with the rest in `*member`. */
static const GBind *bind_of(const GNode *n, WgStr path, WgStr *member) {
  const char *hash = memchr(path.ptr, '#', path.len);
  WgStr top = hash ? (WgStr){ path.ptr, (size_t)(hash - path.ptr) } : path;
  *member = hash ? (WgStr){ hash + 1, path.len - top.len - 1 } : (WgStr){ 0 };
  for (uint32_t k = 0; k < n->type->import_count; k++)
    if (wg_str_eq(n->type->imports[k].name.name, top))
      return n->binds[k].node == UINT32_MAX ? NULL : &n->binds[k];
  return NULL;
}

/* The provider's name for a member of the export it binds. */
static bool export_path(const GBind *b, WgStr member, char *buf, size_t cap,
                        WgStr *out) {
  WgStr en = b->export->name.name;
  int n = member.len ? snprintf(buf, cap, "%.*s#%.*s", (int)en.len, en.ptr,
                                (int)member.len, member.ptr)
                     : snprintf(buf, cap, "%.*s", (int)en.len, en.ptr);
  if (n < 0 || (size_t)n >= cap) return false;
  *out = (WgStr){ buf, (size_t)n };
  return true;
}


static bool bind_func(void *ctx, WgComponentPre *pre, uint32_t slot) {
  WgComponentGraph *g = ctx;
  const GNode *n = &g->nodes[g->cur];
  WgStr member, name;
  const GBind *b =
      bind_of(n, pre->component->plan.host_funcs[slot].name, &member);
  char buf[1024];
  if (!b || !export_path(b, member, buf, sizeof buf, &name)) return false;
  const GNode *from = &g->nodes[b->node];
  const PExportFunc *e = wg_plan_find_export(&from->comp->plan, name);
  if (!e) return false;
  if (e->func.kind == FREF_LIFT) {
    pre->func_links[slot] = (PreLink){ PL_NODE, NULL, b->node, e->func.index };
    return true;
  }
  /* a re-export of the provider's own import: where that one is bound
   * (the provider's pre exists: it comes first) */
  const WgComponentPre *fp = from->pre;
  if (fp->func_links[e->func.index].kind) {
    pre->func_links[slot] = fp->func_links[e->func.index];
  } else if (fp->funcs[e->func.index]) {
    atomic_fetch_add(&fp->funcs[e->func.index]->refcount, 1);
    pre->funcs[slot] = fp->funcs[e->func.index];
  }
  return true; /* else a stub there: a stub here */
}

static bool bind_res(void *ctx, WgComponentPre *pre, uint32_t slot) {
  WgComponentGraph *g = ctx;
  const GNode *n = &g->nodes[g->cur];
  WgStr member, name;
  const GBind *b =
      bind_of(n, pre->component->plan.host_res[slot].name, &member);
  char buf[1024];
  if (!b || !export_path(b, member, buf, sizeof buf, &name)) return false;
  const Plan *p = &g->nodes[b->node].comp->plan;
  for (uint32_t i = 0; i < p->export_res_count; i++)
    if (wg_str_eq(p->export_res[i].name, name)) {
      pre->res_links[slot] =
          (PreLink){ PL_NODE, NULL, b->node, p->export_res[i].resource };
      return true;
    }
  return false;
}

static WgCResourceType *stub_res(void *ctx, WgStr name) {
  WgComponentGraph *g = ctx;
  for (uint32_t i = 0; i < g->stub_count; i++)
    if (wg_str_eq(g->stubs[i]->name, name)) return g->stubs[i];
  if (g->stub_count == g->stub_cap) {
    uint32_t n = g->stub_cap ? g->stub_cap * 2 : 8;
    WgCResourceType **m = realloc(g->stubs, n * sizeof *m);
    if (!m) return NULL;
    g->stubs = m;
    g->stub_cap = n;
  }
  WgCResourceType *t = wg_cresource_new_host(name, NULL, NULL, NULL);
  if (t) g->stubs[g->stub_count++] = t;
  return t;
}

static const Plan *node_plan(void *ctx, uint32_t node) {
  WgComponentGraph *g = ctx;
  return &g->nodes[node].comp->plan;
}

/* Section: resource identities */

/* Where a plan resource slot of a node is defined: by a node (its slot),
 * or by the host (its type). */
typedef struct Ident {
  uint32_t node, slot;
  const WgCResourceType *host;
} Ident;

static Ident ident(const WgComponentGraph *g, uint32_t node, uint32_t slot,
                   int depth) {
  const GNode *n = &g->nodes[node];
  const PResource *r = &n->comp->plan.resources[slot];
  if (!r->is_host || depth > 1000) return (Ident){ node, slot, NULL };
  const PreLink *l = &n->pre->res_links[r->slot];
  if (l->kind == PL_NODE) return ident(g, l->node, l->index, depth + 1);
  return (Ident){ UINT32_MAX, 0, n->pre->resources[r->slot] };
}

static void describe(const WgComponentGraph *g, Ident id, WgBuf *b) {
  char line[512];
  int n;
  if (id.host) {
    WgStr name = wg_cresource_type_name(id.host);
    n = snprintf(line, sizeof line, "`%.*s` of the host", (int)name.len,
                 name.ptr);
  } else {
    const GNode *x = &g->nodes[id.node];
    WgStr name = x->comp->plan.resources[id.slot].name;
    n = snprintf(line, sizeof line, "`%.*s` of %s", (int)name.len, name.ptr,
                 x->name);
  }
  if (n > 0)
    wg_buf_append(b, line,
                  (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The name a resource type has in WIT (`cursor`). */
static WgStr wit_name(const CTy *t) {
  const WgCResource *r = t->src ? t->src->resource : NULL;
  for (; r; r = r->alias_of)
    if (r->name.len) return r->name;
  return (WgStr){ "resource", 8 };
}

/* The first own/borrow where `a` (node `na`'s slots) and `b` (node `nb`'s)
 * name resources defined in different places; false when there is none. */
static bool resource_mismatch(const WgComponentGraph *g, uint32_t na,
                              const CTy *a, uint32_t nb, const CTy *b,
                              const CTy **at_a, const CTy **at_b, int depth) {
  if (!a || !b || depth > 200) return false;
  if (!a->has_handles) return false;
  if (a->kind == WG_CVAL_OWN || a->kind == WG_CVAL_BORROW) {
    Ident x = ident(g, na, a->resource, 0), y = ident(g, nb, b->resource, 0);
    if (x.host == y.host && x.node == y.node && x.slot == y.slot) return false;
    *at_a = a;
    *at_b = b;
    return true;
  }
  uint32_t n = a->kind == WG_CVAL_LIST ? 1 : a->count;
  for (uint32_t i = 0; i < n; i++)
    if (a->elems && b->elems &&
        resource_mismatch(g, na, a->elems[i], nb, b->elems[i], at_a, at_b,
                          depth + 1))
      return true;
  return false;
}

static bool check_resources(const WgComponentGraph *g, uint32_t i,
                            WgDiagList *diags) {
  const GNode *n = &g->nodes[i];
  const Plan *p = &n->comp->plan;
  bool ok = true;
  for (uint32_t s = 0; s < p->host_func_count; s++) {
    const PreLink *l = &n->pre->func_links[s];
    const PHostFunc *hf = &p->host_funcs[s];
    if (l->kind != PL_NODE || !hf->sig) continue;
    const CSig *want = hf->sig;
    const CSig *have = g->nodes[l->node].comp->plan.lifts[l->index].sig;
    const CTy *x = NULL, *y = NULL;
    bool bad = false;
    for (uint32_t k = 0; k < want->param_count && !bad; k++)
      bad = resource_mismatch(g, i, want->params[k], l->node, have->params[k],
                              &x, &y, 0);
    if (!bad && want->result)
      bad = resource_mismatch(g, i, want->result, l->node, have->result, &x, &y,
                              0);
    if (!bad) continue;
    WgBuf w = { 0 }, h = { 0 }, d = { 0 };
    wg_cfunc_print(&w, want->src);
    wg_cfunc_print(&h, have->src);
    WgStr rn = wit_name(x);
    char head[256];
    snprintf(head, sizeof head, "%s's `%.*s` is ", n->name, (int)rn.len,
             rn.ptr);
    wg_buf_append(&d, head, strlen(head));
    describe(g, ident(g, i, x->resource, 0), &d);
    snprintf(head, sizeof head, "; %s's is ", g->nodes[l->node].name);
    wg_buf_append(&d, head, strlen(head));
    describe(g, ident(g, l->node, y->resource, 0), &d);
    wg_diag_list_add_wit(
        diags, WG_ERR_UNLINKABLE, hf->name,
        "%s imports `%.*s: %s`; %s exports it as `%s`, with another `%.*s`: "
        "%s",
        n->name, (int)hf->name.len, hf->name.ptr,
        w.failed || !w.len ? "func(...)" : wg_buf_cstr(&w),
        g->nodes[l->node].name,
        h.failed || !h.len ? "func(...)" : wg_buf_cstr(&h), (int)rn.len, rn.ptr,
        d.failed || !d.len ? "?" : wg_buf_cstr(&d));
    wg_buf_free(&w);
    wg_buf_free(&h);
    wg_buf_free(&d);
    ok = false;
  }
  return ok;
}

/* Section: linking and instantiating */

WgStatus wg_component_graph_link(WgComponentGraph *g, WgDiagList *diags) {
  if (!g || g->linked || !g->count) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                        "a graph to link needs components, and is linked "
                        "once");
    return WG_ERR_MISUSE;
  }
  bool ok = true;
  for (uint32_t i = 0; i < g->count; i++) {
    GNode *n = &g->nodes[i];
    uint32_t m = n->type->import_count;
    n->binds = calloc(m ? m : 1, sizeof *n->binds);
    if (!n->binds) return nomem(diags);
    for (uint32_t k = 0; k < m; k++) {
      n->binds[k].node = UINT32_MAX;
      if (!bind_import(g, i, k, diags)) ok = false;
    }
  }
  if (!ok) return WG_ERR_UNLINKABLE;
  g->order = calloc(g->count, sizeof *g->order);
  uint32_t *path = calloc(g->count + 1, sizeof *path);
  uint32_t count = 0;
  if (!g->order || !path) {
    free(path);
    return nomem(diags);
  }
  for (uint32_t i = 0; i < g->count && ok; i++)
    ok = visit(g, i, &count, path, 0, diags);
  free(path);
  if (!ok) return WG_ERR_UNLINKABLE;
  PreBinder binder = { bind_func, bind_res, stub_res, node_plan, g };
  for (uint32_t k = 0; k < g->count; k++) {
    uint32_t i = g->order[k];
    g->cur = i;
    WgDiagList *mine = wg_diag_list_new();
    WgStatus st = wg_linker_pre_bind(g->host, g->nodes[i].comp, &binder,
                                     &g->nodes[i].pre, mine);
    for (size_t d = 0; mine && d < wg_diag_list_count(mine); d++) {
      const WgDiag *x = wg_diag_list_get(mine, d);
      WgStr wp = x->wit_path ? wg_str_from_cstr(x->wit_path) : (WgStr){ 0 };
      if (x->severity == WG_SEVERITY_ERROR)
        wg_diag_list_add_wit(diags, x->code, wp, "%s: %s", g->nodes[i].name,
                             x->message);
    }
    wg_diag_list_delete(mine);
    if (st == WG_ERR_NOMEM) return st;
    if (st != WG_OK) ok = false;
  }
  if (!ok) return WG_ERR_UNLINKABLE;
  for (uint32_t i = 0; i < g->count; i++)
    if (!check_resources(g, i, diags)) ok = false;
  if (!ok) return WG_ERR_UNLINKABLE;
  g->linked = true;
  return WG_OK;
}

WgStatus wg_component_graph_instantiate(WgComponentGraph *g, WgStore *store,
                                        WgComponentInstance **instances,
                                        WgDiagList *diags) {
  if (!g || !g->linked || !store || !instances) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                        "instantiating a graph that is not linked");
    return WG_ERR_MISUSE;
  }
  for (uint32_t i = 0; i < g->count; i++)
    instances[i] = NULL;
  for (uint32_t k = 0; k < g->count; k++) {
    uint32_t i = g->order[k];
    WgDiagList *mine = wg_diag_list_new();
    WgStatus st = wg_cinstance_new(g->nodes[i].pre, store, instances,
                                   &instances[i], mine);
    if (st != WG_OK) {
      wg_diag_list_add_at(diags, st, 0, "%s: %s", g->nodes[i].name,
                          mine ? wg_diag_list_first_error(mine)
                               : "out of memory");
      wg_diag_list_delete(mine);
      for (uint32_t j = 0; j < g->count; j++)
        instances[j] = NULL;
      return st;
    }
    wg_diag_list_delete(mine);
  }
  return WG_OK;
}

WgStatus wg_component_graph_pre(WgComponentGraph *g, size_t index,
                                WgComponentPre **out, WgDiagList *diags) {
  if (out) *out = NULL;
  if (!g || !g->linked || !out || index >= g->count) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                        "a pre of a graph that is not linked, or of a "
                        "component it does not have");
    return WG_ERR_MISUSE;
  }
  WgComponentPre *pre = g->nodes[index].pre;
  pre->graph = g;
  pre->graph_node = (uint32_t)index;
  atomic_fetch_add(&pre->refcount, 1);
  *out = pre;
  return WG_OK;
}

WgStatus wg_cgraph_instantiate_pre(WgComponentPre *pre, WgStore *store,
                                   WgComponentInstance **out,
                                   WgDiagList *diags) {
  *out = NULL;
  WgComponentGraph *g = pre->graph;
  if (!g) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                        "the component graph of this pre was deleted");
    return WG_ERR_MISUSE;
  }
  WgComponentInstance *small[8];
  WgComponentInstance **insts =
      g->count <= 8 ? small : malloc(g->count * sizeof *insts);
  if (!insts) return nomem(diags);
  WgStatus st = wg_component_graph_instantiate(g, store, insts, diags);
  if (st == WG_OK) *out = insts[pre->graph_node];
  if (insts != small) free(insts);
  return st;
}

void wg_component_graph_print(const WgComponentGraph *g, WgBuf *out) {
  if (!g) return;
  for (uint32_t i = 0; i < g->count; i++) {
    const GNode *n = &g->nodes[i];
    for (uint32_t k = 0; n->binds && k < n->type->import_count; k++) {
      WgStr im = n->type->imports[k].name.name;
      char line[1024];
      int len;
      if (n->binds[k].node == UINT32_MAX) {
        len = snprintf(line, sizeof line, "%s: %.*s <- host\n", n->name,
                       (int)im.len, im.ptr);
      } else {
        WgStr ex = n->binds[k].export->name.name;
        len = snprintf(line, sizeof line, "%s: %.*s <- %s (%.*s)\n", n->name,
                       (int)im.len, im.ptr, g->nodes[n->binds[k].node].name,
                       (int)ex.len, ex.ptr);
      }
      if (len > 0)
        wg_buf_append(out, line,
                      (size_t)len < sizeof line ? (size_t)len
                                                : sizeof line - 1);
    }
  }
}
