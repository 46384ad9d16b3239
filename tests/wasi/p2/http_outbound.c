/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:http/outgoing-handler against the suite's local test server
 * (HTTP_SERVER=127.0.0.1:PORT): `http_outbound CASE` with CASE one of get,
 * post, large_post, invalid_header, unsupported_scheme, timeout. The body
 * is written after `handle` (the host streams it), then the response is
 * awaited through its future's pollable. */
#include "imports.h"
#include "p2_io.h"

typedef struct {
  const char *method;    /* GET, POST, ... */
  const char *scheme;    /* "http", "https" or another */
  const char *authority; /* NULL: the server's */
  const char *path;
  const char *const *headers; /* name, value, ..., NULL */
  const uint8_t *body;
  size_t body_len;
  uint64_t first_byte_timeout_ms; /* 0: none */
} request_t;

static imports_string_t str(const char *s) {
  imports_string_t r;
  imports_string_set(&r, s);
  return r;
}

static const char *http_err(const http_types_error_code_t *e) {
  static const char *const names[] = {
    "DNS-timeout",
    "DNS-error",
    "destination-not-found",
    "destination-unavailable",
    "destination-IP-prohibited",
    "destination-IP-unroutable",
    "connection-refused",
    "connection-terminated",
    "connection-timeout",
    "connection-read-timeout",
    "connection-write-timeout",
    "connection-limit-reached",
    "TLS-protocol-error",
    "TLS-certificate-error",
    "TLS-alert-received",
    "HTTP-request-denied",
    "HTTP-request-length-required",
    "HTTP-request-body-size",
    "HTTP-request-method-invalid",
    "HTTP-request-URI-invalid",
    "HTTP-request-URI-too-long",
    "HTTP-request-header-section-size",
    "HTTP-request-header-size",
    "HTTP-request-trailer-section-size",
    "HTTP-request-trailer-size",
    "HTTP-response-incomplete",
    "HTTP-response-header-section-size",
    "HTTP-response-header-size",
    "HTTP-response-body-size",
    "HTTP-response-trailer-section-size",
    "HTTP-response-trailer-size",
    "HTTP-response-transfer-coding",
    "HTTP-response-content-coding",
    "HTTP-response-timeout",
    "HTTP-upgrade-failed",
    "HTTP-protocol-error",
    "loop-detected",
    "configuration-error",
    "internal-error",
  };
  return e->tag < sizeof names / sizeof names[0] ? names[e->tag] : "?";
}

static http_types_method_t method_of(const char *m) {
  static const char *const known[] = { "GET",     "HEAD",   "POST",
                                       "PUT",     "DELETE", "CONNECT",
                                       "OPTIONS", "TRACE",  "PATCH" };
  http_types_method_t r;
  memset(&r, 0, sizeof r);
  for (uint8_t i = 0; i < 9; i++) {
    if (!strcmp(m, known[i])) {
      r.tag = i;
      return r;
    }
  }
  r.tag = HTTP_TYPES_METHOD_OTHER;
  r.val.other = str(m);
  return r;
}

/* Sends `q`; prints the status, the echoed headers the server names and the
 * body length/contents, or the error. */
