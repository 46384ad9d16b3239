/* SPDX-License-Identifier: Apache-2.0 */
/* witgen run COMPONENT.wasm: a WASI 0.2 command (a component exporting
 * wasi:cli/run) on the component runtime and the WASI 0.2 host
 * (witgen/wasi2.h), sandboxed as cmd_run.c's options say. The program's
 * exit status is passed through; a trap gives 134. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "witgen/component.h"
#include "witgen/wasi2.h"

enum { EXIT_TRAP = 134 };

/* Interrupts the store when the time limit passes (unless cancelled). */
typedef struct Watchdog {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool done;
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

static void print_diags(WgDiagList *diags, const char *path) {
  for (size_t k = 0; k < wg_diag_list_count(diags); k++)
    fprintf(stderr, "witgen: error: %s: %s\n", path,
            wg_diag_list_get(diags, k)->message);
}

int cli_run_component(const CliSandbox *sb, const char *path,
                      const uint8_t *bytes, size_t len, int argc, char **argv) {
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
  WgStore *store = NULL;
  WgWasi2Ctx *ctx = NULL;
  WgTrap *trap = NULL;
  if (!engine || !diags) {
    cli_fail("out of memory");
    goto done;
  }
  if (wg_wasm_component_load(engine, bytes, len, &comp, diags) != WG_OK) {
    print_diags(diags, path);
    goto done;
  }
  WgWasi2Dir dirs[CLI_MAX_ITEMS];
  for (size_t d = 0; d < sb->dir_count; d++)
    dirs[d] = (WgWasi2Dir){ sb->dirs[d].host, sb->dirs[d].guest,
                            sb->dirs[d].read_only };
  WgWasi2Config wc = {
    .args = (const char *const *)argv,
    .arg_count = (size_t)argc,
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
  linker = wg_component_linker_new(engine, NULL);
  if (!linker || wg_wasi2_add_to_linker(linker, diags) != WG_OK) {
    print_diags(diags, path);
    goto done;
  }
  if (wg_component_linker_pre(linker, comp, &pre, diags) != WG_OK) {
    print_diags(diags, path);
    cli_note("witgen run provides the WASI 0.2 imports (wasi:cli, io, "
             "clocks, random, filesystem, sockets, http) and nothing else");
    goto done;
  }
  store = wg_store_new(engine);
  if (!store || wg_wasi2_ctx_new(wasi, store, &ctx) != WG_OK) {
    cli_fail("out of memory");
    goto done;
  }
  Watchdog wd = { .store = store };
  bool watching = false;
  if (sb->time_limit_ms) {
    wg_wasi2_ctx_set_time_limit(ctx, sb->time_limit_ms);
    pthread_mutex_init(&wd.mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_cond_init(&wd.cv, &ca);
    clock_gettime(CLOCK_REALTIME, &wd.deadline);
    wd.deadline.tv_sec += (time_t)(sb->time_limit_ms / 1000);
    wd.deadline.tv_nsec += (long)(sb->time_limit_ms % 1000) * 1000000;
    if (wd.deadline.tv_nsec >= 1000000000) {
      wd.deadline.tv_sec++;
      wd.deadline.tv_nsec -= 1000000000;
    }
    watching = pthread_create(&wd.thread, NULL, watchdog_main, &wd) == 0;
  }
  signal(SIGPIPE, SIG_IGN); /* a closed stdout is the guest's write error */
  int code = 0;
  WgStatus st = wg_wasi2_run(ctx, pre, &code, &trap, diags);
  if (watching) {
    pthread_mutex_lock(&wd.mu);
    wd.done = true;
    pthread_cond_signal(&wd.cv);
    pthread_mutex_unlock(&wd.mu);
    pthread_join(wd.thread, NULL);
  }
  fflush(stdout);
  if (st == WG_OK) {
    status = code;
  } else if (st == WG_ERR_TRAP) {
    fprintf(stderr, "witgen run: %s: trap: %s\n", path,
            trap ? wg_trap_message(trap) : "?");
    status = EXIT_TRAP;
  } else {
    print_diags(diags, path);
    if (st == WG_ERR_UNLINKABLE)
      cli_note("witgen run runs wasi:cli/command components; serve a "
               "wasi:http/proxy component with `witgen serve %s`",
               path);
  }
done:
  wg_trap_delete(trap);
  wg_store_delete(store);
  wg_wasi2_ctx_delete(ctx);
  wg_component_pre_delete(pre);
  wg_component_linker_delete(linker);
  wg_wasi2_delete(wasi);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return status;
}
