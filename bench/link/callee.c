/* SPDX-License-Identifier: Apache-2.0 */
/* World `callee` of link.wit: what `caller` calls across. Echos give
 * their argument back (ours to give: the bindings free it after the
 * caller copied it). */
#include <stdlib.h>

#include "callee.h"

struct exports_linkbench_svc_counter {
  uint32_t value;
};

void exports_linkbench_svc_nop(void) {}

callee_string_t exports_linkbench_svc_echo(callee_string_t s) {
  return s;
}

callee_list_u32_t exports_linkbench_svc_echo_list(callee_list_u32_t l) {
  return l;
}

exports_linkbench_svc_counter_t
exports_linkbench_svc_counter_constructor(uint32_t start) {
  struct exports_linkbench_svc_counter *c = malloc(sizeof *c);
  if (!c) abort();
  c->value = start;
  return exports_linkbench_svc_counter_new(c);
}

uint32_t
exports_linkbench_svc_counter_bump(exports_linkbench_svc_borrow_counter_t self,
                                   uint32_t n) {
  return self->value += n;
}

void exports_linkbench_svc_counter_destructor(
    exports_linkbench_svc_counter_rep_t *rep) {
  free(rep);
}
