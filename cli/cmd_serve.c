/* SPDX-License-Identifier: Apache-2.0 */
/* witgen serve COMPONENT.wasm: serves a wasi:http/proxy component over
 * HTTP/1.1 (libmicrohttpd: keep-alive, chunked bodies; docs/wasi.md says
 * why). The component is loaded and linked once (a WgComponentPre); each
 * request gets a fresh instance in its own store, on a worker thread, with
 * the per-request limits (fuel, time, memory). Bodies stream both ways:
 * the request body reaches the guest as it arrives, the response body is
 * sent as the guest writes it. A handler that traps answers 500, one that
 * runs out of fuel or time 503, and the server goes on. SIGINT/SIGTERM stop
 * it cleanly: no new connections, running handlers interrupted, every
 * thread joined. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "file.h"
#include "run_component.h"
#include "witgen/component.h"
#include "witgen/wasi2.h"

/* Section: options and the server */

typedef struct Server {
  CliSandbox sb;
  const char *path;
  struct sockaddr_storage addr;
  size_t max_body;
  size_t max_header;
  unsigned max_connections;
  unsigned idle_timeout_s;
  unsigned head_timeout_s;
  uint64_t time_limit_ms;
  bool quiet;
  WgEngine *engine;
  WgWasi2 *wasi;
  WgComponentPre *pre;
  WgComponentGraph *graph; /* --link: the components linked at run time */
  const char *links[CLI_MAX_ITEMS];
  size_t link_count;
  struct MHD_Daemon *daemon;
  /* requests being handled, for the time limit and shutdown */
  pthread_mutex_t mu;
  pthread_cond_t cv;      /* the timer, shutdown */
  pthread_cond_t work_cv; /* idle workers */
  struct Req *running;
  unsigned workers, idle_workers, max_workers;
  struct Req *queue_head, *queue_tail;
  struct Conn *conns; /* open connections, for the head timeout */
  bool stopping;
  bool busy_since_trim; /* requests ran since memory was last trimmed */
  atomic_ulong served, failed;
} Server;

static Server S;

/* Section: byte queues between a connection thread and a worker */

typedef struct Queue {
  uint8_t *buf;
  size_t head, len, cap;
  size_t grow_to;   /* grows instead of blocking up to this size (0: never) */
  bool closed;      /* writer done */
  bool failed;      /* writer failed (client gone, guest failed) */
  bool reader_gone; /* reader stopped: writes are dropped */
} Queue;

/* Section: connections
 * A request head must arrive within the head timeout, from the connection's
 * start or from its request line: a client dribbling its head byte by byte
 * (which the idle timeout, an inactivity timeout, never closes) is cut off
 * by shutting its socket down, and the connection ends as any other. */
typedef struct Conn {
  struct Conn *prev, *next;
  int fd;
  bool in_head;
  uint64_t head_start_ns;
} Conn;

/* Section: requests */

typedef struct Req {
  struct Req *next_running, *next_queued;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int refs;
  /* the request */
  char *uri;
  char *method;
  WgWasi2Header *headers;
  size_t header_count, header_cap;
  char *host;
  Queue in;
  size_t body_seen;
  bool body_too_large;
  /* the response */
  bool started, done, client_gone;
  int fail_status; /* 500, 503 when the guest failed before responding */
  uint16_t status;
  WgWasi2Header *resp_headers;
  size_t resp_header_count;
  WgWasi2Header *trailers;
  size_t trailer_count;
  Queue out;
  bool body_finished;
  struct MHD_Response *resp; /* once queued, for trailers */
  /* the guest's store, for interrupts */
  WgStore *store;
  uint64_t deadline_ns;
  bool interrupted;
  bool dispatched;
} Req;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void free_headers(WgWasi2Header *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free((char *)h[i].name.ptr);
    free((char *)h[i].value.ptr);
  }
  free(h);
}

static void req_release(Req *r) {
  pthread_mutex_lock(&r->mu);
  bool last = --r->refs == 0;
  pthread_mutex_unlock(&r->mu);
  if (!last) return;
  free(r->uri);
  free(r->method);
  free(r->host);
  free_headers(r->headers, r->header_count);
  free_headers(r->resp_headers, r->resp_header_count);
  free_headers(r->trailers, r->trailer_count);
  free(r->in.buf);
  free(r->out.buf);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
  free(r);
}

