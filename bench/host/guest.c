/* SPDX-License-Identifier: Apache-2.0 */
/* The guest of the host-call benchmark (bench/host_bench.c), on witgen's
 * guest bindings of bench.wit: each export does as little as it can, so
 * the figures show the cost of the calls on the host's side. Results given
 * back are the arguments themselves.
 *
 * The host's allocations in the guest (cabi_realloc: strings and lists
 * passed in) come from bench/ring.c's static ring, which the bindings
 * never pass to free(); larger requests (the 1M-element list) go to
 * malloc and are freed by the bindings. So neither path pays for the guest's
 * allocator; with malloc both would pay the same. */
#include <stdlib.h>

#include "hostbench.h"

void exports_bench_api_nop(void) {}

hostbench_string_t exports_bench_api_echo(hostbench_string_t s) {
  return s;
}

exports_bench_api_rec8_t
exports_bench_api_echo_rec(exports_bench_api_rec8_t r) {
  return r;
}

exports_bench_api_pose_t
exports_bench_api_echo_pose(exports_bench_api_pose_t p) {
  return p;
}

double exports_bench_api_sum(hostbench_list_f64_t v) {
  double s = 0;
  for (size_t i = 0; i < v.len; i++)
    s += v.ptr[i];
  hostbench_list_f64_free(&v);
  return s;
}
