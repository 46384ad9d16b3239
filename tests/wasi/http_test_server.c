/* SPDX-License-Identifier: Apache-2.0 */
/* The local HTTP/1.1 server the WASI 0.2 acceptance programs talk to
 * (libmicrohttpd, loopback only). Every response carries x-wasi-method,
 * x-wasi-uri (path and query), x-wasi-body-length and the request's
 * x-wasi-custom header; GET answers with a small text naming the method
 * and URI, other methods echo the request body; /slow answers after 3 s.
 * Usage: http_test_server SECONDS — prints "127.0.0.1:PORT" on stdout,
 * serves for SECONDS at most (or until SIGTERM/SIGINT), then exits. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_BODY = 64 << 20 };

/* Per request: the URI as sent (with its query) and the body so far. */
typedef struct Upload {
  char *uri;
  char *data;
  size_t len, cap;
  int started, too_big;
} Upload;

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)c, (void)toe;
  Upload *u = *con_cls;
  if (u) {
    free(u->uri);
    free(u->data);
    free(u);
  }
  *con_cls = NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  (void)cls, (void)version;
  Upload *u = *con_cls;
  if (!u) return MHD_NO;
  if (!u->started) {
    u->started = 1;
    return MHD_YES;
  }
  if (*upload_size) {
    if (u->len + *upload_size > MAX_BODY) {
      u->too_big = 1;
    } else {
      if (u->len + *upload_size > u->cap) {
        size_t cap = (u->len + *upload_size) * 2;
        char *p = realloc(u->data, cap);
        if (!p) return MHD_NO;
        u->data = p;
        u->cap = cap;
      }
      memcpy(u->data + u->len, upload, *upload_size);
      u->len += *upload_size;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (!strcmp(url, "/slow")) sleep(3);

  const char *uri = u->uri ? u->uri : url;
  char text[4096];
  struct MHD_Response *r;
  int status = u->too_big ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_OK;
  if (!strcmp(method, "GET") || !strcmp(method, "HEAD")) {
    int len = snprintf(text, sizeof text, "method: %s\nuri: %s\n", method, uri);
    r = MHD_create_response_from_buffer((size_t)len, text,
                                        MHD_RESPMEM_MUST_COPY);
    if (r) MHD_add_response_header(r, "content-type", "text/plain");
  } else {
    r = MHD_create_response_from_buffer(u->len, u->data ? u->data : "",
                                        MHD_RESPMEM_MUST_COPY);
    const char *ct =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "content-type");
    if (r && ct) MHD_add_response_header(r, "content-type", ct);
  }
  if (!r) return MHD_NO;
  char len_text[32];
  snprintf(len_text, sizeof len_text, "%zu", u->len);
  MHD_add_response_header(r, "x-wasi-method", method);
  MHD_add_response_header(r, "x-wasi-uri", uri);
  MHD_add_response_header(r, "x-wasi-body-length", len_text);
  const char *custom =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-wasi-custom");
  if (custom) MHD_add_response_header(r, "x-wasi-custom", custom);
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
  MHD_destroy_response(r);
  return ret;
}

/* Starts a request's state with its URI: the access handler's `url` has
 * the query cut off. */
static void *log_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  (void)cls, (void)c;
  Upload *u = calloc(1, sizeof *u);
  if (u) u->uri = strdup(uri);
  return u;
}

int main(int argc, char **argv) {
  int seconds = argc > 1 ? atoi(argv[1]) : 60;
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
      NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, &addr,
      MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_URI_LOG_CALLBACK,
      log_uri, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "http_test_server: cannot start\n");
    return 1;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  printf("127.0.0.1:%u\n", info ? info->port : 0);
  fflush(stdout);
  for (int i = 0; i < seconds * 10 && !stop; i++)
    usleep(100000);
  MHD_stop_daemon(d);
  return 0;
}
