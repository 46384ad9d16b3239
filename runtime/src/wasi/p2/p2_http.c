/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:http: types (fields, requests, responses, bodies, futures) and
 * outgoing-handler as a real HTTP/1.1 client on libcurl, one thread per
 * exchange: the request body flows from the guest's output stream through
 * a pipe to curl's read callback, the response head is published when curl
 * has seen it (the future becomes ready), the response body flows from
 * curl's write callback through a pipe to the guest's input stream.
 * Timeouts: connect (curl), first byte and between bytes (a progress
 * callback), each reported as the error-code the interface names.
 * The server side (incoming-request, response-outparam and the response's
 * body) serves wg_wasi2_http_handle(): the response goes to the server's
 * callbacks as the guest sets and writes it. */
#define _GNU_SOURCE
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "p2.h"

#define HE(name) P2_HTTP_TYPES_ERROR_CODE_##name
typedef p2_http_types_error_code_t HttpErr;

#define CTX_OR_TRAP(c)     \
  P2Ctx *c = p2_ctx(call); \
  if (!c) return p2_trap("wasi: no WASI context for this store")

static HttpErr err_code(uint8_t tag) {
  HttpErr e;
  memset(&e, 0, sizeof e);
  e.tag = tag;
  return e;
}

static char *dupn(const uint8_t *p, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, p, n);
    d[n] = '\0';
  }
  return d;
}

/* Section: fields */

typedef struct Field {
  char *name; /* lower case */
  uint8_t *value;
  size_t vlen;
} Field;

typedef struct P2Fields {
  P2Obj base;
  bool immutable;
  Field *items;
  size_t count, cap;
} P2Fields;

static void fields_free(P2Obj *o) {
  P2Fields *f = (P2Fields *)o;
  for (size_t i = 0; i < f->count; i++) {
    free(f->items[i].name);
    free(f->items[i].value);
  }
  free(f->items);
  free(f);
}

static P2Fields *fields_new(bool immutable) {
  P2Fields *f = calloc(1, sizeof *f);
  if (f) {
    p2_obj_init(&f->base, P2_FIELDS, fields_free);
    f->immutable = immutable;
  }
  return f;
}

/* RFC 9110 token characters. */
static bool is_tchar(uint8_t ch) {
  return isalnum(ch) || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static bool name_valid(const uint8_t *p, size_t n) {
  if (n == 0 || n > 8192) return false;
  for (size_t i = 0; i < n; i++)
    if (!is_tchar(p[i])) return false;
  return true;
}

static bool value_valid(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] == '\r' || p[i] == '\n' || p[i] == 0) return false;
  return true;
}

/* Hop-by-hop fields a guest may not set (the host frames messages). */
static bool forbidden(const char *name) {
  static const char *const names[] = { "connection",
                                       "keep-alive",
                                       "proxy-connection",
                                       "transfer-encoding",
                                       "upgrade",
                                       "http2-settings",
                                       NULL };
  for (const char *const *n = names; *n; n++)
    if (strcmp(name, *n) == 0) return true;
  return false;
}

static char *lower_name(const uint8_t *p, size_t n) {
  char *d = dupn(p, n);
  if (d)
    for (size_t i = 0; i < n; i++)
      d[i] = (char)tolower((unsigned char)d[i]);
  return d;
}

static bool fields_push(P2Fields *f, char *name, const uint8_t *v, size_t vl) {
  if (f->count == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 8;
    Field *items = realloc(f->items, cap * sizeof *items);
    if (!items) return false;
    f->items = items;
    f->cap = cap;
  }
  uint8_t *copy = malloc(vl ? vl : 1);
  if (!copy) return false;
  memcpy(copy, v, vl);
  f->items[f->count++] = (Field){ name, copy, vl };
  return true;
}

/* Adds raw header text (host side: from curl or a server), lower-casing
 * the name; invalid ones are dropped. */
static void fields_add_raw(P2Fields *f, const char *name, size_t nl,
                           const uint8_t *value, size_t vl) {
  if (!name_valid((const uint8_t *)name, nl)) return;
  char *n = lower_name((const uint8_t *)name, nl);
  if (n && !fields_push(f, n, value, vl)) free(n);
}

static void fields_delete_name(P2Fields *f, const char *name) {
  size_t out = 0;
  for (size_t i = 0; i < f->count; i++) {
    if (strcmp(f->items[i].name, name) == 0) {
      free(f->items[i].name);
      free(f->items[i].value);
    } else {
      f->items[out++] = f->items[i];
    }
  }
  f->count = out;
}

static P2Fields *fields_copy(const P2Fields *src, bool immutable) {
  P2Fields *f = fields_new(immutable);
  if (!f) return NULL;
  for (size_t i = 0; i < src->count; i++) {
    char *n = strdup(src->items[i].name);
    if (!n || !fields_push(f, n, src->items[i].value, src->items[i].vlen)) {
      free(n);
      p2_unref(&f->base);
      return NULL;
    }
  }
  return f;
}

/* The value of the first field named `name`, NUL-terminated copy or NULL. */
static char *fields_value(const P2Fields *f, const char *name) {
  for (size_t i = 0; i < f->count; i++)
    if (strcmp(f->items[i].name, name) == 0)
      return dupn(f->items[i].value, f->items[i].vlen);
  return NULL;
}

static uint32_t add_fields(P2Ctx *c, P2Fields *f) {
  return f ? p2_add(c, &f->base) : 0;
}

#define GET(var, T, rep, type, what)   \
  T *var = (T *)p2_get((rep), (type)); \
  if (!var) return p2_bad_handle(what)

