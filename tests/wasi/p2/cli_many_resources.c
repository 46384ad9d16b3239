/* SPDX-License-Identifier: Apache-2.0 */
/* Many resources: 100,000 stdout handles made and dropped one by one (the
 * host's handle table must reuse slots), then 1,000 pollables alive at
 * once, polled together and dropped. */
#include "imports.h"
#include "p2_io.h"

int main(void) {
  int32_t max_handle = 0;
  for (int i = 0; i < 100000; i++) {
    io_streams_output_stream_t out = cli_stdout_get_stdout();
    if (out.handle > max_handle) max_handle = out.handle;
    io_streams_output_stream_drop(out);
  }
  say("100000 stdout handles made and dropped, handles %s",
      max_handle < 100 ? "reused" : "not reused");
  enum { N = 1000 };
  static io_poll_pollable_t ps[N];
  static io_poll_borrow_pollable_t bs[N];
  for (int i = 0; i < N; i++) {
    ps[i] = clocks_monotonic_clock_subscribe_duration(0);
    bs[i] = io_poll_borrow_pollable(ps[i]);
  }
  imports_list_io_poll_borrow_pollable_t list = { bs, N };
  imports_list_u32_t ready = io_poll_poll(list);
  say("%d pollables alive, %zu ready", N, ready.len);
  CHECK(ready.len >= 1);
  for (size_t i = 1; i < ready.len; i++)
    CHECK(ready.ptr[i] > ready.ptr[i - 1]);
  imports_list_u32_free(&ready);
  for (int i = 0; i < N; i++)
    io_poll_pollable_drop(ps[i]);
  say("dropped");
  return 0;
}