enum { QUEUE_CAP = 256 * 1024 };

/* Writes into queue `q` of `r` (blocking while full): false when the
 * reader is gone. Called with r->mu held. */
static bool queue_write(Req *r, Queue *q, const uint8_t *data, size_t len) {
  while (len > 0) {
    if (q->reader_gone) return false;
    if (!q->buf) {
      q->buf = malloc(QUEUE_CAP);
      if (!q->buf) return false;
      q->cap = QUEUE_CAP;
    }
    size_t space = q->cap - q->len;
    if (space == 0 && q->cap < q->grow_to) {
      /* not being sent yet: grow rather than wait for the reader */
      size_t cap = q->cap * 2 < q->grow_to ? q->cap * 2 : q->grow_to;
      uint8_t *nb = malloc(cap);
      if (!nb) return false;
      size_t first = q->cap - q->head < q->len ? q->cap - q->head : q->len;
      memcpy(nb, q->buf + q->head, first);
      memcpy(nb + first, q->buf, q->len - first);
      free(q->buf);
      q->buf = nb;
      q->head = 0;
      q->cap = cap;
      continue;
    }
    if (space == 0) {
      pthread_cond_wait(&r->cv, &r->mu);
      continue;
    }
    size_t tail = (q->head + q->len) % q->cap;
    size_t n = len < space ? len : space;
    size_t first = n < q->cap - tail ? n : q->cap - tail;
    memcpy(q->buf + tail, data, first);
    memcpy(q->buf, data + first, n - first);
    q->len += n;
    data += n;
    len -= n;
    pthread_cond_broadcast(&r->cv);
  }
  return true;
}

/* Reads from `q` (r->mu held): bytes copied, 0 at the end (closed), -1
 * when it failed. Blocks while empty. */
static long queue_read(Req *r, Queue *q, uint8_t *buf, size_t cap) {
  while (q->len == 0 && !q->closed && !q->failed)
    pthread_cond_wait(&r->cv, &r->mu);
  if (q->len == 0) return q->failed ? -1 : 0;
  size_t n = cap < q->len ? cap : q->len;
  size_t first = n < q->cap - q->head ? n : q->cap - q->head;
  memcpy(buf, q->buf + q->head, first);
  memcpy(buf + first, q->buf, n - first);
  q->head = (q->head + n) % q->cap;
  q->len -= n;
  pthread_cond_broadcast(&r->cv);
  return (long)n;
}

/* Section: the guest's side (a worker thread) */

static long read_body(void *env, uint8_t *buf, size_t cap) {
  Req *r = env;
  pthread_mutex_lock(&r->mu);
  long n = queue_read(r, &r->in, buf, cap);
  pthread_mutex_unlock(&r->mu);
  return n;
}

static WgWasi2Header *copy_headers(const WgWasi2Header *h, size_t n) {
  WgWasi2Header *c = calloc(n ? n : 1, sizeof *c);
  for (size_t i = 0; c && i < n; i++) {
    c[i].name.ptr = strndup(h[i].name.ptr, h[i].name.len);
    c[i].name.len = h[i].name.len;
    c[i].value.ptr = strndup(h[i].value.ptr, h[i].value.len);
    c[i].value.len = h[i].value.len;
  }
  return c;
}

static bool resp_start(void *env, uint16_t status, const WgWasi2Header *h,
                       size_t n) {
  Req *r = env;
  WgWasi2Header *copy = copy_headers(h, n);
  pthread_mutex_lock(&r->mu);
  bool ok = !r->client_gone && copy;
  if (ok) {
    r->status = status;
    r->resp_headers = copy;
    r->resp_header_count = n;
    r->started = true;
    pthread_cond_broadcast(&r->cv);
  }
  pthread_mutex_unlock(&r->mu);
  if (!ok) free_headers(copy, copy ? n : 0);
  return ok;
}

static bool resp_body(void *env, const uint8_t *data, size_t len) {
  Req *r = env;
  pthread_mutex_lock(&r->mu);
  bool ok = !r->client_gone && queue_write(r, &r->out, data, len);
  pthread_mutex_unlock(&r->mu);
  return ok;
}

static void resp_finish(void *env, const WgWasi2Header *t, size_t n) {
  Req *r = env;
  WgWasi2Header *copy = n ? copy_headers(t, n) : NULL;
  pthread_mutex_lock(&r->mu);
  r->trailers = copy;
  r->trailer_count = copy ? n : 0;
  r->body_finished = true;
  r->out.closed = true;
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
}