static WgTrap *fields_destructor(void *ctx, p2_http_types_fields_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *fields_new_fn(void *ctx, WgCCall *call,
                             p2_http_types_fields_t *ret) {
  CTX_OR_TRAP(c);
  ret->rep = add_fields(c, fields_new(false));
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

typedef p2_http_types_header_error_t HeaderErr;
#define HDR(name) ((HeaderErr){ P2_HTTP_TYPES_HEADER_ERROR_##name })

/* Checks and adds one guest-given field; 0 or a header-error tag + 1. */
static int guest_add(P2Fields *f, const uint8_t *name, size_t nl,
                     const uint8_t *value, size_t vl) {
  if (!name_valid(name, nl) || !value_valid(value, vl))
    return P2_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX + 1;
  char *n = lower_name(name, nl);
  if (!n) return P2_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX + 1;
  if (forbidden(n)) {
    free(n);
    return P2_HTTP_TYPES_HEADER_ERROR_FORBIDDEN + 1;
  }
  if (!fields_push(f, n, value, vl)) {
    free(n);
    return P2_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX + 1;
  }
  return 0;
}

static WgTrap *fields_from_list(
    void *ctx, WgCCall *call,
    wasip2_list_tuple2_p2_http_types_field_name_p2_http_types_field_value_t
        entries,
    wasip2_result_p2_http_types_fields_p2_http_types_header_error_t *ret) {
  P2Ctx *c = p2_ctx(call);
  P2Fields *f = fields_new(false);
  int bad = 0;
  for (size_t i = 0; f && !bad && i < entries.len; i++)
    bad = guest_add(f, entries.ptr[i].f0.ptr, entries.ptr[i].f0.len,
                    entries.ptr[i].f1.ptr, entries.ptr[i].f1.len);
  wasip2_list_tuple2_p2_http_types_field_name_p2_http_types_field_value_free(
      &entries);
  if (!c || !f) {
    p2_unref(f ? &f->base : NULL);
    return p2_trap("wasi: out of memory");
  }
  if (bad) {
    p2_unref(&f->base);
    ret->is_err = true;
    ret->val.err.tag = (uint8_t)(bad - 1);
    return NULL;
  }
  ret->is_err = false;
  ret->val.ok.rep = add_fields(c, f);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *fields_get(void *ctx, WgCCall *call,
                          p2_http_types_borrow_fields_t self,
                          p2_http_types_field_name_t name,
                          wasip2_list_p2_http_types_field_value_t *ret) {
  P2Fields *f = (P2Fields *)p2_get(self.rep, P2_FIELDS);
  char *n = f ? lower_name(name.ptr, name.len) : NULL;
  wasip2_string_free(&name);
  if (!f) return p2_bad_handle("fields");
  if (!n) return p2_trap("wasi: out of memory");
  size_t count = 0;
  for (size_t i = 0; i < f->count; i++)
    count += strcmp(f->items[i].name, n) == 0;
  ret->len = 0;
  ret->ptr = calloc(count ? count : 1, sizeof *ret->ptr);
  for (size_t i = 0; ret->ptr && i < f->count; i++) {
    if (strcmp(f->items[i].name, n) != 0) continue;
    p2_http_types_field_value_t *v = &ret->ptr[ret->len++];
    v->ptr = malloc(f->items[i].vlen ? f->items[i].vlen : 1);
    if (v->ptr) memcpy(v->ptr, f->items[i].value, f->items[i].vlen);
    v->len = f->items[i].vlen;
  }
  free(n);
  return ret->ptr ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *fields_has(void *ctx, WgCCall *call,
                          p2_http_types_borrow_fields_t self,
                          p2_http_types_field_name_t name, bool *ret) {
  P2Fields *f = (P2Fields *)p2_get(self.rep, P2_FIELDS);
  char *n = f ? lower_name(name.ptr, name.len) : NULL;
  wasip2_string_free(&name);
  if (!f) return p2_bad_handle("fields");
  *ret = false;
  for (size_t i = 0; n && i < f->count; i++)
    if (strcmp(f->items[i].name, n) == 0) *ret = true;
  free(n);
  return NULL;
}

/* The common checks of set/delete/append: 0 or a header-error tag + 1;
 * *out_name is the lower-case name (caller frees). */
static int mutate_check(P2Fields *f, p2_http_types_field_name_t name,
                        char **out_name) {
  *out_name = NULL;
  if (f->immutable) return P2_HTTP_TYPES_HEADER_ERROR_IMMUTABLE + 1;
  if (!name_valid(name.ptr, name.len))
    return P2_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX + 1;
  *out_name = lower_name(name.ptr, name.len);
  if (!*out_name) return P2_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX + 1;
  if (forbidden(*out_name)) return P2_HTTP_TYPES_HEADER_ERROR_FORBIDDEN + 1;
  return 0;
}

static WgTrap *
fields_set(void *ctx, WgCCall *call, p2_http_types_borrow_fields_t self,
           p2_http_types_field_name_t name,
           wasip2_list_p2_http_types_field_value_t value,
           wasip2_result_void_p2_http_types_header_error_t *ret) {
  P2Fields *f = (P2Fields *)p2_get(self.rep, P2_FIELDS);
  WgTrap *trap = NULL;
  char *n = NULL;
  int bad = 0;
  if (!f) {
    trap = p2_bad_handle("fields");
    goto done;
  }
  bad = mutate_check(f, name, &n);
  for (size_t i = 0; !bad && i < value.len; i++)
    if (!value_valid(value.ptr[i].ptr, value.ptr[i].len))
      bad = P2_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX + 1;
  if (!bad) {
    fields_delete_name(f, n);
    for (size_t i = 0; i < value.len; i++) {
      char *copy = strdup(n);
      if (!copy || !fields_push(f, copy, value.ptr[i].ptr, value.ptr[i].len)) {
        free(copy);
        trap = p2_trap("wasi: out of memory");
        break;
      }
    }
  }
  ret->is_err = bad != 0;
  if (bad) ret->val.err.tag = (uint8_t)(bad - 1);
done:
  free(n);
  wasip2_string_free(&name);
  wasip2_list_p2_http_types_field_value_free(&value);
  return trap;
}

static WgTrap *
fields_delete(void *ctx, WgCCall *call, p2_http_types_borrow_fields_t self,
              p2_http_types_field_name_t name,
              wasip2_result_void_p2_http_types_header_error_t *ret) {
  P2Fields *f = (P2Fields *)p2_get(self.rep, P2_FIELDS);
  if (!f) {
    wasip2_string_free(&name);
    return p2_bad_handle("fields");
  }
  char *n;
  int bad = mutate_check(f, name, &n);
  if (!bad) fields_delete_name(f, n);
  ret->is_err = bad != 0;
  if (bad) ret->val.err.tag = (uint8_t)(bad - 1);
  free(n);
  wasip2_string_free(&name);
  return NULL;
}

static WgTrap *
fields_append(void *ctx, WgCCall *call, p2_http_types_borrow_fields_t self,
              p2_http_types_field_name_t name,
              p2_http_types_field_value_t value,
              wasip2_result_void_p2_http_types_header_error_t *ret) {
  P2Fields *f = (P2Fields *)p2_get(self.rep, P2_FIELDS);
  WgTrap *trap = NULL;
  if (!f) {
    trap = p2_bad_handle("fields");
  } else {
    char *n;
    int bad = mutate_check(f, name, &n);
    if (!bad && !value_valid(value.ptr, value.len))
      bad = P2_HTTP_TYPES_HEADER_ERROR_INVALID_SYNTAX + 1;
    if (!bad && fields_push(f, n, value.ptr, value.len)) n = NULL;
    ret->is_err = bad != 0;
    if (bad) ret->val.err.tag = (uint8_t)(bad - 1);
    free(n);
  }
  wasip2_string_free(&name);
  free(value.ptr);
  return trap;
}

static WgTrap *fields_entries(
    void *ctx, WgCCall *call, p2_http_types_borrow_fields_t self,
    wasip2_list_tuple2_p2_http_types_field_name_p2_http_types_field_value_t
        *ret) {
  GET(f, P2Fields, self.rep, P2_FIELDS, "fields");
  ret->len = f->count;
  ret->ptr = calloc(f->count ? f->count : 1, sizeof *ret->ptr);
  if (!ret->ptr) return p2_trap("wasi: out of memory");
  for (size_t i = 0; i < f->count; i++) {
    wasip2_string_dup(&ret->ptr[i].f0, f->items[i].name);
    ret->ptr[i].f1.ptr = malloc(f->items[i].vlen ? f->items[i].vlen : 1);
    if (ret->ptr[i].f1.ptr)
      memcpy(ret->ptr[i].f1.ptr, f->items[i].value, f->items[i].vlen);
    ret->ptr[i].f1.len = f->items[i].vlen;
  }
  return NULL;
}

static WgTrap *fields_clone(void *ctx, WgCCall *call,
                            p2_http_types_borrow_fields_t self,
                            p2_http_types_fields_t *ret) {
  CTX_OR_TRAP(c);
  GET(f, P2Fields, self.rep, P2_FIELDS, "fields");
  ret->rep = add_fields(c, fields_copy(f, false));
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

/* Section: methods and schemes */

static const char *const METHODS[] = { "GET",     "HEAD",   "POST",
                                       "PUT",     "DELETE", "CONNECT",
                                       "OPTIONS", "TRACE",  "PATCH" };

/* method -> text (NUL-terminated, caller frees); NULL when invalid. */
static char *method_text(const p2_http_types_method_t *m) {
  if (m->tag < 9) return strdup(METHODS[m->tag]);
  if (!name_valid(m->val.other.ptr, m->val.other.len)) return NULL;
  return dupn(m->val.other.ptr, m->val.other.len);
}

static void method_of(const char *text, size_t len, p2_http_types_method_t *m) {
  memset(m, 0, sizeof *m);
  for (uint8_t i = 0; i < 9; i++) {
    if (strlen(METHODS[i]) == len && !memcmp(METHODS[i], text, len)) {
      m->tag = i;
      return;
    }
  }
  m->tag = P2_HTTP_TYPES_METHOD_OTHER;
  m->val.other.ptr = (uint8_t *)dupn((const uint8_t *)text, len);
  m->val.other.len = len;
}

/* scheme -> text; NULL for none. */
static char *scheme_text(const wasip2_option_p2_http_types_scheme_t *s) {
  if (!s->is_some) return NULL;
  if (s->val.tag == P2_HTTP_TYPES_SCHEME_HTTP) return strdup("http");
  if (s->val.tag == P2_HTTP_TYPES_SCHEME_HTTPS) return strdup("https");
  return dupn(s->val.val.other.ptr, s->val.val.other.len);
}

static void scheme_of(const char *text,
                      wasip2_option_p2_http_types_scheme_t *s) {
  memset(s, 0, sizeof *s);
  if (!text) return;
  s->is_some = true;
  if (!strcasecmp(text, "http")) {
    s->val.tag = P2_HTTP_TYPES_SCHEME_HTTP;
  } else if (!strcasecmp(text, "https")) {
    s->val.tag = P2_HTTP_TYPES_SCHEME_HTTPS;
  } else {
    s->val.tag = P2_HTTP_TYPES_SCHEME_OTHER;
    wasip2_string_dup(&s->val.val.other, text);
  }
}

static void option_string(const char *text, wasip2_option_string_t *ret) {
  ret->is_some = text != NULL;
  if (text) wasip2_string_dup(&ret->val, text);
}

/* Section: exchanges (one outgoing request and its response) */

typedef struct P2Exchange {
  P2Obj base;
  /* request, set before the thread starts */
  char *url, *method;
  P2Fields *req_headers;
  P2Pipe *req_body; /* NULL: no body */
  int64_t content_length;
  uint64_t connect_ms, first_byte_ms, between_ms;
  /* response, published by the thread under resp_body->mu */
  P2Pipe *resp_body;
  bool head_done; /* status and headers known */
  bool failed;    /* no response: err holds the error */
  HttpErr err;
  char *err_text;
  uint16_t status;
  P2Fields *resp_headers;
  P2Fields *trailers;
  bool in_trailers;
  /* the thread's timing */
  uint64_t start_ns, last_data_ns;
  int timeout; /* 0, 1 first byte, 2 between bytes */
} P2Exchange;

static void exchange_free(P2Obj *o) {
  P2Exchange *x = (P2Exchange *)o;
  free(x->url);
  free(x->method);
  free(x->err_text);
  p2_unref(x->req_headers ? &x->req_headers->base : NULL);
  p2_unref(x->resp_headers ? &x->resp_headers->base : NULL);
  p2_unref(x->trailers ? &x->trailers->base : NULL);
  p2_unref(x->req_body ? &x->req_body->base : NULL);
  p2_unref(x->resp_body ? &x->resp_body->base : NULL);
  free(x);
}

static bool exchange_head(P2Exchange *x, bool *failed) {
  pthread_mutex_lock(&x->resp_body->mu);
  bool done = x->head_done || x->failed;
  *failed = x->failed;
  pthread_mutex_unlock(&x->resp_body->mu);
  return done;
}

static void exchange_fail(P2Exchange *x, uint8_t tag, const char *text) {
  pthread_mutex_lock(&x->resp_body->mu);
  if (!x->head_done && !x->failed) {
    x->failed = true;
    x->err = err_code(tag);
    free(x->err_text);
    x->err_text = text ? strdup(text) : NULL;
  }
  pthread_mutex_unlock(&x->resp_body->mu);
  p2_pipe_close(x->resp_body, tag + 1);
}

static size_t on_header(char *buf, size_t size, size_t n, void *env) {
  P2Exchange *x = env;
  size_t len = size * n;
  while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    len--;
  if (len >= 5 && !memcmp(buf, "HTTP/", 5)) { /* a status line */
    const char *sp = memchr(buf, ' ', len);
    int status = sp ? atoi(sp + 1) : 0;
    pthread_mutex_lock(&x->resp_body->mu);
    x->status = (uint16_t)status;
    if (x->resp_headers) x->resp_headers->count = 0; /* a 1xx before */
    pthread_mutex_unlock(&x->resp_body->mu);
    return size * n;
  }
  if (len == 0) { /* the end of a head (or of the trailers) */
    if (x->status >= 200 && !x->head_done) {
      pthread_mutex_lock(&x->resp_body->mu);
      x->head_done = true;
      x->in_trailers = true;
      x->last_data_ns = p2_now_ns();
      pthread_mutex_unlock(&x->resp_body->mu);
      p2_pipe_signal(x->resp_body);
    }
    return size * n;
  }
  const char *colon = memchr(buf, ':', len);
  if (!colon) return size * n;
  size_t nl = (size_t)(colon - buf);
  const char *v = colon + 1;
  while (v < buf + len && (*v == ' ' || *v == '\t'))
    v++;
  size_t vl = (size_t)(buf + len - v);
  pthread_mutex_lock(&x->resp_body->mu);
  P2Fields **into = x->in_trailers ? &x->trailers : &x->resp_headers;
  if (!*into) *into = fields_new(true);
  if (*into) fields_add_raw(*into, buf, nl, (const uint8_t *)v, vl);
  pthread_mutex_unlock(&x->resp_body->mu);
  return size * n;
}

static size_t on_body(char *buf, size_t size, size_t n, void *env) {
  P2Exchange *x = env;
  x->last_data_ns = p2_now_ns();
  if (!p2_pipe_write(x->resp_body, (const uint8_t *)buf, size * n)) return 0;
  return size * n;
}

static size_t on_read(char *buf, size_t size, size_t n, void *env) {
  P2Exchange *x = env;
  bool eof;
  size_t got = p2_pipe_read_wait(x->req_body, (uint8_t *)buf, size * n, &eof);
  if (got == 0 && eof && x->req_body->error) return CURL_READFUNC_ABORT;
  return got;
}

static int on_progress(void *env, curl_off_t dlt, curl_off_t dln,
                       curl_off_t ult, curl_off_t uln) {
  P2Exchange *x = env;
  uint64_t now = p2_now_ns();
  if (!x->head_done && x->first_byte_ms &&
      now - x->start_ns > x->first_byte_ms * 1000000ull) {
    x->timeout = 1;
    return 1;
  }
  if (x->head_done && x->between_ms &&
      now - x->last_data_ns > x->between_ms * 1000000ull) {
    x->timeout = 2;
    return 1;
  }
  pthread_mutex_lock(&x->resp_body->mu);
  bool gone = x->resp_body->reader_gone;
  pthread_mutex_unlock(&x->resp_body->mu);
  return gone ? 1 : 0;
}

static uint8_t curl_error(CURLcode rc, P2Exchange *x) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return HE(DNS_ERROR);
    case CURLE_COULDNT_CONNECT:
      return HE(CONNECTION_REFUSED);
    case CURLE_OPERATION_TIMEDOUT:
      return x->head_done ? HE(CONNECTION_READ_TIMEOUT)
                          : HE(CONNECTION_TIMEOUT);
    case CURLE_ABORTED_BY_CALLBACK:
      return x->timeout ? HE(CONNECTION_READ_TIMEOUT)
                        : HE(CONNECTION_TERMINATED);
    case CURLE_UNSUPPORTED_PROTOCOL:
      return HE(HTTP_PROTOCOL_ERROR);
    case CURLE_URL_MALFORMAT:
      return HE(HTTP_REQUEST_URI_INVALID);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return HE(CONNECTION_TERMINATED);
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return HE(HTTP_RESPONSE_INCOMPLETE);
    case CURLE_WEIRD_SERVER_REPLY:
      return HE(HTTP_PROTOCOL_ERROR);
    case CURLE_SSL_CONNECT_ERROR:
      return HE(TLS_PROTOCOL_ERROR);
    case CURLE_PEER_FAILED_VERIFICATION:
      return HE(TLS_CERTIFICATE_ERROR);
    default:
      return HE(INTERNAL_ERROR);
  }
}

static void *exchange_main(void *arg) {
  P2Exchange *x = arg;
  CURL *h = curl_easy_init();
  struct curl_slist *hdrs = NULL;
  if (!h) {
    exchange_fail(x, HE(INTERNAL_ERROR), "curl_easy_init failed");
    p2_unref(&x->base);
    return NULL;
  }
  x->start_ns = p2_now_ns();
  curl_easy_setopt(h, CURLOPT_URL, x->url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, x->method);
  if (!strcmp(x->method, "HEAD")) curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  if (x->connect_ms)
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)x->connect_ms);
  if (x->req_body) {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, x);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE,
                     (curl_off_t)x->content_length);
  }
  for (size_t i = 0; x->req_headers && i < x->req_headers->count; i++) {
    const Field *f = &x->req_headers->items[i];
    if (x->req_body && !strcmp(f->name, "content-length")) continue;
    size_t nl = strlen(f->name);
    char *line = malloc(nl + f->vlen + 3);
    if (!line) continue;
    if (f->vlen) /* "name;" is how curl sends an empty value */
      snprintf(line, nl + f->vlen + 3, "%s: %.*s", f->name, (int)f->vlen,
               (const char *)f->value);
    else
      snprintf(line, nl + 2, "%s;", f->name);
    hdrs = curl_slist_append(hdrs, line);
    free(line);
  }
  hdrs = curl_slist_append(hdrs, "Expect:");
  hdrs = curl_slist_append(hdrs, "Accept:");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    uint8_t tag = curl_error(rc, x);
    if (!x->head_done)
      exchange_fail(x, tag, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else
      p2_pipe_close(x->resp_body, tag + 1);
  } else {
    pthread_mutex_lock(&x->resp_body->mu);
    bool head = x->head_done;
    pthread_mutex_unlock(&x->resp_body->mu);
    if (!head) {
      exchange_fail(x, HE(HTTP_RESPONSE_INCOMPLETE), "no response");
    } else {
      p2_pipe_close(x->resp_body, 0);
    }
  }
  if (x->req_body) p2_pipe_reader_gone(x->req_body);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(h);
  p2_unref(&x->base);
  return NULL;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Section: outgoing requests and bodies */

