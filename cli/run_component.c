/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen run COMPONENT.wasm` (see run_component.h): the component on the
 * component runtime and the WASI 0.2 host (witgen/wasi2.h), sandboxed as
 * the options say. Without --invoke its wasi:cli/run is called and the
 * program's exit status passed through; with --invoke run_invoke.c calls
 * its exports. A trap gives 134. */
#include "run_component.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "witgen/wasi2.h"

/* Section: the time limit */

/* Interrupts the store when the time limit passes (unless stopped). */
typedef struct Watchdog {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool done, running;
  struct timespec deadline;
  WgStore *store;
} Watchdog;

static void *watchdog_main(void *arg) {
  Watchdog *w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->done) {
    if (pthread_cond_timedwait(&w->cv, &w->mu, &w->deadline) == ETIMEDOUT) {
      wg_store_interrupt(w->store);
      break;
    }
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

/* Starts interrupting `store` after `ms` milliseconds (0: never). */
static void watchdog_start(Watchdog *w, WgStore *store, uint64_t ms) {
  memset(w, 0, sizeof *w);
  if (!ms) return;
  w->store = store;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
  clock_gettime(CLOCK_REALTIME, &w->deadline);
  w->deadline.tv_sec += (time_t)(ms / 1000);
  w->deadline.tv_nsec += (long)(ms % 1000) * 1000000;
  if (w->deadline.tv_nsec >= 1000000000) {
    w->deadline.tv_sec++;
    w->deadline.tv_nsec -= 1000000000;
  }
  w->running = pthread_create(&w->thread, NULL, watchdog_main, w) == 0;
  if (!w->running) {
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
  }
}

static void watchdog_stop(Watchdog *w) {
  if (!w->running) return;
  pthread_mutex_lock(&w->mu);
  w->done = true;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  w->running = false;
}

/* Section: imports */

void run_trap_note(const char *msg) {
  if (strstr(msg, "unimplemented import `"))
    cli_note("witgen run serves the WASI 0.2 imports; any other import is a "
             "stub that traps when called (--trace-imports prints the calls "
             "of those without results)");
}

/* --trace-imports: an import witgen run does not provide prints its call
 * (name and arguments in WAVE) on standard error; one without results
 * returns, one with a result traps (there is nothing to return). */
static WgTrap *trace_import(void *env, WgCCall *call, const WgCVal *args,
                            size_t nargs, WgCVal *results, size_t nres) {
  (void)env;
  (void)results;
  WgStr name = wg_ccall_name(call);
  const WgCFuncTy *ft = wg_ccall_type(call);
  WgBuf b = { 0 };
  wg_buf_append(&b, "witgen: import ", 15);
  wg_buf_append(&b, name.ptr, name.len);
  wg_buf_append(&b, "(", 1);
  for (size_t i = 0; i < nargs; i++) {
    if (i) wg_buf_append(&b, ", ", 2);
    wg_cval_print(&b, &args[i], i < ft->param_count ? ft->params[i] : NULL);
  }
  wg_buf_append(&b, ")\n", 2);
  fflush(stdout);
  if (!b.failed) fwrite(b.data, 1, b.len, stderr);
  wg_buf_free(&b);
  if (nres)
    return wg_trap_new("unimplemented import called: it returns a value, "
                       "which --trace-imports cannot make up");
  return NULL;
}

/* Defines the function `name` as a traced stub unless the linker has it
 * already (the WASI 0.2 host's functions stay real). */
static bool trace_one(WgComponentLinker *l, WgStr name, WgDiagList *diags) {
  if (wg_component_linker_has(l, name)) return true;
  return wg_component_linker_define_func(l, name, (WgStr){ 0 }, trace_import,
                                         NULL, NULL, diags) == WG_OK;
}

/* Defines every function the component imports and the linker lacks as a
 * traced stub. */
static bool trace_imports(WgComponentLinker *l, const WgWasmComponent *c,
                          WgDiagList *diags) {
  const WgCComponentTy *ct = wg_wasm_component_type(c);
  for (uint32_t i = 0; i < ct->import_count; i++) {
    const WgCItem *im = &ct->imports[i];
    if (im->type.sort == WG_CSORT_FUNC) {
      if (!trace_one(l, im->name.name, diags)) return false;
      continue;
    }
    if (im->type.sort != WG_CSORT_INSTANCE) continue;
    const WgCInstanceTy *it = im->type.of.instance;
    for (uint32_t k = 0; k < it->export_count; k++) {
      if (it->exports[k].type.sort != WG_CSORT_FUNC) continue;
      WgBuf name = { 0 };
      wg_buf_append(&name, im->name.name.ptr, im->name.name.len);
      wg_buf_append(&name, "#", 1);
      wg_buf_append(&name, it->exports[k].name.name.ptr,
                    it->exports[k].name.name.len);
      bool ok =
          !name.failed && trace_one(l, (WgStr){ name.data, name.len }, diags);
      wg_buf_free(&name);
      if (!ok) return false;
    }
  }
  return true;
}

/* Section: the component's own entry point */

/* True when the component exports `wasi:cli/run@0.2.x#run`. */
static bool exports_cli_run(const WgWasmComponent *comp) {
  size_t n = wg_wasm_component_func_count(comp);
  for (size_t i = 0; i < n; i++) {
    WgStr name;
    wg_wasm_component_func(comp, i, &name, NULL);
    if (name.len > 13 && memcmp(name.ptr, "wasi:cli/run@", 13) == 0 &&
        name.len > 4 && memcmp(name.ptr + name.len - 4, "#run", 4) == 0)
      return true;
  }
  return false;
}

