/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:io/streams and wasi:io/error, and the pipes behind HTTP bodies.
 *
 * A stream is one of: a host descriptor used for stdio (reads polled first,
 * writes blocking), a file at an offset (pread/pwrite, or appending), a
 * connected non-blocking TCP socket (writes buffered up to the check-write
 * budget and sent as the socket takes them), an end of a pipe between
 * threads, or a sink callback (a served response body). Reads never block
 * unless the function is a blocking one; `closed` is reported once a
 * stream has ended, `last-operation-failed` with an io-error otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "p2.h"

/* Section: pipes */

static void pipe_free(P2Obj *o) {
  P2Pipe *p = (P2Pipe *)o;
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->cv);
  if (p->efd >= 0) close(p->efd);
  free(p->buf);
  free(p);
}

P2Pipe *p2_pipe_new(size_t cap) {
  P2Pipe *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->buf = malloc(cap);
  p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (!p->buf || p->efd < 0) {
    free(p->buf);
    if (p->efd >= 0) close(p->efd);
    free(p);
    return NULL;
  }
  p2_obj_init(&p->base, P2_PIPE, pipe_free);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  p->cap = cap;
  return p;
}

void p2_pipe_signal(P2Pipe *p) {
  uint64_t one = 1;
  (void)!write(p->efd, &one, sizeof one);
}

void p2_pipe_drain_signal(P2Pipe *p) {
  uint64_t v;
  (void)!read(p->efd, &v, sizeof v);
}

bool p2_pipe_write(P2Pipe *p, const uint8_t *data, size_t len) {
  pthread_mutex_lock(&p->mu);
  while (len > 0) {
    if (p->reader_gone || p->closed) {
      pthread_mutex_unlock(&p->mu);
      return false;
    }
    size_t space = p->cap - p->len;
    if (space == 0) {
      pthread_cond_wait(&p->cv, &p->mu);
      continue;
    }
    size_t tail = (p->head + p->len) % p->cap;
    size_t n = len < space ? len : space;
    size_t first = n < p->cap - tail ? n : p->cap - tail;
    memcpy(p->buf + tail, data, first);
    memcpy(p->buf, data + first, n - first);
    p->len += n;
    data += n;
    len -= n;
    pthread_cond_broadcast(&p->cv);
    p2_pipe_signal(p);
  }
  pthread_mutex_unlock(&p->mu);
  return true;
}

size_t p2_pipe_space(P2Pipe *p) {
  pthread_mutex_lock(&p->mu);
  size_t s = p->reader_gone ? SIZE_MAX : p->cap - p->len;
  pthread_mutex_unlock(&p->mu);
  return s;
}

static size_t take(P2Pipe *p, uint8_t *buf, size_t cap) {
  size_t n = cap < p->len ? cap : p->len;
  size_t first = n < p->cap - p->head ? n : p->cap - p->head;
  memcpy(buf, p->buf + p->head, first);
  memcpy(buf + first, p->buf, n - first);
  p->head = (p->head + n) % p->cap;
  p->len -= n;
  if (n) {
    pthread_cond_broadcast(&p->cv);
    p2_pipe_signal(p);
  }
  return n;
}

size_t p2_pipe_read(P2Pipe *p, uint8_t *buf, size_t cap, bool *eof) {
  pthread_mutex_lock(&p->mu);
  size_t n = take(p, buf, cap);
  *eof = n == 0 && p->closed;
  pthread_mutex_unlock(&p->mu);
  return n;
}

size_t p2_pipe_read_wait(P2Pipe *p, uint8_t *buf, size_t cap, bool *eof) {
  pthread_mutex_lock(&p->mu);
  while (p->len == 0 && !p->closed)
    pthread_cond_wait(&p->cv, &p->mu);
  size_t n = take(p, buf, cap);
  *eof = n == 0 && p->closed;
  pthread_mutex_unlock(&p->mu);
  return n;
}

void p2_pipe_close(P2Pipe *p, int error) {
  pthread_mutex_lock(&p->mu);
  if (!p->closed) {
    p->closed = true;
    p->error = error;
  }
  pthread_cond_broadcast(&p->cv);
  p2_pipe_signal(p);
  pthread_mutex_unlock(&p->mu);
}