typedef struct P2OutBody P2OutBody;

typedef struct P2OutReq {
  P2Obj base;
  P2Fields *headers;
  char *method, *scheme, *authority, *path; /* NULL: none */
  P2OutBody *body;                          /* the taken body, borrowed */
  P2Pipe *body_pipe;                        /* NULL until body() */
} P2OutReq;

/* A served response's state, shared by its outgoing-response, body and
 * the context's responder. */
typedef struct P2ServerResp {
  P2Obj base;
  bool started, finished, abandoned;
  uint16_t status;
  P2Fields *headers;
  const WgWasi2HttpResponder *r;
  uint8_t *pending;
  size_t pending_len;
  P2Fields *trailers;
} P2ServerResp;

struct P2OutBody {
  P2Obj base;
  bool stream_taken, finished;
  P2Stream *stream;     /* weak: the output stream while it lives */
  P2Pipe *pipe;         /* client: to curl */
  P2ServerResp *server; /* server: to the responder */
  int64_t content_length;
  uint64_t written;
};

static void outreq_free(P2Obj *o) {
  P2OutReq *r = (P2OutReq *)o;
  p2_unref(r->headers ? &r->headers->base : NULL);
  p2_unref(r->body_pipe ? &r->body_pipe->base : NULL);
  free(r->method);
  free(r->scheme);
  free(r->authority);
  free(r->path);
  free(r);
}

