/* SPDX-License-Identifier: Apache-2.0 */
/* witgen wast: runs WebAssembly spec-test scripts (core and component
 * .wast files) and reports `N passed, M failed, K skipped`. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "wast_run.h"
#include "witgen/core_module.h"

static const char USAGE[] =
    "Usage: witgen wast [--verbose] [--wasm-2.0] FILE.wast...\n"
    "Runs spec-test scripts: modules are encoded and run in witgen's core\n"
    "engine; assertions are checked as the spec interpreter checks them.\n"
    "Component commands are decoded and checked; those that need the\n"
    "component runtime are reported as skipped, counted by kind.\n"
    "Prints a line per script and the total; exit status 1 when any\n"
    "command failed.\n"
    "  --verbose   also list every skipped command with its line\n"
    "  --wasm-2.0  WebAssembly 2.0 exactly: refuse later features\n"
    "              (multi-memory)\n";

int cmd_wast(int argc, char **argv) {
  WastOptions opt = { false, 0, stdout };
  int files = 0;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      fputs(USAGE, stdout);
      return CLI_OK;
    }
    if (strcmp(argv[i], "--verbose") == 0) {
      opt.verbose = true;
    } else if (strcmp(argv[i], "--wasm-2.0") == 0) {
      opt.disabled_features = WG_FEATURES_ALL;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return cli_usage_error("wast: unknown option '%s'", argv[i]);
    } else {
      files++;
    }
  }
  if (!files) return cli_usage_error("wast: missing FILE.wast");
  WastCounts total;
  memset(&total, 0, sizeof total);
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] != '\0') continue;
    wast_run_file(argv[i], &opt, &total);
  }
  if (files > 1) wast_print_kinds(&total, stdout);
  printf("total: %d files: %d passed, %d failed, %d skipped\n", files,
         total.passed, total.failed, total.skipped);
  fflush(stdout);
  return total.failed ? CLI_FAILED : CLI_OK;
}
