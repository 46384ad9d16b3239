/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:io/poll, wasi:clocks (monotonic-clock, wall-clock) and wasi:random.
 *
 * A pollable is a deadline, or an object with a mode (what to wait for:
 * readable, writable, an operation finished); p2_obj_ready() asks the
 * object and, when it is not ready, what to wait on: a host descriptor's
 * events and/or a deadline. poll() checks every pollable, then waits with
 * poll(2) on the descriptors until the nearest deadline, and checks again. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "p2.h"

typedef struct P2Pollable {
  P2Obj base;
  P2Obj *src; /* NULL: a clock */
  int mode;
  uint64_t deadline;
} P2Pollable;

uint64_t p2_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void pollable_free(P2Obj *o) {
  P2Pollable *p = (P2Pollable *)o;
  p2_unref(p->src);
  free(p);
}

uint32_t p2_poll_new(P2Ctx *c, P2Obj *src, int mode, uint64_t deadline) {
  P2Pollable *p = calloc(1, sizeof *p);
  if (!p) return 0;
  p2_obj_init(&p->base, P2_POLLABLE, pollable_free);
  p->src = p2_ref(src);
  p->mode = mode;
  p->deadline = deadline;
  return p2_add(c, &p->base);
}

bool p2_obj_ready(P2Obj *src, int mode, P2Wait *w) {
  w->fd = -1;
  w->events = 0;
  w->deadline = 0;
  switch (src->type) {
    case P2_INPUT:
    case P2_OUTPUT:
      return p2_stream_ready((P2Stream *)src, w);
    case P2_TCP:
      return p2_tcp_ready(src, w);
    case P2_UDP:
    case P2_UDP_IN:
    case P2_UDP_OUT:
      return p2_udp_ready(src, mode, w);
    case P2_FUT_RESP:
    case P2_FUT_TRAILERS:
    case P2_OUT_BODY:
      return p2_http_ready(src, w);
    default:
      return true; /* name lookups, descriptors: always ready */
  }
}

static bool pollable_ready(P2Pollable *p, P2Wait *w) {
  if (!p->src) {
    w->fd = -1;
    w->events = 0;
    w->deadline = p->deadline;
    return p2_now_ns() >= p->deadline;
  }
  return p2_obj_ready(p->src, p->mode, w);
}

WgTrap *p2_time_limit_trap(void) {
  WgTrap *t = wg_trap_new("interrupted: the time limit passed while waiting");
  return t;
}

/* Waits until at least one of `ps` is ready; sets ready[i]. Returns the
 * count ready; 0 when the context's time limit (`limit`, 0: none) passed
 * first. */
static size_t wait_any(P2Pollable **ps, size_t n, bool *ready, uint64_t limit) {
  struct pollfd small[16];
  bool small_drain[16];
  struct pollfd *fds = n <= 16 ? small : malloc(n * sizeof *fds);
  bool *drain = n <= 16 ? small_drain : malloc(n);
  if (!drain && fds != small) {
    free(fds);
    fds = NULL;
  }
  size_t count = 0;
  for (;;) {
    uint64_t deadline = 0;
    size_t nfds = 0;
    count = 0;
    for (size_t i = 0; i < n; i++) {
      P2Wait w;
      ready[i] = pollable_ready(ps[i], &w);
      if (ready[i]) {
        count++;
        continue;
      }
      if (w.deadline && (!deadline || w.deadline < deadline))
        deadline = w.deadline;
      if (w.fd >= 0 && fds) {
        drain[nfds] = w.eventfd;
        fds[nfds++] = (struct pollfd){ .fd = w.fd, .events = w.events };
      }
    }
    if (count || !fds) break;
    if (limit) {
      if (p2_now_ns() >= limit) break;
      if (!deadline || limit < deadline) deadline = limit;
    }
    int timeout = -1;
    if (deadline) {
      uint64_t now = p2_now_ns();
      uint64_t ms = deadline > now ? (deadline - now + 999999) / 1000000 : 0;
      timeout = ms > 60000 ? 60000 : (int)ms;
    } else if (nfds == 0) {
      timeout = 60000; /* nothing to wait on: a pollable that never fires */
    }
    if (poll(fds, nfds, timeout) < 0 && errno != EINTR) break;
    /* pipes signal through eventfds: reset them before checking again */
    for (size_t i = 0; i < nfds; i++) {
      if (drain[i] && (fds[i].revents & POLLIN)) {
        uint64_t v;
        (void)!read(fds[i].fd, &v, sizeof v);
      }
    }
  }
  if (fds != small) {
    free(fds);
    free(drain);
  }
  return count;
}

