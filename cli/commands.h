/* SPDX-License-Identifier: Apache-2.0 */
/* The witgen CLI: one cmd_<verb>.c per subcommand, listed in main.c.
 * Exit codes: 0 success, 1 the input is wrong (diagnostics printed),
 * 2 usage error (unknown command/option, missing argument). */
#ifndef WITGEN_CLI_COMMANDS_H
#define WITGEN_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* argv[0] is the subcommand name. */
typedef int (*CliCommandFn)(int argc, char **argv);

typedef struct CliCommand {
  const char *name;
  const char *args;    /* synopsis of arguments, for --help */
  const char *summary; /* one line */
  CliCommandFn run;
} CliCommand;

/* Prints "witgen: <message>" and a hint to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "witgen: error: <message>" to stderr; returns CLI_FAILED. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "witgen: note: <message>" to stderr: the remedy after an error. */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct WgDiagList;
/* Prints "witgen: error: <what>: <first error of diags>" (without "<what>: "
 * when `what` is NULL) and each note of
 * `diags` as "witgen: note: ..." (NULL diags: out of memory); returns
 * CLI_FAILED. */
int cli_fail_diags(const char *what, const struct WgDiagList *diags);

/* True when argv[i] is -h or --help. */
bool cli_is_help(const char *arg);

/* Reads a whole input file ("-": standard input) into *data (malloc'ed,
 * NUL-terminated; free()). Prints the error and returns CLI_FAILED when it
 * cannot. */
int cli_read_input(const char *path, uint8_t **data, size_t *len);

/* Writes `len` bytes to `path` (NULL or "-": standard output). */
int cli_write_output(const char *path, const void *data, size_t len);

/* Subcommands (cmd_<verb>.c), by section as in main.c. */

/* WIT front-end */
struct WgWitResolve;
/* Parses `PATH [--features a,b] [--all-features]` and loads the package,
 * printing diagnostics. Returns CLI_OK with *out set, a CLI_* error, or -1
 * after printing `usage` for --help. */
int cli_wit_load(int argc, char **argv, const char *usage,
                 struct WgWitResolve **out);
/* Loads like cli_wit_load() and prints the main package as WIT to `out`
 * (NULL or "-": standard output) (cmd_print.c; `print` and `wit` differ
 * only in what they read). */
int cli_print_wit(int argc, char **argv, const char *usage, const char *out);
int cmd_check(int argc, char **argv);
int cmd_json(int argc, char **argv);
int cmd_print(int argc, char **argv);

/* Bindings and component tooling */
int cmd_bindgen(int argc, char **argv);
/* True when `arg` is one of bindgen's options (for the bare form). */
bool cli_names_bindgen_option(const char *arg);
/* The world of `r` bindings are written for: `name` (a world of the main
 * package or `ns:pkg/world[@version]`), or the main package's only world
 * when NULL. WG_WIT_NONE (as uint32_t) after printing why and what to pass
 * (bindgen_world.c). */
uint32_t cli_bindgen_world(const struct WgWitResolve *r, const char *name);
int cmd_new(int argc, char **argv);
int cmd_wit(int argc, char **argv);
int cmd_plug(int argc, char **argv);
int cmd_compose(int argc, char **argv);

/* Text format */
int cmd_parse(int argc, char **argv);
int cmd_wast(int argc, char **argv);

/* Runtime */
int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* What `witgen run` and `witgen serve` grant and limit (cli_sandbox.c). */
enum { CLI_MAX_ITEMS = 256 };
typedef struct CliSandbox {
  struct {
    const char *host, *guest;
    bool read_only;
  } dirs[CLI_MAX_ITEMS];
  size_t dir_count;
  const char *envs[CLI_MAX_ITEMS];
  size_t env_count;
  const char *nets[CLI_MAX_ITEMS];
  size_t net_count;
  uint64_t fuel;
  uint32_t max_memory_pages;
  uint32_t max_call_depth;
  uint64_t time_limit_ms; /* 0: none */
} CliSandbox;
/* Parses the sandbox option argv[*i] (advancing *i past its value): 1 when
 * it was one, 0 when argv[*i] is another option, CLI_USAGE (negated) after
 * printing a usage error. */
int cli_sandbox_option(CliSandbox *sb, int argc, char **argv, int *i);
/* The help lines of the sandbox options. */
extern const char CLI_SANDBOX_HELP[];

#endif
