/* SPDX-License-Identifier: Apache-2.0 */
/* World `web` of http/web.wit: the notes service over HTTP. A
 * wasi:http/proxy handler that turns each request into a call of the
 * app's `handle(method, path, body)` (imported: example:multi/api) and
 * the response it returns into the HTTP response: status, content-type,
 * body. `witgen serve web.wasm --link app.wasm --link kv.wasm --link
 * fmt.wasm` serves it; each request gets its own instances (wasi:http's
 * model), so the store starts empty every time. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "web.h"

/* The request body, read to its end (at most 1 MiB). */
static void read_body(http_types_borrow_incoming_request_t req, Buf *out) {
  web_result_http_types_incoming_body_void_t b =
      http_types_incoming_request_consume(req);
  if (b.is_err) return;
  web_result_io_streams_input_stream_void_t s = http_types_incoming_body_stream(
      http_types_borrow_incoming_body(b.val.ok));
  if (!s.is_err) {
    io_streams_borrow_input_stream_t in =
        io_streams_borrow_input_stream(s.val.ok);
    while (out->n < (1u << 20)) {
      web_result_list_u8_io_streams_stream_error_t r =
          io_streams_input_stream_blocking_read(in, 65536);
      if (r.is_err) {
        io_streams_stream_error_free(&r.val.err);
        break;
      }
      buf_add(out, r.val.ok.ptr, r.val.ok.len);
      web_list_u8_free(&r.val.ok);
    }
    io_streams_input_stream_drop(s.val.ok);
  }
  http_types_future_trailers_drop(http_types_incoming_body_finish(b.val.ok));
}

static const char *method_name(const http_types_method_t *m) {
  static const char *const names[] = { "GET",     "HEAD",   "POST",
                                       "PUT",     "DELETE", "CONNECT",
                                       "OPTIONS", "TRACE",  "PATCH" };
  return m->tag < 9 ? names[m->tag] : NULL;
}

/* Sends the app's response: status, content-type, body. */
static void respond(http_types_response_outparam_t out,
                    const multi_api_response_t *r) {
  http_types_fields_t headers = http_types_fields_new();
  web_string_t name;
  web_string_set(&name, "content-type");
  http_types_field_value_t value = { r->content_type.ptr, r->content_type.len };
  http_types_fields_append(http_types_borrow_fields(headers), name, value);
  http_types_outgoing_response_t resp =
      http_types_outgoing_response_new(headers);
  http_types_outgoing_response_set_status_code(
      http_types_borrow_outgoing_response(resp), r->status);
  web_result_http_types_outgoing_body_void_t body =
      http_types_outgoing_response_body(
          http_types_borrow_outgoing_response(resp));
  web_result_http_types_outgoing_response_http_types_error_code_t set;
  set.is_err = false;
  set.val.ok = resp;
  http_types_response_outparam_set(out, set);
  if (body.is_err) return;
  web_result_io_streams_output_stream_void_t stream =
      http_types_outgoing_body_write(
          http_types_borrow_outgoing_body(body.val.ok));
  if (!stream.is_err) {
    io_streams_borrow_output_stream_t s =
        io_streams_borrow_output_stream(stream.val.ok);
    const uint8_t *data = r->body.ptr;
    size_t len = r->body.len;
    while (len > 0) { /* blocking-write-and-flush takes 4096 bytes a call */
      size_t n = len < 4096 ? len : 4096;
      web_list_u8_t chunk = { (uint8_t *)(uintptr_t)data, n };
      if (io_streams_output_stream_blocking_write_and_flush(s, chunk).is_err)
        break;
      data += n;
      len -= n;
    }
    io_streams_output_stream_drop(stream.val.ok);
  }
  web_option_http_types_fields_t no_trailers = { false };
  http_types_outgoing_body_finish(body.val.ok, no_trailers);
}

void exports_http_incoming_handler_handle(
    http_types_incoming_request_t request,
    http_types_response_outparam_t response_out) {
  http_types_borrow_incoming_request_t req =
      http_types_borrow_incoming_request(request);
  http_types_method_t m = http_types_incoming_request_method(req);
  web_option_string_t pq = http_types_incoming_request_path_with_query(req);
  web_string_t method, path;
  const char *known = method_name(&m);
  if (known)
    web_string_set(&method, known);
  else
    method = m.val.other;
  if (pq.is_some)
    path = pq.val;
  else
    web_string_set(&path, "/");
  Buf body = { 0 };
  read_body(req, &body);
  web_string_t b = { body.p, body.n };
  multi_api_response_t r = multi_api_handle(method, path, b);
  respond(response_out, &r);
  multi_api_response_free(&r);
  free(body.p);
  web_option_string_free(&pq);
  http_types_method_free(&m);
  http_types_incoming_request_drop(request);
}
