/* SPDX-License-Identifier: Apache-2.0 */
/* Interop check of the world component-type encoder: our encoding of WORLD
 * must equal, definition for definition, the `component-type` custom
 * section wasm-tools embeds (its producers section aside).
 * Usage: world_type_check WIT_PATH WORLD ORACLE_CORE.wasm
 * Exit 0 when equal, 1 when different, 2 when WIT cannot be loaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/component_binary.h"
#include "witgen/core_module.h"
#include "witgen/wit.h"

/* Re-encodes `bytes` without its "producers" custom section. */
static bool normalise(const uint8_t *bytes, size_t len, WgBuf *out) {
  WgComponent *c;
  WgDiagList *diags = wg_diag_list_new();
  if (wg_component_decode(bytes, len, (WgAllocator){ 0 }, &c, diags) != WG_OK) {
    printf("cannot decode: %s\n", wg_diag_list_first_error(diags));
    wg_diag_list_delete(diags);
    return false;
  }
  wg_diag_list_delete(diags);
  uint32_t kept = 0;
  for (uint32_t i = 0; i < c->def_count; i++) {
    const WgCDef *d = &c->defs[i];
    if (d->kind == WG_CDEF_CUSTOM &&
        wg_str_eq(d->u.custom.name, WG_STR("producers"))) {
      continue;
    }
    c->defs[kept++] = *d;
  }
  c->def_count = kept;
  wg_cencode_component(out, c);
  wg_component_free(c);
  return !out->failed;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: world_type_check WIT WORLD ORACLE_CORE.wasm\n");
    return 2;
  }
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *r = NULL;
  if (wg_wit_load(argv[1], NULL, diags, &r) != WG_OK) {
    printf("SKIP %s: witgen cannot load it\n", argv[1]);
    wg_diag_list_delete(diags);
    return 2;
  }
  WgWitId world = WG_WIT_NONE;
  const WgWitPackage *p = &r->packages.items[r->main_package];
  for (size_t i = 0; i < p->worlds.count; i++) {
    if (wg_str_eq(p->worlds.items[i].name, wg_str_from_cstr(argv[2]))) {
      world = p->worlds.items[i].id;
    }
  }
  int status = 1;
  WgBuf ours = { 0 }, want = { 0 }, ours_n = { 0 };
  uint8_t *core = NULL;
  size_t core_len = 0;
  WgModule *m = NULL;
  if (world == WG_WIT_NONE) {
    printf("FAIL %s/%s: no such world\n", argv[1], argv[2]);
  } else if (wg_wit_encode_world(r, world, &ours, diags) != WG_OK) {
    printf("FAIL %s/%s: %s\n", argv[1], argv[2],
           wg_diag_list_first_error(diags));
  } else if (wg_file_read(argv[3], &core, &core_len) != WG_OK ||
             wg_module_decode(core, core_len, (WgAllocator){ 0 },
                              WG_FEATURES_ALL, &m, NULL) != WG_OK) {
    printf("FAIL %s: cannot read the oracle's module\n", argv[3]);
  } else {
    const WgCustomSection *section = NULL;
    for (uint32_t i = 0; i < m->custom_count; i++) {
      if (m->customs[i].name.len >= 14 &&
          !memcmp(m->customs[i].name.ptr, "component-type", 14)) {
        section = &m->customs[i];
      }
    }
    if (section && normalise(section->bytes, section->len, &want) &&
        normalise((const uint8_t *)ours.data, ours.len, &ours_n)) {
      size_t n = want.len < ours_n.len ? want.len : ours_n.len, at = 0;
      while (at < n && want.data[at] == ours_n.data[at])
        at++;
      if (want.len == ours_n.len && at == n) {
        status = 0;
        printf("PASS %s/%s (%zu bytes)\n", argv[1], argv[2], ours_n.len);
      } else {
        printf("FAIL %s/%s: differs at byte %zu (ours %zu, wasm-tools %zu "
               "bytes)\n",
               argv[1], argv[2], at, ours_n.len, want.len);
      }
    } else {
      printf("FAIL %s/%s: no comparable component-type section\n", argv[1],
             argv[2]);
    }
  }
  wg_module_free(m);
  free(core);
  wg_buf_free(&ours);
  wg_buf_free(&ours_n);
  wg_buf_free(&want);
  wg_wit_resolve_free(r);
  wg_diag_list_delete(diags);
  return status;
}
