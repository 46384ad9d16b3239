/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers every lowering pass uses: node text, spans and docs of the
 * current file, the feature-gate and @external-id attributes of an item,
 * allocation of interfaces and types, and wit-parser's toposort
 * (ast/toposort.rs) of named nodes. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strbuf.h"
#include "vec.h"
#include "wit_lower.h"

/* ---- small helpers ---- */

WgStr wl_dup(Lower *l, WgStr s) {
  return wg_arena_strdup(l->arena, s);
}

WgSpan wl_span_of(Lower *l, WitNode n) {
  return wit_node_span(l->lists[l->cur].f, n);
}

WgStr wl_ident(Lower *l, WitNode n) {
  return wl_dup(l, wit_ident(l->lists[l->cur].f, n));
}

WgWitDocs wl_docs_of(Lower *l, WitNode n) {
  return wit_docs_before(l->r, l->lists[l->cur].f, n);
}

bool wl_str_is(WgStr s, const char *c) {
  return s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0;
}

LookupEntry *wl_lookup_find(Lookup *lk, WgStr name) {
  for (size_t i = 0; i < lk->count; i++)
    if (wg_str_eq(lk->items[i].name, name)) return &lk->items[i];
  return NULL;
}

/* ---- attributes ---- */

bool wl_is_attr(WitNode c) {
  return wit_is(c, WIT_KIND_SINCE_GATE) || wit_is(c, WIT_KIND_UNSTABLE_GATE) ||
         wit_is(c, WIT_KIND_DEPRECATED_GATE) || wit_is(c, WIT_KIND_EXTERNAL_ID);
}

bool wl_has_attrs(WitNode item) {
  uint32_t n = wit_named_child_count(item);
  for (uint32_t i = 0; i < n; i++)
    if (wl_is_attr(wit_named_child(item, i))) return true;
  return false;
}

bool wl_stability_of(Lower *l, WitNode item, WgWitStability *out) {
  memset(out, 0, sizeof *out);
  WitNode since = { 0 }, dep = { 0 }, unst = { 0 };
  bool has_since = false, has_dep = false, has_unst = false;
  uint32_t n = wit_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(item, i);
    if (wit_is(c, WIT_KIND_SINCE_GATE)) {
      if (has_since) {
        ERR(l, c, "cannot specify @since twice");
        return false;
      }
      if (!wit_node_is_null(wit_field(c, WIT_FIELD_FEATURE))) {
        ERR(l, wit_field(c, WIT_FIELD_FEATURE),
            "expected `)`, found `,` (`@since` takes only a version)");
        return false;
      }
      has_since = true;
      since = c;
    } else if (wit_is(c, WIT_KIND_DEPRECATED_GATE)) {
      if (has_dep) {
        ERR(l, c, "cannot specify @deprecated twice");
        return false;
      }
      has_dep = true;
      dep = c;
    } else if (wit_is(c, WIT_KIND_UNSTABLE_GATE)) {
      if (has_unst) {
        ERR(l, c, "cannot specify @unstable twice");
        return false;
      }
      has_unst = true;
      unst = c;
    }
  }
  WitFile *f = l->lists[l->cur].f;
  if (has_dep)
    out->deprecated =
        wl_dup(l, wit_node_text(f, wit_field(dep, WIT_FIELD_VERSION)));
  if (has_since && has_unst) {
    ERR(l, since, "cannot specify both @since and @unstable");
    return false;
  }
  if (has_since) {
    out->kind = WG_WIT_STABILITY_STABLE;
    out->since =
        wl_dup(l, wit_node_text(f, wit_field(since, WIT_FIELD_VERSION)));
  } else if (has_unst) {
    out->kind = WG_WIT_STABILITY_UNSTABLE;
    out->feature = wl_ident(l, wit_field(unst, WIT_FIELD_FEATURE));
  } else if (has_dep) {
    ERR(l, dep, "cannot specify both @deprecated without @since or @unstable");
    return false;
  }
  return true;
}

