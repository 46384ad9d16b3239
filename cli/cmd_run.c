/* SPDX-License-Identifier: Apache-2.0 */
/* witgen run: runs a WASI preview1 program (a core module with `_start`)
 * in witgen's interpreter, sandboxed: it sees only the arguments, the
 * environment variables and the directories given here. Components go to
 * run_component.c (the WASI 0.2 host; --invoke calls their exports). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "run_component.h"
#include "witgen/component_binary.h"
#include "witgen/wasi.h"
#include "witgen/wasm.h"

enum { EXIT_TRAP = RUN_EXIT_TRAP };

static void run_help(FILE *out) {
  fprintf(
      out,
      "Usage: witgen run [options] PROGRAM.wasm [args...]\n"
      "       witgen run [options] COMPONENT.wasm --invoke 'CALL'...\n"
      "\n"
      "Runs a WASI program in witgen's interpreter: a preview1 module\n"
      "(built e.g. with clang --target=wasm32-wasi) or a WASI 0.2\n"
      "component exporting wasi:cli/run (e.g. made by witgen new --adapt).\n"
      "The program gets only what is granted:\n"
      "%s"
      "A component's exports are called in one instance with:\n"
      "  --invoke 'CALL'         call an export, e.g. 'greet(\"world\")',\n"
      "                          arguments and result in WAVE; repeatable:\n"
      "                          the calls run in order in one instance.\n"
      "                          '$v = CALL' binds the result to $v, which\n"
      "                          later calls pass as an argument; resources:\n"
      "                          'r.new(...)' (constructor), '$v.m(...)'\n"
      "                          (method), 'r.f(...)' (static), 'drop($v)'\n"
      "  --trace-imports         imports other than WASI 0.2 print their\n"
      "                          calls (in WAVE, on stderr) instead of\n"
      "                          trapping; those that return a value still\n"
      "                          trap\n"
      "  --link LIB.wasm         link a component at run time: its exports\n"
      "                          fill the imports (by interface name,\n"
      "                          semver-compatible) of the component and of\n"
      "                          the other --link components; repeatable\n"
      "These three may also follow COMPONENT.wasm; the other words after it\n"
      "are the program's arguments (after `--`, all of them are).\n"
      "A component's WASI 0.2 imports are served with the grants above,\n"
      "with --invoke too; its other imports are stubs that trap when called.\n"
      "Exit status: the program's exit code (wasi:cli/run returning an\n"
      "error: 1); 134 when it traps; 1 when it cannot be loaded or a call\n"
      "is wrong; 2 for a usage error.\n",
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

/* What the options set besides the sandbox. */
typedef struct RunOpts {
  CliSandbox sb;
  const char *invokes[CLI_MAX_ITEMS];
  size_t invoke_count;
  const char *links[CLI_MAX_ITEMS];
  size_t link_count;
  bool trace_imports;
} RunOpts;

/* Reads --invoke CALL, --link LIB or --trace-imports at argv[*i]: 1 when
 * it was one of them, 0 when not, a usage error negated. */
static int component_option(RunOpts *o, int argc, char **argv, int *i) {
  if (strcmp(argv[*i], "--trace-imports") == 0) {
    o->trace_imports = true;
    return 1;
  }
  if (strcmp(argv[*i], "--link") == 0) {
    if (*i + 1 >= argc)
      return -cli_usage_error("option '--link' needs a value");
    if (o->link_count == CLI_MAX_ITEMS)
      return -cli_usage_error("too many --link");
    o->links[o->link_count++] = argv[++*i];
    return 1;
  }
  if (strcmp(argv[*i], "--invoke") != 0) return 0;
  if (*i + 1 >= argc)
    return -cli_usage_error("option '--invoke' needs a value");
  if (o->invoke_count == CLI_MAX_ITEMS)
    return -cli_usage_error("too many --invoke");
  o->invokes[o->invoke_count++] = argv[++*i];
  return 1;
}

/* A component: the options after it read, the rest its arguments. */
static int run_component_file(RunOpts *o, const char *path, uint8_t *bytes,
                              size_t len, int argc, char **argv, int i) {
  const char **args = calloc((size_t)argc, sizeof *args);
  if (!args) return cli_fail("out of memory");
  size_t n = 0;
  args[n++] = path;
  bool options = true;
  for (i++; i < argc; i++) {
    if (options && strcmp(argv[i], "--") == 0) {
      options = false;
      continue;
    }
    int r = options ? component_option(o, argc, argv, &i) : 0;
    if (r < 0) {
      free(args);
      return -r;
    }
    if (r == 0) args[n++] = argv[i];
  }
  RunComponentOptions rc = {
    .path = path,
    .bytes = bytes,
    .len = len,
    .sandbox = &o->sb,
    .args = args,
    .arg_count = n,
    .invokes = o->invokes,
    .invoke_count = o->invoke_count,
    .trace_imports = o->trace_imports,
    .links = o->links,
    .link_count = o->link_count,
  };
  int status = run_component(&rc);
  free(args);
  return status;
}

int cmd_run(int argc, char **argv) {
  static RunOpts o;
  memset(&o, 0, sizeof o);
  CliSandbox *sb = &o.sb;
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
    int r = component_option(&o, argc, argv, &i);
    if (r == 0) r = cli_sandbox_option(sb, argc, argv, &i);
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
    int rc = run_component_file(&o, path, bytes, len, argc, argv, i);
    free(bytes);
    return rc;
  }
  if (o.invoke_count || o.link_count) {
    free(bytes);
    cli_fail("%s is a core module: %s components", path,
             o.invoke_count ? "--invoke calls the exports of"
                            : "--link links it to other");
    cli_note("make it a component with `witgen new %s -o C.wasm`, or run it "
             "as a WASI program without --invoke",
             path);
    return CLI_FAILED;
  }
  if (sb->net_count || sb->time_limit_ms) {
    free(bytes);
    return cli_usage_error(
        "run: --allow-net and --time-limit need a WASI 0.2 component");
  }
  WgWasiDir dirs[CLI_MAX_ITEMS];
  for (size_t d = 0; d < sb->dir_count; d++) {
    if (sb->dirs[d].read_only) {
      free(bytes);
      return cli_usage_error(
          "run: --dir-ro needs a WASI 0.2 component (preview1 modules get "
          "--dir)");
    }
    dirs[d] = (WgWasiDir){ sb->dirs[d].host, sb->dirs[d].guest };
  }
  WgEngineConfig config = { .fuel = sb->fuel,
                            .max_memory_pages = sb->max_memory_pages,
                            .max_call_depth = sb->max_call_depth };
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
    .env = sb->envs,
    .env_count = sb->env_count,
    .dirs = dirs,
    .dir_count = sb->dir_count,
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
