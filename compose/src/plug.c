/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen plug` (wac plug's semantics) as a composition plan: each import
 * of the socket that an export of a plug matches (by name, or a
 * semver-compatible version of it) is filled by the first such plug; the
 * socket's other imports and every import of the plugs stay imports of the
 * result, which exports what the socket exports. */
#include "compose_build.h"

/* The first export of `in` whose name can fill import `name`, or NULL. */
static const WgCItem *export_for(const CbInput *in, WgStr name) {
  const WgCComponentTy *t = in->s->type;
  for (uint32_t i = 0; i < t->export_count; i++)
    if (wg_cname_compatible(name, t->exports[i].name.name))
      return &t->exports[i];
  return NULL;
}

WgStatus wg_compose_plug(const WgComposeInput *socket,
                         const WgComposeInput *plugs, size_t plug_count,
                         WgBuf *out, WgDiagList *diags) {
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  CbBuilder b;
  cb_init(&b, &arena, diags);
  /* the plugs' instances come first, then the socket's */
  for (size_t i = 0; i < plug_count && !b.failed; i++) {
    CbInput *in = cb_input(&b, &plugs[i]);
    if (in) cb_instance(&b, in, plugs[i].name, true);
  }
  CbInput *sock = b.failed ? NULL : cb_input(&b, socket);
  uint32_t s = sock ? cb_instance(&b, sock, socket->name, true) : CB_NONE;
  bool *used = s == CB_NONE ? NULL : cb_alloc(&b, plug_count + 1);
  for (uint32_t k = 0; used && k < sock->s->type->import_count && !b.failed;
       k++) {
    const WgCItem *im = &sock->s->type->imports[k];
    for (uint32_t p = 0; p < plug_count; p++) {
      const WgCItem *ex = export_for(b.instances[p].of, im->name.name);
      if (!ex) continue;
      if (cb_check_fill(&b, &b.instances[s], im, &b.instances[p], ex)) {
        cb_arg(&b, s, im->name.name, p, ex->name.name);
        used[p] = true;
      }
      break;
    }
  }
  for (size_t p = 0; used && p < plug_count && !b.failed; p++)
    if (!used[p])
      cb_fail(&b, WG_ERR_UNLINKABLE,
              "%.*s fills no import of %.*s: none of its exports matches one",
              (int)plugs[p].name.len, plugs[p].name.ptr, (int)socket->name.len,
              socket->name.ptr);
  if (!b.failed) cb_export(&b, s, (WgStr){ 0 }, (WgStr){ 0 });
  if (!b.failed) cb_build(&b, out);
  WgStatus st = b.failed ? b.status : WG_OK;
  cb_free(&b);
  wg_arena_release(&arena);
  return st;
}
