/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:sockets/tcp streams on loopback: a short message each way, 1 MiB
 * client to server (check-write/write/flush with waits), blocking-splice
 * from one connection's input stream into another's output, and shutdown
 * of the sending side seen as the end of the server's input stream. */
#include "imports.h"
#include "p2_net.h"

enum { BIG = 1 << 20 };

int main(void) {
  tcp_t lis = tcp_listener();
  addr_t la = tcp_local(lis);
  tcp_t c = tcp_new();
  connect_result_t cr = tcp_connect(c, la);
  CHECK(!cr.is_err);
  accept_result_t ar = tcp_accept(lis);
  CHECK(!ar.is_err);
  io_streams_input_stream_t c_in = cr.val.ok.f0, s_in = ar.val.ok.f1;
  io_streams_output_stream_t c_out = cr.val.ok.f1, s_out = ar.val.ok.f2;

  CHECK(write_all(c_out, (const uint8_t *)"ping", 4));
  uint8_t buf[64];
  bool closed;
  size_t n = read_upto(s_in, buf, 4, &closed);
  say("server got: [%.*s]", (int)n, buf);
  CHECK(write_all(s_out, (const uint8_t *)"pong", 4));
  n = read_upto(c_in, buf, 4, &closed);
  say("client got: [%.*s]", (int)n, buf);

  /* 1 MiB both ways would need both ends served at once; one way, with the
   * reader draining between writes */
  static uint8_t big[BIG], back[BIG];
  for (size_t i = 0; i < BIG; i++)
    big[i] = (uint8_t)(i * 7 + (i >> 8));
  size_t sent = 0, got = 0;
  io_streams_borrow_output_stream_t bo = io_streams_borrow_output_stream(c_out);
  io_streams_borrow_input_stream_t bi = io_streams_borrow_input_stream(s_in);
  while (got < BIG) {
    if (sent < BIG) {
      imports_result_u64_io_streams_stream_error_t cw =
          io_streams_output_stream_check_write(bo);
      CHECK(!cw.is_err);
      if (cw.val.ok > 0) {
        size_t k = BIG - sent < cw.val.ok ? BIG - sent : (size_t)cw.val.ok;
        if (k > 65536) k = 65536;
        CHECK(!io_streams_output_stream_write(
                   bo, (imports_list_u8_t){ big + sent, k })
                   .is_err);
        CHECK(!io_streams_output_stream_flush(bo).is_err);
        sent += k;
      }
    }
    imports_result_list_u8_io_streams_stream_error_t r =
        io_streams_input_stream_read(bi, BIG - got);
    CHECK(!r.is_err);
    memcpy(back + got, r.val.ok.ptr, r.val.ok.len);
    got += r.val.ok.len;
    bool idle = r.val.ok.len == 0;
    imports_list_u8_free(&r.val.ok);
    if (idle) {
      io_poll_pollable_t p[2] = { io_streams_input_stream_subscribe(bi),
                                  io_streams_output_stream_subscribe(bo) };
      io_poll_borrow_pollable_t bp[2] = { io_poll_borrow_pollable(p[0]),
                                          io_poll_borrow_pollable(p[1]) };
      imports_list_u32_t ready = io_poll_poll(
          (imports_list_io_poll_borrow_pollable_t){ bp, sent < BIG ? 2 : 1 });
      imports_list_u32_free(&ready);
      io_poll_pollable_drop(p[0]);
      io_poll_pollable_drop(p[1]);
    }
  }
  say("1 MiB through: %s", memcmp(big, back, BIG) == 0 ? "equal" : "different");

  /* splice: server's output -> client's input, spliced into a second pair */
  tcp_t c2 = tcp_new();
  connect_result_t cr2 = tcp_connect(c2, la);
  CHECK(!cr2.is_err);
  accept_result_t ar2 = tcp_accept(lis);
  CHECK(!ar2.is_err);
  CHECK(write_all(s_out, (const uint8_t *)"spliced!", 8));
  uint64_t moved = 0;
  while (moved <
         8) { /* blocking-splice waits for input; loop for short counts */
    imports_result_u64_io_streams_stream_error_t sp =
        io_streams_output_stream_blocking_splice(
            io_streams_borrow_output_stream(cr2.val.ok.f1),
            io_streams_borrow_input_stream(c_in), 8 - moved);
    CHECK(!sp.is_err);
    moved += sp.val.ok;
    if (sp.val.ok == 0)
      wait_on(io_streams_input_stream_subscribe(
          io_streams_borrow_input_stream(c_in)));
  }
  CHECK(!io_streams_output_stream_blocking_flush(
             io_streams_borrow_output_stream(cr2.val.ok.f1))
             .is_err);
  n = read_upto(ar2.val.ok.f1, buf, (size_t)moved, &closed);
  say("splice moved %llu bytes: [%.*s]", (unsigned long long)moved, (int)n,
      buf);

  /* shutdown(send) on the client: the server's stream ends */
  CHECK(!sockets_tcp_tcp_socket_shutdown(B(c), SOCKETS_TCP_SHUTDOWN_TYPE_SEND)
             .is_err);
  n = read_upto(s_in, buf, sizeof buf, &closed);
  say("after shutdown: server read %zu bytes, closed: %s", n,
      closed ? "yes" : "no");

  io_streams_input_stream_drop(ar2.val.ok.f1);
  io_streams_output_stream_drop(ar2.val.ok.f2);
  sockets_tcp_tcp_socket_drop(ar2.val.ok.f0);
  io_streams_input_stream_drop(cr2.val.ok.f0);
  io_streams_output_stream_drop(cr2.val.ok.f1);
  sockets_tcp_tcp_socket_drop(c2);
  io_streams_input_stream_drop(s_in);
  io_streams_output_stream_drop(s_out);
  sockets_tcp_tcp_socket_drop(ar.val.ok.f0);
  io_streams_input_stream_drop(c_in);
  io_streams_output_stream_drop(c_out);
  sockets_tcp_tcp_socket_drop(c);
  sockets_tcp_tcp_socket_drop(lis);
  return 0;
}