static void running_add(Req *r) {
  pthread_mutex_lock(&S.mu);
  S.busy_since_trim = true;
  r->next_running = S.running;
  S.running = r;
  pthread_mutex_unlock(&S.mu);
}

static void running_remove(Req *r) {
  pthread_mutex_lock(&S.mu);
  for (Req **p = &S.running; *p; p = &(*p)->next_running) {
    if (*p == r) {
      *p = r->next_running;
      break;
    }
  }
  pthread_mutex_unlock(&S.mu);
}

static void handle_request(Req *r) {
  WgStore *store = wg_store_new(S.engine);
  WgWasi2Ctx *ctx = NULL;
  WgDiagList *diags = wg_diag_list_new();
  WgTrap *trap = NULL;
  bool responded = false;
  WgStatus st = WG_ERR_NOMEM;
  if (store && diags && wg_wasi2_ctx_new(S.wasi, store, &ctx) == WG_OK) {
    if (S.time_limit_ms) wg_wasi2_ctx_set_time_limit(ctx, S.time_limit_ms);
    pthread_mutex_lock(&r->mu);
    r->store = store;
    r->deadline_ns =
        S.time_limit_ms ? now_ns() + S.time_limit_ms * 1000000ull : 0;
    pthread_mutex_unlock(&r->mu);
    running_add(r);
    WgWasi2HttpRequest request = {
      .method = wg_str_from_cstr(r->method),
      .path = wg_str_from_cstr(r->uri),
      .scheme = WG_STR("http"),
      .authority = wg_str_from_cstr(r->host ? r->host : ""),
      .headers = r->headers,
      .header_count = r->header_count,
      .read_body = read_body,
      .env = r,
    };
    WgWasi2HttpResponder responder = { resp_start, resp_body, resp_finish, r };
    st = wg_wasi2_http_handle(ctx, S.pre, &request, &responder, &responded,
                              &trap, diags);
    running_remove(r);
  }
  int fail = 0;
  if (st == WG_ERR_TRAP) {
    WgTrapKind k = trap ? wg_trap_kind(trap) : WG_TRAP_HOST;
    fail = k == WG_TRAP_FUEL || k == WG_TRAP_INTERRUPT ? 503 : 500;
    if (!S.quiet)
      fprintf(stderr, "witgen serve: %s %s: trap: %s\n", r->method, r->uri,
              trap ? wg_trap_message(trap) : "?");
  } else if (st != WG_OK) {
    fail = 500;
    if (!S.quiet)
      fprintf(stderr, "witgen serve: %s %s: %s\n", r->method, r->uri,
              diags && wg_diag_list_count(diags)
                  ? wg_diag_list_first_error(diags)
                  : wg_status_str(st));
  } else if (!responded) {
    fail = 500;
    if (!S.quiet)
      fprintf(stderr, "witgen serve: %s %s: the handler set no response\n",
              r->method, r->uri);
  }
  /* no interrupt may reach the store once it is deleted (on_completed, the
   * timer and shutdown read r->store under r->mu) */
  pthread_mutex_lock(&r->mu);
  r->store = NULL;
  pthread_mutex_unlock(&r->mu);
  wg_trap_delete(trap);
  wg_store_delete(store);
  wg_wasi2_ctx_delete(ctx);
  wg_diag_list_delete(diags);
  pthread_mutex_lock(&r->mu);
  r->done = true;
  if (fail) {
    r->fail_status = fail;
    r->out.failed = !r->body_finished;
  } else if (!r->body_finished) {
    r->out.failed = true; /* the body was never finished: corrupt */
  }
  r->in.reader_gone = true;
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  atomic_fetch_add(fail ? &S.failed : &S.served, 1);
}

/* Workers: a pool that grows while every worker is busy. */
static void *worker_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&S.mu);
  for (;;) {
    while (!S.queue_head && !S.stopping) {
      S.idle_workers++;
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      ts.tv_sec += 2; /* a burst's extra workers end soon after it */
      int rc = pthread_cond_timedwait(&S.work_cv, &S.mu, &ts);
      S.idle_workers--;
      if (rc == ETIMEDOUT && !S.queue_head) goto out; /* idle too long */
    }
    if (!S.queue_head) break;
    Req *r = S.queue_head;
    S.queue_head = r->next_queued;
    if (!S.queue_head) S.queue_tail = NULL;
    pthread_mutex_unlock(&S.mu);
    handle_request(r);
    req_release(r);
    pthread_mutex_lock(&S.mu);
  }
