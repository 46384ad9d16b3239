/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen run` of a component (run_component.c): one instance, every
 * import the runtime cannot provide a trapping stub, and the --invoke
 * expressions run in order in that instance, each result printed in WAVE.
 * Without --invoke, the component's `wasi:cli/run` export is called. */
#ifndef WITGEN_CLI_RUN_COMPONENT_H
#define WITGEN_CLI_RUN_COMPONENT_H

#include <stddef.h>
#include <stdint.h>

#include "witgen/component.h"
#include "witgen/wasm.h"

typedef struct RunComponentOptions {
  const char *path;     /* the component file */
  const uint8_t *bytes; /* its bytes */
  size_t len;
  const WgEngineConfig *config; /* fuel and limits */
  const char *const *invokes;   /* --invoke expressions, in order */
  size_t invoke_count;
  bool has_sandbox;         /* --dir or --env were given */
  bool trace_imports;       /* --trace-imports */
  const char *const *links; /* --link components (run_link.c) */
  size_t link_count;
} RunComponentOptions;

/* Runs it; returns the exit status (0, 1 for bad input or an error
 * result of wasi:cli/run, 134 after a trap). */
int run_component(const RunComponentOptions *opt);

/* Instantiates `app` (named opt->path) linked at run time to the
 * components opt->links names, the rest of their imports from `host`
 * (run_link.c). Prints every error; returns the status, the app's
 * instance in `*out` on WG_OK. */
WgStatus run_link_instantiate(WgEngine *engine, WgComponentLinker *host,
                              WgStore *store, WgWasmComponent *app,
                              const RunComponentOptions *opt,
                              WgComponentInstance **out);

#endif
