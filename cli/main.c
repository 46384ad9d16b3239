/* SPDX-License-Identifier: Apache-2.0 */
/* witgen: the command-line front of the library. Thin: each subcommand
 * parses its arguments and calls the library (see commands.h). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "witgen/common.h"
#include "witgen/wasm.h"

/* The subcommands, one cmd_<verb>.c each, in the order --help lists them.
 * Sections keep independent work streams from touching the same lines. */

/* WIT front-end */

/* Bindings and component tooling */

/* Text format */

/* Runtime */

static const CliCommand COMMANDS[] = {
  /* WIT front-end */
  { "check", "[--features a,b] PATH", "resolve a WIT package, report errors",
    cmd_check },
  { "json", "[--features a,b] PATH", "dump a resolved WIT package as JSON",
    cmd_json },
  { "print", "[--features a,b] PATH", "print a resolved WIT package as WIT",
    cmd_print },

  /* Bindings and component tooling */
  { "bindgen", "[options] PATH", "C bindings of a world (also: witgen PATH)",
    cmd_bindgen },
  { "new", "CORE.wasm -o OUT.wasm", "make a core module into a component",
    cmd_new },
  { "wit", "FILE.wasm", "print the WIT of a component or module", cmd_wit },
  { "plug", "SOCKET.wasm --plug P.wasm -o OUT", "compose: plugs fill a socket",
    cmd_plug },
  { "compose", "APP.wac --dep P=F.wasm -o OUT", "compose as a WAC file says",
    cmd_compose },

  /* Text format */
  { "parse", "IN.wat [-o OUT.wasm]", "encode WebAssembly text as a binary",
    cmd_parse },
  { "wast", "FILE.wast...", "run WebAssembly spec-test scripts", cmd_wast },

  /* Runtime */
  { "validate", "FILE.wasm...", "decode and validate modules, components",
    cmd_validate },
  { "run", "[options] PROGRAM.wasm [args]",
    "run a WASI program (preview1 module or 0.2 component), sandboxed",
    cmd_run },
  { "serve", "[options] COMPONENT.wasm", "serve a wasi:http/proxy component",
    cmd_serve },

  { NULL, NULL, NULL, NULL } /* sentinel */
};

static void print_help(FILE *out) {
  fprintf(out,
          "witgen %s - WebAssembly Component Model toolchain\n"
          "\n"
          "Usage: witgen <command> [options] [args]\n"
          "       witgen [bindgen options] WIT_PATH   (C bindings)\n"
          "       witgen --help | --version\n"
          "\n"
          "Commands:\n",
          wg_version());
  for (const CliCommand *c = COMMANDS; c->name; c++)
    fprintf(out, "  %-8s %-28s %s\n", c->name, c->args, c->summary);
  fprintf(out, "\n"
               "Run 'witgen <command> --help' for a command's options.\n"
               "Exit status: 0 success, 1 bad input (diagnostics on stderr),\n"
               "2 usage error.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_help(stderr);
    return CLI_USAGE;
  }
  const char *cmd = argv[1];
  if (cli_is_help(cmd) || strcmp(cmd, "help") == 0) {
    print_help(stdout);
    return CLI_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    printf("witgen %s\ninterpreter: %s dispatch\n", wg_version(),
           wg_interp_dispatch());
    return CLI_OK;
  }
  for (const CliCommand *c = COMMANDS; c->name; c++) {
    if (strcmp(c->name, cmd) == 0) return c->run(argc - 1, argv + 1);
  }
  /* The bare form `witgen [options] PATH` writes bindings. */
  struct stat sb;
  if (cli_names_bindgen_option(cmd) || stat(cmd, &sb) == 0)
    return cmd_bindgen(argc, argv);
  if (cmd[0] == '-') return cli_usage_error("unknown option '%s'", cmd);
  return cli_usage_error("unknown command '%s'", cmd);
}
