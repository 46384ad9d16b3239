/* SPDX-License-Identifier: Apache-2.0 */
/* Naive recursive Fibonacci: call overhead. */
#include "bench.h"

static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* volatile: keeps the argument opaque so nothing is folded at compile time */
static volatile uint32_t fib_arg = 35;

BENCH_EXPORT uint32_t run(void) {
  return fib(fib_arg);
}