bool wl_external_id_of(Lower *l, WitNode item, WgStr *out) {
  *out = (WgStr){ NULL, 0 };
  uint32_t n = wit_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(item, i);
    if (!wit_is(c, WIT_KIND_EXTERNAL_ID)) continue;
    if (out->ptr) {
      ERR(l, c, "cannot specify @external-id twice");
      return false;
    }
    WgStr s = wit_node_text(l->lists[l->cur].f, wit_field(c, WIT_FIELD_ID));
    WgBuf b = { 0 };
    for (size_t k = 1; k + 1 < s.len; k++) {
      char ch = s.ptr[k];
      if (ch == '\\' && k + 2 < s.len) {
        ch = s.ptr[++k];
        if (ch == 'n')
          ch = '\n';
        else if (ch == 't')
          ch = '\t';
        else if (ch == 'r')
          ch = '\r';
      }
      wg_buf_putc(&b, ch);
    }
    *out = wl_dup(l, (WgStr){ b.data ? b.data : "", b.len });
    wg_buf_free(&b);
  }
  return true;
}

/* ---- allocation ---- */

WgWitId wl_alloc_interface(Lower *l, WgSpan span) {
  WgWitInterface i;
  memset(&i, 0, sizeof i);
  i.package = WG_WIT_NONE;
  i.clone_of = WG_WIT_NONE;
  i.span = span;
  Lookup empty = { 0 };
  if (!WIT_PUSH(l->arena, &l->u->interfaces, i) ||
      !WIT_PUSH(l->arena, &l->iface_types, empty) ||
      !WIT_PUSH(l->arena, &l->foreign_iface, false))
    return WG_WIT_NONE;
  return (WgWitId)(l->u->interfaces.count - 1);
}

WgWitId wl_alloc_world(Lower *l, WgSpan span) {
  WgWitWorld w;
  memset(&w, 0, sizeof w);
  w.package = WG_WIT_NONE;
  w.span = span;
  if (!WIT_PUSH(l->arena, &l->u->worlds, w)) return WG_WIT_NONE;
  return (WgWitId)(l->u->worlds.count - 1);
}

WgWitId wl_alloc_type(Lower *l, const WgWitTypeDef *t) {
  if (!WIT_PUSH(l->arena, &l->u->types, *t)) return WG_WIT_NONE;
  return (WgWitId)(l->u->types.count - 1);
}

/* ---- ordering ---- */

/* wit-parser's toposort: ready nodes leave in source order (lowest index
 * first); reports missing names and cycles. `out` receives node indices. */
bool wl_toposort(Lower *l, DepNode *nodes, size_t n, const char *kind,
                 size_t *out) {
  size_t *remaining = calloc(n + 1, sizeof *remaining);
  bool *done = calloc(n + 1, 1);
  if (!remaining || !done) {
    free(remaining);
    free(done);
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    remaining[i] = nodes[i].deps.count;
    for (size_t k = 0; k < nodes[i].deps.count; k++) {
      bool found = false;
      for (size_t j = 0; j < n; j++)
        if (wg_str_eq(nodes[j].name, nodes[i].deps.items[k])) found = true;
      if (!found) {
        WgStr nm = nodes[i].deps.items[k];
        wit_error(l->r, &nodes[i].dep_spans.items[k],
                  "%s `%.*s` does not exist", kind, (int)nm.len, nm.ptr);
        ok = false;
        break;
      }
    }
  }
  size_t count = 0;
  /* Ready set: repeatedly take the lowest-index node with no remaining
   * edges; edges are decremented when their target is emitted. */
  while (ok && count < n) {
    size_t pick = n;
    for (size_t i = 0; i < n; i++) {
      if (!done[i] && remaining[i] == 0) {
        pick = i;
        break;
      }
    }
    if (pick == n) break;
    /* wit-parser uses a heap of ready nodes; a node becomes ready only
     * once its last dependency leaves, and the heap yields the smallest
     * index among ready ones, which this scan reproduces. */
    done[pick] = true;
    out[count++] = pick;
    for (size_t i = 0; i < n; i++) {
      if (done[i]) continue;
      for (size_t k = 0; k < nodes[i].deps.count; k++)
        if (wg_str_eq(nodes[i].deps.items[k], nodes[pick].name)) remaining[i]--;
    }
  }
  if (ok && count < n) {
    ok = false;
    for (size_t i = 0; i < n; i++) {
      if (done[i]) continue;
      for (size_t k = 0; k < nodes[i].deps.count; k++) {
        WgStr nm = nodes[i].deps.items[k];
        for (size_t j = 0; j < n; j++) {
          if (!done[j] && wg_str_eq(nodes[j].name, nm)) {
            wit_error(l->r, &nodes[i].dep_spans.items[k],
                      "%s `%.*s` depends on itself", kind, (int)nm.len, nm.ptr);
            goto out;
          }
        }
      }
    }
  }
out:
  free(remaining);
  free(done);
  return ok;
}