void p2_pipe_reader_gone(P2Pipe *p) {
  pthread_mutex_lock(&p->mu);
  p->reader_gone = true;
  p->len = 0;
  pthread_cond_broadcast(&p->cv);
  p2_pipe_signal(p);
  pthread_mutex_unlock(&p->mu);
}

static bool pipe_readable(P2Pipe *p) {
  pthread_mutex_lock(&p->mu);
  bool r = p->len > 0 || p->closed;
  pthread_mutex_unlock(&p->mu);
  return r;
}

/* Section: stream objects */

static void stream_free(P2Obj *o) {
  P2Stream *s = (P2Stream *)o;
  if (s->on_drop) s->on_drop(s);
  if (s->pipe) {
    if (s->base.type == P2_INPUT)
      p2_pipe_reader_gone(s->pipe);
    else if (!s->keep_open)
      p2_pipe_close(s->pipe, 0);
    p2_unref(&s->pipe->base);
  }
  p2_unref(s->owner);
  free(s->pend);
  free(s);
}

P2Stream *p2_stream_new(P2Type dir, P2StreamKind kind, int fd, P2Obj *owner) {
  P2Stream *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  p2_obj_init(&s->base, dir, stream_free);
  s->kind = (uint8_t)kind;
  s->http_error = -1;
  s->fd = fd;
  s->owner = p2_ref(owner);
  return s;
}

uint32_t p2_stream_add(P2Ctx *c, P2Stream *s) {
  return s ? p2_add(c, &s->base) : 0;
}

static bool fd_readable(int fd) {
  struct pollfd p = { .fd = fd, .events = POLLIN };
  return poll(&p, 1, 0) > 0;
}

long p2_stream_read(P2Stream *s, uint8_t *buf, size_t cap) {
  if (s->closed || s->error) return -1;
  ssize_t n = 0;
  switch (s->kind) {
    case P2S_EMPTY:
      s->closed = true;
      return -1;
    case P2S_STDIO:
      if (!fd_readable(s->fd)) return 0;
      n = read(s->fd, buf, cap);
      break;
    case P2S_FILE:
      n = pread(s->fd, buf, cap, (off_t)s->offset);
      if (n > 0) s->offset += (uint64_t)n;
      break;
    case P2S_SOCKET:
      n = recv(s->fd, buf, cap, MSG_DONTWAIT);
      break;
    case P2S_SOURCE:
      if (cap == 0) return 0;
      n = s->source(s->sink_env, buf, cap);
      if (n < 0) {
        s->error = EIO;
        return -1;
      }
      break;
    case P2S_PIPE: {
      bool eof;
      size_t got = p2_pipe_read(s->pipe, buf, cap, &eof);
      if (got) return (long)got;
      if (!eof) return 0;
      if (s->pipe->error) {
        s->error = EIO;
        s->http_error = s->pipe->error - 1;
      }
      s->closed = true;
      return -1;
    }
    default:
      return -1;
  }
  if (n > 0) return (long)n;
  if (n == 0 && cap > 0) {
    s->closed = true;
    return -1;
  }
  if (n == 0) return 0;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
  s->error = errno;
  return -1;
}

/* Sends what the socket takes of the pending bytes; false on failure. */
static bool sock_push(P2Stream *s) {
  while (s->pend_len > 0) {
    ssize_t n = send(s->fd, s->pend, s->pend_len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      s->error = errno;
      return false;
    }
    memmove(s->pend, s->pend + n, s->pend_len - (size_t)n);
    s->pend_len -= (size_t)n;
  }
  return true;
}

bool p2_stream_ready(P2Stream *s, P2Wait *w) {
  if (s->closed || s->error) return true;
  if (s->base.type == P2_INPUT) {
    switch (s->kind) {
      case P2S_STDIO:
      case P2S_SOCKET:
        if (fd_readable(s->fd)) return true;
        w->fd = s->fd;
        w->events = POLLIN;
        return false;
      case P2S_PIPE:
        if (pipe_readable(s->pipe)) return true;
        w->fd = s->pipe->efd;
        w->events = POLLIN;
        w->eventfd = true;
        return false;
      default:
        return true;
    }
  }
  switch (s->kind) {
    case P2S_SOCKET:
      if (!sock_push(s) || s->pend_len == 0) return true;
      w->fd = s->fd;
      w->events = POLLOUT;
      return false;
    case P2S_PIPE:
      if (p2_pipe_space(s->pipe) > 0) return true;
      w->fd = s->pipe->efd;
      w->events = POLLIN;
      w->eventfd = true;
      return false;
    default:
      return true;
  }
}