/* wasi:cli/run in a new instance of `pre`: the program's exit status. */
static int run_main(const RunComponentOptions *opt, WgWasi2Ctx *ctx,
                    WgComponentPre *pre, WgDiagList *diags) {
  int code = 0;
  WgTrap *trap = NULL;
  WgStatus st = wg_wasi2_run(ctx, pre, &code, &trap, diags);
  fflush(stdout);
  int status = CLI_FAILED;
  if (st == WG_OK) {
    status = code;
  } else if (st == WG_ERR_TRAP) {
    const char *msg = trap ? wg_trap_message(trap) : "?";
    cli_fail("%s: trap: %s", opt->path, msg);
    run_trap_note(msg);
    status = RUN_EXIT_TRAP;
  } else {
    cli_fail_diags(opt->path, diags);
  }
  wg_trap_delete(trap);
  return status;
}

/* Section: running */

int run_component(const RunComponentOptions *opt) {
  const CliSandbox *sb = opt->sandbox;
  WgEngineConfig config = { .fuel = sb->fuel,
                            .max_memory_pages = sb->max_memory_pages,
                            .max_call_depth = sb->max_call_depth };
  int status = CLI_FAILED;
  WgDiagList *diags = wg_diag_list_new();
  WgEngine *engine = wg_engine_new(&config);
  WgWasmComponent *comp = NULL;
  WgWasi2 *wasi = NULL;
  WgComponentLinker *linker = NULL;
  WgComponentPre *pre = NULL;
  WgComponentGraph *graph = NULL; /* --link */
  WgStore *store = NULL;
  WgWasi2Ctx *ctx = NULL;
  if (!engine || !diags) {
    cli_fail("out of memory");
    goto done;
  }
  WgStatus st =
      wg_wasm_component_load(engine, opt->bytes, opt->len, &comp, diags);
  if (st != WG_OK) {
    const WgDiag *d = wg_diag_list_get(diags, 0);
    cli_fail("%s: offset 0x%llx: %s: %s", opt->path,
             d && d->has_offset ? (unsigned long long)d->offset : 0ULL,
             wg_status_str(st), wg_diag_list_first_error(diags));
    goto done;
  }
  if (!opt->invoke_count && !exports_cli_run(comp)) {
    cli_fail("%s: no `wasi:cli/run` export to run", opt->path);
    cli_note("call an export with --invoke 'NAME(ARGS)'; serve a "
             "wasi:http/proxy component with `witgen serve %s`",
             opt->path);
    run_list_exports(opt->path, comp, false);
    goto done;
  }
  WgWasi2Dir dirs[CLI_MAX_ITEMS];
  for (size_t d = 0; d < sb->dir_count; d++)
    dirs[d] = (WgWasi2Dir){ sb->dirs[d].host, sb->dirs[d].guest,
                            sb->dirs[d].read_only };
  WgWasi2Config wc = {
    .args = opt->args,
    .arg_count = opt->arg_count,
    .env = sb->envs,
    .env_count = sb->env_count,
    .dirs = dirs,
    .dir_count = sb->dir_count,
    .allow_net = sb->nets,
    .allow_net_count = sb->net_count,
  };
  char err[512];
  if (wg_wasi2_new(&wc, &wasi, err, sizeof err) != WG_OK) {
    cli_fail("%s", err);
    goto done;
  }
  WgComponentLinkerConfig lc = { .stub_unknown_imports = true };
  linker = wg_component_linker_new(engine, &lc);
  if (!linker || wg_wasi2_add_to_linker(linker, diags) != WG_OK ||
      (opt->trace_imports && !trace_imports(linker, comp, diags))) {
    cli_fail_diags(opt->path, diags);
    goto done;
  }
  if (opt->link_count) { /* run_link.c reports */
    if (run_link_pre(engine, linker, opt->path, comp, opt->links,
                     opt->link_count, &graph, &pre) != WG_OK)
      goto done;
  } else if (wg_component_linker_pre(linker, comp, &pre, diags) != WG_OK) {
    cli_fail_diags(opt->path, diags);
    cli_note("witgen run serves the WASI 0.2 imports (wasi:cli, io, clocks, "
             "random, filesystem, sockets, http) at the types of 0.2.x");
    goto done;
  }
  store = wg_store_new(engine);
  if (!store || wg_wasi2_ctx_new(wasi, store, &ctx) != WG_OK) {
    cli_fail("out of memory");
    goto done;
  }
  if (sb->time_limit_ms) wg_wasi2_ctx_set_time_limit(ctx, sb->time_limit_ms);
  Watchdog wd;
  watchdog_start(&wd, store, sb->time_limit_ms);
  signal(SIGPIPE, SIG_IGN); /* a closed stdout is the guest's write error */
  if (!opt->invoke_count) {
    status = run_main(opt, ctx, pre, diags);
  } else {
    WgComponentInstance *inst = NULL;
    st = wg_component_pre_instantiate(pre, store, &inst, diags);
    if (st == WG_OK) {
      status = run_invokes(opt->path, comp, inst, store, opt->invokes,
                           opt->invoke_count);
    } else {
      fflush(stdout);
      cli_fail("%s: %s: %s", opt->path, wg_status_str(st),
               wg_diag_list_first_error(diags));
      if (st == WG_ERR_TRAP) status = RUN_EXIT_TRAP;
    }
  }
  watchdog_stop(&wd);
done:
  wg_store_delete(store);
  wg_wasi2_ctx_delete(ctx);
  wg_component_pre_delete(pre);
  wg_component_graph_delete(graph);
  wg_component_linker_delete(linker);
  wg_wasi2_delete(wasi);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return status;
}
