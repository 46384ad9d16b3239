/* SPDX-License-Identifier: Apache-2.0 */
/* Traps (execution failures returned as values) and load/link errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

WgTrap *wg_trap_make(WgTrapKind kind, const char *message) {
  if (!message) message = "";
  size_t n = strlen(message);
  WgTrap *t = malloc(sizeof(WgTrap) + n + 1);
  if (!t) return NULL;
  t->kind = kind;
  t->exit_code = 0;
  memcpy(t->message, message, n + 1);
  return t;
}

WgTrap *wg_trap_new(const char *message) {
  return wg_trap_make(WG_TRAP_HOST, message);
}

WgTrap *wg_trap_new_exit(int32_t code) {
  char buf[48];
  snprintf(buf, sizeof buf, "exit with code %d", (int)code);
  WgTrap *t = wg_trap_make(WG_TRAP_EXIT, buf);
  if (t) t->exit_code = code;
  return t;
}

const char *wg_trap_message(const WgTrap *trap) {
  return trap ? trap->message : "";
}

WgTrapKind wg_trap_kind(const WgTrap *trap) {
  return trap ? trap->kind : WG_TRAP_HOST;
}

int32_t wg_trap_exit_code(const WgTrap *trap) {
  return trap && trap->kind == WG_TRAP_EXIT ? trap->exit_code : 0;
}

void wg_trap_delete(WgTrap *trap) {
  free(trap);
}

WgStatus wg_rt_fail(WgDiagList *diags, WgStatus status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wg_diag_list_vaddf(diags, WG_SEVERITY_ERROR, status, NULL, fmt, ap);
  va_end(ap);
  return status;
}
