/* SPDX-License-Identifier: Apache-2.0 */
/* State shared by wit_append.c (adding a package) and wit_world.c (world
 * includes and elaboration). */
#ifndef WG_PARSER_WIT_APPEND_H
#define WG_PARSER_WIT_APPEND_H

#include "wit_internal.h"

#define TRY(x)              \
  do {                      \
    if (!(x)) return false; \
  } while (0)

typedef struct OwnHandle {
  WgWitId resource, handle;
} OwnHandle;

typedef struct Remap {
  WgWitResolve *r;
  WgArena *arena;
  WitUPkg *u;
  WgWitId pkg;
  WgWitId *types; /* local -> global or WG_WIT_NONE */
  WgWitId *ifaces;
  WgWitId *worlds;
  WG_WIT_ARRAY(OwnHandle) own;
  int8_t *has_borrow; /* per global type: -1 unknown */
  size_t has_borrow_len;
} Remap;

/* Maps a local world id of the package being added to its resolve id. */
bool wa_map_world(Remap *m, WgWitId id, WgSpan span, WgWitId *out);

/* wit_world.c */
/* Copies the items of an included world into world `wid` (renames with
 * `with`, clones world-owned types and anonymous interfaces). */
bool wa_resolve_include(Remap *m, WgWitId wid, const WgWitInclude *inc);
/* Rejects import/export names that differ only in case. */
bool wa_check_case_names(Remap *m, WgWitId wid);
/* wit-parser's elaborate_world: implicit imports, export checks, order. */
bool wa_elaborate_world(Remap *m, WgWitId wid);

#endif
