/* SPDX-License-Identifier: Apache-2.0 */
/* Native driver: links one benchmark program and times its run(). Prints
 * "<seconds> <checksum>". */
#include <stdio.h>
#include <time.h>

#include "programs/bench.h"

int main(void) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  uint32_t sum = run();
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.6f %u\n",
         (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9, sum);
  return 0;
}
