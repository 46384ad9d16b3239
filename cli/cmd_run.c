/* SPDX-License-Identifier: Apache-2.0 */
/* witgen run: runs a WASI preview1 program (a core module with `_start`)
 * in witgen's interpreter, sandboxed: it sees only the arguments, the
 * environment variables and the directories given here; or a component
 * (run_component.c): its functions called with --invoke, arguments and
 * results in WAVE. */
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

/* Exit status for a trap (as a shell reports SIGABRT: 128 + 6). */
enum { EXIT_TRAP = 134, MAX_ITEMS = 256 };

static void run_help(FILE *out) {
  fprintf(
      out,
      "Usage: witgen run [options] PROGRAM.wasm [args...]\n"
      "       witgen run [options] COMPONENT.wasm [--invoke 'CALL']...\n"
      "\n"
      "Runs a WASI preview1 program (built e.g. with clang "
      "--target=wasm32-wasi)\n"
      "in witgen's interpreter. The program gets only what is granted:\n"
      "  --dir HOST[::GUEST]     grant folder HOST, seen by the guest as "
      "GUEST\n"
      "                          (default: the same name); repeatable\n"
      "  --env NAME=VALUE        set an environment variable; repeatable\n"
      "  --fuel N                stop with a trap after about N instructions\n"
      "  --max-memory-pages N    cap linear memory at N pages of 64 KiB\n"
      "  --max-call-depth N      cap nested calls (default 20000)\n"
      "A component is instantiated once and its exports called:\n"
      "  --invoke 'CALL'         call an export, e.g. 'greet(\"world\")',\n"
      "                          arguments and result in WAVE; repeatable:\n"
      "                          the calls run in order in one instance.\n"
      "                          '$v = CALL' binds the result to $v, which\n"
      "                          later calls pass as an argument; resources:\n"
      "                          'r.new(...)' (constructor), '$v.m(...)'\n"
      "                          (method), 'r.f(...)' (static), 'drop($v)'\n"
      "  --trace-imports         imports print their calls (in WAVE, on\n"
      "                          stderr) instead of trapping; those that\n"
      "                          return a value still trap\n"
      "Without --invoke a component's wasi:cli/run export is called. Its\n"
      "WASI imports are stubs that trap until witgen has a WASI 0.2 host.\n"
      "Exit status: the program's exit code (a component: 0, or 1 when run\n"
      "returns an error); 134 when it traps; 1 when it cannot be loaded or\n"
      "a call is wrong; 2 for a usage error.\n");
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

static bool parse_u64(const char *text, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || end == text || *end || text[0] == '-') return false;
  *out = v;
  return true;
}

/* What the options set. */
typedef struct RunOpts {
  WgWasiDir dirs[MAX_ITEMS];
  const char *envs[MAX_ITEMS];
  const char *invokes[MAX_ITEMS];
  size_t dir_count, env_count, invoke_count;
  bool trace_imports;
  WgEngineConfig config;
} RunOpts;

/* Reads the option at argv[*i] (and its value). CLI_OK, a usage error, or
 * -1 after printing the help. */
static int run_option(RunOpts *o, int argc, char **argv, int *i) {
  const char *opt = argv[*i];
  if (cli_is_help(opt)) {
    run_help(stdout);
    return -1;
  }
  if (strcmp(opt, "--trace-imports") == 0) {
    o->trace_imports = true;
    return CLI_OK;
  }
  if (*i + 1 >= argc) return cli_usage_error("option '%s' needs a value", opt);
  char *value = argv[++*i];
  uint64_t n;
  if (strcmp(opt, "--dir") == 0) {
    if (o->dir_count == MAX_ITEMS) return cli_usage_error("too many --dir");
    char *sep = strstr(value, "::");
    if (sep) {
      *sep = '\0';
      o->dirs[o->dir_count++] = (WgWasiDir){ value, sep + 2 };
    } else {
      o->dirs[o->dir_count++] = (WgWasiDir){ value, value };
    }
  } else if (strcmp(opt, "--env") == 0) {
    if (!strchr(value, '='))
      return cli_usage_error("--env wants NAME=VALUE, got '%s'", value);
    if (o->env_count == MAX_ITEMS) return cli_usage_error("too many --env");
    o->envs[o->env_count++] = value;
  } else if (strcmp(opt, "--invoke") == 0) {
    if (o->invoke_count == MAX_ITEMS)
      return cli_usage_error("too many --invoke");
    o->invokes[o->invoke_count++] = value;
  } else if (strcmp(opt, "--fuel") == 0) {
    if (!parse_u64(value, &n) || n == 0)
      return cli_usage_error("--fuel wants a positive number");
    o->config.fuel = n;
  } else if (strcmp(opt, "--max-memory-pages") == 0) {
    if (!parse_u64(value, &n) || n == 0 || n > 65536)
      return cli_usage_error("--max-memory-pages wants 1..65536");
    o->config.max_memory_pages = (uint32_t)n;
  } else if (strcmp(opt, "--max-call-depth") == 0) {
    if (!parse_u64(value, &n) || n == 0 || n > 1000000)
      return cli_usage_error("--max-call-depth wants 1..1000000");
    o->config.max_call_depth = (uint32_t)n;
  } else {
    return cli_usage_error("run: unknown option '%s'", opt);
  }
  return CLI_OK;
}

int cmd_run(int argc, char **argv) {
  static RunOpts o;
  memset(&o, 0, sizeof o);
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    int st = run_option(&o, argc, argv, &i);
    if (st) return st < 0 ? CLI_OK : st;
  }
  if (i >= argc) return cli_usage_error("run: missing PROGRAM.wasm");
  const char *path = argv[i];
  WgWasiDir *dirs = o.dirs;
  const char **envs = o.envs;
  size_t dir_count = o.dir_count, env_count = o.env_count;
  WgEngineConfig config = o.config;

  uint8_t *bytes = NULL;
  size_t len = 0;
  if (wg_file_read(path, &bytes, &len) != WG_OK) {
    return cli_fail("%s: %s", path, strerror(errno));
  }
  if (wg_component_is_component(bytes, len)) {
    /* options may follow a component (it takes no arguments yet) */
    for (i++; i < argc; i++) {
      if (argv[i][0] != '-') {
        free(bytes);
        return cli_usage_error(
            "run: unexpected '%s' after %s: a component's arguments (for "
            "wasi:cli/run) need the WASI 0.2 host; call exports with "
            "--invoke 'NAME(ARGS)'",
            argv[i], path);
      }
      int st = run_option(&o, argc, argv, &i);
      if (st) {
        free(bytes);
        return st < 0 ? CLI_OK : st;
      }
    }
    RunComponentOptions rc = {
      .path = path,
      .bytes = bytes,
      .len = len,
      .config = &o.config,
      .invokes = o.invokes,
      .invoke_count = o.invoke_count,
      .has_sandbox = o.dir_count || o.env_count,
      .trace_imports = o.trace_imports,
    };
    int status = run_component(&rc);
    free(bytes);
    return status;
  }
  if (o.invoke_count) {
    free(bytes);
    cli_fail("%s is a core module: --invoke calls the exports of components",
             path);
    cli_note("make it a component with `witgen new %s -o C.wasm`, or run it "
             "as a WASI program without --invoke",
             path);
    return CLI_FAILED;
  }

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
    .env = envs,
    .env_count = env_count,
    .dirs = dirs,
    .dir_count = dir_count,
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