static void send(const request_t *q, bool show_body) {
  const char *server = getenv("HTTP_SERVER");
  CHECK(server != NULL);
  http_types_fields_t headers = http_types_fields_new();
  for (const char *const *h = q->headers; h && h[0]; h += 2) {
    http_types_field_value_t v = { (uint8_t *)h[1], strlen(h[1]) };
    imports_result_void_http_types_header_error_t r = http_types_fields_append(
        http_types_borrow_fields(headers), str(h[0]), v);
    if (r.is_err) {
      say("header %s: %s", h[0],
          r.val.err.tag == HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX
              ? "invalid-syntax"
          : r.val.err.tag == HTTP_TYPES_HEADER_ERROR_FORBIDDEN ? "forbidden"
                                                               : "immutable");
    }
  }
  http_types_outgoing_request_t req = http_types_outgoing_request_new(headers);
  http_types_borrow_outgoing_request_t br =
      http_types_borrow_outgoing_request(req);
  CHECK(
      !http_types_outgoing_request_set_method(br, method_of(q->method)).is_err);
  http_types_scheme_t scheme;
  memset(&scheme, 0, sizeof scheme);
  if (!strcmp(q->scheme, "http"))
    scheme.tag = HTTP_TYPES_SCHEME_HTTP;
  else if (!strcmp(q->scheme, "https"))
    scheme.tag = HTTP_TYPES_SCHEME_HTTPS;
  else {
    scheme.tag = HTTP_TYPES_SCHEME_OTHER;
    scheme.val.other = str(q->scheme);
  }
  imports_option_http_types_scheme_t os = { true, scheme };
  CHECK(!http_types_outgoing_request_set_scheme(br, os).is_err);
  imports_option_string_t auth = { true,
                                   str(q->authority ? q->authority : server) };
  CHECK(!http_types_outgoing_request_set_authority(br, auth).is_err);
  imports_option_string_t path = { true, str(q->path) };
  CHECK(!http_types_outgoing_request_set_path_with_query(br, path).is_err);
  imports_result_http_types_outgoing_body_void_t ob =
      http_types_outgoing_request_body(br);
  CHECK(!ob.is_err);

  imports_option_http_types_request_options_t opts = { false };
  if (q->first_byte_timeout_ms) {
    opts.is_some = true;
    opts.val = http_types_request_options_new();
    imports_option_http_types_duration_t d = { true, q->first_byte_timeout_ms *
                                                         1000000ull };
    CHECK(!http_types_request_options_set_first_byte_timeout(
               http_types_borrow_request_options(opts.val), d)
               .is_err);
  }
  imports_result_http_types_future_incoming_response_http_outgoing_handler_error_code_t
      f = http_outgoing_handler_handle(req, opts);
  if (f.is_err) {
    say("handle: error %s", http_err(&f.val.err));
    http_types_outgoing_body_drop(ob.val.ok);
    return;
  }
  imports_result_io_streams_output_stream_void_t w =
      http_types_outgoing_body_write(
          http_types_borrow_outgoing_body(ob.val.ok));
  CHECK(!w.is_err);
  if (q->body_len) CHECK(write_all(w.val.ok, q->body, q->body_len));
  io_streams_output_stream_drop(w.val.ok);
  imports_option_http_types_fields_t no_trailers = { false };
  imports_result_void_http_types_error_code_t fin =
      http_types_outgoing_body_finish(ob.val.ok, no_trailers);
  if (fin.is_err) say("finish body: error %s", http_err(&fin.val.err));

  http_types_borrow_future_incoming_response_t bf =
      http_types_borrow_future_incoming_response(f.val.ok);
  wait_on(http_types_future_incoming_response_subscribe(bf));
  imports_option_result_result_http_types_incoming_response_http_types_error_code_void_t
      got = http_types_future_incoming_response_get(bf);
  CHECK(got.is_some && !got.val.is_err);
  if (got.val.val.ok.is_err) {
    say("response: error %s", http_err(&got.val.val.ok.val.err));
    http_types_future_incoming_response_drop(f.val.ok);
    return;
  }
  http_types_incoming_response_t resp = got.val.val.ok.val.ok;
  http_types_borrow_incoming_response_t brs =
      http_types_borrow_incoming_response(resp);
  say("status: %u", http_types_incoming_response_status(brs));
  http_types_fields_t rh = http_types_incoming_response_headers(brs);
  static const char *const shown[] = { "x-wasi-method", "x-wasi-uri",
                                       "x-wasi-body-length", "x-wasi-custom",
                                       "content-type" };
  for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
    imports_list_http_types_field_value_t vs =
        http_types_fields_get(http_types_borrow_fields(rh), str(shown[i]));
    for (size_t j = 0; j < vs.len; j++)
      say("%s: %.*s", shown[i], (int)vs.ptr[j].len, vs.ptr[j].ptr);
    imports_list_http_types_field_value_free(&vs);
  }
  http_types_fields_drop(rh);
  imports_result_http_types_incoming_body_void_t ib =
      http_types_incoming_response_consume(brs);
  CHECK(!ib.is_err);
  imports_result_io_streams_input_stream_void_t is =
      http_types_incoming_body_stream(
          http_types_borrow_incoming_body(ib.val.ok));
  CHECK(!is.is_err);
  size_t cap = q->body_len + 65536;
  uint8_t *buf = malloc(cap);
  bool closed;
  size_t n = read_upto(is.val.ok, buf, cap, &closed);
  io_streams_input_stream_drop(is.val.ok);
  http_types_future_trailers_drop(http_types_incoming_body_finish(ib.val.ok));
  say("body: %zu bytes", n);
  if (show_body) say("body text: %.*s", (int)n, buf);
  if (q->body_len)
    say("body equals what was sent: %s",
        n == q->body_len && !memcmp(buf, q->body, n) ? "yes" : "no");
  free(buf);
  http_types_incoming_response_drop(resp);
  http_types_future_incoming_response_drop(f.val.ok);
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  const char *c = argv[1];
  if (!strcmp(c, "get")) {
    const char *h[] = { "x-wasi-custom", "from the guest", NULL };
    send(&(request_t){ "GET", "http", NULL, "/get?some=arg&goes=here", h, NULL,
                       0, 0 },
         true);
  } else if (!strcmp(c, "post")) {
    const char *h[] = { "content-type", "text/plain", NULL };
    const char *body = "{\"foo\": \"bar\"}";
    send(&(request_t){ "POST", "http", NULL, "/post", h, (const uint8_t *)body,
                       strlen(body), 0 },
         true);
  } else if (!strcmp(c, "large_post")) {
    size_t len = 1 << 20;
    uint8_t *body = malloc(len);
    for (size_t i = 0; i < len; i++)
      body[i] = (uint8_t)('a' + i % 26);
    send(&(request_t){ "POST", "http", NULL, "/post", NULL, body, len, 0 },
         false);
    free(body);
  } else if (!strcmp(c, "put_other_method")) {
    send(&(request_t){ "PROPFIND", "http", NULL, "/put", NULL, NULL, 0, 0 },
         false);
  } else if (!strcmp(c, "invalid_header")) {
    const char *h[] = { "bad header name", "x",    "x-ok", "bad\nvalue",
                        "x-wasi-custom",   "fine", NULL };
    send(&(request_t){ "GET", "http", NULL, "/get", h, NULL, 0, 0 }, false);
  } else if (!strcmp(c, "unsupported_scheme")) {
    send(&(request_t){ "GET", "WS", NULL, "/get", NULL, NULL, 0, 0 }, false);
  } else if (!strcmp(c, "timeout")) {
    send(&(request_t){ "GET", "http", NULL, "/slow", NULL, NULL, 0, 500 },
         false);
  } else if (!strcmp(c, "refused")) {
    send(&(request_t){ "GET", "http", "127.0.0.1:1", "/", NULL, NULL, 0, 0 },
         false);
  } else {
    say("unknown case %s", c);
    return 2;
  }
  return 0;
}
