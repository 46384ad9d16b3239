/* SPDX-License-Identifier: Apache-2.0 */
/* Private to composition (compose_build.c, plug.c, wac*.c): a composition
 * is described as a plan — the input components, the instances to make of
 * them with the arguments that fill their imports, and what to export —
 * and then built into one component:
 *
 *   (component
 *     <the imports the instances still need, with the types they declare>
 *     (component $in1 ...) ...            ;; every input, nested unchanged
 *     (instance $i1 (instantiate $in1 (with "x" ...))) ...
 *     (export "..." ...) ...)
 *
 * The types of the outer imports are the inputs' own type definitions,
 * copied with their indices remapped; inputs importing semver-compatible
 * versions of an interface share one import of the newest. */
#ifndef WG_COMPOSE_COMPOSE_BUILD_H
#define WG_COMPOSE_COMPOSE_BUILD_H

#include "arena.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"
#include "witgen/compose.h"

enum { CB_NONE = UINT32_MAX };

/* The top-level index spaces composition maps. */
enum { CB_TYPE, CB_FUNC, CB_INSTANCE, CB_COMPONENT, CB_SPACES };

typedef struct CbInput {
  const WgComposeInput *src;
  WgComponent *c;
  const WgCScope *s;
  uint32_t comp;            /* its nested component in the result */
  uint32_t *map[CB_SPACES]; /* its index -> the result's, or CB_NONE */
} CbInput;

/* An argument filling import `name` of an instance: export `export_name`
 * of instance `from`, or instance `from` itself when that is empty. */
typedef struct CbArg {
  WgStr name;
  uint32_t from;
  WgStr export_name;
} CbArg;

typedef struct CbInstance {
  CbInput *of;
  WgStr label; /* how messages name it: a WAC variable, or the file */
  bool spread; /* imports no argument fills become imports of the result */
  CbArg *args;
  uint32_t nargs, capargs;
  uint32_t inst; /* its index in the result */
} CbInstance;

/* Export `export_name` of instance `from` (all of them when empty), named
 * `as` in the result (the same name when `as.name` is empty). */
typedef struct CbExport {
  uint32_t from;
  WgStr export_name;
  WgCName as;
} CbExport;

typedef struct OuterImport {
  WgStr name;
  uint8_t sort;
  uint32_t index;
} OuterImport;

typedef struct CbBuilder {
  WgArena *arena;
  WgCTypes *types;
  WgDiagList *diags;
  WgStatus status;
  bool failed;
  /* the plan */
  CbInput **inputs;
  uint32_t ninputs, capinputs;
  CbInstance *instances;
  uint32_t ninstances, capinstances;
  CbExport *exports;
  uint32_t nexports, capexports;
  /* the result being built */
  WgCDef *defs;
  uint32_t ndefs, capdefs;
  uint32_t count[CB_SPACES];
  OuterImport *imports;
  uint32_t nimports, capimports;
} CbBuilder;

bool cb_init(CbBuilder *b, WgArena *arena, WgDiagList *diags);
void cb_free(CbBuilder *b);
bool cb_fail(CbBuilder *b, WgStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void *cb_alloc(CbBuilder *b, size_t size);

/* Decodes and validates an input (NULL after the error). */
CbInput *cb_input(CbBuilder *b, const WgComposeInput *src);
/* Plans an instance of `of`; its index in the plan (CB_NONE on failure). */
uint32_t cb_instance(CbBuilder *b, CbInput *of, WgStr label, bool spread);
bool cb_arg(CbBuilder *b, uint32_t instance, WgStr name, uint32_t from,
            WgStr export_name);
bool cb_export(CbBuilder *b, uint32_t from, WgStr export_name, WgStr as);
/* The export `name` of a planned instance's component, or NULL. */
const WgCItem *cb_instance_export(const CbBuilder *b, uint32_t instance,
                                  WgStr name);
/* Builds the planned composition, checks it with the component validator
 * and appends it to `out`. */
bool cb_build(CbBuilder *b, WgBuf *out);

/* Checks that `got` (export of instance `from`) can fill import `want` of
 * instance `of`, naming both sides' WIT path and signature when not. */
bool cb_check_fill(CbBuilder *b, const CbInstance *of, const WgCItem *want,
                   const CbInstance *from, const WgCItem *got);

#endif
