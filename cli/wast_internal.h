/* SPDX-License-Identifier: Apache-2.0 */
/* What the two halves of the script runner share: the run's state and its
 * reporting (wast_run.c: scripts, core modules; wast_component.c:
 * component commands on the component runtime). */
#ifndef WITGEN_CLI_WAST_INTERNAL_H
#define WITGEN_CLI_WAST_INTERNAL_H

#include "wast_run.h"
#include "witgen/component.h"
#include "witgen/wasm.h"
#include "witgen/wat.h"

/* A `$name` of the script: a module or component, instantiated or a
 * definition. */
typedef struct Named {
  WgStr name; /* borrowed from the script */
  WgInstance *instance;
  WgWasmModule *definition; /* module definitions */
  bool is_component;
  WgComponentInstance *cinstance;
  WgWasmComponent *cdefinition; /* component definitions (owned) */
  const char *skipped;          /* why it was not made (skipped), or NULL */
} Named;

typedef struct Run {
  const char *path;
  const WastOptions *opt;
  WgEngine *engine;
  WgStore *store;
  WgLinker *linker;
  WgComponentLinker *clinker;
  WgInstance *current;
  WgComponentInstance *ccurrent;
  const char *current_skipped; /* why the latest component was not made */
  bool current_component;      /* the latest module is a component */
  Named *named;
  size_t named_count, named_cap;
  WastCounts counts;
  WastSkip skips[32];
  size_t skip_count;
  const WgWastCommand *cmd;
  WgComponentInstance *async_poisoned[64]; /* see wast_component.c */
  size_t async_poisoned_count;
} Run;

void wast_fail(Run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void wast_pass(Run *r);
/* Counts the command as skipped under `why`; `listed`: also print it with
 * its line (asserts that need the async ABI are always listed). */
void wast_skip(Run *r, const char *why, bool listed);
Named *wast_find(Run *r, WgStr name);
Named *wast_remember(Run *r, WgStr name);

/* Component commands (wast_component.c). */
void wast_component_module(Run *r, const WgWastCommand *c);
void wast_component_instance(Run *r, const WgWastCommand *c, Named *def);
void wast_component_register(Run *r, const WgWastCommand *c,
                             WgComponentInstance *inst, const char *skipped);
void wast_component_action(Run *r, const WgWastCommand *c,
                           WgComponentInstance *inst, const char *skipped);
void wast_component_fails(Run *r, const WgWastCommand *c);
/* Decodes and validates a component. WG_OK, or the status with the
 * message in `err` (WG_ERR_MALFORMED: does not parse or decode;
 * WG_ERR_INVALID: decodes but does not validate). */
WgStatus wast_check_component(const WgWastModule *m, char *err, size_t size);

#endif