static void server_resp_free(P2Obj *o) {
  P2ServerResp *s = (P2ServerResp *)o;
  p2_unref(s->headers ? &s->headers->base : NULL);
  p2_unref(s->trailers ? &s->trailers->base : NULL);
  free(s->pending);
  free(s);
}

static void outbody_free(P2Obj *o) {
  P2OutBody *b = (P2OutBody *)o;
  if (!b->finished) { /* dropped without finish: the body is corrupt */
    if (b->pipe) p2_pipe_close(b->pipe, HE(INTERNAL_ERROR) + 1);
    if (b->server) b->server->abandoned = true;
  }
  p2_unref(b->pipe ? &b->pipe->base : NULL);
  p2_unref(b->server ? &b->server->base : NULL);
  free(b);
}

static int64_t content_length_of(const P2Fields *f) {
  char *v = fields_value(f, "content-length");
  if (!v) return -1;
  char *end;
  long long n = strtoll(v, &end, 10);
  bool ok = *v && !*end && n >= 0;
  free(v);
  return ok ? n : -1;
}

static WgTrap *outreq_destructor(void *ctx,
                                 p2_http_types_outgoing_request_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *outreq_new(void *ctx, WgCCall *call,
                          p2_http_types_fields_t headers,
                          p2_http_types_outgoing_request_t *ret) {
  CTX_OR_TRAP(c);
  P2Fields *h = (P2Fields *)p2_take(headers.rep, P2_FIELDS);
  if (!h) return p2_bad_handle("fields");
  P2OutReq *r = calloc(1, sizeof *r);
  if (!r) {
    p2_unref(&h->base);
    return p2_trap("wasi: out of memory");
  }
  p2_obj_init(&r->base, P2_OUT_REQ, outreq_free);
  r->headers = h;
  h->immutable = true;
  r->method = strdup("GET");
  ret->rep = p2_add(c, &r->base);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static uint32_t new_outbody(P2Ctx *c, P2Pipe *pipe, P2ServerResp *server,
                            int64_t content_length) {
  P2OutBody *b = calloc(1, sizeof *b);
  if (!b) return 0;
  p2_obj_init(&b->base, P2_OUT_BODY, outbody_free);
  b->pipe = pipe ? (P2Pipe *)p2_ref(&pipe->base) : NULL;
  b->server = server ? (P2ServerResp *)p2_ref(&server->base) : NULL;
  b->content_length = content_length;
  return p2_add(c, &b->base);
}

static WgTrap *
outreq_body(void *ctx, WgCCall *call,
            p2_http_types_borrow_outgoing_request_t self,
            wasip2_result_p2_http_types_outgoing_body_void_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2OutReq, self.rep, P2_OUT_REQ, "outgoing-request");
  if (r->body_pipe) {
    ret->is_err = true;
    return NULL;
  }
  r->body_pipe = p2_pipe_new(c->wasi->http_buffer);
  ret->is_err = false;
  ret->val.ok.rep = r->body_pipe ? new_outbody(c, r->body_pipe, NULL,
                                               content_length_of(r->headers))
                                 : 0;
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *outreq_method(void *ctx, WgCCall *call,
                             p2_http_types_borrow_outgoing_request_t self,
                             p2_http_types_method_t *ret) {
  GET(r, P2OutReq, self.rep, P2_OUT_REQ, "outgoing-request");
  method_of(r->method, strlen(r->method), ret);
  return NULL;
}

static WgTrap *outreq_set_method(void *ctx, WgCCall *call,
                                 p2_http_types_borrow_outgoing_request_t self,
                                 p2_http_types_method_t method,
                                 wasip2_result_void_void_t *ret) {
  P2OutReq *r = (P2OutReq *)p2_get(self.rep, P2_OUT_REQ);
  char *text = r ? method_text(&method) : NULL;
  p2_http_types_method_free(&method);
  if (!r) return p2_bad_handle("outgoing-request");
  ret->is_err = text == NULL;
  if (text) {
    free(r->method);
    r->method = text;
  }
  return NULL;
}

/* Replaces *slot with the option's text; false when invalid (`check`). */
static bool set_text(char **slot, wasip2_option_string_t v, bool path) {
  char *text = NULL;
  bool ok = true;
  if (v.is_some) {
    for (size_t i = 0; i < v.val.len; i++) {
      uint8_t ch = v.val.ptr[i];
      if (ch <= ' ' || ch == 0x7f || (!path && (ch == '/' || ch == '?')))
        ok = false;
    }
    if (path && v.val.len && v.val.ptr[0] != '/' && v.val.ptr[0] != '*')
      ok = false;
    if (ok) text = dupn(v.val.ptr, v.val.len);
  }
  wasip2_option_string_free(&v);
  if (!ok) return false;
  free(*slot);
  *slot = text;
  return true;
}

static WgTrap *outreq_path(void *ctx, WgCCall *call,
                           p2_http_types_borrow_outgoing_request_t self,
                           wasip2_option_string_t *ret) {
  GET(r, P2OutReq, self.rep, P2_OUT_REQ, "outgoing-request");
  option_string(r->path, ret);
  return NULL;
}

static WgTrap *outreq_set_path(void *ctx, WgCCall *call,
                               p2_http_types_borrow_outgoing_request_t self,
                               wasip2_option_string_t path,
                               wasip2_result_void_void_t *ret) {
  P2OutReq *r = (P2OutReq *)p2_get(self.rep, P2_OUT_REQ);
  if (!r) {
    wasip2_option_string_free(&path);
    return p2_bad_handle("outgoing-request");
  }
  ret->is_err = !set_text(&r->path, path, true);
  return NULL;
}

static WgTrap *outreq_scheme(void *ctx, WgCCall *call,
                             p2_http_types_borrow_outgoing_request_t self,
                             wasip2_option_p2_http_types_scheme_t *ret) {
  GET(r, P2OutReq, self.rep, P2_OUT_REQ, "outgoing-request");
  scheme_of(r->scheme, ret);
  return NULL;
}

static WgTrap *outreq_set_scheme(void *ctx, WgCCall *call,
                                 p2_http_types_borrow_outgoing_request_t self,
                                 wasip2_option_p2_http_types_scheme_t scheme,
                                 wasip2_result_void_void_t *ret) {
  P2OutReq *r = (P2OutReq *)p2_get(self.rep, P2_OUT_REQ);
  char *text = r ? scheme_text(&scheme) : NULL;
  bool ok = !scheme.is_some ||
            (text && name_valid((const uint8_t *)text, strlen(text)));
  wasip2_option_p2_http_types_scheme_free(&scheme);
  if (!r) return p2_bad_handle("outgoing-request");
  ret->is_err = !ok;
  if (ok) {
    free(r->scheme);
    r->scheme = text;
  } else {
    free(text);
  }
  return NULL;
}

static WgTrap *outreq_authority(void *ctx, WgCCall *call,
                                p2_http_types_borrow_outgoing_request_t self,
                                wasip2_option_string_t *ret) {
  GET(r, P2OutReq, self.rep, P2_OUT_REQ, "outgoing-request");
  option_string(r->authority, ret);
  return NULL;
}

static WgTrap *outreq_set_authority(
    void *ctx, WgCCall *call, p2_http_types_borrow_outgoing_request_t self,
    wasip2_option_string_t authority, wasip2_result_void_void_t *ret) {
  P2OutReq *r = (P2OutReq *)p2_get(self.rep, P2_OUT_REQ);
  if (!r) {
    wasip2_option_string_free(&authority);
    return p2_bad_handle("outgoing-request");
  }
  ret->is_err = !set_text(&r->authority, authority, false);
  return NULL;
}

static WgTrap *outreq_headers(void *ctx, WgCCall *call,
                              p2_http_types_borrow_outgoing_request_t self,
                              p2_http_types_fields_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2OutReq, self.rep, P2_OUT_REQ, "outgoing-request");
  ret->rep = add_fields(c, fields_copy(r->headers, true));
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

/* Section: request options */

typedef struct P2ReqOpts {
  P2Obj base;
  uint64_t connect, first_byte, between; /* ns; 0: none */
} P2ReqOpts;

static void plain_free(P2Obj *o) {
  free(o);
}

static WgTrap *opts_destructor(void *ctx,
                               p2_http_types_request_options_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *opts_new(void *ctx, WgCCall *call,
                        p2_http_types_request_options_t *ret) {
  CTX_OR_TRAP(c);
  P2ReqOpts *o = calloc(1, sizeof *o);
  if (o) p2_obj_init(&o->base, P2_REQ_OPTS, plain_free);
  ret->rep = o ? p2_add(c, &o->base) : 0;
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

#define OPT_GET(field)                                         \
  GET(o, P2ReqOpts, self.rep, P2_REQ_OPTS, "request-options"); \
  ret->is_some = o->field != 0;                                \
  ret->val = o->field;                                         \
  return NULL
#define OPT_SET(field)                                                 \
  GET(o, P2ReqOpts, self.rep, P2_REQ_OPTS, "request-options");         \
  o->field = duration.is_some ? (duration.val ? duration.val : 1) : 0; \
  ret->is_err = false;                                                 \
  return NULL

static WgTrap *opts_connect(void *ctx, WgCCall *call,
                            p2_http_types_borrow_request_options_t self,
                            wasip2_option_p2_http_types_duration_t *ret) {
  OPT_GET(connect);
}
static WgTrap *opts_set_connect(void *ctx, WgCCall *call,
                                p2_http_types_borrow_request_options_t self,
                                wasip2_option_p2_http_types_duration_t duration,
                                wasip2_result_void_void_t *ret) {
  OPT_SET(connect);
}
static WgTrap *opts_first_byte(void *ctx, WgCCall *call,
                               p2_http_types_borrow_request_options_t self,
                               wasip2_option_p2_http_types_duration_t *ret) {
  OPT_GET(first_byte);
}
static WgTrap *
opts_set_first_byte(void *ctx, WgCCall *call,
                    p2_http_types_borrow_request_options_t self,
                    wasip2_option_p2_http_types_duration_t duration,
                    wasip2_result_void_void_t *ret) {
  OPT_SET(first_byte);
}
static WgTrap *opts_between(void *ctx, WgCCall *call,
                            p2_http_types_borrow_request_options_t self,
                            wasip2_option_p2_http_types_duration_t *ret) {
  OPT_GET(between);
}
static WgTrap *opts_set_between(void *ctx, WgCCall *call,
                                p2_http_types_borrow_request_options_t self,
                                wasip2_option_p2_http_types_duration_t duration,
                                wasip2_result_void_void_t *ret) {
  OPT_SET(between);
}

/* Section: the response side of an exchange */

typedef struct P2FutResp {
  P2Obj base;
  P2Exchange *x;
  bool taken;
} P2FutResp;

typedef struct P2InResp {
  P2Obj base;
  P2Exchange *x;
  bool consumed;
} P2InResp;

typedef struct P2InBody {
  P2Obj base;
  P2Exchange *x;                    /* client side, else NULL */
  P2Pipe *pipe;                     /* client side */
  const WgWasi2HttpRequest *source; /* server side (during the call) */
  bool stream_taken;
} P2InBody;

typedef struct P2FutTrailers {
  P2Obj base;
  P2Exchange *x; /* NULL: a served request's (no trailers) */
  bool taken;
} P2FutTrailers;

static void futresp_free(P2Obj *o) {
  P2FutResp *f = (P2FutResp *)o;
  p2_unref(&f->x->base);
  free(f);
}

static void inresp_free(P2Obj *o) {
  P2InResp *r = (P2InResp *)o;
  p2_unref(&r->x->base);
  free(r);
}

static void inbody_free(P2Obj *o) {
  P2InBody *b = (P2InBody *)o;
  if (b->pipe && !b->stream_taken) p2_pipe_reader_gone(b->pipe);
  p2_unref(b->pipe ? &b->pipe->base : NULL);
  p2_unref(b->x ? &b->x->base : NULL);
  free(b);
}

static void futtrailers_free(P2Obj *o) {
  P2FutTrailers *t = (P2FutTrailers *)o;
  p2_unref(t->x ? &t->x->base : NULL);
  free(t);
}

bool p2_http_ready(P2Obj *o, P2Wait *w) {
  P2Exchange *x = NULL;
  bool trailers = false;
  if (o->type == P2_FUT_RESP) {
    x = ((P2FutResp *)o)->x;
  } else if (o->type == P2_FUT_TRAILERS) {
    x = ((P2FutTrailers *)o)->x;
    trailers = true;
  }
  if (!x) return true;
  pthread_mutex_lock(&x->resp_body->mu);
  bool ready = trailers ? x->resp_body->closed : (x->head_done || x->failed);
  pthread_mutex_unlock(&x->resp_body->mu);
  if (ready) return true;
  w->fd = x->resp_body->efd;
  w->events = POLLIN;
  w->eventfd = true;
  return false;
}

static WgTrap *handle(
    void *ctx, WgCCall *call, p2_http_types_outgoing_request_t request,
    wasip2_option_p2_http_types_request_options_t options,
    wasip2_result_p2_http_types_future_incoming_response_p2_http_outgoing_handler_error_code_t
        *ret) {
  P2Ctx *c = p2_ctx(call);
  P2OutReq *r = (P2OutReq *)p2_take(request.rep, P2_OUT_REQ);
  P2ReqOpts *o = options.is_some
                     ? (P2ReqOpts *)p2_take(options.val.rep, P2_REQ_OPTS)
                     : NULL;
  if (!c || !r) {
    p2_unref(r ? &r->base : NULL);
    p2_unref(o ? &o->base : NULL);
    return p2_bad_handle("outgoing-request");
  }
  pthread_once(&curl_once, curl_init_once);
  P2Exchange *x = calloc(1, sizeof *x);
  P2FutResp *f = calloc(1, sizeof *f);
  if (x) x->resp_body = p2_pipe_new(c->wasi->http_buffer);
  if (!x || !f || !x->resp_body) {
    free(f);
    if (x) free(x);
    p2_unref(&r->base);
    p2_unref(o ? &o->base : NULL);
    return p2_trap("wasi: out of memory");
  }
  p2_obj_init(&x->base, P2_EXCHANGE, exchange_free);
  p2_obj_init(&f->base, P2_FUT_RESP, futresp_free);
  f->x = x; /* the future's reference */
  x->content_length = content_length_of(r->headers);
  if (o) {
    x->connect_ms = (o->connect + 999999) / 1000000;
    x->first_byte_ms = (o->first_byte + 999999) / 1000000;
    x->between_ms = (o->between + 999999) / 1000000;
    p2_unref(&o->base);
  }
  /* what the request lacks or may not do fails through the future, as
   * it would on the wire */
  const char *scheme = r->scheme ? r->scheme : "http";
  bool known = !strcasecmp(scheme, "http") || !strcasecmp(scheme, "https");
  uint32_t port = !strcasecmp(scheme, "https") ? 443 : 80;
  const char *host = r->authority ? r->authority : "";
  size_t hl = strlen(host);
  const char *colon = strrchr(host, ':');
  if (colon && (!strchr(host, ']') || colon > strchr(host, ']'))) {
    port = (uint32_t)atoi(colon + 1);
    hl = (size_t)(colon - host);
  }
  uint8_t fail = 0;
  if (!known)
    fail = HE(HTTP_PROTOCOL_ERROR) + 1;
  else if (!r->authority || !*r->authority || hl == 0)
    fail = HE(HTTP_REQUEST_URI_INVALID) + 1;
  else if (!p2_net_allowed_host(c->wasi, host, hl, port))
    fail = HE(HTTP_REQUEST_DENIED) + 1;
  if (fail) {
    x->failed = true;
    x->err = err_code((uint8_t)(fail - 1));
    p2_pipe_close(x->resp_body, fail);
  } else {
    size_t ul = strlen(scheme) + strlen(r->authority) +
                (r->path ? strlen(r->path) : 1) + 8;
    x->url = malloc(ul);
    if (x->url)
      snprintf(x->url, ul, "%s://%s%s", scheme, r->authority,
               r->path ? r->path : "/");
    x->method = strdup(r->method);
    x->req_headers = (P2Fields *)p2_ref(&r->headers->base);
    x->req_body = r->body_pipe ? (P2Pipe *)p2_ref(&r->body_pipe->base) : NULL;
    pthread_t t;
    p2_ref(&x->base); /* the thread's */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (!x->url || !x->method ||
        pthread_create(&t, &attr, exchange_main, x) != 0) {
      p2_unref(&x->base);
      exchange_fail(x, HE(INTERNAL_ERROR), "cannot start the exchange");
    }
    pthread_attr_destroy(&attr);
  }
  p2_unref(&r->base);
  ret->is_err = false;
  ret->val.ok.rep = p2_add(c, &f->base);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

const p2_http_outgoing_handler_impl_t p2_outgoing_impl = {
  .handle = handle,
};

static WgTrap *
futresp_destructor(void *ctx, p2_http_types_future_incoming_response_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *
futresp_subscribe(void *ctx, WgCCall *call,
                  p2_http_types_borrow_future_incoming_response_t self,
                  p2_io_poll_pollable_t *ret) {
  CTX_OR_TRAP(c);
  GET(f, P2FutResp, self.rep, P2_FUT_RESP, "future-incoming-response");
  ret->rep = p2_poll_new(c, &f->base, 0, 0);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static void fill_error(const P2Exchange *x, HttpErr *e) {
  *e = x->err;
  if (e->tag == HE(INTERNAL_ERROR)) {
    e->val.internal_error.is_some = x->err_text != NULL;
    if (x->err_text) wasip2_string_dup(&e->val.internal_error.val, x->err_text);
  }
}

static WgTrap *futresp_get(
    void *ctx, WgCCall *call,
    p2_http_types_borrow_future_incoming_response_t self,
    wasip2_option_result_result_p2_http_types_incoming_response_p2_http_types_error_code_void_t
        *ret) {
  CTX_OR_TRAP(c);
  GET(f, P2FutResp, self.rep, P2_FUT_RESP, "future-incoming-response");
  memset(ret, 0, sizeof *ret);
  bool failed;
  if (!exchange_head(f->x, &failed)) return NULL; /* none: not yet */
  ret->is_some = true;
  if (f->taken) {
    ret->val.is_err = true; /* already taken */
    return NULL;
  }
  f->taken = true;
  if (failed) {
    ret->val.val.ok.is_err = true;
    fill_error(f->x, &ret->val.val.ok.val.err);
    return NULL;
  }
  P2InResp *r = calloc(1, sizeof *r);
  if (!r) return p2_trap("wasi: out of memory");
  p2_obj_init(&r->base, P2_IN_RESP, inresp_free);
  r->x = (P2Exchange *)p2_ref(&f->x->base);
  ret->val.val.ok.val.ok.rep = p2_add(c, &r->base);
  return ret->val.val.ok.val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *inresp_destructor(void *ctx,
                                 p2_http_types_incoming_response_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *inresp_status(void *ctx, WgCCall *call,
                             p2_http_types_borrow_incoming_response_t self,
                             p2_http_types_status_code_t *ret) {
  GET(r, P2InResp, self.rep, P2_IN_RESP, "incoming-response");
  *ret = r->x->status;
  return NULL;
}

static WgTrap *inresp_headers(void *ctx, WgCCall *call,
                              p2_http_types_borrow_incoming_response_t self,
                              p2_http_types_fields_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2InResp, self.rep, P2_IN_RESP, "incoming-response");
  pthread_mutex_lock(&r->x->resp_body->mu);
  P2Fields *copy = r->x->resp_headers ? fields_copy(r->x->resp_headers, true)
                                      : fields_new(true);
  pthread_mutex_unlock(&r->x->resp_body->mu);
  ret->rep = add_fields(c, copy);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *
inresp_consume(void *ctx, WgCCall *call,
               p2_http_types_borrow_incoming_response_t self,
               wasip2_result_p2_http_types_incoming_body_void_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2InResp, self.rep, P2_IN_RESP, "incoming-response");
  if (r->consumed) {
    ret->is_err = true;
    return NULL;
  }
  r->consumed = true;
  P2InBody *b = calloc(1, sizeof *b);
  if (!b) return p2_trap("wasi: out of memory");
  p2_obj_init(&b->base, P2_IN_BODY, inbody_free);
  b->x = (P2Exchange *)p2_ref(&r->x->base);
  b->pipe = (P2Pipe *)p2_ref(&r->x->resp_body->base);
  ret->is_err = false;
  ret->val.ok.rep = p2_add(c, &b->base);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *inbody_destructor(void *ctx,
                                 p2_http_types_incoming_body_t self) {
  p2_drop(self.rep);
  return NULL;
}

static long source_read(void *env, uint8_t *buf, size_t cap) {
  const WgWasi2HttpRequest *q = env;
  return q->read_body ? q->read_body(q->env, buf, cap) : 0;
}

static WgTrap *
inbody_stream(void *ctx, WgCCall *call,
              p2_http_types_borrow_incoming_body_t self,
              wasip2_result_p2_io_streams_input_stream_void_t *ret) {
  CTX_OR_TRAP(c);
  GET(b, P2InBody, self.rep, P2_IN_BODY, "incoming-body");
  if (b->stream_taken) {
    ret->is_err = true;
    return NULL;
  }
  b->stream_taken = true;
  P2Stream *s;
  if (b->pipe) {
    s = p2_stream_new(P2_INPUT, P2S_PIPE, -1, &b->base);
    if (s) s->pipe = (P2Pipe *)p2_ref(&b->pipe->base);
  } else {
    s = p2_stream_new(P2_INPUT, P2S_SOURCE, -1, &b->base);
    if (s) {
      s->source = source_read;
      s->sink_env = (void *)b->source;
    }
  }
  ret->is_err = false;
  ret->val.ok.rep = p2_stream_add(c, s);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *inbody_finish(void *ctx, WgCCall *call,
                             p2_http_types_incoming_body_t this_,
                             p2_http_types_future_trailers_t *ret) {
  CTX_OR_TRAP(c);
  P2InBody *b = (P2InBody *)p2_take(this_.rep, P2_IN_BODY);
  if (!b) return p2_bad_handle("incoming-body");
  P2FutTrailers *t = calloc(1, sizeof *t);
  if (t) {
    p2_obj_init(&t->base, P2_FUT_TRAILERS, futtrailers_free);
    t->x = b->x ? (P2Exchange *)p2_ref(&b->x->base) : NULL;
  }
  p2_unref(&b->base);
  ret->rep = t ? p2_add(c, &t->base) : 0;
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *trailers_destructor(void *ctx,
                                   p2_http_types_future_trailers_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *trailers_subscribe(void *ctx, WgCCall *call,
                                  p2_http_types_borrow_future_trailers_t self,
                                  p2_io_poll_pollable_t *ret) {
  CTX_OR_TRAP(c);
  GET(t, P2FutTrailers, self.rep, P2_FUT_TRAILERS, "future-trailers");
  ret->rep = p2_poll_new(c, &t->base, 0, 0);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *trailers_get(
    void *ctx, WgCCall *call, p2_http_types_borrow_future_trailers_t self,
    wasip2_option_result_result_option_p2_http_types_fields_p2_http_types_error_code_void_t
        *ret) {
  CTX_OR_TRAP(c);
  GET(t, P2FutTrailers, self.rep, P2_FUT_TRAILERS, "future-trailers");
  memset(ret, 0, sizeof *ret);
  P2Wait w;
  if (!p2_http_ready(&t->base, &w)) return NULL;
  ret->is_some = true;
  if (t->taken) {
    ret->val.is_err = true;
    return NULL;
  }
  t->taken = true;
  if (t->x) {
    pthread_mutex_lock(&t->x->resp_body->mu);
    int error = t->x->resp_body->error;
    P2Fields *tr = t->x->trailers ? fields_copy(t->x->trailers, true) : NULL;
    pthread_mutex_unlock(&t->x->resp_body->mu);
    if (error) {
      p2_unref(tr ? &tr->base : NULL);
      ret->val.val.ok.is_err = true;
      ret->val.val.ok.val.err = err_code((uint8_t)(error - 1));
      return NULL;
    }
    if (tr) {
      ret->val.val.ok.val.ok.is_some = true;
      ret->val.val.ok.val.ok.val.rep = add_fields(c, tr);
    }
  }
  return NULL;
}

/* Section: the server side */

typedef struct P2InReq {
  P2Obj base;
  char *method, *path, *scheme, *authority;
  P2Fields *headers;
  const WgWasi2HttpRequest *source;
  bool consumed;
} P2InReq;

typedef struct P2Outparam {
  P2Obj base;
} P2Outparam;

typedef struct P2OutResp {
  P2Obj base;
  uint16_t status;
  P2Fields *headers;
  P2ServerResp *server; /* made by body() or at set */
  bool body_taken;
} P2OutResp;

static void inreq_free(P2Obj *o) {
  P2InReq *r = (P2InReq *)o;
  free(r->method);
  free(r->path);
  free(r->scheme);
  free(r->authority);
  p2_unref(r->headers ? &r->headers->base : NULL);
  free(r);
}

static void outresp_free(P2Obj *o) {
  P2OutResp *r = (P2OutResp *)o;
  p2_unref(r->headers ? &r->headers->base : NULL);
  p2_unref(r->server ? &r->server->base : NULL);
  free(r);
}

static char *str_of(WgStr s) {
  return dupn((const uint8_t *)(s.ptr ? s.ptr : ""), s.len);
}

uint32_t p2_http_incoming_request(P2Ctx *c, const WgWasi2HttpRequest *q) {
  P2InReq *r = calloc(1, sizeof *r);
  if (!r) return 0;
  p2_obj_init(&r->base, P2_IN_REQ, inreq_free);
  r->method = str_of(q->method);
  r->path = str_of(q->path);
  r->scheme = q->scheme.len ? str_of(q->scheme) : NULL;
  r->authority = q->authority.len ? str_of(q->authority) : NULL;
  r->headers = fields_new(true);
  r->source = q;
  if (!r->method || !r->path || !r->headers) {
    p2_unref(&r->base);
    return 0;
  }
  for (size_t i = 0; i < q->header_count; i++)
    fields_add_raw(r->headers, q->headers[i].name.ptr, q->headers[i].name.len,
                   (const uint8_t *)q->headers[i].value.ptr,
                   q->headers[i].value.len);
  return p2_add(c, &r->base);
}

uint32_t p2_http_outparam(P2Ctx *c) {
  P2Outparam *p = calloc(1, sizeof *p);
  if (!p) return 0;
  p2_obj_init(&p->base, P2_OUTPARAM, plain_free);
  return p2_add(c, &p->base);
}

static WgTrap *inreq_destructor(void *ctx,
                                p2_http_types_incoming_request_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *inreq_method(void *ctx, WgCCall *call,
                            p2_http_types_borrow_incoming_request_t self,
                            p2_http_types_method_t *ret) {
  GET(r, P2InReq, self.rep, P2_IN_REQ, "incoming-request");
  method_of(r->method, strlen(r->method), ret);
  return NULL;
}

static WgTrap *inreq_path(void *ctx, WgCCall *call,
                          p2_http_types_borrow_incoming_request_t self,
                          wasip2_option_string_t *ret) {
  GET(r, P2InReq, self.rep, P2_IN_REQ, "incoming-request");
  option_string(r->path, ret);
  return NULL;
}

static WgTrap *inreq_scheme(void *ctx, WgCCall *call,
                            p2_http_types_borrow_incoming_request_t self,
                            wasip2_option_p2_http_types_scheme_t *ret) {
  GET(r, P2InReq, self.rep, P2_IN_REQ, "incoming-request");
  scheme_of(r->scheme, ret);
  return NULL;
}

static WgTrap *inreq_authority(void *ctx, WgCCall *call,
                               p2_http_types_borrow_incoming_request_t self,
                               wasip2_option_string_t *ret) {
  GET(r, P2InReq, self.rep, P2_IN_REQ, "incoming-request");
  option_string(r->authority, ret);
  return NULL;
}

static WgTrap *inreq_headers(void *ctx, WgCCall *call,
                             p2_http_types_borrow_incoming_request_t self,
                             p2_http_types_fields_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2InReq, self.rep, P2_IN_REQ, "incoming-request");
  ret->rep = add_fields(c, fields_copy(r->headers, true));
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *
inreq_consume(void *ctx, WgCCall *call,
              p2_http_types_borrow_incoming_request_t self,
              wasip2_result_p2_http_types_incoming_body_void_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2InReq, self.rep, P2_IN_REQ, "incoming-request");
  if (r->consumed) {
    ret->is_err = true;
    return NULL;
  }
  r->consumed = true;
  P2InBody *b = calloc(1, sizeof *b);
  if (!b) return p2_trap("wasi: out of memory");
  p2_obj_init(&b->base, P2_IN_BODY, inbody_free);
  b->source = r->source;
  ret->is_err = false;
  ret->val.ok.rep = p2_add(c, &b->base);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *outparam_destructor(void *ctx,
                                   p2_http_types_response_outparam_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *outresp_destructor(void *ctx,
                                  p2_http_types_outgoing_response_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *outresp_new(void *ctx, WgCCall *call,
                           p2_http_types_fields_t headers,
                           p2_http_types_outgoing_response_t *ret) {
  CTX_OR_TRAP(c);
  P2Fields *h = (P2Fields *)p2_take(headers.rep, P2_FIELDS);
  if (!h) return p2_bad_handle("fields");
  P2OutResp *r = calloc(1, sizeof *r);
  if (!r) {
    p2_unref(&h->base);
    return p2_trap("wasi: out of memory");
  }
  p2_obj_init(&r->base, P2_OUT_RESP, outresp_free);
  r->headers = h;
  h->immutable = true;
  r->status = 200;
  ret->rep = p2_add(c, &r->base);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *outresp_status(void *ctx, WgCCall *call,
                              p2_http_types_borrow_outgoing_response_t self,
                              p2_http_types_status_code_t *ret) {
  GET(r, P2OutResp, self.rep, P2_OUT_RESP, "outgoing-response");
  *ret = r->status;
  return NULL;
}

static WgTrap *outresp_set_status(void *ctx, WgCCall *call,
                                  p2_http_types_borrow_outgoing_response_t self,
                                  p2_http_types_status_code_t status,
                                  wasip2_result_void_void_t *ret) {
  GET(r, P2OutResp, self.rep, P2_OUT_RESP, "outgoing-response");
  ret->is_err = status < 100 || status > 999;
  if (!ret->is_err) r->status = status;
  return NULL;
}

static WgTrap *outresp_headers(void *ctx, WgCCall *call,
                               p2_http_types_borrow_outgoing_response_t self,
                               p2_http_types_fields_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2OutResp, self.rep, P2_OUT_RESP, "outgoing-response");
  ret->rep = add_fields(c, fields_copy(r->headers, true));
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static P2ServerResp *server_of(P2OutResp *r) {
  if (!r->server) {
    r->server = calloc(1, sizeof *r->server);
    if (r->server) {
      p2_obj_init(&r->server->base, P2_OUT_RESP, server_resp_free);
      r->server->status = r->status;
    }
  }
  return r->server;
}

static WgTrap *
outresp_body(void *ctx, WgCCall *call,
             p2_http_types_borrow_outgoing_response_t self,
             wasip2_result_p2_http_types_outgoing_body_void_t *ret) {
  CTX_OR_TRAP(c);
  GET(r, P2OutResp, self.rep, P2_OUT_RESP, "outgoing-response");
  if (r->body_taken) {
    ret->is_err = true;
    return NULL;
  }
  r->body_taken = true;
  P2ServerResp *s = server_of(r);
  ret->is_err = false;
  ret->val.ok.rep =
      s ? new_outbody(c, NULL, s, content_length_of(r->headers)) : 0;
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

/* The served response's headers for the responder (framing fields are the
 * server's). */
static bool server_start(P2ServerResp *s) {
  if (s->started || !s->r) return s->started;
  size_t n = s->headers ? s->headers->count : 0;
  WgWasi2Header *h = calloc(n ? n : 1, sizeof *h);
  if (!h) return false;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const Field *f = &s->headers->items[i];
    if (!strcmp(f->name, "content-length")) continue;
    h[k].name = (WgStr){ f->name, strlen(f->name) };
    h[k].value = (WgStr){ (const char *)f->value, f->vlen };
    k++;
  }
  bool ok = s->r->start(s->r->env, s->status, h, k);
  free(h);
  s->started = true;
  if (!ok) {
    s->abandoned = true;
    return false;
  }
  if (s->pending_len && !s->r->body(s->r->env, s->pending, s->pending_len))
    s->abandoned = true;
  free(s->pending);
  s->pending = NULL;
  s->pending_len = 0;
  return !s->abandoned;
}

static void server_finish(P2ServerResp *s) {
  if (!s->started || s->abandoned || !s->r || !s->finished) return;
  size_t n = s->trailers ? s->trailers->count : 0;
  WgWasi2Header *h = calloc(n ? n : 1, sizeof *h);
  for (size_t i = 0; h && i < n; i++) {
    h[i].name = (WgStr){ s->trailers->items[i].name,
                         strlen(s->trailers->items[i].name) };
    h[i].value = (WgStr){ (const char *)s->trailers->items[i].value,
                          s->trailers->items[i].vlen };
  }
  s->r->finish(s->r->env, h, h ? n : 0);
  free(h);
  s->r = NULL; /* done */
}

static bool server_sink(void *env, const uint8_t *data, size_t len) {
  P2ServerResp *s = env;
  if (s->abandoned) return false;
  if (!s->started) {
    uint8_t *p = realloc(s->pending, s->pending_len + len);
    if (!p) return false;
    memcpy(p + s->pending_len, data, len);
    s->pending = p;
    s->pending_len += len;
    return true;
  }
  if (!s->r || !s->r->body(s->r->env, data, len)) {
    s->abandoned = true;
    return false;
  }
  return true;
}

static WgTrap *outparam_set(
    void *ctx, WgCCall *call, p2_http_types_response_outparam_t param,
    wasip2_result_p2_http_types_outgoing_response_p2_http_types_error_code_t
        response) {
  P2Ctx *c = p2_ctx(call);
  P2Obj *p = p2_take(param.rep, P2_OUTPARAM);
  P2OutResp *r = response.is_err
                     ? NULL
                     : (P2OutResp *)p2_take(response.val.ok.rep, P2_OUT_RESP);
  if (response.is_err) p2_http_types_error_code_free(&response.val.err);
  if (!c || !p || (!response.is_err && !r)) {
    p2_unref(p);
    p2_unref(r ? &r->base : NULL);
    return p2_bad_handle("response-outparam");
  }
  p2_unref(p);
  if (r) {
    P2ServerResp *s = server_of(r);
    if (!s) {
      p2_unref(&r->base);
      return p2_trap("wasi: out of memory");
    }
    s->status = r->status;
    s->headers = (P2Fields *)p2_ref(&r->headers->base);
    s->r = c->responder;
    if (s->r && server_start(s)) c->responded = true;
    server_finish(s); /* a body already finished */
    p2_unref(&r->base);
  }
  return NULL;
}

static WgTrap *outbody_destructor(void *ctx,
                                  p2_http_types_outgoing_body_t self) {
  p2_drop(self.rep);
  return NULL;
}

/* The body's output stream is gone: keep its count for finish. */
static void outbody_stream_dropped(P2Stream *s) {
  P2OutBody *b = (P2OutBody *)s->owner;
  b->written = s->written;
  b->stream = NULL;
}

static WgTrap *
outbody_write(void *ctx, WgCCall *call,
              p2_http_types_borrow_outgoing_body_t self,
              wasip2_result_p2_io_streams_output_stream_void_t *ret) {
  CTX_OR_TRAP(c);
  GET(b, P2OutBody, self.rep, P2_OUT_BODY, "outgoing-body");
  if (b->stream_taken) {
    ret->is_err = true;
    return NULL;
  }
  b->stream_taken = true;
  P2Stream *s =
      p2_stream_new(P2_OUTPUT, b->pipe ? P2S_PIPE : P2S_SINK, -1, &b->base);
  if (s) {
    s->on_drop = outbody_stream_dropped;
    if (b->pipe) {
      s->pipe = (P2Pipe *)p2_ref(&b->pipe->base);
      s->keep_open = true; /* the body ends at finish, not at the drop */
    } else {
      s->sink = server_sink;
      s->sink_env = b->server;
    }
    b->stream = s;
  }
  ret->is_err = false;
  ret->val.ok.rep = p2_stream_add(c, s);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *
outbody_finish(void *ctx, WgCCall *call, p2_http_types_outgoing_body_t this_,
               wasip2_option_p2_http_types_fields_t trailers,
               wasip2_result_void_p2_http_types_error_code_t *ret) {
  P2OutBody *b = (P2OutBody *)p2_take(this_.rep, P2_OUT_BODY);
  P2Fields *tr = trailers.is_some
                     ? (P2Fields *)p2_take(trailers.val.rep, P2_FIELDS)
                     : NULL;
  if (!b) {
    p2_unref(tr ? &tr->base : NULL);
    return p2_bad_handle("outgoing-body");
  }
  uint64_t written = b->stream ? b->stream->written : b->written;
  bool ok = b->content_length < 0 || (uint64_t)b->content_length == written;
  ret->is_err = !ok;
  if (!ok) {
    ret->val.err = err_code(b->pipe ? HE(HTTP_REQUEST_BODY_SIZE)
                                    : HE(HTTP_RESPONSE_BODY_SIZE));
    if (b->pipe) {
      ret->val.err.val.http_request_body_size.is_some = true;
      ret->val.err.val.http_request_body_size.val = written;
    } else {
      ret->val.err.val.http_response_body_size.is_some = true;
      ret->val.err.val.http_response_body_size.val = written;
    }
  } else {
    b->finished = true;
    if (b->pipe) {
      p2_pipe_close(b->pipe, 0);
    } else if (b->server) {
      b->server->finished = true;
      b->server->trailers = tr ? (P2Fields *)p2_ref(&tr->base) : NULL;
      server_finish(b->server);
    }
  }
  p2_unref(tr ? &tr->base : NULL);
  p2_unref(&b->base);
  return NULL;
}

static WgTrap *http_error_code(void *ctx, WgCCall *call,
                               p2_io_error_borrow_error_t err,
                               wasip2_option_p2_http_types_error_code_t *ret) {
  P2Error *e = (P2Error *)p2_get(err.rep, P2_ERROR);
  if (!e) return p2_bad_handle("error");
  ret->is_some = e->http_code >= 0;
  if (ret->is_some) ret->val = err_code((uint8_t)e->http_code);
  return NULL;
}

const p2_http_types_impl_t p2_http_types_impl = {
  .fields_destructor = fields_destructor,
  .incoming_request_destructor = inreq_destructor,
  .outgoing_request_destructor = outreq_destructor,
  .request_options_destructor = opts_destructor,
  .response_outparam_destructor = outparam_destructor,
  .incoming_response_destructor = inresp_destructor,
  .incoming_body_destructor = inbody_destructor,
  .future_trailers_destructor = trailers_destructor,
  .outgoing_response_destructor = outresp_destructor,
  .outgoing_body_destructor = outbody_destructor,
  .future_incoming_response_destructor = futresp_destructor,
  .http_error_code = http_error_code,
  .fields_new = fields_new_fn,
  .fields_from_list = fields_from_list,
  .fields_get = fields_get,
  .fields_has = fields_has,
  .fields_set = fields_set,
  .fields_delete = fields_delete,
  .fields_append = fields_append,
  .fields_entries = fields_entries,
  .fields_clone = fields_clone,
  .incoming_request_method = inreq_method,
  .incoming_request_path_with_query = inreq_path,
  .incoming_request_scheme = inreq_scheme,
  .incoming_request_authority = inreq_authority,
  .incoming_request_headers = inreq_headers,
  .incoming_request_consume = inreq_consume,
  .outgoing_request_new = outreq_new,
  .outgoing_request_body = outreq_body,
  .outgoing_request_method = outreq_method,
  .outgoing_request_set_method = outreq_set_method,
  .outgoing_request_path_with_query = outreq_path,
  .outgoing_request_set_path_with_query = outreq_set_path,
  .outgoing_request_scheme = outreq_scheme,
  .outgoing_request_set_scheme = outreq_set_scheme,
  .outgoing_request_authority = outreq_authority,
  .outgoing_request_set_authority = outreq_set_authority,
  .outgoing_request_headers = outreq_headers,
  .request_options_new = opts_new,
  .request_options_connect_timeout = opts_connect,
  .request_options_set_connect_timeout = opts_set_connect,
  .request_options_first_byte_timeout = opts_first_byte,
  .request_options_set_first_byte_timeout = opts_set_first_byte,
  .request_options_between_bytes_timeout = opts_between,
  .request_options_set_between_bytes_timeout = opts_set_between,
  .response_outparam_set = outparam_set,
  .incoming_response_status = inresp_status,
  .incoming_response_headers = inresp_headers,
  .incoming_response_consume = inresp_consume,
  .incoming_body_stream = inbody_stream,
  .incoming_body_finish = inbody_finish,
  .future_trailers_subscribe = trailers_subscribe,
  .future_trailers_get = trailers_get,
  .outgoing_response_new = outresp_new,
  .outgoing_response_status_code = outresp_status,
  .outgoing_response_set_status_code = outresp_set_status,
  .outgoing_response_headers = outresp_headers,
  .outgoing_response_body = outresp_body,
  .outgoing_body_write = outbody_write,
  .outgoing_body_finish = outbody_finish,
  .future_incoming_response_subscribe = futresp_subscribe,
  .future_incoming_response_get = futresp_get,
};
