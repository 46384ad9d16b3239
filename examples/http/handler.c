/* SPDX-License-Identifier: Apache-2.0 */
/* An edge-style HTTP handler in C on witgen's guest bindings of
 * wasi:http/proxy: routing by path, JSON responses, headers, status codes
 * and a request body echo. Served by `witgen serve` (serve.sh builds and
 * serves it in one command).
 *
 *   GET  /                 a greeting (text/plain)
 *   GET  /json?name=X      {"hello": "X", "method": "GET", "path": "/json"}
 *   GET  /headers          the request's headers as a JSON object
 *   POST /echo             the request body back, with its content-type
 *   GET  /status/NNN       an empty response with status NNN
 *   anything else          404 {"error": "not found", "path": "..."}
 */
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

/* A growable byte buffer for response bodies. */
typedef struct Buf {
  char *p;
  size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = (b->len + n) * 2 + 64;
    char *p = realloc(b->p, cap);
    if (!p) abort();
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

static void puts_(Buf *b, const char *s) {
  put(b, s, strlen(s));
}

/* A JSON string literal of (s, n). */
static void put_json(Buf *b, const char *s, size_t n) {
  put(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      put(b, esc, 2);
    } else if (c < 0x20) {
      static const char hex[] = "0123456789abcdef";
      memcpy(esc, "\\u00", 4);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      put(b, esc, 6);
    } else {
      put(b, (const char *)&s[i], 1);
    }
  }
  put(b, "\"", 1);
}

static http_types_field_value_t value_of(const char *s) {
  http_types_field_value_t v = { (uint8_t *)s, strlen(s) };
  return v;
}

/* Sends status, content type and body (may be empty) on `out`. */
static void respond(http_types_response_outparam_t out, uint16_t status,
                    const char *content_type, const char *data, size_t len) {
  http_types_fields_t headers = http_types_fields_new();
  http_types_borrow_fields_t h = http_types_borrow_fields(headers);
  proxy_string_t name;
  if (content_type) {
    proxy_string_set(&name, "content-type");
    http_types_fields_append(h, name, value_of(content_type));
  }
  proxy_string_set(&name, "x-powered-by");
  http_types_fields_append(h, name, value_of("witgen"));
  http_types_outgoing_response_t resp =
      http_types_outgoing_response_new(headers);
  http_types_outgoing_response_set_status_code(
      http_types_borrow_outgoing_response(resp), status);
  proxy_result_http_types_outgoing_body_void_t body_res =
      http_types_outgoing_response_body(
          http_types_borrow_outgoing_response(resp));
  proxy_result_http_types_outgoing_response_http_types_error_code_t set;
  set.is_err = false;
  set.val.ok = resp;
  http_types_response_outparam_set(out, set);
  if (body_res.is_err) return;
  http_types_outgoing_body_t body = body_res.val.ok;
  proxy_result_io_streams_output_stream_void_t stream =
      http_types_outgoing_body_write(http_types_borrow_outgoing_body(body));
  if (!stream.is_err) {
    io_streams_borrow_output_stream_t s =
        io_streams_borrow_output_stream(stream.val.ok);
    while (len > 0) { /* blocking-write-and-flush takes 4096 bytes a call */
      size_t n = len < 4096 ? len : 4096;
      proxy_list_u8_t chunk = { (uint8_t *)(uintptr_t)data, n };
      if (io_streams_output_stream_blocking_write_and_flush(s, chunk).is_err)
        break;
      data += n;
      len -= n;
    }
    io_streams_output_stream_drop(stream.val.ok);
  }
  proxy_option_http_types_fields_t no_trailers = { false };
  http_types_outgoing_body_finish(body, no_trailers);
}

/* The request body, read to its end (at most 16 MiB). */
static void read_body(http_types_borrow_incoming_request_t req, Buf *out) {
  proxy_result_http_types_incoming_body_void_t b =
      http_types_incoming_request_consume(req);
  if (b.is_err) return;
  proxy_result_io_streams_input_stream_void_t s =
      http_types_incoming_body_stream(
          http_types_borrow_incoming_body(b.val.ok));
  if (!s.is_err) {
    io_streams_borrow_input_stream_t in =
        io_streams_borrow_input_stream(s.val.ok);
    while (out->len < (16u << 20)) {
      proxy_result_list_u8_io_streams_stream_error_t r =
          io_streams_input_stream_blocking_read(in, 65536);
      if (r.is_err) {
        io_streams_stream_error_free(&r.val.err);
        break;
      }
      put(out, (const char *)r.val.ok.ptr, r.val.ok.len);
      proxy_list_u8_free(&r.val.ok);
    }
    io_streams_input_stream_drop(s.val.ok);
  }
  http_types_future_trailers_drop(http_types_incoming_body_finish(b.val.ok));
}

