/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen run` of a component (run_component.c): one instance, every
 * import the runtime cannot provide a trapping stub, and the --invoke
 * expressions run in order in that instance, each result printed in WAVE.
 * Without --invoke, the component's `wasi:cli/run` export is called. */
#ifndef WITGEN_CLI_RUN_COMPONENT_H
#define WITGEN_CLI_RUN_COMPONENT_H

#include <stddef.h>
#include <stdint.h>

#include "witgen/wasm.h"

typedef struct RunComponentOptions {
  const char *path;     /* the component file */
  const uint8_t *bytes; /* its bytes */
  size_t len;
  const WgEngineConfig *config; /* fuel and limits */
  const char *const *invokes;   /* --invoke expressions, in order */
  size_t invoke_count;
  bool has_sandbox;   /* --dir or --env were given */
  bool trace_imports; /* --trace-imports */
} RunComponentOptions;

/* Runs it; returns the exit status (0, 1 for bad input or an error
 * result of wasi:cli/run, 134 after a trap). */
int run_component(const RunComponentOptions *opt);

#endif