/* How many bytes a write may take now (0: none yet); -1 on failure. */
static long check_write(P2Stream *s) {
  if (s->closed || s->error) return -1;
  switch (s->kind) {
    case P2S_EMPTY:
      return -1;
    case P2S_SOCKET:
      if (!sock_push(s)) return -1;
      return (long)(P2_WRITE_BUDGET - s->pend_len);
    case P2S_PIPE: {
      size_t space = p2_pipe_space(s->pipe);
      if (space == SIZE_MAX) {
        s->closed = true;
        return -1;
      }
      return (long)(space < P2_WRITE_BUDGET ? space : P2_WRITE_BUDGET);
    }
    default:
      return P2_WRITE_BUDGET;
  }
}

/* Writes `len` bytes the budget allows; false on failure. */
static bool do_write(P2Stream *s, const uint8_t *data, size_t len) {
  if (s->limit && s->written + len > s->limit) {
    s->error = EFBIG;
    return false;
  }
  s->written += len;
  switch (s->kind) {
    case P2S_STDIO:
      while (len > 0) {
        ssize_t n = write(s->fd, data, len);
        if (n < 0) {
          if (errno == EINTR) continue;
          if (errno == EAGAIN) {
            struct pollfd p = { .fd = s->fd, .events = POLLOUT };
            poll(&p, 1, -1);
            continue;
          }
          s->error = errno;
          return false;
        }
        data += n;
        len -= (size_t)n;
      }
      return true;
    case P2S_FILE:
      while (len > 0) {
        if (s->append) {
          struct stat st;
          if (fstat(s->fd, &st) != 0) {
            s->error = errno;
            return false;
          }
          s->offset = (uint64_t)st.st_size;
        }
        ssize_t n = pwrite(s->fd, data, len, (off_t)s->offset);
        if (n < 0) {
          if (errno == EINTR) continue;
          s->error = errno;
          return false;
        }
        s->offset += (uint64_t)n;
        data += n;
        len -= (size_t)n;
      }
      return true;
    case P2S_SOCKET: {
      uint8_t *p = realloc(s->pend, s->pend_len + len);
      if (!p) {
        s->error = ENOMEM;
        return false;
      }
      s->pend = p;
      memcpy(p + s->pend_len, data, len);
      s->pend_len += len;
      return sock_push(s);
    }
    case P2S_PIPE:
      if (!p2_pipe_write(s->pipe, data, len)) {
        s->closed = true;
        return false;
      }
      return true;
    case P2S_SINK:
      if (!s->sink(s->sink_env, data, len)) {
        s->error = EPIPE;
        return false;
      }
      return true;
    default:
      s->closed = true;
      return false;
  }
}

/* Blocks until the pending socket bytes are sent; false on failure. */
static bool blocking_flush(P2Ctx *c, P2Stream *s) {
  if (s->kind != P2S_SOCKET) return !s->error && !s->closed;
  while (s->pend_len > 0) {
    if (!sock_push(s)) return false;
    if (s->pend_len == 0) break;
    if (!p2_wait_obj(c, &s->base, 0)) return false;
  }
  return true;
}

/* Section: wasi:io/error */

