/* SPDX-License-Identifier: Apache-2.0 */
/* witgen run: runs a WASI preview1 program (a core module with `_start`)
 * in witgen's interpreter, sandboxed: it sees only the arguments, the
 * environment variables and the directories given here. Components go to
 * run_component.c (the WASI 0.2 host). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "witgen/component_binary.h"
#include "witgen/wasi.h"
#include "witgen/wasm.h"

/* Exit status for a trap (as a shell reports SIGABRT: 128 + 6). */
enum { EXIT_TRAP = 134 };

static void run_help(FILE *out) {
  fprintf(
      out,
      "Usage: witgen run [options] PROGRAM.wasm [args...]\n"
      "\n"
      "Runs a WASI program in witgen's interpreter: a preview1 module\n"
      "(built e.g. with clang --target=wasm32-wasi) or a WASI 0.2\n"
      "component exporting wasi:cli/run (e.g. made by witgen new --adapt).\n"
      "The program gets only what is granted:\n"
      "%s"
      "Exit status: the program's exit code; 134 when it traps; 1 when it\n"
      "cannot be loaded; 2 for a usage error.\n",
      CLI_SANDBOX_HELP);
}

/* An import the linker does not satisfy, named, with what run provides. */
static void report_unlinkable(const char *path, const WgWasmModule *module,
                              const WgLinker *linker, const WgDiagList *diags) {
  size_t n = wg_wasm_module_import_count(module);
  for (size_t i = 0; i < n; i++) {
    WgStr mod, name;
    WgWasmExternKind kind;
    wg_wasm_module_import(module, i, &mod, &name, &kind);
    WgExtern ext;
    bool known = wg_linker_get(linker, mod, name, &ext);
    if (known && ext.kind == kind) continue;
    cli_fail("%s: unlinkable: %s `%.*s`.`%.*s`", path,
             known ? "incompatible import type of" : "unknown import",
             (int)mod.len, mod.ptr, (int)name.len, name.ptr);
    cli_note("witgen run provides the WASI preview1 functions "
             "(`wasi_snapshot_preview1`) and nothing else; %s",
             known ? "this one has another type in WASI preview1"
                   : "a module importing anything else cannot run here");
    return;
  }
  cli_fail("%s: unlinkable: %s", path, wg_diag_list_first_error(diags));
}

int cmd_run(int argc, char **argv) {
  static CliSandbox sb;
  memset(&sb, 0, sizeof sb);
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *opt = argv[i];
    if (cli_is_help(opt)) {
      run_help(stdout);
      return CLI_OK;
    }
    if (strcmp(opt, "--") == 0) {
      i++;
      break;
    }
    int r = cli_sandbox_option(&sb, argc, argv, &i);
    if (r < 0) return -r;
    if (r == 0) return cli_usage_error("run: unknown option '%s'", opt);
  }
  if (i >= argc) return cli_usage_error("run: missing PROGRAM.wasm");
  const char *path = argv[i];

  uint8_t *bytes = NULL;
  size_t len = 0;
  if (wg_file_read(path, &bytes, &len) != WG_OK) {
    return cli_fail("%s: %s", path, strerror(errno));
  }
  if (wg_component_is_component(bytes, len)) {
    int rc = cli_run_component(&sb, path, bytes, len, argc - i, argv + i);
    free(bytes);
    return rc;
  }
  if (sb.net_count || sb.time_limit_ms) {
    free(bytes);
    return cli_usage_error(
        "run: --allow-net and --time-limit need a WASI 0.2 component");
  }
  WgWasiDir dirs[CLI_MAX_ITEMS];
  for (size_t d = 0; d < sb.dir_count; d++) {
    if (sb.dirs[d].read_only) {
      free(bytes);
      return cli_usage_error(
          "run: --dir-ro needs a WASI 0.2 component (preview1 modules get "
          "--dir)");
    }
    dirs[d] = (WgWasiDir){ sb.dirs[d].host, sb.dirs[d].guest };
  }
  WgEngineConfig config = { .fuel = sb.fuel,
                            .max_memory_pages = sb.max_memory_pages,
                            .max_call_depth = sb.max_call_depth };
  int status = CLI_FAILED;
  WgEngine *engine = wg_engine_new(&config);
  WgWasmModule *module = NULL;
  WgStore *store = NULL;
  WgLinker *linker = NULL;
  WgWasi *wasi = NULL;
  WgDiagList *diags = wg_diag_list_new();
  if (!engine || !diags) {
    cli_fail("out of memory");
    goto done;
  }
  WgStatus st = wg_wasm_module_load(engine, bytes, len, &module, diags);
  if (st != WG_OK) {
    const WgDiag *d = wg_diag_list_get(diags, 0);
    cli_fail("%s: offset 0x%llx: %s: %s", path,
             d && d->has_offset ? (unsigned long long)d->offset : 0ULL,
             wg_status_str(st), wg_diag_list_first_error(diags));
    goto done;
  }
  WgWasiConfig wasi_config = {
    .args = (const char *const *)(argv + i),
    .arg_count = (size_t)(argc - i),
    .env = sb.envs,
    .env_count = sb.env_count,
    .dirs = dirs,
    .dir_count = sb.dir_count,
  };
  if (wg_wasi_new(&wasi_config, &wasi, diags) != WG_OK) {
    cli_fail("%s", wg_diag_list_first_error(diags));
    goto done;
  }
  store = wg_store_new(engine);
  linker = store ? wg_linker_new(store) : NULL;
  if (!linker || wg_wasi_define(wasi, store, linker) != WG_OK) {
    cli_fail("out of memory");
    goto done;
  }
  WgInstance *instance = NULL;
  st = wg_linker_instantiate(linker, module, &instance, diags);
  if (st != WG_OK) {
    if (st == WG_ERR_UNLINKABLE) {
      report_unlinkable(path, module, linker, diags);
      goto done;
    }
    cli_fail("%s: %s: %s", path, wg_status_str(st),
             wg_diag_list_first_error(diags));
    if (st == WG_ERR_TRAP) status = EXIT_TRAP;
    goto done;
  }
  WgExtern start;
  if (!wg_instance_export(instance, WG_STR("_start"), &start) ||
      start.kind != WG_WASM_EXTERN_FUNC) {
    cli_fail("%s: no '_start' function: not a WASI command", path);
    goto done;
  }
  WgTrap *trap = wg_func_call(store, start.of.func, NULL, 0, NULL, 0);
  if (!trap) {
    status = 0;
  } else if (wg_trap_kind(trap) == WG_TRAP_EXIT) {
    status = wg_trap_exit_code(trap);
  } else {
    fflush(stdout);
    fprintf(stderr, "witgen run: %s: trap: %s\n", path, wg_trap_message(trap));
    status = EXIT_TRAP;
  }
  wg_trap_delete(trap);
done:
  wg_diag_list_delete(diags);
  wg_linker_delete(linker);
  wg_store_delete(store);
  wg_wasi_delete(wasi);
  wg_wasm_module_delete(module);
  wg_engine_delete(engine);
  free(bytes);
  return status;
}
