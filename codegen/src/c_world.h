/* SPDX-License-Identifier: Apache-2.0 */
/* The C view of one WIT world, shared by the bindings generators (guest
 * bindings today, host bindings next; order of the files in c_types.h):
 * the run's context (the world, its --rename options, the strings made,
 * the error), which copy ("side") of an interface an item belongs to, and
 * the C names of the world's items: the prefix of every interface and of
 * the world, import module names, function names. Calls only c_names.c. */
#ifndef WG_CODEGEN_C_WORLD_H
#define WG_CODEGEN_C_WORLD_H

#include "c_names.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

/* Which copy of an interface's items ("slot"): 0 the imported one, 1 the
 * exported one (an interface may be both, with distinct C names), 2 and up
 * a named interface imported under a plain name (`import primary: store;`),
 * each its own instance with its own C names. */
typedef int Side;
enum { SIDE_IMPORT = 0, SIDE_EXPORT = 1, SIDE_FIRST_EXTRA = 2 };

/* An extra import slot: interface `iface` imported as `key`. */
typedef struct Slot {
  WgWitId iface;
  WgStr key;
  const char *prefix;
} Slot;

enum { IFACE_IMPORTED = 1, IFACE_EXPORTED = 2 };

typedef struct CWorld {
  const WgWitResolve *r;
  WgWitId world_id;
  const WgWitWorld *world;
  const WgBindgenRename *renames; /* borrowed from the caller */
  size_t rename_count;
  bool *rename_used;         /* per rename: it matched a name */
  WgDiagList *diags;         /* borrowed from the caller; may be NULL */
  const char *stem;          /* world name in snake case: file names */
  const char *world_prefix;  /* prefix of world-level items */
  WgNames names;             /* every public C name */
  const char **iface_prefix; /* per interface id; NULL when not in world */
  const char **iface_wit;    /* per interface id: import module name */
  uint8_t *iface_flags;      /* IFACE_IMPORTED | IFACE_EXPORTED */
  Slot *slots;               /* slots[SIDE_FIRST_EXTRA..slot_count) */
  size_t slot_count;
  /* Context of the item being generated. */
  Side side;
  WgWitId cur_iface; /* interface being generated, or WG_WIT_NONE */
  const char *item;  /* WIT path of the item being generated (for errors:
                        `ns:pkg/iface@1.0.0#f`, `f` at world level), or NULL */
  char **strs;       /* every string cw_strf made, freed by cw_free() */
  size_t str_count, str_cap;
  bool failed;
  WgStatus status; /* of the first error */
} CWorld;

/* Sets up `w` (zeroed by the caller) for world `world` of `r`: the extra
 * import slots, interface module names, and the prefix of the world and of
 * each of its interfaces (with `renames` applied; all borrowed until
 * cw_free()). Errors go to `diags` (may be NULL). False after an error;
 * call cw_free() in every case. */
bool cw_init(CWorld *w, const WgWitResolve *r, WgWitId world,
             const WgBindgenRename *renames, size_t rename_count,
             WgDiagList *diags);
/* Frees what `w` holds, every string it made included. */
void cw_free(CWorld *w);

/* Records an error of status `code` (the first one wins: later ones are
 * its consequences) in w->diags, with the WIT path w->item when set.
 * Always returns false. */
bool cw_fail(CWorld *w, WgStatus code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* cw_fail() with WG_ERR_NOMEM, "out of memory". */
bool cw_nomem(CWorld *w);

/* A formatted string owned by `w` (freed by cw_free()); "" on OOM. */
const char *cw_strf(CWorld *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Upper case copy of `s`, owned by `w`. */
const char *cw_upper(CWorld *w, const char *s);
/* Snake case of a WIT name, owned by `w`. */
const char *cw_snake(CWorld *w, WgStr name);
/* A member or parameter name: snake case, `_` appended to a reserved
 * word (wg_names_word()); owned by `w`. */
const char *cw_word(CWorld *w, WgStr name);

/* The definition of type `t`, or NULL for a primitive type. */
const WgWitTypeDef *cw_def(const CWorld *w, WgWitType t);
/* Follows `type a = b` aliases to the defining type. */
WgWitType cw_dealias(const CWorld *w, WgWitType t);
/* Which side a type is named on in the current context (w->side,
 * w->cur_iface). */
Side cw_side_of(const CWorld *w, WgWitId type_id);
/* The resource a resource type, handle type or alias of one refers to. */
WgWitId cw_resource_of(const CWorld *w, WgWitType t);
/* True when resource `res` is defined by this component (exported side). */
bool cw_resource_is_exported(const CWorld *w, WgWitId res);

/* True for a named interface imported under a plain name (`import
 * primary: store;`): an instance of its own, in an extra slot. */
bool cw_is_extra_slot(const CWorld *w, const WgWitWorldEntry *e, bool import);
/* The slot of extra entry `e`. */
Side cw_slot_of(const CWorld *w, const WgWitWorldEntry *e);
/* C name of a function, claimed: `prefix_f`, `prefix_r_m`, and for a
 * constructor `prefix_r_new` (import side) or `prefix_r_constructor`
 * (export side). NULL after an error. */
const char *cw_func_cname(CWorld *w, const char *prefix,
                          const WgWitFunction *f);

#endif
