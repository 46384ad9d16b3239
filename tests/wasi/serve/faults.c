/* SPDX-License-Identifier: Apache-2.0 */
/* A wasi:http handler that misbehaves on request, for `witgen serve`'s
 * fault tests (serve_faults.sh):
 *   /ok          200 "ok"
 *   /trap        traps (unreachable)
 *   /loop        never returns (the time limit or fuel must stop it)
 *   /bomb        allocates 1 MiB blocks until malloc fails, then answers
 *                200 "allocated N MiB" (the memory limit must stop it)
 *   /silent      returns without setting a response
 *   /echo        streams the request body back as it reads it
 *   /big?N       answers N KiB of 'x' (N <= 65536), written 4 KiB at a time
 *   /sleep?MS    waits MS milliseconds on a clock pollable, then "slept" */
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

static http_types_outgoing_body_t start(http_types_response_outparam_t out,
                                        uint16_t status) {
  http_types_outgoing_response_t resp =
      http_types_outgoing_response_new(http_types_fields_new());
  http_types_outgoing_response_set_status_code(
      http_types_borrow_outgoing_response(resp), status);
  proxy_result_http_types_outgoing_body_void_t b =
      http_types_outgoing_response_body(
          http_types_borrow_outgoing_response(resp));
  proxy_result_http_types_outgoing_response_http_types_error_code_t set;
  set.is_err = false;
  set.val.ok = resp;
  http_types_response_outparam_set(out, set);
  return b.val.ok;
}

static bool write_all(io_streams_borrow_output_stream_t s, const uint8_t *p,
                      size_t n) {
  while (n > 0) {
    size_t k = n < 4096 ? n : 4096;
    proxy_list_u8_t chunk = { (uint8_t *)(uintptr_t)p, k };
    if (io_streams_output_stream_blocking_write_and_flush(s, chunk).is_err)
      return false;
    p += k;
    n -= k;
  }
  return true;
}

static void finish(http_types_outgoing_body_t body) {
  proxy_option_http_types_fields_t none = { false };
  http_types_outgoing_body_finish(body, none);
}

static void text(http_types_response_outparam_t out, const char *t) {
  http_types_outgoing_body_t body = start(out, 200);
  proxy_result_io_streams_output_stream_void_t s =
      http_types_outgoing_body_write(http_types_borrow_outgoing_body(body));
  write_all(io_streams_borrow_output_stream(s.val.ok), (const uint8_t *)t,
            strlen(t));
  io_streams_output_stream_drop(s.val.ok);
  finish(body);
}

static char *utoa(unsigned v, char *end) {
  *--end = '\0';
  do {
    *--end = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return end;
}

void exports_http_incoming_handler_handle(http_types_incoming_request_t request,
                                          http_types_response_outparam_t out) {
  http_types_borrow_incoming_request_t req =
      http_types_borrow_incoming_request(request);
  proxy_option_string_t pq = http_types_incoming_request_path_with_query(req);
  char path[256] = "/";
  if (pq.is_some) {
    size_t n = pq.val.len < sizeof path - 1 ? pq.val.len : sizeof path - 1;
    memcpy(path, pq.val.ptr, n);
    path[n] = '\0';
    proxy_option_string_free(&pq);
  }
  char *q = strchr(path, '?');
  unsigned arg = q ? (unsigned)atoi(q + 1) : 0;
  if (q) *q = '\0';
  if (!strcmp(path, "/ok")) {
    text(out, "ok\n");
  } else if (!strcmp(path, "/trap")) {
    __builtin_trap();
  } else if (!strcmp(path, "/loop")) {
    volatile unsigned spin = 0;
    for (;;)
      spin++;
  } else if (!strcmp(path, "/bomb")) {
    unsigned mib = 0;
    for (;;) { /* touched, so neither the compiler nor the host elides it */
      volatile char *block = malloc(1 << 20);
      if (!block) break;
      block[0] = 1;
      block[(1 << 20) - 1] = 1;
      mib++;
    }
    char buf[32], msg[64] = "allocated ";
    strcat(msg, utoa(mib, buf + sizeof buf));
    strcat(msg, " MiB\n");
    text(out, msg);
  } else if (!strcmp(path, "/silent")) {
    http_types_response_outparam_drop(out);
  } else if (!strcmp(path, "/echo")) {
    http_types_outgoing_body_t body = start(out, 200);
    proxy_result_io_streams_output_stream_void_t os =
        http_types_outgoing_body_write(http_types_borrow_outgoing_body(body));
    proxy_result_http_types_incoming_body_void_t ib =
        http_types_incoming_request_consume(req);
    proxy_result_io_streams_input_stream_void_t is =
        http_types_incoming_body_stream(
            http_types_borrow_incoming_body(ib.val.ok));
    for (;;) {
      proxy_result_list_u8_io_streams_stream_error_t r =
          io_streams_input_stream_blocking_read(
              io_streams_borrow_input_stream(is.val.ok), 16384);
      if (r.is_err) {
        io_streams_stream_error_free(&r.val.err);
        break;
      }
      bool ok = write_all(io_streams_borrow_output_stream(os.val.ok),
                          r.val.ok.ptr, r.val.ok.len);
      proxy_list_u8_free(&r.val.ok);
      if (!ok) break;
    }
    io_streams_input_stream_drop(is.val.ok);
    http_types_future_trailers_drop(http_types_incoming_body_finish(ib.val.ok));
    io_streams_output_stream_drop(os.val.ok);
    finish(body);
  } else if (!strcmp(path, "/big")) {
    static uint8_t block[4096];
    memset(block, 'x', sizeof block);
    if (arg > 65536) arg = 65536;
    http_types_outgoing_body_t body = start(out, 200);
    proxy_result_io_streams_output_stream_void_t os =
        http_types_outgoing_body_write(http_types_borrow_outgoing_body(body));
    for (unsigned i = 0; i < arg / 4; i++)
      if (!write_all(io_streams_borrow_output_stream(os.val.ok), block,
                     sizeof block))
        break;
    io_streams_output_stream_drop(os.val.ok);
    finish(body);
  } else if (!strcmp(path, "/sleep")) {
    io_poll_pollable_t p =
        clocks_monotonic_clock_subscribe_duration((uint64_t)arg * 1000000ull);
    io_poll_pollable_block(io_poll_borrow_pollable(p));
    io_poll_pollable_drop(p);
    text(out, "slept\n");
  } else {
    http_types_outgoing_body_t body = start(out, 404);
    finish(body);
  }
  http_types_incoming_request_drop(request);
}