out:
  S.workers--;
  pthread_cond_broadcast(&S.cv);
  pthread_mutex_unlock(&S.mu);
  return NULL;
}

static bool dispatch(Req *r) {
  pthread_mutex_lock(&S.mu);
  r->next_queued = NULL;
  if (S.queue_tail)
    S.queue_tail->next_queued = r;
  else
    S.queue_head = r;
  S.queue_tail = r;
  bool ok = true;
  if (S.idle_workers == 0 && S.workers < S.max_workers) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, (size_t)2 << 20);
    if (pthread_create(&t, &attr, worker_main, NULL) == 0)
      S.workers++;
    else if (S.workers == 0)
      ok = false;
    pthread_attr_destroy(&attr);
  }
  pthread_cond_signal(&S.work_cv);
  pthread_mutex_unlock(&S.mu);
  return ok;
}

/* The time limits: interrupts the stores of requests past their deadline,
 * cuts off connections whose head is late, and gives memory back to the
 * system once a burst of requests is over. */
static void *timer_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&S.mu);
  unsigned quiet_ticks = 0;
  while (!S.stopping) {
    uint64_t now = now_ns();
    for (Req *r = S.running; r; r = r->next_running) {
      pthread_mutex_lock(&r->mu);
      if (r->store && r->deadline_ns && now >= r->deadline_ns &&
          !r->interrupted) {
        wg_store_interrupt(r->store);
        r->interrupted = true;
      }
      pthread_mutex_unlock(&r->mu);
    }
    uint64_t head_ns = (uint64_t)S.head_timeout_s * 1000000000ull;
    for (Conn *c = S.conns; c; c = c->next) {
      if (c->in_head && c->fd >= 0 && now - c->head_start_ns > head_ns) {
        shutdown(c->fd, SHUT_RDWR);
        c->in_head = false;
      }
    }
    if (S.running || S.queue_head) {
      quiet_ticks = 0;
    } else if (S.busy_since_trim && ++quiet_ticks >= 100) { /* 1 s quiet */
      malloc_trim(0);
      S.busy_since_trim = false;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 10000000;
    if (ts.tv_nsec >= 1000000000) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&S.cv, &S.mu, &ts);
  }
  pthread_mutex_unlock(&S.mu);
  return NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c,
                          void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code) {
  (void)cls;
  pthread_mutex_lock(&S.mu);
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    Conn *k = calloc(1, sizeof *k);
    if (k) {
      const union MHD_ConnectionInfo *info =
          MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
      k->fd = info ? info->connect_fd : -1;
      k->in_head = true;
      k->head_start_ns = now_ns();
      k->next = S.conns;
      if (S.conns) S.conns->prev = k;
      S.conns = k;
    }
    *socket_ctx = k;
  } else if (*socket_ctx) {
    Conn *k = *socket_ctx;
    if (k->prev)
      k->prev->next = k->next;
    else
      S.conns = k->next;
    if (k->next) k->next->prev = k->prev;
    free(k);
    *socket_ctx = NULL;
  }
  pthread_mutex_unlock(&S.mu);
}

/* The connection's head phase: started by a request line, ended by the
 * complete head. */
static void head_phase(struct MHD_Connection *c, bool in_head) {
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (!info || !info->socket_context) return;
  pthread_mutex_lock(&S.mu);
  Conn *k = info->socket_context;
  k->in_head = in_head;
  k->head_start_ns = now_ns();
  pthread_mutex_unlock(&S.mu);
}

