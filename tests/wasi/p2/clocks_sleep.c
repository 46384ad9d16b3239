/* SPDX-License-Identifier: Apache-2.0 */
/* Sleeps: pollables of 10 ms and 100 ms (duration and instant) block at
 * least that long and not much longer; nanosleep through the adapter's
 * poll_oneoff too. */
#include <time.h>

#include "imports.h"
#include "p2_io.h"

static void sleep_check(const char *what, uint64_t ns, bool instant) {
  uint64_t t0 = clocks_monotonic_clock_now();
  wait_on(instant ? clocks_monotonic_clock_subscribe_instant(t0 + ns)
                  : clocks_monotonic_clock_subscribe_duration(ns));
  uint64_t took = clocks_monotonic_clock_now() - t0;
  say("%s %llu ms: at least: %s, under +1 s: %s", what,
      (unsigned long long)(ns / 1000000), took >= ns ? "yes" : "no",
      took < ns + 1000000000ull ? "yes" : "no");
}

int main(void) {
  sleep_check("duration", 10000000ull, false);
  sleep_check("duration", 100000000ull, false);
  sleep_check("instant", 100000000ull, true);
  uint64_t t0 = clocks_monotonic_clock_now();
  struct timespec ts = { 0, 50000000 };
  CHECK(nanosleep(&ts, NULL) == 0);
  uint64_t took = clocks_monotonic_clock_now() - t0;
  say("nanosleep 50 ms: at least: %s", took >= 50000000ull ? "yes" : "no");
  return 0;
}
