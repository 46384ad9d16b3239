/* SPDX-License-Identifier: Apache-2.0 */
/* Index spaces of component and instance types, resolved.
 *
 * A component type (e.g. a world, as wit-component encodes it) numbers its
 * types, instances and functions as its declarators introduce them: type
 * definitions, `alias outer`, `alias export` of an imported instance's
 * exports, and imports/exports (an exported `(type (sub resource))` is a
 * fresh abstract resource). This module walks the declarators once and
 * records, for every index, what it denotes, so that consumers (`witgen
 * new`, `witgen wit`, the component runtime) can follow a WgCValType to its
 * definition and build Canonical ABI layouts. */
#ifndef WG_RUNTIME_COMPONENT_CSPACE_H
#define WG_RUNTIME_COMPONENT_CSPACE_H

#include "witgen/canon_abi.h"
#include "witgen/component_binary.h"

typedef struct WgCSpace WgCSpace;

/* What one index of the type space denotes. */
typedef struct WgCRef {
  const WgCType *def;    /* a definition, or NULL for an abstract resource */
  const WgCSpace *space; /* the space `def`'s own indices refer to */
  const WgCSpace *inner; /* instance/component types: their resolved space */
  uint32_t resource;     /* abstract resources: an id unique in the tree */
  WgStr name;            /* the import/export name that introduced it */
} WgCRef;

/* An import or export of a component or instance type. */
typedef struct WgCExtern {
  WgStr name;
  uint8_t kind; /* WgCExternType.kind: 0x01 func, 0x03 type,
                   0x05 instance, ... */
  WgCRef type;  /* func: the function type; type: what it denotes;
                   instance: the instance type */
} WgCExtern;

struct WgCSpace {
  const WgCSpace *parent;
  bool is_component; /* a component type (else an instance type) */
  WgCRef *types;
  uint32_t type_count;
  WgCRef *instances; /* instance index space (instance types) */
  uint32_t instance_count;
  WgCRef *funcs; /* function index space (function types) */
  uint32_t func_count;
  WgCExtern *imports; /* component types only */
  uint32_t import_count;
  WgCExtern *exports;
  uint32_t export_count;
};

/* Resolves the declarators of `type` (a WG_CT_COMPONENT or WG_CT_INSTANCE)
 * whose outer aliases refer to `parent` (NULL at the top). Allocates from
 * `arena`. NULL with a message in err (160 bytes) on an invalid reference
 * or out of memory. `next_resource` numbers abstract resources. */
WgCSpace *wg_cspace_build(WgArena *arena, const WgCType *type,
                          const WgCSpace *parent, uint32_t *next_resource,
                          char err[160]);

/* The export named `name` of a space, or NULL. */
const WgCExtern *wg_cspace_export(const WgCSpace *space, WgStr name);

/* Follows a value type to what it denotes: the WgCRef of an index (NULL
 * when out of range). Primitives are not refs: check vt.prim first. */
const WgCRef *wg_cspace_type(const WgCSpace *space, WgCValType vt);

/* The Canonical ABI shape of a value type, allocated from `arena`. NULL on
 * an invalid type (not a value type, bad index, nesting beyond 100). */
const WgAbiType *wg_cspace_abi(WgArena *arena, const WgCSpace *space,
                               WgCValType vt);

/* The flat core signature of function type `fn` (a WG_CT_FUNC whose
 * indices refer to `space`) lifted or lowered with 32-bit memory. False on
 * an invalid type. */
bool wg_cspace_flatten_func(WgArena *arena, const WgCSpace *space,
                            const WgCType *fn, WgAbiContext context,
                            WgAbiFuncSig *out);

#endif