/* Section: the connection's side (libmicrohttpd callbacks) */

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *value) {
  Req *r = cls;
  (void)kind;
  if (r->header_count == r->header_cap) {
    size_t cap = r->header_cap ? r->header_cap * 2 : 16;
    WgWasi2Header *h = realloc(r->headers, cap * sizeof *h);
    if (!h) return MHD_NO;
    r->headers = h;
    r->header_cap = cap;
  }
  const char *v = value ? value : "";
  WgWasi2Header *h = &r->headers[r->header_count++];
  h->name.ptr = strdup(key);
  h->name.len = strlen(key);
  h->value.ptr = strdup(v);
  h->value.len = strlen(v);
  if (!strcasecmp(key, "host") && !r->host) r->host = strdup(v);
  return MHD_YES;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  (void)cls;
  head_phase(c, true);
  Req *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  r->refs = 1; /* the connection's */
  r->uri = strdup(uri);
  r->out.grow_to = 64u << 20; /* until the response is being sent */
  return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)c;
  Req *r = *con_cls;
  if (!r) return;
  pthread_mutex_lock(&r->mu);
  if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK) r->client_gone = true;
  r->out.reader_gone = true;
  r->in.closed = true;
  if (r->client_gone) r->in.failed = true;
  if (r->client_gone && r->store && !r->done) wg_store_interrupt(r->store);
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  req_release(r);
  *con_cls = NULL;
}

static enum MHD_Result simple(struct MHD_Connection *c, unsigned status,
                              const char *text) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, "content-type", "text/plain");
  enum MHD_Result ret = MHD_queue_response(c, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static ssize_t read_response(void *cls, uint64_t pos, char *buf, size_t max) {
  Req *r = cls;
  (void)pos;
  pthread_mutex_lock(&r->mu);
  r->out.grow_to = 0; /* being sent: the guest waits for the client now */
  long n = queue_read(r, &r->out, (uint8_t *)buf, max);
  if (n == 0 && r->resp)
    for (size_t i = 0; i < r->trailer_count; i++)
      MHD_add_response_footer(r->resp, r->trailers[i].name.ptr,
                              r->trailers[i].value.ptr);
  pthread_mutex_unlock(&r->mu);
  if (n > 0) return n;
  return n < 0 ? MHD_CONTENT_READER_END_WITH_ERROR
               : MHD_CONTENT_READER_END_OF_STREAM;
}

static void release_response(void *cls) {
  req_release(cls);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  (void)cls, (void)url, (void)version;
  Req *r = *con_cls;
  if (!r) return MHD_NO;
  if (!r->dispatched) { /* the head */
    r->dispatched = true;
    head_phase(c, false);
    r->method = strdup(method);
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, r);
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "content-length");
    if (cl && strtoull(cl, NULL, 10) > S.max_body) {
      r->body_too_large = true;
      r->done = true;
      return simple(c, 413, "request body too large\n");
    }
    r->refs++; /* the worker's */
    if (!dispatch(r)) {
      r->refs--;
      r->done = true;
      return simple(c, 503, "no worker available\n");
    }
    return MHD_YES;
  }
  if (*upload_size) {
    size_t n = *upload_size;
    *upload_size = 0;
    pthread_mutex_lock(&r->mu);
    r->body_seen += n;
    if (r->body_seen > S.max_body) {
      r->body_too_large = true;
      r->in.failed = true;
      pthread_cond_broadcast(&r->cv);
    } else if (!r->in.failed) {
      queue_write(r, &r->in, (const uint8_t *)upload, n); /* or dropped */
    }
    pthread_mutex_unlock(&r->mu);
    return MHD_YES;
  }
  /* the request is complete: wait for the response to start */
  pthread_mutex_lock(&r->mu);
  r->in.closed = true;
  pthread_cond_broadcast(&r->cv);
  if (r->body_too_large) {
    pthread_mutex_unlock(&r->mu);
    return simple(c, 413, "request body too large\n");
  }
  while (!r->started && !r->done)
    pthread_cond_wait(&r->cv, &r->mu);
  if (!r->started) {
    int status = r->fail_status ? r->fail_status : 500;
    pthread_mutex_unlock(&r->mu);
    return simple(c, (unsigned)status,
                  status == 503 ? "the handler exceeded its limits\n"
                                : "the handler failed\n");
  }
  struct MHD_Response *resp;
  r->refs++; /* the response's */
  resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
                                           read_response, r, release_response);
  if (resp) {
    for (size_t i = 0; i < r->resp_header_count; i++)
      MHD_add_response_header(resp, r->resp_headers[i].name.ptr,
                              r->resp_headers[i].value.ptr);
  } else {
    r->refs--;
  }
  uint16_t status = r->status;
  r->resp = resp;
  pthread_mutex_unlock(&r->mu);
  if (!resp) return MHD_NO;
  enum MHD_Result ret = MHD_queue_response(c, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Section: the command */

static int stop_pipe[2] = { -1, -1 };

static void on_signal(int sig) {
  (void)sig;
  char b = 1;
  (void)!write(stop_pipe[1], &b, 1);
}

static void serve_help(FILE *out) {
  fprintf(
      out,
      "Usage: witgen serve [options] COMPONENT.wasm [--link LIB.wasm]...\n"
      "\n"
      "Serves a wasi:http/proxy component over HTTP/1.1: a fresh instance\n"
      "per request, limits per request, bodies streamed both ways.\n"
      "  --addr HOST:PORT        listen address (default 127.0.0.1:8080;\n"
      "                          port 0: any, printed at start)\n"
      "  --max-body-size N       largest request body in bytes (default\n"
      "                          16 MiB; more: 413)\n"
      "  --max-header-size N     bytes for the request head (default 16\n"
      "                          KiB; more: 431)\n"
      "  --max-connections N     open connections at once (default 4096)\n"
      "  --idle-timeout S        close connections idle for S seconds\n"
      "                          (default 30)\n"
      "  --head-timeout S        close connections whose request head is\n"
      "                          not complete after S seconds (default 10)\n"
      "  --max-workers N         handlers running at once (default 64); more\n"
      "                          requests wait for a worker\n"
      "  --quiet                 no log of failed requests\n"
      "  --link LIB.wasm         link a component at run time: its exports\n"
      "                          fill the imports (by interface name,\n"
      "                          semver-compatible) of the component and of\n"
      "                          the other --link components; repeatable;\n"
      "                          each request gets an instance of each\n"
      "The guest's sandbox and per-request limits (default time limit\n"
      "10000 ms, memory 4096 pages):\n"
      "%s"
      "Stop with SIGINT or SIGTERM.\n",
      CLI_SANDBOX_HELP);
}

static bool parse_addr(const char *text, struct sockaddr_storage *out) {
  memset(out, 0, sizeof *out);
  const char *colon = strrchr(text, ':');
  if (!colon) return false;
  char host[128];
  size_t hl = (size_t)(colon - text);
  if (hl >= sizeof host) return false;
  memcpy(host, text, hl);
  host[hl] = '\0';
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 0 || port > 65535 || !colon[1]) return false;
  if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
    host[hl - 1] = '\0';
    struct sockaddr_in6 *s = (struct sockaddr_in6 *)out;
    s->sin6_family = AF_INET6;
    s->sin6_port = htons((uint16_t)port);
    return inet_pton(AF_INET6, host + 1, &s->sin6_addr) == 1;
  }
  struct sockaddr_in *s = (struct sockaddr_in *)out;
  s->sin_family = AF_INET;
  s->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &s->sin_addr) == 1;
}

