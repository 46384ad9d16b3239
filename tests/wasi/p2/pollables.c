/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:io/poll: poll returns the indices of the ready pollables in order;
 * the same pollable may appear several times; a list with a ready one
 * among pending ones returns at once; pollables of streams (stdout) and
 * clocks mix. */
#include "imports.h"
#include "p2_io.h"

static void show(const char *what, imports_list_u32_t r) {
  char buf[256];
  size_t n = 0;
  for (size_t i = 0; i < r.len && n < sizeof buf - 16; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%u", i ? "," : "",
                          r.ptr[i]);
  buf[n] = '\0';
  say("%s: [%s]", what, buf);
}

int main(void) {
  io_poll_pollable_t ready = clocks_monotonic_clock_subscribe_duration(0);
  io_poll_pollable_t never =
      clocks_monotonic_clock_subscribe_duration(3600ull * 1000 * 1000 * 1000);
  io_poll_pollable_t soon = clocks_monotonic_clock_subscribe_duration(20000000);
  io_streams_output_stream_t out = cli_stdout_get_stdout();
  io_poll_pollable_t writable =
      io_streams_output_stream_subscribe(io_streams_borrow_output_stream(out));
  io_poll_borrow_pollable_t r = io_poll_borrow_pollable(ready),
                            n = io_poll_borrow_pollable(never),
                            s = io_poll_borrow_pollable(soon),
                            w = io_poll_borrow_pollable(writable);

  io_poll_borrow_pollable_t l1[] = { n, r, n };
  imports_list_u32_t res =
      io_poll_poll((imports_list_io_poll_borrow_pollable_t){ l1, 3 });
  show("poll [never, ready, never]", res);
  imports_list_u32_free(&res);

  io_poll_borrow_pollable_t l2[] = { r, r, n, r };
  res = io_poll_poll((imports_list_io_poll_borrow_pollable_t){ l2, 4 });
  show("poll [ready, ready, never, ready]", res);
  imports_list_u32_free(&res);

  io_poll_borrow_pollable_t l3[] = { n, s };
  res = io_poll_poll((imports_list_io_poll_borrow_pollable_t){ l3, 2 });
  show("poll [never, 20 ms]", res);
  imports_list_u32_free(&res);

  io_poll_borrow_pollable_t l4[] = { n, w };
  res = io_poll_poll((imports_list_io_poll_borrow_pollable_t){ l4, 2 });
  show("poll [never, stdout writable]", res);
  imports_list_u32_free(&res);

  say("ready after poll: %s", io_poll_pollable_ready(s) ? "yes" : "no");
  say("never ready: %s", io_poll_pollable_ready(n) ? "yes" : "no");
  io_poll_pollable_drop(writable);
  io_streams_output_stream_drop(out);
  io_poll_pollable_drop(soon);
  io_poll_pollable_drop(never);
  io_poll_pollable_drop(ready);

  if (getenv("POLL_EMPTY")) {
    say("polling an empty list (must trap)");
    res = io_poll_poll((imports_list_io_poll_borrow_pollable_t){ NULL, 0 });
    say("FAIL: returned %zu", res.len);
  }
  return 0;
}
