/* SPDX-License-Identifier: Apache-2.0 */
/* The spec-script runner behind `witgen wast` (wast_run.c): runs the
 * commands of one script (witgen/wat.h reads it) against the core engine
 * (witgen/wasm.h) with the spec interpreter's `spectest` module. Component
 * commands are decoded and checked as far as the binary layer goes; those
 * that need the component runtime are counted as skipped, by name. */
#ifndef WITGEN_CLI_WAST_RUN_H
#define WITGEN_CLI_WAST_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Counts of one command kind. */
typedef struct WastKindCounts {
  int passed, failed, skipped;
} WastKindCounts;

/* Counts of one script (or a total), also by command kind (WgWastKind). */
typedef struct WastCounts {
  int passed, failed, skipped;
  WastKindCounts by_kind[16];
} WastCounts;

/* A skipped command kind and how many times it was skipped. */
typedef struct WastSkip {
  char what[64];
  int count;
} WastSkip;

typedef struct WastOptions {
  bool verbose;               /* list skipped commands with their lines */
  uint32_t disabled_features; /* WgFeature bits the engine refuses */
  FILE *out;                  /* the report */
} WastOptions;

/* Prints the counts by command kind (a table, one kind a line). */
void wast_print_kinds(const WastCounts *c, FILE *out);

/* Runs the script at `path`; adds its counts to *total and prints one line
 * `PATH: N passed, M failed, K skipped` (failures listed before it, each
 * with its line; skipped commands counted by kind after it). Returns false
 * when the script cannot be read or parsed (reported, counted as one
 * failure). */
bool wast_run_file(const char *path, const WastOptions *opt, WastCounts *total);

#endif
