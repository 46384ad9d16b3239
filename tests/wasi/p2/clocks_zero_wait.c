/* SPDX-License-Identifier: Apache-2.0 */
/* Clock pollables that are ready at once: a zero duration, an instant in
 * the past, the current instant; blocking on them returns quickly. */
#include "imports.h"
#include "p2_io.h"

int main(void) {
  uint64_t start = clocks_monotonic_clock_now();
  io_poll_pollable_t zero = clocks_monotonic_clock_subscribe_duration(0);
  say("duration 0 ready: %s",
      io_poll_pollable_ready(io_poll_borrow_pollable(zero)) ? "yes" : "no");
  wait_on(zero);
  io_poll_pollable_t past = clocks_monotonic_clock_subscribe_instant(0);
  say("instant 0 ready: %s",
      io_poll_pollable_ready(io_poll_borrow_pollable(past)) ? "yes" : "no");
  wait_on(past);
  io_poll_pollable_t now =
      clocks_monotonic_clock_subscribe_instant(clocks_monotonic_clock_now());
  wait_on(now);
  io_poll_pollable_t later =
      clocks_monotonic_clock_subscribe_duration(3600ull * 1000 * 1000 * 1000);
  say("duration 1h ready: %s",
      io_poll_pollable_ready(io_poll_borrow_pollable(later)) ? "yes" : "no");
  io_poll_pollable_drop(later);
  uint64_t took = clocks_monotonic_clock_now() - start;
  say("returned within 1 s: %s", took < 1000000000ull ? "yes" : "no");
  say("resolution > 0: %s",
      clocks_monotonic_clock_resolution() > 0 ? "yes" : "no");
  clocks_wall_clock_datetime_t wall = clocks_wall_clock_now();
  say("wall clock after 2020: %s", wall.seconds > 1577836800ull ? "yes" : "no");
  return 0;
}