bool p2_wait_obj(P2Ctx *c, P2Obj *src, int mode) {
  P2Pollable p = { .src = src, .mode = mode };
  bool ready;
  P2Pollable *ps = &p;
  return wait_any(&ps, 1, &ready, c ? c->deadline : 0) > 0;
}

/* Section: wasi:io/poll */

static WgTrap *pollable_destructor(void *ctx, p2_io_poll_pollable_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *pollable_ready_fn(void *ctx, WgCCall *call,
                                 p2_io_poll_borrow_pollable_t self, bool *ret) {
  P2Pollable *p = (P2Pollable *)p2_get(self.rep, P2_POLLABLE);
  if (!p) return p2_bad_handle("pollable");
  P2Wait w;
  *ret = pollable_ready(p, &w);
  return NULL;
}

static WgTrap *pollable_block(void *ctx, WgCCall *call,
                              p2_io_poll_borrow_pollable_t self) {
  P2Pollable *p = (P2Pollable *)p2_get(self.rep, P2_POLLABLE);
  if (!p) return p2_bad_handle("pollable");
  bool ready;
  P2Ctx *c = p2_ctx(call);
  if (!wait_any(&p, 1, &ready, c ? c->deadline : 0))
    return p2_time_limit_trap();
  return NULL;
}

static WgTrap *poll_fn(void *ctx, WgCCall *call,
                       wasip2_list_p2_io_poll_borrow_pollable_t in,
                       wasip2_list_u32_t *ret) {
  WgTrap *trap = NULL;
  if (in.len == 0) {
    trap = p2_trap("wasi:io/poll: poll of an empty list of pollables");
    goto done;
  }
  if (in.len > UINT32_MAX) {
    trap = p2_trap("wasi:io/poll: too many pollables");
    goto done;
  }
  P2Pollable **ps = malloc(in.len * sizeof *ps);
  bool *ready = malloc(in.len);
  if (!ps || !ready) {
    free(ps);
    free(ready);
    trap = p2_trap("wasi:io/poll: out of memory");
    goto done;
  }
  for (size_t i = 0; i < in.len && !trap; i++) {
    ps[i] = (P2Pollable *)p2_get(in.ptr[i].rep, P2_POLLABLE);
    if (!ps[i]) trap = p2_bad_handle("pollable");
  }
  P2Ctx *c = p2_ctx(call);
  size_t n = trap ? 0 : wait_any(ps, in.len, ready, c ? c->deadline : 0);
  if (!trap && n == 0) trap = p2_time_limit_trap();
  if (!trap) {
    ret->ptr = malloc((n ? n : 1) * sizeof *ret->ptr);
    ret->len = 0;
    if (!ret->ptr) {
      trap = p2_trap("wasi:io/poll: out of memory");
    } else {
      for (size_t i = 0; i < in.len; i++)
        if (ready[i]) ret->ptr[ret->len++] = (uint32_t)i;
    }
  }
  free(ps);
  free(ready);
done:
  free(in.ptr);
  return trap;
}

const p2_io_poll_impl_t p2_io_poll_impl = {
  .pollable_destructor = pollable_destructor,
  .pollable_ready = pollable_ready_fn,
  .pollable_block = pollable_block,
  .poll = poll_fn,
};

/* Section: wasi:clocks */

static WgTrap *mono_now(void *ctx, WgCCall *call,
                        p2_clocks_monotonic_clock_instant_t *ret) {
  *ret = p2_now_ns();
  return NULL;
}

static WgTrap *mono_resolution(void *ctx, WgCCall *call,
                               p2_clocks_monotonic_clock_duration_t *ret) {
  struct timespec ts;
  clock_getres(CLOCK_MONOTONIC, &ts);
  *ret = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  if (*ret == 0) *ret = 1;
  return NULL;
}

static WgTrap *clock_pollable(WgCCall *call, uint64_t deadline,
                              p2_io_poll_pollable_t *ret) {
  P2Ctx *c = p2_ctx(call);
  if (!c) return p2_trap("wasi: no WASI context for this store");
  if (deadline == 0) deadline = 1; /* 0 means "no deadline" inside */
  ret->rep = p2_poll_new(c, NULL, 0, deadline);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *mono_subscribe_instant(void *ctx, WgCCall *call,
                                      p2_clocks_monotonic_clock_instant_t when,
                                      p2_io_poll_pollable_t *ret) {
  return clock_pollable(call, when, ret);
}

static WgTrap *
mono_subscribe_duration(void *ctx, WgCCall *call,
                        p2_clocks_monotonic_clock_duration_t when,
                        p2_io_poll_pollable_t *ret) {
  uint64_t now = p2_now_ns();
  uint64_t deadline = when > UINT64_MAX - now ? UINT64_MAX : now + when;
  return clock_pollable(call, deadline, ret);
}

const p2_clocks_monotonic_clock_impl_t p2_monotonic_impl = {
  .now = mono_now,
  .resolution = mono_resolution,
  .subscribe_instant = mono_subscribe_instant,
  .subscribe_duration = mono_subscribe_duration,
};

static WgTrap *wall_now(void *ctx, WgCCall *call,
                        p2_clocks_wall_clock_datetime_t *ret) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ret->seconds = ts.tv_sec < 0 ? 0 : (uint64_t)ts.tv_sec;
  ret->nanoseconds = (uint32_t)ts.tv_nsec;
  return NULL;
}

static WgTrap *wall_resolution(void *ctx, WgCCall *call,
                               p2_clocks_wall_clock_datetime_t *ret) {
  struct timespec ts;
  clock_getres(CLOCK_REALTIME, &ts);
  ret->seconds = (uint64_t)ts.tv_sec;
  ret->nanoseconds = (uint32_t)ts.tv_nsec;
  if (!ret->seconds && !ret->nanoseconds) ret->nanoseconds = 1;
  return NULL;
}

const p2_clocks_wall_clock_impl_t p2_wall_impl = {
  .now = wall_now,
  .resolution = wall_resolution,
};

/* Section: wasi:random */

enum { MAX_RANDOM = 64 << 20 };

static bool fill_random(uint8_t *p, size_t n) {
  while (n > 0) {
    ssize_t got = getrandom(p, n > 33554431 ? 33554431 : n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += got;
    n -= (size_t)got;
  }
  return true;
}

static WgTrap *random_bytes(uint64_t len, wasip2_list_u8_t *ret) {
  if (len > MAX_RANDOM)
    return p2_trap("wasi:random: %llu bytes asked for (at most %d)",
                   (unsigned long long)len, MAX_RANDOM);
  ret->ptr = malloc(len ? len : 1);
  ret->len = (size_t)len;
  if (!ret->ptr) return p2_trap("wasi:random: out of memory");
  if (!fill_random(ret->ptr, ret->len)) {
    free(ret->ptr);
    ret->ptr = NULL;
    return p2_trap("wasi:random: the host has no randomness");
  }
  return NULL;
}

static WgTrap *get_random_bytes(void *ctx, WgCCall *call, uint64_t len,
                                wasip2_list_u8_t *ret) {
  return random_bytes(len, ret);
}

static WgTrap *get_random_u64(void *ctx, WgCCall *call, uint64_t *ret) {
  return fill_random((uint8_t *)ret, sizeof *ret)
             ? NULL
             : p2_trap("wasi:random: the host has no randomness");
}

const p2_random_random_impl_t p2_random_impl = {
  .get_random_bytes = get_random_bytes,
  .get_random_u64 = get_random_u64,
};

const p2_random_insecure_impl_t p2_insecure_impl = {
  .get_insecure_random_bytes = get_random_bytes,
  .get_insecure_random_u64 = get_random_u64,
};

static WgTrap *insecure_seed(void *ctx, WgCCall *call,
                             wasip2_tuple2_u64_u64_t *ret) {
  uint64_t v[2];
  if (!fill_random((uint8_t *)v, sizeof v))
    return p2_trap("wasi:random: the host has no randomness");
  ret->f0 = v[0];
  ret->f1 = v[1];
  return NULL;
}

const p2_random_insecure_seed_impl_t p2_insecure_seed_impl = {
  .insecure_seed = insecure_seed,
};
