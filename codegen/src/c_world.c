/* SPDX-License-Identifier: Apache-2.0 */
/* The C view of one WIT world: the run's context and the C names of the
 * world's items (docs/bindings.md, "Naming"). */
#include "c_world.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* ---- context: errors and strings --------------------------------------- */

bool cw_fail(CWorld *w, WgStatus code, const char *fmt, ...) {
  if (w->failed) return false;
  w->failed = true;
  w->status = code;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (msg) {
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  const char *text = msg ? msg : "out of memory";
  if (w->item)
    wg_diag_list_add_wit(w->diags, code, wg_str_from_cstr(w->item), "%s", text);
  else
    wg_diag_list_addf(w->diags, WG_SEVERITY_ERROR, code, NULL, "%s", text);
  free(msg);
  return false;
}

bool cw_nomem(CWorld *w) {
  return cw_fail(w, WG_ERR_NOMEM, "out of memory");
}

static const char *keep(CWorld *w, char *s) {
  if (!s) return cw_nomem(w), "";
  if (w->str_count == w->str_cap) {
    size_t cap = w->str_cap ? w->str_cap * 2 : 1024;
    char **n = realloc(w->strs, cap * sizeof *n);
    if (!n) {
      free(s);
      return cw_nomem(w), "";
    }
    w->strs = n;
    w->str_cap = cap;
  }
  w->strs[w->str_count++] = s;
  return s;
}

const char *cw_strf(CWorld *w, const char *fmt, ...) {
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
  return keep(w, s);
}

const char *cw_upper(CWorld *w, const char *s) {
  char *u = strdup(s);
  for (char *p = u; p && *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
  return keep(w, u);
}

const char *cw_snake(CWorld *w, WgStr name) {
  char buf[512];
  wg_names_snake(buf, sizeof buf, 0, name);
  return cw_strf(w, "%s", buf);
}

const char *cw_word(CWorld *w, WgStr name) {
  char buf[256];
  wg_names_word(buf, sizeof buf, name);
  return cw_strf(w, "%s", buf);
}

/* ---- the WIT model ------------------------------------------------------ */

const WgWitTypeDef *cw_def(const CWorld *w, WgWitType t) {
  return WG_WIT_TYPE_IS_ID(t) ? &w->r->types.items[WG_WIT_TYPE_ID(t)] : NULL;
}

WgWitType cw_dealias(const CWorld *w, WgWitType t) {
  for (int guard = 0; guard < 1000; guard++) {
    const WgWitTypeDef *d = cw_def(w, t);
    if (!d || d->kind != WG_WIT_KIND_TYPE) return t;
    t = d->a;
  }
  return t;
}

Side cw_side_of(const CWorld *w, WgWitId type_id) {
  const WgWitTypeDef *d = &w->r->types.items[type_id];
  if (w->side == SIDE_IMPORT || d->owner_kind != WG_WIT_OWNER_INTERFACE)
    return SIDE_IMPORT;
  if (d->owner == w->cur_iface) return w->side;
  if (w->side >= SIDE_FIRST_EXTRA) return SIDE_IMPORT;
  return (w->iface_flags[d->owner] & IFACE_IMPORTED) ? SIDE_IMPORT
                                                     : SIDE_EXPORT;
}

WgWitId cw_resource_of(const CWorld *w, WgWitType t) {
  t = cw_dealias(w, t);
  const WgWitTypeDef *d = cw_def(w, t);
  if (d && (d->kind == WG_WIT_KIND_HANDLE_OWN ||
            d->kind == WG_WIT_KIND_HANDLE_BORROW))
    t = cw_dealias(w, WG_WIT_TYPE_OF(d->resource));
  return WG_WIT_TYPE_ID(t);
}

bool cw_resource_is_exported(const CWorld *w, WgWitId res) {
  return cw_side_of(w, res) == SIDE_EXPORT;
}

bool cw_is_extra_slot(const CWorld *w, const WgWitWorldEntry *e, bool import) {
  return import && e->kind == WG_WIT_ITEM_INTERFACE && !e->key_is_interface &&
         w->r->interfaces.items[e->id].name.ptr != NULL;
}

Side cw_slot_of(const CWorld *w, const WgWitWorldEntry *e) {
  for (size_t s = SIDE_FIRST_EXTRA; s < w->slot_count; s++)
    if (w->slots[s].iface == e->id && wg_str_eq(w->slots[s].key, e->key_name))
      return (Side)s;
  return SIDE_IMPORT;
}

/* ---- names of the world's items ---------------------------------------- */

const char *cw_func_cname(CWorld *w, const char *prefix,
                          const WgWitFunction *f) {
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
                            w->side == SIDE_EXPORT ? "constructor" : "new");
      name.len = 0;
    }
  }
  wg_names_snake(buf, sizeof buf, n, name);
  const char *c = wg_names_claim(&w->names, buf);
  if (!c) cw_nomem(w);
  return c;
}

static bool is_c_identifier(const char *s) {
  if (!*s || (*s >= '0' && *s <= '9')) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '_'))
      return false;
  return true;
}