static WgTrap *error_destructor(void *ctx, p2_io_error_error_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *error_to_debug_string(void *ctx, WgCCall *call,
                                     p2_io_error_borrow_error_t self,
                                     wasip2_string_t *ret) {
  P2Error *e = (P2Error *)p2_get(self.rep, P2_ERROR);
  if (!e) return p2_bad_handle("error");
  wasip2_string_dup(ret, e->message ? e->message : "error");
  return NULL;
}

const p2_io_error_impl_t p2_io_error_impl = {
  .error_destructor = error_destructor,
  .error_to_debug_string = error_to_debug_string,
};

/* Section: wasi:io/streams */

/* The stream-error of a failed or closed stream. */
static WgTrap *stream_error(WgCCall *call, P2Stream *s,
                            p2_io_streams_stream_error_t *err) {
  memset(err, 0, sizeof *err);
  if (s->error) {
    P2Ctx *c = p2_ctx(call);
    uint32_t rep =
        c ? p2_error_new(c, s->http_error >= 0 ? 0 : s->error, s->http_error,
                         s->http_error >= 0 ? "HTTP body failed" : NULL)
          : 0;
    if (!rep) return p2_trap("wasi: out of memory");
    err->tag = P2_IO_STREAMS_STREAM_ERROR_LAST_OPERATION_FAILED;
    err->val.last_operation_failed.rep = rep;
    s->error = 0;
    s->closed = true; /* a failed stream stays closed */
    return NULL;
  }
  err->tag = P2_IO_STREAMS_STREAM_ERROR_CLOSED;
  return NULL;
}

#define GET_STREAM(var, rep, type, what)             \
  P2Stream *var = (P2Stream *)p2_get((rep), (type)); \
  if (!var) return p2_bad_handle(what)

static WgTrap *input_destructor(void *ctx, p2_io_streams_input_stream_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *output_destructor(void *ctx,
                                 p2_io_streams_output_stream_t self) {
  p2_drop(self.rep);
  return NULL;
}

enum { MAX_READ = 1 << 20 };

static WgTrap *
read_impl(WgCCall *call, uint32_t rep, uint64_t len, bool blocking,
          wasip2_result_list_u8_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(s, rep, P2_INPUT, "input-stream");
  size_t cap = len > MAX_READ ? MAX_READ : (size_t)len;
  uint8_t *buf = malloc(cap ? cap : 1);
  if (!buf) return p2_trap("wasi: out of memory");
  long n;
  for (;;) {
    n = p2_stream_read(s, buf, cap);
    if (n != 0 || !blocking || cap == 0) break;
    if (!p2_wait_obj(p2_ctx(call), &s->base, 0)) {
      free(buf);
      return p2_time_limit_trap();
    }
  }
  if (n < 0) {
    free(buf);
    ret->is_err = true;
    return stream_error(call, s, &ret->val.err);
  }
  ret->is_err = false;
  ret->val.ok.ptr = buf;
  ret->val.ok.len = (size_t)n;
  return NULL;
}

static WgTrap *
input_read(void *ctx, WgCCall *call, p2_io_streams_borrow_input_stream_t self,
           uint64_t len,
           wasip2_result_list_u8_p2_io_streams_stream_error_t *ret) {
  return read_impl(call, self.rep, len, false, ret);
}

static WgTrap *
input_blocking_read(void *ctx, WgCCall *call,
                    p2_io_streams_borrow_input_stream_t self, uint64_t len,
                    wasip2_result_list_u8_p2_io_streams_stream_error_t *ret) {
  return read_impl(call, self.rep, len, true, ret);
}

static WgTrap *skip_impl(WgCCall *call, uint32_t rep, uint64_t len,
                         bool blocking,
                         wasip2_result_u64_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(s, rep, P2_INPUT, "input-stream");
  uint8_t buf[16384];
  uint64_t done = 0;
  while (done < len) {
    size_t want = len - done < sizeof buf ? (size_t)(len - done) : sizeof buf;
    long n = p2_stream_read(s, buf, want);
    if (n < 0) {
      if (done) break;
      ret->is_err = true;
      return stream_error(call, s, &ret->val.err);
    }
    if (n == 0) {
      if (!blocking || done) break;
      if (!p2_wait_obj(p2_ctx(call), &s->base, 0)) return p2_time_limit_trap();
      continue;
    }
    done += (uint64_t)n;
  }
  ret->is_err = false;
  ret->val.ok = done;
  return NULL;
}

static WgTrap *input_skip(void *ctx, WgCCall *call,
                          p2_io_streams_borrow_input_stream_t self,
                          uint64_t len,
                          wasip2_result_u64_p2_io_streams_stream_error_t *ret) {
  return skip_impl(call, self.rep, len, false, ret);
}

static WgTrap *
input_blocking_skip(void *ctx, WgCCall *call,
                    p2_io_streams_borrow_input_stream_t self, uint64_t len,
                    wasip2_result_u64_p2_io_streams_stream_error_t *ret) {
  return skip_impl(call, self.rep, len, true, ret);
}

static WgTrap *subscribe(WgCCall *call, uint32_t rep, P2Type type,
                         const char *what, p2_io_poll_pollable_t *ret) {
  P2Obj *o = p2_get(rep, type);
  if (!o) return p2_bad_handle(what);
  P2Ctx *c = p2_ctx(call);
  ret->rep = c ? p2_poll_new(c, o, 0, 0) : 0;
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *input_subscribe(void *ctx, WgCCall *call,
                               p2_io_streams_borrow_input_stream_t self,
                               p2_io_poll_pollable_t *ret) {
  return subscribe(call, self.rep, P2_INPUT, "input-stream", ret);
}

static WgTrap *
output_check_write(void *ctx, WgCCall *call,
                   p2_io_streams_borrow_output_stream_t self,
                   wasip2_result_u64_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(s, self.rep, P2_OUTPUT, "output-stream");
  long n = check_write(s);
  if (n < 0) {
    ret->is_err = true;
    return stream_error(call, s, &ret->val.err);
  }
  ret->is_err = false;
  ret->val.ok = (uint64_t)n;
  return NULL;
}

static WgTrap *
write_checked(WgCCall *call, P2Stream *s, const uint8_t *data, size_t len,
              wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  long permit = check_write(s);
  if (permit >= 0 && len > (size_t)permit)
    return p2_trap("wasi:io/streams: write of %zu bytes when check-write "
                   "permitted %ld",
                   len, permit);
  if (permit < 0 || !do_write(s, data, len)) {
    ret->is_err = true;
    return stream_error(call, s, &ret->val.err);
  }
  ret->is_err = false;
  return NULL;
}

static WgTrap *
output_write(void *ctx, WgCCall *call,
             p2_io_streams_borrow_output_stream_t self,
             wasip2_list_u8_t contents,
             wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  P2Stream *s = (P2Stream *)p2_get(self.rep, P2_OUTPUT);
  WgTrap *t = s ? write_checked(call, s, contents.ptr, contents.len, ret)
                : p2_bad_handle("output-stream");
  free(contents.ptr);
  return t;
}

/* Writes all of `data`, waiting whenever the stream takes no more, then
 * flushes. */
static WgTrap *
write_all_blocking(WgCCall *call, P2Stream *s, const uint8_t *data, size_t len,
                   wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  P2Ctx *c = p2_ctx(call);
  for (;;) {
    long permit = check_write(s);
    if (permit < 0) break;
    if (permit == 0) {
      if (!p2_wait_obj(c, &s->base, 0)) return p2_time_limit_trap();
      continue;
    }
    size_t n = len < (size_t)permit ? len : (size_t)permit;
    if (!do_write(s, data, n)) break;
    data += n;
    len -= n;
    if (len == 0) {
      if (!blocking_flush(c, s)) break;
      ret->is_err = false;
      return NULL;
    }
  }
  ret->is_err = true;
  return stream_error(call, s, &ret->val.err);
}

static WgTrap *output_blocking_write_and_flush(
    void *ctx, WgCCall *call, p2_io_streams_borrow_output_stream_t self,
    wasip2_list_u8_t contents,
    wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  P2Stream *s = (P2Stream *)p2_get(self.rep, P2_OUTPUT);
  WgTrap *t = s ? write_all_blocking(call, s, contents.ptr, contents.len, ret)
                : p2_bad_handle("output-stream");
  free(contents.ptr);
  return t;
}

static WgTrap *
output_flush(void *ctx, WgCCall *call,
             p2_io_streams_borrow_output_stream_t self,
             wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(s, self.rep, P2_OUTPUT, "output-stream");
  bool ok = !s->closed && !s->error && (s->kind != P2S_SOCKET || sock_push(s));
  ret->is_err = !ok;
  return ok ? NULL : stream_error(call, s, &ret->val.err);
}

static WgTrap *
output_blocking_flush(void *ctx, WgCCall *call,
                      p2_io_streams_borrow_output_stream_t self,
                      wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(s, self.rep, P2_OUTPUT, "output-stream");
  bool ok = !s->closed && blocking_flush(p2_ctx(call), s);
  ret->is_err = !ok;
  return ok ? NULL : stream_error(call, s, &ret->val.err);
}

static WgTrap *output_subscribe(void *ctx, WgCCall *call,
                                p2_io_streams_borrow_output_stream_t self,
                                p2_io_poll_pollable_t *ret) {
  return subscribe(call, self.rep, P2_OUTPUT, "output-stream", ret);
}

static WgTrap *
output_write_zeroes(void *ctx, WgCCall *call,
                    p2_io_streams_borrow_output_stream_t self, uint64_t len,
                    wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(s, self.rep, P2_OUTPUT, "output-stream");
  if (len > P2_WRITE_BUDGET)
    return p2_trap("wasi:io/streams: write-zeroes of %llu bytes when "
                   "check-write permitted at most %d",
                   (unsigned long long)len, P2_WRITE_BUDGET);
  static const uint8_t zeros[P2_WRITE_BUDGET];
  return write_checked(call, s, zeros, (size_t)len, ret);
}

static WgTrap *output_blocking_write_zeroes_and_flush(
    void *ctx, WgCCall *call, p2_io_streams_borrow_output_stream_t self,
    uint64_t len, wasip2_result_void_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(s, self.rep, P2_OUTPUT, "output-stream");
  uint8_t *zeros = calloc(len ? (size_t)len : 1, 1);
  if (!zeros) return p2_trap("wasi: out of memory");
  WgTrap *t = write_all_blocking(call, s, zeros, (size_t)len, ret);
  free(zeros);
  return t;
}

static WgTrap *
splice_impl(WgCCall *call, uint32_t out_rep, uint32_t in_rep, uint64_t len,
            bool blocking,
            wasip2_result_u64_p2_io_streams_stream_error_t *ret) {
  GET_STREAM(out, out_rep, P2_OUTPUT, "output-stream");
  GET_STREAM(in, in_rep, P2_INPUT, "input-stream");
  P2Ctx *c = p2_ctx(call);
  long permit;
  for (;;) {
    permit = check_write(out);
    if (permit != 0 || !blocking) break;
    if (!p2_wait_obj(c, &out->base, 0)) return p2_time_limit_trap();
  }
  if (permit < 0) {
    ret->is_err = true;
    return stream_error(call, out, &ret->val.err);
  }
  size_t want = len < (uint64_t)permit ? (size_t)len : (size_t)permit;
  uint8_t *buf = malloc(want ? want : 1);
  if (!buf) return p2_trap("wasi: out of memory");
  long n;
  for (;;) {
    n = p2_stream_read(in, buf, want);
    if (n != 0 || !blocking || want == 0) break;
    if (!p2_wait_obj(c, &in->base, 0)) {
      free(buf);
      return p2_time_limit_trap();
    }
  }
  if (n < 0) {
    free(buf);
    ret->is_err = true;
    return stream_error(call, in, &ret->val.err);
  }
  bool ok = n == 0 || do_write(out, buf, (size_t)n);
  free(buf);
  if (!ok) {
    ret->is_err = true;
    return stream_error(call, out, &ret->val.err);
  }
  ret->is_err = false;
  ret->val.ok = (uint64_t)n;
  return NULL;
}

static WgTrap *
output_splice(void *ctx, WgCCall *call,
              p2_io_streams_borrow_output_stream_t self,
              p2_io_streams_borrow_input_stream_t src, uint64_t len,
              wasip2_result_u64_p2_io_streams_stream_error_t *ret) {
  return splice_impl(call, self.rep, src.rep, len, false, ret);
}

static WgTrap *
output_blocking_splice(void *ctx, WgCCall *call,
                       p2_io_streams_borrow_output_stream_t self,
                       p2_io_streams_borrow_input_stream_t src, uint64_t len,
                       wasip2_result_u64_p2_io_streams_stream_error_t *ret) {
  return splice_impl(call, self.rep, src.rep, len, true, ret);
}

const p2_io_streams_impl_t p2_io_streams_impl = {
  .input_stream_destructor = input_destructor,
  .output_stream_destructor = output_destructor,
  .input_stream_read = input_read,
  .input_stream_blocking_read = input_blocking_read,
  .input_stream_skip = input_skip,
  .input_stream_blocking_skip = input_blocking_skip,
  .input_stream_subscribe = input_subscribe,
  .output_stream_check_write = output_check_write,
  .output_stream_write = output_write,
  .output_stream_blocking_write_and_flush = output_blocking_write_and_flush,
  .output_stream_flush = output_flush,
  .output_stream_blocking_flush = output_blocking_flush,
  .output_stream_subscribe = output_subscribe,
  .output_stream_write_zeroes = output_write_zeroes,
  .output_stream_blocking_write_zeroes_and_flush =
      output_blocking_write_zeroes_and_flush,
  .output_stream_splice = output_splice,
  .output_stream_blocking_splice = output_blocking_splice,
};
