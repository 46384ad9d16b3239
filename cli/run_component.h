/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen run` of a component: one instance on the component runtime,
 * its WASI 0.2 imports served by the WASI 0.2 host (witgen/wasi2.h) with
 * the grants of the sandbox options (nothing by default), any other import
 * a stub that traps when called (or prints its calls: --trace-imports).
 * Without --invoke the component's `wasi:cli/run` export is called
 * (run_component.c); with it the expressions run in order in that
 * instance, each result printed in WAVE (run_invoke.c). */
#ifndef WITGEN_CLI_RUN_COMPONENT_H
#define WITGEN_CLI_RUN_COMPONENT_H

#include <stddef.h>
#include <stdint.h>

#include "commands.h"
#include "witgen/component.h"

/* Exit status for a trap (as a shell reports SIGABRT: 128 + 6). */
enum { RUN_EXIT_TRAP = 134 };

typedef struct RunComponentOptions {
  const char *path;     /* the component file */
  const uint8_t *bytes; /* its bytes */
  size_t len;
  const CliSandbox *sandbox; /* grants and limits */
  const char *const *args;   /* the program's arguments; args[0] its name */
  size_t arg_count;
  const char *const *invokes; /* --invoke expressions, in order */
  size_t invoke_count;
  bool trace_imports;       /* --trace-imports */
  const char *const *links; /* --link components (run_link.c) */
  size_t link_count;
} RunComponentOptions;

/* Runs it; returns the exit status: the program's (wasi:cli/run returning
 * ok 0, an error 1, or the code given to wasi:cli/exit, also from an
 * --invoke call), 1 for bad input or a wrong call, 134 after a trap. */
int run_component(const RunComponentOptions *opt);

/* The pre of `app` (named `path`) linked at run time to the components
 * `links` names, the rest of their imports from `host` (run_link.c; for
 * witgen run and serve): instantiating it instantiates them all
 * (wg_component_graph_pre). Prints every error; on WG_OK `*graph` and
 * `*pre` are the caller's (delete the graph after the pre). */
WgStatus run_link_pre(WgEngine *engine, WgComponentLinker *host,
                      const char *path, WgWasmComponent *app,
                      const char *const *links, size_t link_count,
                      WgComponentGraph **graph, WgComponentPre **pre);

/* Runs the --invoke expressions `invokes` in `inst` (of `comp`, in
 * `store`), printing results on stdout and errors on stderr, then drops
 * the handles still held. Returns the exit status as run_component(). */
int run_invokes(const char *path, WgWasmComponent *comp,
                WgComponentInstance *inst, WgStore *store,
                const char *const *invokes, size_t count);

/* Lists the functions `comp` exports with their types, as notes on
 * stderr; with none, says so when `say_none`. */
void run_list_exports(const char *path, const WgWasmComponent *comp,
                      bool say_none);

/* After a trap with message `msg`: a note when an import witgen run does
 * not provide was called (run_component.c). */
void run_trap_note(const char *msg);

#endif