static bool parse_size(const char *text, size_t min, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || end == text || *end || text[0] == '-' || v < min) return false;
  *out = (size_t)v;
  return true;
}

static void print_diags(WgDiagList *diags) {
  for (size_t k = 0; k < wg_diag_list_count(diags); k++)
    fprintf(stderr, "witgen: error: %s: %s\n", S.path,
            wg_diag_list_get(diags, k)->message);
}

int cmd_serve(int argc, char **argv) {
  memset(&S, 0, sizeof S);
  const char *addr = "127.0.0.1:8080";
  S.max_body = 16u << 20;
  S.max_header = 16u << 10;
  S.max_connections = 4096;
  S.idle_timeout_s = 30;
  S.head_timeout_s = 10;
  S.max_workers = 64;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *opt = argv[i];
    size_t n;
    if (cli_is_help(opt)) {
      serve_help(stdout);
      return CLI_OK;
    }
    int r = cli_sandbox_option(&S.sb, argc, argv, &i);
    if (r < 0) return -r;
    if (r == 1) continue;
    if (strcmp(opt, "--quiet") == 0) {
      S.quiet = true;
      continue;
    }
    if (i + 1 >= argc) return cli_usage_error("option '%s' needs a value", opt);
    const char *v = argv[++i];
    if (strcmp(opt, "--link") == 0) {
      if (S.link_count == CLI_MAX_ITEMS)
        return cli_usage_error("too many --link");
      S.links[S.link_count++] = v;
    } else if (strcmp(opt, "--addr") == 0) {
      addr = v;
    } else if (strcmp(opt, "--max-body-size") == 0) {
      if (!parse_size(v, 0, &S.max_body))
        return cli_usage_error("--max-body-size wants a number of bytes");
    } else if (strcmp(opt, "--max-header-size") == 0) {
      if (!parse_size(v, 1024, &S.max_header))
        return cli_usage_error("--max-header-size wants at least 1024");
    } else if (strcmp(opt, "--max-connections") == 0) {
      if (!parse_size(v, 1, &n) || n > 65536)
        return cli_usage_error("--max-connections wants 1..65536");
      S.max_connections = (unsigned)n;
    } else if (strcmp(opt, "--idle-timeout") == 0) {
      if (!parse_size(v, 1, &n) || n > 86400)
        return cli_usage_error("--idle-timeout wants 1..86400 (seconds)");
      S.idle_timeout_s = (unsigned)n;
    } else if (strcmp(opt, "--max-workers") == 0) {
      if (!parse_size(v, 1, &n) || n > 4096)
        return cli_usage_error("--max-workers wants 1..4096");
      S.max_workers = (unsigned)n;
    } else if (strcmp(opt, "--head-timeout") == 0) {
      if (!parse_size(v, 1, &n) || n > 86400)
        return cli_usage_error("--head-timeout wants 1..86400 (seconds)");
      S.head_timeout_s = (unsigned)n;
    } else {
      return cli_usage_error("serve: unknown option '%s'", opt);
    }
  }
  if (i >= argc) return cli_usage_error("serve: missing COMPONENT.wasm");
  S.path = argv[i];
  for (i++; i < argc; i++) { /* --link may follow the component */
    if (strcmp(argv[i], "--link") != 0)
      return cli_usage_error("serve: one component only (others with "
                             "--link), not '%s'",
                             argv[i]);
    if (i + 1 >= argc) return cli_usage_error("option '--link' needs a value");
    if (S.link_count == CLI_MAX_ITEMS)
      return cli_usage_error("too many --link");
    S.links[S.link_count++] = argv[++i];
  }
  if (!parse_addr(addr, &S.addr))
    return cli_usage_error("--addr wants HOST:PORT, got '%s'", addr);
  S.time_limit_ms = S.sb.time_limit_ms ? S.sb.time_limit_ms : 10000;

  uint8_t *bytes = NULL;
  size_t len = 0;
  if (wg_file_read(S.path, &bytes, &len) != WG_OK)
    return cli_fail("%s: %s", S.path, strerror(errno));
  int status = CLI_FAILED;
  WgDiagList *diags = wg_diag_list_new();
  /* Per request: a value stack of 512 KiB and call frames for 5,000
   * levels (stay in the heap, fast); linear memories of 1 MiB or more are
   * mapped and unmapped, so a burst of big instances gives its memory back
   * (the allocator's default raises that threshold after each free).
   * Setting it freezes the trim threshold at 128 KiB: every request's
   * free of its value stack would then give the top of its arena back
   * (madvise: a TLB flush on every core) and fault it in again. Memory is
   * given back once the server is quiet instead (timer_main), and that
   * needs one arena: malloc_trim gives back the top of the main arena
   * only, a thread arena's top stays until it exceeds the threshold
   * (measured: the same requests/s with one arena as with four). */
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
  mallopt(M_ARENA_MAX, 1);
  WgEngineConfig config = {
    .fuel = S.sb.fuel,
    .max_memory_pages = S.sb.max_memory_pages ? S.sb.max_memory_pages : 4096,
    .max_call_depth = S.sb.max_call_depth ? S.sb.max_call_depth : 5000,
    .max_stack_slots = 1u << 16,
  };
  S.engine = wg_engine_new(&config);
  WgWasmComponent *comp = NULL;
  WgComponentLinker *linker = NULL;
  pthread_t timer;
  bool timer_started = false;
  pthread_mutex_init(&S.mu, NULL);
  pthread_cond_init(&S.cv, NULL);
  pthread_cond_init(&S.work_cv, NULL);
  if (!S.engine || !diags) {
    cli_fail("out of memory");
    goto done;
  }
  if (wg_wasm_component_load(S.engine, bytes, len, &comp, diags) != WG_OK) {
    print_diags(diags);
    goto done;
  }
  WgWasi2Dir dirs[CLI_MAX_ITEMS];
  for (size_t d = 0; d < S.sb.dir_count; d++)
    dirs[d] = (WgWasi2Dir){ S.sb.dirs[d].host, S.sb.dirs[d].guest,
                            S.sb.dirs[d].read_only };
  const char *args[1] = { S.path };
  WgWasi2Config wc = {
    .args = args,
    .arg_count = 1,
    .env = S.sb.envs,
    .env_count = S.sb.env_count,
    .dirs = dirs,
    .dir_count = S.sb.dir_count,
    .allow_net = S.sb.nets,
    .allow_net_count = S.sb.net_count,
    .custom_stdio = true,
    .stdin_fd = -1,
    .stdout_fd = 1,
    .stderr_fd = 2,
  };
  char err[512];
  if (wg_wasi2_new(&wc, &S.wasi, err, sizeof err) != WG_OK) {
    cli_fail("%s", err);
    goto done;
  }
  linker = wg_component_linker_new(S.engine, NULL);
  if (!linker || wg_wasi2_add_to_linker(linker, diags) != WG_OK) {
    print_diags(diags);
    goto done;
  }
  if (S.link_count) { /* run_link.c reports */
    if (run_link_pre(S.engine, linker, S.path, comp, S.links, S.link_count,
                     &S.graph, &S.pre) != WG_OK)
      goto done;
  } else if (wg_component_linker_pre(linker, comp, &S.pre, diags) != WG_OK) {
    print_diags(diags);
    goto done;
  }
  if (pipe(stop_pipe) != 0) {
    cli_fail("pipe: %s", strerror(errno));
    goto done;
  }
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  S.daemon = MHD_start_daemon(
      MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
          MHD_USE_POLL | (S.addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
      0, NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, &S.addr,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED,
      on_completed, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      (size_t)S.max_header, MHD_OPTION_CONNECTION_LIMIT, S.max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT, S.idle_timeout_s,
      MHD_OPTION_THREAD_STACK_SIZE, (size_t)256 * 1024,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_CONNECTION,
      on_connection, NULL, MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
  if (!S.daemon) {
    cli_fail("cannot listen on %s", addr);
    goto done;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(S.daemon, MHD_DAEMON_INFO_BIND_PORT);
  timer_started = pthread_create(&timer, NULL, timer_main, NULL) == 0;
  char shown[160];
  snprintf(shown, sizeof shown, "%.*s:%u", (int)(strrchr(addr, ':') - addr),
           addr, info ? info->port : 0);
  printf("witgen serve: %s on http://%s\n", S.path, shown);
  fflush(stdout);
  for (;;) {
    struct pollfd p = { .fd = stop_pipe[0], .events = POLLIN };
    if (poll(&p, 1, -1) > 0) break;
    if (errno != EINTR) break;
  }
  /* shutdown: no new connections; running handlers interrupted */
  MHD_quiesce_daemon(S.daemon);
  pthread_mutex_lock(&S.mu);
  S.stopping = true;
  for (Req *r = S.running; r; r = r->next_running) {
    pthread_mutex_lock(&r->mu);
    if (r->store) wg_store_interrupt(r->store);
    pthread_mutex_unlock(&r->mu);
  }
  pthread_cond_broadcast(&S.cv);
  pthread_cond_broadcast(&S.work_cv);
  pthread_mutex_unlock(&S.mu);
  MHD_stop_daemon(S.daemon);
  S.daemon = NULL;
  pthread_mutex_lock(&S.mu);
  while (S.workers > 0)
    pthread_cond_wait(&S.cv, &S.mu);
  pthread_mutex_unlock(&S.mu);
  if (!S.quiet)
    fprintf(stderr, "witgen serve: stopped (%lu served, %lu failed)\n",
            (unsigned long)atomic_load(&S.served),
            (unsigned long)atomic_load(&S.failed));
  status = CLI_OK;
done:
  if (timer_started) {
    pthread_mutex_lock(&S.mu);
    S.stopping = true;
    pthread_cond_broadcast(&S.cv);
    pthread_mutex_unlock(&S.mu);
    pthread_join(timer, NULL);
  }
  if (S.daemon) MHD_stop_daemon(S.daemon);
  wg_component_pre_delete(S.pre);
  wg_component_graph_delete(S.graph);
  wg_component_linker_delete(linker);
  wg_wasi2_delete(S.wasi);
  wg_wasm_component_delete(comp);
  wg_engine_delete(S.engine);
  wg_diag_list_delete(diags);
  free(bytes);
  for (int k = 0; k < 2; k++)
    if (stop_pipe[k] >= 0) close(stop_pipe[k]);
  return status;
}