/* The --rename target for an interface/world, or NULL. */
static const char *renamed(CWorld *w, const char *wit_name,
                           const char *wit_short, const char *default_prefix) {
  const char *to = NULL;
  for (size_t i = 0; i < w->rename_count; i++) {
    const WgBindgenRename *rn = &w->renames[i];
    if ((wit_name && strcmp(rn->from, wit_name) == 0) ||
        (wit_short && strcmp(rn->from, wit_short) == 0) ||
        strcmp(rn->from, default_prefix) == 0) {
      w->rename_used[i] = true;
      if (!to) to = rn->to;
    }
  }
  return to;
}

/* A --rename whose OLD matched nothing is an error, with a note listing
 * the names OLD may take: `names` ("`old` (`prefix`), ..."). */
static bool check_renames_used(CWorld *w, const char *names) {
  for (size_t i = 0; i < w->rename_count; i++) {
    if (w->rename_used[i]) continue;
    const WgBindgenRename *rn = &w->renames[i];
    cw_fail(w, WG_ERR_INVALID,
            "--rename %s=%s: world `%.*s` has no interface, import or world "
            "named `%s`",
            rn->from, rn->to, (int)w->world->name.len, w->world->name.ptr,
            rn->from);
    wg_diag_list_addf(w->diags, WG_SEVERITY_NOTE, WG_ERR_INVALID, NULL,
                      "OLD is the world's prefix, or an interface's WIT name "
                      "(with or without @version) or default prefix: %s",
                      names);
    return false;
  }
  return true;
}

/* Records the import module name of interface entry `e`
 * (`ns:pkg/iface@version`, or the key of an unnamed interface). */
static void note_iface(CWorld *w, const WgWitWorldEntry *e, uint8_t flag) {
  if (e->kind != WG_WIT_ITEM_INTERFACE) return;
  if (cw_is_extra_slot(w, e, flag == IFACE_IMPORTED)) return;
  w->iface_flags[e->id] |= flag;
  if (w->iface_wit[e->id]) return;
  const WgWitInterface *in = &w->r->interfaces.items[e->id];
  if (in->package != WG_WIT_NONE && in->name.ptr) {
    const WgWitPackageName *pn = &w->r->packages.items[in->package].name;
    const char *shortn = cw_strf(w, "%.*s:%.*s/%.*s", (int)pn->ns.len,
                                 pn->ns.ptr, (int)pn->name.len, pn->name.ptr,
                                 (int)in->name.len, in->name.ptr);
    w->iface_wit[e->id] = pn->version.ptr
                              ? cw_strf(w, "%s@%.*s", shortn,
                                        (int)pn->version.len, pn->version.ptr)
                              : shortn;
  } else {
    w->iface_wit[e->id] =
        cw_strf(w, "%.*s", (int)e->key_name.len, e->key_name.ptr);
  }
}

/* The candidate prefixes of interface entry `e` into `rq`. */
static void iface_request(CWorld *w, const WgWitWorldEntry *e,
                          WgPrefixRequest *rq) {
  const WgWitInterface *in = &w->r->interfaces.items[e->id];
  const char *shortn = NULL;
  if (in->package != WG_WIT_NONE && in->name.ptr) {
    const WgWitPackageName *pn = &w->r->packages.items[in->package].name;
    const char *pkg = cw_snake(w, pn->name), *ns = cw_snake(w, pn->ns);
    const char *nm = cw_snake(w, in->name);
    rq->forms[0] = cw_strf(w, "%s_%s", pkg, nm);
    rq->forms[1] = cw_strf(w, "%s_%s_%s", ns, pkg, nm);
    rq->form_count = 2;
    if (pn->version.ptr)
      rq->forms[rq->form_count++] =
          cw_strf(w, "%s_%s", rq->forms[1], cw_snake(w, pn->version));
    shortn = cw_strf(w, "%.*s:%.*s/%.*s", (int)pn->ns.len, pn->ns.ptr,
                     (int)pn->name.len, pn->name.ptr, (int)in->name.len,
                     in->name.ptr);
  } else {
    rq->forms[0] = cw_snake(w, e->key_name);
    rq->forms[1] = cw_strf(w, "%s_%s", w->stem, rq->forms[0]);
    rq->form_count = 2;
  }
  rq->fixed = renamed(w, w->iface_wit[e->id], shortn, rq->forms[0]);
}

/* Prefixes of the world, of its interfaces (each once, imports first) and
 * of the extra slots, assigned together so that they escalate together. */