/* The first value of header `name`, copied NUL-terminated, or NULL. */
static char *header(http_types_borrow_incoming_request_t req,
                    const char *name) {
  http_types_fields_t h = http_types_incoming_request_headers(req);
  proxy_string_t n;
  proxy_string_set(&n, name);
  proxy_list_http_types_field_value_t vs =
      http_types_fields_get(http_types_borrow_fields(h), n);
  char *v = NULL;
  if (vs.len) {
    v = malloc(vs.ptr[0].len + 1);
    memcpy(v, vs.ptr[0].ptr, vs.ptr[0].len);
    v[vs.ptr[0].len] = '\0';
  }
  proxy_list_http_types_field_value_free(&vs);
  http_types_fields_drop(h);
  return v;
}

static const char *method_name(const http_types_method_t *m, char *buf,
                               size_t cap) {
  static const char *const names[] = { "GET",     "HEAD",   "POST",
                                       "PUT",     "DELETE", "CONNECT",
                                       "OPTIONS", "TRACE",  "PATCH" };
  if (m->tag < 9) return names[m->tag];
  size_t n = m->val.other.len < cap - 1 ? m->val.other.len : cap - 1;
  memcpy(buf, m->val.other.ptr, n);
  buf[n] = '\0';
  return buf;
}

void exports_http_incoming_handler_handle(
    http_types_incoming_request_t request,
    http_types_response_outparam_t response_out) {
  http_types_borrow_incoming_request_t req =
      http_types_borrow_incoming_request(request);
  http_types_method_t m = http_types_incoming_request_method(req);
  char mbuf[64];
  const char *method = method_name(&m, mbuf, sizeof mbuf);
  proxy_option_string_t pq = http_types_incoming_request_path_with_query(req);
  char path[2048] = "/", query[2048] = "";
  if (pq.is_some) {
    size_t n = pq.val.len < sizeof path - 1 ? pq.val.len : sizeof path - 1;
    memcpy(path, pq.val.ptr, n);
    path[n] = '\0';
    char *q = strchr(path, '?');
    if (q) {
      memcpy(query, q + 1, strlen(q + 1) + 1);
      *q = '\0';
    }
    proxy_option_string_free(&pq);
  }
  Buf b = { 0 };
  if (!strcmp(path, "/")) {
    puts_(&b, "Hello from a C component served by witgen!\n");
    respond(response_out, 200, "text/plain; charset=utf-8", b.p, b.len);
  } else if (!strcmp(path, "/json")) {
    const char *name = "world";
    if (!strncmp(query, "name=", 5)) name = query + 5;
    puts_(&b, "{\"hello\": ");
    put_json(&b, name, strlen(name));
    puts_(&b, ", \"method\": ");
    put_json(&b, method, strlen(method));
    puts_(&b, ", \"path\": ");
    put_json(&b, path, strlen(path));
    puts_(&b, "}\n");
    respond(response_out, 200, "application/json", b.p, b.len);
  } else if (!strcmp(path, "/headers")) {
    http_types_fields_t h = http_types_incoming_request_headers(req);
    proxy_list_tuple2_http_types_field_name_http_types_field_value_t es =
        http_types_fields_entries(http_types_borrow_fields(h));
    puts_(&b, "{");
    for (size_t i = 0; i < es.len; i++) {
      if (i) puts_(&b, ", ");
      put_json(&b, (const char *)es.ptr[i].f0.ptr, es.ptr[i].f0.len);
      puts_(&b, ": ");
      put_json(&b, (const char *)es.ptr[i].f1.ptr, es.ptr[i].f1.len);
    }
    puts_(&b, "}\n");
    proxy_list_tuple2_http_types_field_name_http_types_field_value_free(&es);
    http_types_fields_drop(h);
    respond(response_out, 200, "application/json", b.p, b.len);
  } else if (!strcmp(path, "/echo") && m.tag == HTTP_TYPES_METHOD_POST) {
    char *ct = header(req, "content-type");
    read_body(req, &b);
    respond(response_out, 200, ct ? ct : "application/octet-stream", b.p,
            b.len);
    free(ct);
  } else if (!strncmp(path, "/status/", 8)) {
    int status = atoi(path + 8);
    if (status < 100 || status > 599) status = 400;
    respond(response_out, (uint16_t)status, NULL, "", 0);
  } else {
    puts_(&b, "{\"error\": \"not found\", \"path\": ");
    put_json(&b, path, strlen(path));
    puts_(&b, "}\n");
    respond(response_out, 404, "application/json", b.p, b.len);
  }
  free(b.p);
  http_types_method_free(&m);
  http_types_incoming_request_drop(request);
}