static bool assign_prefixes(CWorld *w) {
  const WgWitWorld *wd = w->world;
  size_t cap = wd->imports.count + wd->exports.count + 1;
  WgPrefixRequest *reqs = calloc(cap, sizeof *reqs);
  WgWitId *ids = calloc(cap, sizeof *ids);
  const char **out = calloc(cap, sizeof *out);
  WgBuf names = { 0 }; /* the names --rename takes, for its error */
  bool ok = reqs && ids && out;
  size_t n = 0;
  if (ok) {
    reqs[0].forms[0] = w->stem;
    reqs[0].form_count = 1;
    reqs[0].fixed = renamed(w, NULL, NULL, w->stem);
    ids[n++] = WG_WIT_NONE;
    wg_buf_printf(&names, "`%s` (the world)", w->stem);
  }
  for (int side = 0; ok && side < 2; side++) {
    const WgWitWorldItems *items = side ? &wd->exports : &wd->imports;
    for (size_t i = 0; i < items->count; i++) {
      const WgWitWorldEntry *e = &items->items[i];
      if (e->kind != WG_WIT_ITEM_INTERFACE || cw_is_extra_slot(w, e, !side))
        continue;
      bool seen = false;
      for (size_t j = 1; j < n; j++)
        seen |= ids[j] == e->id;
      if (seen) continue;
      iface_request(w, e, &reqs[n]);
      wg_buf_printf(&names, ", `%s` (`%s`)", w->iface_wit[e->id],
                    reqs[n].forms[0]);
      ids[n++] = e->id;
    }
  }
  size_t first_slot = n;
  for (size_t k = SIDE_FIRST_EXTRA; ok && k < w->slot_count; k++) {
    WgPrefixRequest *rq = &reqs[n];
    rq->forms[0] = cw_snake(w, w->slots[k].key);
    rq->forms[1] = cw_strf(w, "%s_%s", w->stem, rq->forms[0]);
    rq->form_count = 2;
    rq->fixed = renamed(
        w, cw_strf(w, "%.*s", (int)w->slots[k].key.len, w->slots[k].key.ptr),
        NULL, rq->forms[0]);
    wg_buf_printf(&names, ", `%.*s` (`%s`)", (int)w->slots[k].key.len,
                  w->slots[k].key.ptr, rq->forms[0]);
    ids[n++] = WG_WIT_NONE - 1; /* a slot, see below */
  }
  if (ok && names.failed) ok = cw_nomem(w);
  if (ok) ok = check_renames_used(w, wg_buf_cstr(&names));
  for (size_t i = 0; ok && i < w->rename_count; i++)
    if (!is_c_identifier(w->renames[i].to))
      ok = cw_fail(w, WG_ERR_INVALID, "--rename: `%s` is not a C identifier",
                   w->renames[i].to);
  if (ok && !wg_names_assign_prefixes(&w->names, reqs, n, out))
    ok = cw_nomem(w);
  for (size_t i = 0; ok && i < n; i++) {
    if (i >= first_slot)
      w->slots[SIDE_FIRST_EXTRA + (i - first_slot)].prefix = out[i];
    else if (ids[i] == WG_WIT_NONE)
      w->world_prefix = out[i];
    else
      w->iface_prefix[ids[i]] = out[i];
  }
  free(reqs);
  free(ids);
  free(out);
  wg_buf_free(&names);
  return ok && !w->failed;
}

/* ---- lifecycle ---------------------------------------------------------- */

bool cw_init(CWorld *w, const WgWitResolve *r, WgWitId world,
             const WgBindgenRename *renames, size_t rename_count,
             WgDiagList *diags) {
  w->r = r;
  w->world_id = world;
  w->world = &r->worlds.items[world];
  w->renames = renames;
  w->rename_count = rename_count;
  w->diags = diags;
  w->cur_iface = WG_WIT_NONE;
  size_t ni = r->interfaces.count ? r->interfaces.count : 1;
  w->iface_prefix = calloc(ni, sizeof *w->iface_prefix);
  w->iface_wit = calloc(ni, sizeof *w->iface_wit);
  w->iface_flags = calloc(ni, 1);
  w->rename_used = calloc(rename_count ? rename_count : 1, 1);
  w->slot_count = SIDE_FIRST_EXTRA;
  for (size_t i = 0; i < w->world->imports.count; i++)
    w->slot_count += cw_is_extra_slot(w, &w->world->imports.items[i], true);
  w->slots = calloc(w->slot_count, sizeof *w->slots);
  if (!w->iface_prefix || !w->iface_wit || !w->iface_flags || !w->slots ||
      !w->rename_used)
    return cw_nomem(w);
  for (size_t i = 0, k = SIDE_FIRST_EXTRA; i < w->world->imports.count; i++) {
    const WgWitWorldEntry *e = &w->world->imports.items[i];
    if (cw_is_extra_slot(w, e, true))
      w->slots[k++] = (Slot){ e->id, e->key_name, NULL };
  }
  w->stem = cw_snake(w, w->world->name);
  for (size_t i = 0; i < w->world->imports.count; i++)
    note_iface(w, &w->world->imports.items[i], IFACE_IMPORTED);
  for (size_t i = 0; i < w->world->exports.count; i++)
    note_iface(w, &w->world->exports.items[i], IFACE_EXPORTED);
  return assign_prefixes(w);
}

void cw_free(CWorld *w) {
  wg_names_free(&w->names);
  free(w->slots);
  free(w->iface_prefix);
  free(w->iface_wit);
  free(w->iface_flags);
  free(w->rename_used);
  for (size_t i = 0; i < w->str_count; i++)
    free(w->strs[i]);
  free(w->strs);
}
