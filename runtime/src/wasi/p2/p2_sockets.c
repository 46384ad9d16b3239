/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:sockets: network, instance-network, tcp, udp (with their
 * create-socket interfaces) and ip-name-lookup, on non-blocking host
 * sockets. Binding, connecting and sending are allowed only to addresses
 * the capabilities' network rules name (access-denied otherwise); with no
 * rule at all no socket can be made. The two-phase operations (start-/
 * finish-bind, -connect, -listen) follow the interfaces' state machines:
 * invalid-state out of order, not-in-progress for a finish without a
 * start, would-block while a connection is being made. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "p2.h"

#define NE(name) P2_SOCKETS_NETWORK_ERROR_CODE_##name
typedef p2_sockets_network_error_code_t NetErr;
typedef p2_sockets_network_ip_socket_address_t IpAddr;

#define FAIL(code)         \
  do {                     \
    ret->is_err = true;    \
    ret->val.err = (code); \
    return NULL;           \
  } while (0)
#define OK()             \
  do {                   \
    ret->is_err = false; \
    return NULL;         \
  } while (0)

static NetErr net_errno(int e) {
  switch (e) {
    case EACCES:
    case EPERM:
      return NE(ACCESS_DENIED);
    case EOPNOTSUPP:
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
      return NE(NOT_SUPPORTED);
    case EINVAL:
      return NE(INVALID_ARGUMENT);
    case ENOMEM:
    case ENOBUFS:
      return NE(OUT_OF_MEMORY);
    case ETIMEDOUT:
      return NE(TIMEOUT);
    case EAGAIN:
      return NE(WOULD_BLOCK);
    case EMFILE:
    case ENFILE:
      return NE(NEW_SOCKET_LIMIT);
    case EADDRNOTAVAIL:
      return NE(ADDRESS_NOT_BINDABLE);
    case EADDRINUSE:
      return NE(ADDRESS_IN_USE);
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ENETDOWN:
      return NE(REMOTE_UNREACHABLE);
    case ECONNREFUSED:
      return NE(CONNECTION_REFUSED);
    case ECONNRESET:
    case EPIPE:
      return NE(CONNECTION_RESET);
    case ECONNABORTED:
      return NE(CONNECTION_ABORTED);
    case EMSGSIZE:
      return NE(DATAGRAM_TOO_LARGE);
    default:
      return NE(UNKNOWN);
  }
}

static int family_of(p2_sockets_network_ip_address_family_t f) {
  return f == P2_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV6 ? AF_INET6 : AF_INET;
}

/* WIT address -> sockaddr; its length. */
static socklen_t to_sockaddr(const IpAddr *a, struct sockaddr_storage *out) {
  memset(out, 0, sizeof *out);
  if (a->tag == P2_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4) {
    struct sockaddr_in *s = (struct sockaddr_in *)out;
    s->sin_family = AF_INET;
    s->sin_port = htons(a->val.ipv4.port);
    uint8_t *b = (uint8_t *)&s->sin_addr;
    b[0] = a->val.ipv4.address.f0;
    b[1] = a->val.ipv4.address.f1;
    b[2] = a->val.ipv4.address.f2;
    b[3] = a->val.ipv4.address.f3;
    return sizeof *s;
  }
  struct sockaddr_in6 *s = (struct sockaddr_in6 *)out;
  s->sin6_family = AF_INET6;
  s->sin6_port = htons(a->val.ipv6.port);
  s->sin6_flowinfo = htonl(a->val.ipv6.flow_info);
  s->sin6_scope_id = a->val.ipv6.scope_id;
  const p2_sockets_network_ipv6_address_t *x = &a->val.ipv6.address;
  uint16_t w[8] = { x->f0, x->f1, x->f2, x->f3, x->f4, x->f5, x->f6, x->f7 };
  for (int i = 0; i < 8; i++) {
    s->sin6_addr.s6_addr[2 * i] = (uint8_t)(w[i] >> 8);
    s->sin6_addr.s6_addr[2 * i + 1] = (uint8_t)w[i];
  }
  return sizeof *s;
}

static void from_sockaddr(const struct sockaddr_storage *in, IpAddr *a) {
  memset(a, 0, sizeof *a);
  if (in->ss_family == AF_INET) {
    const struct sockaddr_in *s = (const struct sockaddr_in *)in;
    const uint8_t *b = (const uint8_t *)&s->sin_addr;
    a->tag = P2_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4;
    a->val.ipv4.port = ntohs(s->sin_port);
    a->val.ipv4.address =
        (p2_sockets_network_ipv4_address_t){ b[0], b[1], b[2], b[3] };
    return;
  }
  const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)in;
  const uint8_t *b = s->sin6_addr.s6_addr;
  a->tag = P2_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV6;
  a->val.ipv6.port = ntohs(s->sin6_port);
  a->val.ipv6.flow_info = ntohl(s->sin6_flowinfo);
  a->val.ipv6.scope_id = s->sin6_scope_id;
  uint16_t w[8];
  for (int i = 0; i < 8; i++)
    w[i] = (uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);
  a->val.ipv6.address =
      (p2_sockets_network_ipv6_address_t){ w[0], w[1], w[2], w[3],
                                           w[4], w[5], w[6], w[7] };
}

static bool is_unspecified(const struct sockaddr_storage *s) {
  if (s->ss_family == AF_INET)
    return ((const struct sockaddr_in *)s)->sin_addr.s_addr == 0;
  static const uint8_t zero[16];
  return !memcmp(&((const struct sockaddr_in6 *)s)->sin6_addr, zero, 16);
}

static uint16_t port_of(const struct sockaddr_storage *s) {
  return ntohs(s->ss_family == AF_INET
                   ? ((const struct sockaddr_in *)s)->sin_port
                   : ((const struct sockaddr_in6 *)s)->sin6_port);
}

#define CTX_OR_TRAP(c)     \
  P2Ctx *c = p2_ctx(call); \
  if (!c) return p2_trap("wasi: no WASI context for this store")

/* Section: network */

typedef struct P2Network {
  P2Obj base;
} P2Network;

static void plain_free(P2Obj *o) {
  free(o);
}

static WgTrap *network_destructor(void *ctx,
                                  p2_sockets_network_network_t self) {
  p2_drop(self.rep);
  return NULL;
}

const p2_sockets_network_impl_t p2_network_impl = {
  .network_destructor = network_destructor,
};

static WgTrap *instance_network(void *ctx, WgCCall *call,
                                p2_sockets_network_network_t *ret) {
  CTX_OR_TRAP(c);
  P2Network *n = calloc(1, sizeof *n);
  if (n) p2_obj_init(&n->base, P2_NETWORK, plain_free);
  ret->rep = n ? p2_add(c, &n->base) : 0;
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

const p2_sockets_instance_network_impl_t p2_instance_network_impl = {
  .instance_network = instance_network,
};

/* Section: tcp */

typedef enum TcpState {
  T_UNBOUND,
  T_BIND_STARTED,
  T_BOUND,
  T_LISTEN_STARTED,
  T_LISTENING,
  T_CONNECTING,
  T_CONNECTED,
  T_CLOSED,
} TcpState;

typedef struct P2Tcp {
  P2Obj base;
  int fd;
  int family;
  TcpState state;
  NetErr pending; /* a connect's failure, reported by finish-connect */
  bool has_pending;
  int backlog;
} P2Tcp;

static void tcp_free(P2Obj *o) {
  P2Tcp *t = (P2Tcp *)o;
  if (t->fd >= 0) close(t->fd);
  free(t);
}

static P2Tcp *tcp_new(int fd, int family, TcpState state) {
  P2Tcp *t = calloc(1, sizeof *t);
  if (!t) {
    close(fd);
    return NULL;
  }
  p2_obj_init(&t->base, P2_TCP, tcp_free);
  t->fd = fd;
  t->family = family;
  t->state = state;
  t->backlog = 128;
  return t;
}

bool p2_tcp_ready(P2Obj *o, P2Wait *w) {
  P2Tcp *t = (P2Tcp *)o;
  short ev = t->state == T_CONNECTING  ? POLLOUT
             : t->state == T_LISTENING ? POLLIN
                                       : 0;
  if (!ev) return true;
  struct pollfd p = { .fd = t->fd, .events = ev };
  if (poll(&p, 1, 0) > 0) return true;
  w->fd = t->fd;
  w->events = ev;
  return false;
}

#define GET_TCP(var, rep)                      \
  P2Tcp *var = (P2Tcp *)p2_get((rep), P2_TCP); \
  if (!var) return p2_bad_handle("tcp-socket")

static WgTrap *tcp_destructor(void *ctx, p2_sockets_tcp_tcp_socket_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *create_tcp_socket(
    void *ctx, WgCCall *call, p2_sockets_network_ip_address_family_t family,
    wasip2_result_p2_sockets_tcp_tcp_socket_p2_sockets_tcp_create_socket_error_code_t
        *ret) {
  CTX_OR_TRAP(c);
  if (c->wasi->rule_count == 0) FAIL(NE(ACCESS_DENIED));
  int fam = family_of(family);
  int fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) FAIL(net_errno(errno));
  if (fam == AF_INET6) {
    int one = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  }
  P2Tcp *t = tcp_new(fd, fam, T_UNBOUND);
  ret->is_err = false;
  ret->val.ok.rep = t ? p2_add(c, &t->base) : 0;
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

const p2_sockets_tcp_create_socket_impl_t p2_tcp_create_impl = {
  .create_tcp_socket = create_tcp_socket,
};

static WgTrap *
tcp_start_bind(void *ctx, WgCCall *call,
               p2_sockets_tcp_borrow_tcp_socket_t self,
               p2_sockets_network_borrow_network_t network, IpAddr local,
               wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  CTX_OR_TRAP(c);
  GET_TCP(t, self.rep);
  if (t->state != T_UNBOUND) FAIL(NE(INVALID_STATE));
  struct sockaddr_storage sa;
  socklen_t len = to_sockaddr(&local, &sa);
  if (sa.ss_family != t->family) FAIL(NE(INVALID_ARGUMENT));
  if (!p2_net_allowed(c->wasi, (struct sockaddr *)&sa)) FAIL(NE(ACCESS_DENIED));
  if (bind(t->fd, (struct sockaddr *)&sa, len) != 0) FAIL(net_errno(errno));
  t->state = T_BIND_STARTED;
  OK();
}

static WgTrap *
tcp_finish_bind(void *ctx, WgCCall *call,
                p2_sockets_tcp_borrow_tcp_socket_t self,
                wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (t->state != T_BIND_STARTED) FAIL(NE(NOT_IN_PROGRESS));
  t->state = T_BOUND;
  OK();
}

static WgTrap *
tcp_start_connect(void *ctx, WgCCall *call,
                  p2_sockets_tcp_borrow_tcp_socket_t self,
                  p2_sockets_network_borrow_network_t network, IpAddr remote,
                  wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  CTX_OR_TRAP(c);
  GET_TCP(t, self.rep);
  if (t->state != T_UNBOUND && t->state != T_BOUND) FAIL(NE(INVALID_STATE));
  struct sockaddr_storage sa;
  socklen_t len = to_sockaddr(&remote, &sa);
  if (sa.ss_family != t->family || port_of(&sa) == 0 || is_unspecified(&sa))
    FAIL(NE(INVALID_ARGUMENT));
  if (!p2_net_allowed(c->wasi, (struct sockaddr *)&sa)) FAIL(NE(ACCESS_DENIED));
  t->has_pending = false;
  if (connect(t->fd, (struct sockaddr *)&sa, len) != 0) {
    if (errno != EINPROGRESS) {
      t->has_pending = true;
      t->pending = net_errno(errno);
    }
  }
  t->state = T_CONNECTING;
  OK();
}

/* Input and output streams of a connected socket. */
static bool socket_streams(P2Ctx *c, P2Tcp *t, uint32_t *in, uint32_t *out) {
  *in = p2_stream_add(c, p2_stream_new(P2_INPUT, P2S_SOCKET, t->fd, &t->base));
  *out =
      p2_stream_add(c, p2_stream_new(P2_OUTPUT, P2S_SOCKET, t->fd, &t->base));
  if (*in && *out) return true;
  if (*in) p2_drop(*in);
  if (*out) p2_drop(*out);
  return false;
}

static WgTrap *tcp_finish_connect(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    wasip2_result_tuple2_p2_io_streams_input_stream_p2_io_streams_output_stream_p2_sockets_tcp_error_code_t
        *ret) {
  CTX_OR_TRAP(c);
  GET_TCP(t, self.rep);
  if (t->state != T_CONNECTING) FAIL(NE(NOT_IN_PROGRESS));
  if (!t->has_pending) {
    struct pollfd p = { .fd = t->fd, .events = POLLOUT };
    if (poll(&p, 1, 0) == 0) FAIL(NE(WOULD_BLOCK));
    int err = 0;
    socklen_t el = sizeof err;
    if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0) err = errno;
    if (err) {
      t->has_pending = true;
      t->pending = net_errno(err);
    }
  }
  if (t->has_pending) {
    t->state = T_CLOSED;
    FAIL(t->pending);
  }
  t->state = T_CONNECTED;
  uint32_t in, out;
  if (!socket_streams(c, t, &in, &out)) return p2_trap("wasi: out of memory");
  ret->is_err = false;
  ret->val.ok.f0.rep = in;
  ret->val.ok.f1.rep = out;
  return NULL;
}

static WgTrap *
tcp_start_listen(void *ctx, WgCCall *call,
                 p2_sockets_tcp_borrow_tcp_socket_t self,
                 wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (t->state != T_BOUND) FAIL(NE(INVALID_STATE));
  if (listen(t->fd, t->backlog) != 0) FAIL(net_errno(errno));
  t->state = T_LISTEN_STARTED;
  OK();
}

static WgTrap *
tcp_finish_listen(void *ctx, WgCCall *call,
                  p2_sockets_tcp_borrow_tcp_socket_t self,
                  wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (t->state != T_LISTEN_STARTED) FAIL(NE(NOT_IN_PROGRESS));
  t->state = T_LISTENING;
  OK();
}

static WgTrap *tcp_accept(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    wasip2_result_tuple3_p2_sockets_tcp_tcp_socket_p2_io_streams_input_stream_p2_io_streams_output_stream_p2_sockets_tcp_error_code_t
        *ret) {
  CTX_OR_TRAP(c);
  GET_TCP(t, self.rep);
  if (t->state != T_LISTENING) FAIL(NE(INVALID_STATE));
  int fd = accept4(t->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) FAIL(net_errno(errno == EWOULDBLOCK ? EAGAIN : errno));
  P2Tcp *n = tcp_new(fd, t->family, T_CONNECTED);
  uint32_t rep = n ? p2_add(c, &n->base) : 0;
  uint32_t in, out;
  if (!rep || !socket_streams(c, n, &in, &out)) {
    if (rep) p2_drop(rep);
    return p2_trap("wasi: out of memory");
  }
  ret->is_err = false;
  ret->val.ok.f0.rep = rep;
  ret->val.ok.f1.rep = in;
  ret->val.ok.f2.rep = out;
  return NULL;
}

static WgTrap *tcp_local_address(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    wasip2_result_p2_sockets_tcp_ip_socket_address_p2_sockets_tcp_error_code_t
        *ret) {
  GET_TCP(t, self.rep);
  if (t->state == T_UNBOUND) FAIL(NE(INVALID_STATE));
  struct sockaddr_storage sa;
  socklen_t len = sizeof sa;
  if (getsockname(t->fd, (struct sockaddr *)&sa, &len) != 0)
    FAIL(net_errno(errno));
  ret->is_err = false;
  from_sockaddr(&sa, &ret->val.ok);
  return NULL;
}

static WgTrap *tcp_remote_address(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    wasip2_result_p2_sockets_tcp_ip_socket_address_p2_sockets_tcp_error_code_t
        *ret) {
  GET_TCP(t, self.rep);
  if (t->state != T_CONNECTED) FAIL(NE(INVALID_STATE));
  struct sockaddr_storage sa;
  socklen_t len = sizeof sa;
  if (getpeername(t->fd, (struct sockaddr *)&sa, &len) != 0)
    FAIL(net_errno(errno));
  ret->is_err = false;
  from_sockaddr(&sa, &ret->val.ok);
  return NULL;
}

static WgTrap *tcp_is_listening(void *ctx, WgCCall *call,
                                p2_sockets_tcp_borrow_tcp_socket_t self,
                                bool *ret) {
  GET_TCP(t, self.rep);
  *ret = t->state == T_LISTENING;
  return NULL;
}

static WgTrap *tcp_address_family(void *ctx, WgCCall *call,
                                  p2_sockets_tcp_borrow_tcp_socket_t self,
                                  p2_sockets_network_ip_address_family_t *ret) {
  GET_TCP(t, self.rep);
  *ret = t->family == AF_INET6 ? P2_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV6
                               : P2_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4;
  return NULL;
}

static WgTrap *
tcp_set_backlog(void *ctx, WgCCall *call,
                p2_sockets_tcp_borrow_tcp_socket_t self, uint64_t value,
                wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (value == 0) FAIL(NE(INVALID_ARGUMENT));
  t->backlog = value > 4096 ? 4096 : (int)value;
  if (t->state == T_LISTENING && listen(t->fd, t->backlog) != 0)
    FAIL(net_errno(errno));
  OK();
}

/* getsockopt/setsockopt of an int option. */
static bool get_int(int fd, int level, int name, int *out) {
  socklen_t len = sizeof *out;
  return getsockopt(fd, level, name, out, &len) == 0;
}

static bool set_int(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof value) == 0;
}

static WgTrap *
tcp_keep_alive_enabled(void *ctx, WgCCall *call,
                       p2_sockets_tcp_borrow_tcp_socket_t self,
                       wasip2_result_bool_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  int v;
  if (!get_int(t->fd, SOL_SOCKET, SO_KEEPALIVE, &v)) FAIL(net_errno(errno));
  ret->is_err = false;
  ret->val.ok = v != 0;
  return NULL;
}

static WgTrap *tcp_set_keep_alive_enabled(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    bool value, wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (!set_int(t->fd, SOL_SOCKET, SO_KEEPALIVE, value)) FAIL(net_errno(errno));
  OK();
}

/* A duration option stored in whole seconds. */
static WgTrap *get_secs(
    P2Tcp *t, int name,
    wasip2_result_p2_sockets_tcp_duration_p2_sockets_tcp_error_code_t *ret) {
  int v;
  if (!get_int(t->fd, IPPROTO_TCP, name, &v)) FAIL(net_errno(errno));
  ret->is_err = false;
  ret->val.ok = (uint64_t)v * 1000000000ull;
  return NULL;
}

static WgTrap *set_secs(P2Tcp *t, int name, uint64_t ns,
                        wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  if (ns == 0) FAIL(NE(INVALID_ARGUMENT));
  uint64_t s = (ns + 999999999ull) / 1000000000ull;
  if (s > 32767) s = 32767;
  if (!set_int(t->fd, IPPROTO_TCP, name, (int)s)) FAIL(net_errno(errno));
  OK();
}

static WgTrap *tcp_keep_alive_idle_time(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    wasip2_result_p2_sockets_tcp_duration_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  return get_secs(t, TCP_KEEPIDLE, ret);
}

static WgTrap *tcp_set_keep_alive_idle_time(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    p2_sockets_tcp_duration_t value,
    wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  return set_secs(t, TCP_KEEPIDLE, value, ret);
}

static WgTrap *tcp_keep_alive_interval(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    wasip2_result_p2_sockets_tcp_duration_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  return get_secs(t, TCP_KEEPINTVL, ret);
}

static WgTrap *tcp_set_keep_alive_interval(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    p2_sockets_tcp_duration_t value,
    wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  return set_secs(t, TCP_KEEPINTVL, value, ret);
}

static WgTrap *
tcp_keep_alive_count(void *ctx, WgCCall *call,
                     p2_sockets_tcp_borrow_tcp_socket_t self,
                     wasip2_result_u32_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  int v;
  if (!get_int(t->fd, IPPROTO_TCP, TCP_KEEPCNT, &v)) FAIL(net_errno(errno));
  ret->is_err = false;
  ret->val.ok = (uint32_t)v;
  return NULL;
}

static WgTrap *tcp_set_keep_alive_count(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    uint32_t value, wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (value == 0) FAIL(NE(INVALID_ARGUMENT));
  if (!set_int(t->fd, IPPROTO_TCP, TCP_KEEPCNT, value > 127 ? 127 : (int)value))
    FAIL(net_errno(errno));
  OK();
}

static bool hop_get(int fd, int family, int *v) {
  return family == AF_INET6 ? get_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, v)
                            : get_int(fd, IPPROTO_IP, IP_TTL, v);
}

static bool hop_set(int fd, int family, int v) {
  return family == AF_INET6 ? set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, v)
                            : set_int(fd, IPPROTO_IP, IP_TTL, v);
}

static WgTrap *
tcp_hop_limit(void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
              wasip2_result_u8_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  int v;
  if (!hop_get(t->fd, t->family, &v)) FAIL(net_errno(errno));
  ret->is_err = false;
  ret->val.ok = (uint8_t)v;
  return NULL;
}

static WgTrap *
tcp_set_hop_limit(void *ctx, WgCCall *call,
                  p2_sockets_tcp_borrow_tcp_socket_t self, uint8_t value,
                  wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (value == 0) FAIL(NE(INVALID_ARGUMENT));
  if (!hop_set(t->fd, t->family, value)) FAIL(net_errno(errno));
  OK();
}

/* A buffer size option (distinct result types per interface: macros). */
#define BUFFER_GET(fd, name)                                             \
  do {                                                                   \
    int v_;                                                              \
    if (!get_int((fd), SOL_SOCKET, (name), &v_)) FAIL(net_errno(errno)); \
    ret->is_err = false;                                                 \
    ret->val.ok = (uint64_t)v_;                                          \
    return NULL;                                                         \
  } while (0)
#define BUFFER_SET(fd, name, value)                                     \
  do {                                                                  \
    if ((value) == 0) FAIL(NE(INVALID_ARGUMENT));                       \
    int v_ = (value) > (1u << 30) ? 1 << 30 : (int)(value);             \
    if (!set_int((fd), SOL_SOCKET, (name), v_)) FAIL(net_errno(errno)); \
    OK();                                                               \
  } while (0)

static WgTrap *
tcp_receive_buffer_size(void *ctx, WgCCall *call,
                        p2_sockets_tcp_borrow_tcp_socket_t self,
                        wasip2_result_u64_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  BUFFER_GET(t->fd, SO_RCVBUF);
}

static WgTrap *tcp_set_receive_buffer_size(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    uint64_t value, wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  BUFFER_SET(t->fd, SO_RCVBUF, value);
}

static WgTrap *
tcp_send_buffer_size(void *ctx, WgCCall *call,
                     p2_sockets_tcp_borrow_tcp_socket_t self,
                     wasip2_result_u64_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  BUFFER_GET(t->fd, SO_SNDBUF);
}

static WgTrap *tcp_set_send_buffer_size(
    void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
    uint64_t value, wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  BUFFER_SET(t->fd, SO_SNDBUF, value);
}

static WgTrap *tcp_subscribe(void *ctx, WgCCall *call,
                             p2_sockets_tcp_borrow_tcp_socket_t self,
                             p2_io_poll_pollable_t *ret) {
  CTX_OR_TRAP(c);
  GET_TCP(t, self.rep);
  ret->rep = p2_poll_new(c, &t->base, 0, 0);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *
tcp_shutdown(void *ctx, WgCCall *call, p2_sockets_tcp_borrow_tcp_socket_t self,
             p2_sockets_tcp_shutdown_type_t how,
             wasip2_result_void_p2_sockets_tcp_error_code_t *ret) {
  GET_TCP(t, self.rep);
  if (t->state != T_CONNECTED) FAIL(NE(INVALID_STATE));
  int h = how == P2_SOCKETS_TCP_SHUTDOWN_TYPE_RECEIVE ? SHUT_RD
          : how == P2_SOCKETS_TCP_SHUTDOWN_TYPE_SEND  ? SHUT_WR
                                                      : SHUT_RDWR;
  if (shutdown(t->fd, h) != 0) FAIL(net_errno(errno));
  OK();
}

const p2_sockets_tcp_impl_t p2_tcp_impl = {
  .tcp_socket_destructor = tcp_destructor,
  .tcp_socket_start_bind = tcp_start_bind,
  .tcp_socket_finish_bind = tcp_finish_bind,
  .tcp_socket_start_connect = tcp_start_connect,
  .tcp_socket_finish_connect = tcp_finish_connect,
  .tcp_socket_start_listen = tcp_start_listen,
  .tcp_socket_finish_listen = tcp_finish_listen,
  .tcp_socket_accept = tcp_accept,
  .tcp_socket_local_address = tcp_local_address,
  .tcp_socket_remote_address = tcp_remote_address,
  .tcp_socket_is_listening = tcp_is_listening,
  .tcp_socket_address_family = tcp_address_family,
  .tcp_socket_set_listen_backlog_size = tcp_set_backlog,
  .tcp_socket_keep_alive_enabled = tcp_keep_alive_enabled,
  .tcp_socket_set_keep_alive_enabled = tcp_set_keep_alive_enabled,
  .tcp_socket_keep_alive_idle_time = tcp_keep_alive_idle_time,
  .tcp_socket_set_keep_alive_idle_time = tcp_set_keep_alive_idle_time,
  .tcp_socket_keep_alive_interval = tcp_keep_alive_interval,
  .tcp_socket_set_keep_alive_interval = tcp_set_keep_alive_interval,
  .tcp_socket_keep_alive_count = tcp_keep_alive_count,
  .tcp_socket_set_keep_alive_count = tcp_set_keep_alive_count,
  .tcp_socket_hop_limit = tcp_hop_limit,
  .tcp_socket_set_hop_limit = tcp_set_hop_limit,
  .tcp_socket_receive_buffer_size = tcp_receive_buffer_size,
  .tcp_socket_set_receive_buffer_size = tcp_set_receive_buffer_size,
  .tcp_socket_send_buffer_size = tcp_send_buffer_size,
  .tcp_socket_set_send_buffer_size = tcp_set_send_buffer_size,
  .tcp_socket_subscribe = tcp_subscribe,
  .tcp_socket_shutdown = tcp_shutdown,
};

/* Section: udp */

typedef enum UdpState { U_UNBOUND, U_BIND_STARTED, U_BOUND } UdpState;

typedef struct P2Udp {
  P2Obj base;
  int fd;
  int family;
  UdpState state;
  bool connected;
  struct sockaddr_storage remote;
  uint32_t generation; /* streams of an earlier `stream` call are stale */
} P2Udp;

typedef struct P2UdpStream {
  P2Obj base; /* P2_UDP_IN or P2_UDP_OUT */
  P2Udp *sock;
  uint32_t generation;
} P2UdpStream;

enum { UDP_MAX_SEND = 64, UDP_MAX_RECV = 64, UDP_MAX_DATAGRAM = 65535 };

static void udp_free(P2Obj *o) {
  P2Udp *u = (P2Udp *)o;
  if (u->fd >= 0) close(u->fd);
  free(u);
}

static void udp_stream_free(P2Obj *o) {
  P2UdpStream *s = (P2UdpStream *)o;
  p2_unref(&s->sock->base);
  free(s);
}

bool p2_udp_ready(P2Obj *o, int mode, P2Wait *w) {
  if (o->type == P2_UDP) return true;
  P2UdpStream *s = (P2UdpStream *)o;
  short ev = o->type == P2_UDP_IN ? POLLIN : POLLOUT;
  struct pollfd p = { .fd = s->sock->fd, .events = ev };
  if (poll(&p, 1, 0) > 0) return true;
  w->fd = s->sock->fd;
  w->events = ev;
  return false;
}

#define GET_UDP(var, rep)                      \
  P2Udp *var = (P2Udp *)p2_get((rep), P2_UDP); \
  if (!var) return p2_bad_handle("udp-socket")

static WgTrap *udp_destructor(void *ctx, p2_sockets_udp_udp_socket_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *
udp_in_destructor(void *ctx, p2_sockets_udp_incoming_datagram_stream_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *
udp_out_destructor(void *ctx, p2_sockets_udp_outgoing_datagram_stream_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *create_udp_socket(
    void *ctx, WgCCall *call, p2_sockets_network_ip_address_family_t family,
    wasip2_result_p2_sockets_udp_udp_socket_p2_sockets_udp_create_socket_error_code_t
        *ret) {
  CTX_OR_TRAP(c);
  if (c->wasi->rule_count == 0) FAIL(NE(ACCESS_DENIED));
  int fam = family_of(family);
  int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) FAIL(net_errno(errno));
  if (fam == AF_INET6) set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
  P2Udp *u = calloc(1, sizeof *u);
  if (!u) {
    close(fd);
    return p2_trap("wasi: out of memory");
  }
  p2_obj_init(&u->base, P2_UDP, udp_free);
  u->fd = fd;
  u->family = fam;
  ret->is_err = false;
  ret->val.ok.rep = p2_add(c, &u->base);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

const p2_sockets_udp_create_socket_impl_t p2_udp_create_impl = {
  .create_udp_socket = create_udp_socket,
};

static WgTrap *
udp_start_bind(void *ctx, WgCCall *call,
               p2_sockets_udp_borrow_udp_socket_t self,
               p2_sockets_network_borrow_network_t network, IpAddr local,
               wasip2_result_void_p2_sockets_udp_error_code_t *ret) {
  CTX_OR_TRAP(c);
  GET_UDP(u, self.rep);
  if (u->state != U_UNBOUND) FAIL(NE(INVALID_STATE));
  struct sockaddr_storage sa;
  socklen_t len = to_sockaddr(&local, &sa);
  if (sa.ss_family != u->family) FAIL(NE(INVALID_ARGUMENT));
  if (!p2_net_allowed(c->wasi, (struct sockaddr *)&sa)) FAIL(NE(ACCESS_DENIED));
  if (bind(u->fd, (struct sockaddr *)&sa, len) != 0) FAIL(net_errno(errno));
  u->state = U_BIND_STARTED;
  OK();
}

static WgTrap *
udp_finish_bind(void *ctx, WgCCall *call,
                p2_sockets_udp_borrow_udp_socket_t self,
                wasip2_result_void_p2_sockets_udp_error_code_t *ret) {
  GET_UDP(u, self.rep);
  if (u->state != U_BIND_STARTED) FAIL(NE(NOT_IN_PROGRESS));
  u->state = U_BOUND;
  OK();
}

static uint32_t udp_stream_new(P2Ctx *c, P2Udp *u, P2Type type) {
  P2UdpStream *s = calloc(1, sizeof *s);
  if (!s) return 0;
  p2_obj_init(&s->base, type, udp_stream_free);
  s->sock = (P2Udp *)p2_ref(&u->base);
  s->generation = u->generation;
  return p2_add(c, &s->base);
}

static WgTrap *udp_stream(
    void *ctx, WgCCall *call, p2_sockets_udp_borrow_udp_socket_t self,
    wasip2_option_p2_sockets_udp_ip_socket_address_t remote,
    wasip2_result_tuple2_p2_sockets_udp_incoming_datagram_stream_p2_sockets_udp_outgoing_datagram_stream_p2_sockets_udp_error_code_t
        *ret) {
  CTX_OR_TRAP(c);
  GET_UDP(u, self.rep);
  if (u->state != U_BOUND) FAIL(NE(INVALID_STATE));
  if (remote.is_some) {
    struct sockaddr_storage sa;
    socklen_t len = to_sockaddr(&remote.val, &sa);
    if (sa.ss_family != u->family || port_of(&sa) == 0 || is_unspecified(&sa))
      FAIL(NE(INVALID_ARGUMENT));
    if (!p2_net_allowed(c->wasi, (struct sockaddr *)&sa))
      FAIL(NE(ACCESS_DENIED));
    if (connect(u->fd, (struct sockaddr *)&sa, len) != 0)
      FAIL(net_errno(errno));
    u->connected = true;
    u->remote = sa;
  } else if (u->connected) {
    struct sockaddr un = { .sa_family = AF_UNSPEC };
    connect(u->fd, &un, sizeof un);
    u->connected = false;
  }
  u->generation++;
  uint32_t in = udp_stream_new(c, u, P2_UDP_IN);
  uint32_t out = in ? udp_stream_new(c, u, P2_UDP_OUT) : 0;
  if (!out) {
    if (in) p2_drop(in);
    return p2_trap("wasi: out of memory");
  }
  ret->is_err = false;
  ret->val.ok.f0.rep = in;
  ret->val.ok.f1.rep = out;
  return NULL;
}

static WgTrap *udp_local_address(
    void *ctx, WgCCall *call, p2_sockets_udp_borrow_udp_socket_t self,
    wasip2_result_p2_sockets_udp_ip_socket_address_p2_sockets_udp_error_code_t
        *ret) {
  GET_UDP(u, self.rep);
  if (u->state == U_UNBOUND) FAIL(NE(INVALID_STATE));
  struct sockaddr_storage sa;
  socklen_t len = sizeof sa;
  if (getsockname(u->fd, (struct sockaddr *)&sa, &len) != 0)
    FAIL(net_errno(errno));
  ret->is_err = false;
  from_sockaddr(&sa, &ret->val.ok);
  return NULL;
}

static WgTrap *udp_remote_address(
    void *ctx, WgCCall *call, p2_sockets_udp_borrow_udp_socket_t self,
    wasip2_result_p2_sockets_udp_ip_socket_address_p2_sockets_udp_error_code_t
        *ret) {
  GET_UDP(u, self.rep);
  if (!u->connected) FAIL(NE(INVALID_STATE));
  ret->is_err = false;
  from_sockaddr(&u->remote, &ret->val.ok);
  return NULL;
}

static WgTrap *udp_address_family(void *ctx, WgCCall *call,
                                  p2_sockets_udp_borrow_udp_socket_t self,
                                  p2_sockets_network_ip_address_family_t *ret) {
  GET_UDP(u, self.rep);
  *ret = u->family == AF_INET6 ? P2_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV6
                               : P2_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4;
  return NULL;
}

static WgTrap *
udp_hop_limit(void *ctx, WgCCall *call, p2_sockets_udp_borrow_udp_socket_t self,
              wasip2_result_u8_p2_sockets_udp_error_code_t *ret) {
  GET_UDP(u, self.rep);
  int v;
  if (!hop_get(u->fd, u->family, &v)) FAIL(net_errno(errno));
  ret->is_err = false;
  ret->val.ok = (uint8_t)v;
  return NULL;
}

static WgTrap *
udp_set_hop_limit(void *ctx, WgCCall *call,
                  p2_sockets_udp_borrow_udp_socket_t self, uint8_t value,
                  wasip2_result_void_p2_sockets_udp_error_code_t *ret) {
  GET_UDP(u, self.rep);
  if (value == 0) FAIL(NE(INVALID_ARGUMENT));
  if (!hop_set(u->fd, u->family, value)) FAIL(net_errno(errno));
  OK();
}

static WgTrap *
udp_receive_buffer_size(void *ctx, WgCCall *call,
                        p2_sockets_udp_borrow_udp_socket_t self,
                        wasip2_result_u64_p2_sockets_udp_error_code_t *ret) {
  GET_UDP(u, self.rep);
  BUFFER_GET(u->fd, SO_RCVBUF);
}

static WgTrap *udp_set_receive_buffer_size(
    void *ctx, WgCCall *call, p2_sockets_udp_borrow_udp_socket_t self,
    uint64_t value, wasip2_result_void_p2_sockets_udp_error_code_t *ret) {
  GET_UDP(u, self.rep);
  BUFFER_SET(u->fd, SO_RCVBUF, value);
}

static WgTrap *
udp_send_buffer_size(void *ctx, WgCCall *call,
                     p2_sockets_udp_borrow_udp_socket_t self,
                     wasip2_result_u64_p2_sockets_udp_error_code_t *ret) {
  GET_UDP(u, self.rep);
  BUFFER_GET(u->fd, SO_SNDBUF);
}

static WgTrap *udp_set_send_buffer_size(
    void *ctx, WgCCall *call, p2_sockets_udp_borrow_udp_socket_t self,
    uint64_t value, wasip2_result_void_p2_sockets_udp_error_code_t *ret) {
  GET_UDP(u, self.rep);
  BUFFER_SET(u->fd, SO_SNDBUF, value);
}

static WgTrap *udp_subscribe(void *ctx, WgCCall *call,
                             p2_sockets_udp_borrow_udp_socket_t self,
                             p2_io_poll_pollable_t *ret) {
  CTX_OR_TRAP(c);
  GET_UDP(u, self.rep);
  ret->rep = p2_poll_new(c, &u->base, 0, 0);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static P2UdpStream *udp_live_stream(uint32_t rep, P2Type type) {
  P2UdpStream *s = (P2UdpStream *)p2_get(rep, type);
  return s;
}

static WgTrap *udp_receive(
    void *ctx, WgCCall *call,
    p2_sockets_udp_borrow_incoming_datagram_stream_t self, uint64_t max,
    wasip2_result_list_p2_sockets_udp_incoming_datagram_p2_sockets_udp_error_code_t
        *ret) {
  P2UdpStream *s = udp_live_stream(self.rep, P2_UDP_IN);
  if (!s) return p2_bad_handle("incoming-datagram-stream");
  if (s->generation != s->sock->generation) FAIL(NE(INVALID_STATE));
  size_t cap = max > UDP_MAX_RECV ? UDP_MAX_RECV : (size_t)max;
  ret->is_err = false;
  ret->val.ok.len = 0;
  ret->val.ok.ptr = calloc(cap ? cap : 1, sizeof *ret->val.ok.ptr);
  if (!ret->val.ok.ptr) return p2_trap("wasi: out of memory");
  static _Thread_local uint8_t buf[UDP_MAX_DATAGRAM];
  while (ret->val.ok.len < cap) {
    struct sockaddr_storage from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(s->sock->fd, buf, sizeof buf, MSG_DONTWAIT,
                         (struct sockaddr *)&from, &fl);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
      if (ret->val.ok.len) break;
      int e = errno;
      free(ret->val.ok.ptr);
      FAIL(net_errno(e));
    }
    p2_sockets_udp_incoming_datagram_t *d = &ret->val.ok.ptr[ret->val.ok.len++];
    d->data.ptr = malloc(n ? (size_t)n : 1);
    if (!d->data.ptr) return p2_trap("wasi: out of memory");
    memcpy(d->data.ptr, buf, (size_t)n);
    d->data.len = (size_t)n;
    from_sockaddr(&from, &d->remote_address);
  }
  return NULL;
}

static WgTrap *
udp_in_subscribe(void *ctx, WgCCall *call,
                 p2_sockets_udp_borrow_incoming_datagram_stream_t self,
                 p2_io_poll_pollable_t *ret) {
  CTX_OR_TRAP(c);
  P2UdpStream *s = udp_live_stream(self.rep, P2_UDP_IN);
  if (!s) return p2_bad_handle("incoming-datagram-stream");
  ret->rep = p2_poll_new(c, &s->base, 0, 0);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *
udp_check_send(void *ctx, WgCCall *call,
               p2_sockets_udp_borrow_outgoing_datagram_stream_t self,
               wasip2_result_u64_p2_sockets_udp_error_code_t *ret) {
  P2UdpStream *s = udp_live_stream(self.rep, P2_UDP_OUT);
  if (!s) return p2_bad_handle("outgoing-datagram-stream");
  if (s->generation != s->sock->generation) FAIL(NE(INVALID_STATE));
  struct pollfd p = { .fd = s->sock->fd, .events = POLLOUT };
  ret->is_err = false;
  ret->val.ok = poll(&p, 1, 0) > 0 ? UDP_MAX_SEND : 0;
  return NULL;
}

static WgTrap *
udp_send(void *ctx, WgCCall *call,
         p2_sockets_udp_borrow_outgoing_datagram_stream_t self,
         wasip2_list_p2_sockets_udp_outgoing_datagram_t datagrams,
         wasip2_result_u64_p2_sockets_udp_error_code_t *ret) {
  P2Ctx *c = p2_ctx(call);
  P2UdpStream *s = udp_live_stream(self.rep, P2_UDP_OUT);
  WgTrap *trap = NULL;
  if (!s || !c) {
    trap = p2_bad_handle("outgoing-datagram-stream");
    goto done;
  }
  if (datagrams.len > UDP_MAX_SEND) {
    trap = p2_trap("wasi:sockets/udp: send of %zu datagrams when check-send "
                   "permitted at most %d",
                   datagrams.len, UDP_MAX_SEND);
    goto done;
  }
  ret->is_err = false;
  ret->val.ok = 0;
  if (s->generation != s->sock->generation) {
    ret->is_err = true;
    ret->val.err = NE(INVALID_STATE);
    goto done;
  }
  P2Udp *u = s->sock;
  for (size_t i = 0; i < datagrams.len; i++) {
    p2_sockets_udp_outgoing_datagram_t *d = &datagrams.ptr[i];
    NetErr err = 0;
    bool failed = false;
    ssize_t n;
    if (d->remote_address.is_some) {
      struct sockaddr_storage sa;
      socklen_t len = to_sockaddr(&d->remote_address.val, &sa);
      if (sa.ss_family != u->family || port_of(&sa) == 0 ||
          is_unspecified(&sa) ||
          (u->connected && (port_of(&sa) != port_of(&u->remote) ||
                            memcmp(&sa, &u->remote, len) != 0))) {
        failed = true;
        err = NE(INVALID_ARGUMENT);
      } else if (!p2_net_allowed(c->wasi, (struct sockaddr *)&sa)) {
        failed = true;
        err = NE(ACCESS_DENIED);
      } else {
        n = u->connected ? send(u->fd, d->data.ptr, d->data.len, MSG_DONTWAIT)
                         : sendto(u->fd, d->data.ptr, d->data.len, MSG_DONTWAIT,
                                  (struct sockaddr *)&sa, len);
        if (n < 0) {
          failed = true;
          err = net_errno(errno);
        }
      }
    } else if (!u->connected) {
      failed = true;
      err = NE(INVALID_ARGUMENT);
    } else if ((n = send(u->fd, d->data.ptr, d->data.len, MSG_DONTWAIT)) < 0) {
      failed = true;
      err = net_errno(errno);
    }
    if (failed) {
      if (ret->val.ok == 0) {
        ret->is_err = true;
        ret->val.err = err;
      }
      break;
    }
    ret->val.ok++;
  }
done:
  wasip2_list_p2_sockets_udp_outgoing_datagram_free(&datagrams);
  return trap;
}

static WgTrap *
udp_out_subscribe(void *ctx, WgCCall *call,
                  p2_sockets_udp_borrow_outgoing_datagram_stream_t self,
                  p2_io_poll_pollable_t *ret) {
  CTX_OR_TRAP(c);
  P2UdpStream *s = udp_live_stream(self.rep, P2_UDP_OUT);
  if (!s) return p2_bad_handle("outgoing-datagram-stream");
  ret->rep = p2_poll_new(c, &s->base, 0, 0);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

const p2_sockets_udp_impl_t p2_udp_impl = {
  .udp_socket_destructor = udp_destructor,
  .incoming_datagram_stream_destructor = udp_in_destructor,
  .outgoing_datagram_stream_destructor = udp_out_destructor,
  .udp_socket_start_bind = udp_start_bind,
  .udp_socket_finish_bind = udp_finish_bind,
  .udp_socket_stream = udp_stream,
  .udp_socket_local_address = udp_local_address,
  .udp_socket_remote_address = udp_remote_address,
  .udp_socket_address_family = udp_address_family,
  .udp_socket_unicast_hop_limit = udp_hop_limit,
  .udp_socket_set_unicast_hop_limit = udp_set_hop_limit,
  .udp_socket_receive_buffer_size = udp_receive_buffer_size,
  .udp_socket_set_receive_buffer_size = udp_set_receive_buffer_size,
  .udp_socket_send_buffer_size = udp_send_buffer_size,
  .udp_socket_set_send_buffer_size = udp_set_send_buffer_size,
  .udp_socket_subscribe = udp_subscribe,
  .incoming_datagram_stream_receive = udp_receive,
  .incoming_datagram_stream_subscribe = udp_in_subscribe,
  .outgoing_datagram_stream_check_send = udp_check_send,
  .outgoing_datagram_stream_send = udp_send,
  .outgoing_datagram_stream_subscribe = udp_out_subscribe,
};

/* Section: ip-name-lookup */

typedef struct P2Resolve {
  P2Obj base;
  p2_sockets_network_ip_address_t *addrs;
  size_t count, next;
} P2Resolve;

static void resolve_free(P2Obj *o) {
  P2Resolve *r = (P2Resolve *)o;
  free(r->addrs);
  free(r);
}

/* A host name or an IP address literal (letters, digits, '-', '.', ':',
 * '[', ']', '%'). */
static bool name_ok(const uint8_t *s, size_t n) {
  if (n == 0 || n > 253) return false;
  for (size_t i = 0; i < n; i++) {
    uint8_t ch = s[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == ':' ||
          ch == '[' || ch == ']' || ch == '%' || ch == '_'))
      return false;
  }
  return true;
}

static WgTrap *resolve_addresses(
    void *ctx, WgCCall *call, p2_sockets_network_borrow_network_t network,
    wasip2_string_t name,
    wasip2_result_p2_sockets_ip_name_lookup_resolve_address_stream_p2_sockets_ip_name_lookup_error_code_t
        *ret) {
  P2Ctx *c = p2_ctx(call);
  char host[256];
  bool valid = name_ok(name.ptr, name.len);
  if (valid) {
    memcpy(host, name.ptr, name.len);
    host[name.len] = '\0';
  }
  wasip2_string_free(&name);
  if (!c) return p2_trap("wasi: no WASI context for this store");
  if (!valid) FAIL(NE(INVALID_ARGUMENT));
  if (c->wasi->rule_count == 0) FAIL(NE(ACCESS_DENIED));
  char *h = host;
  size_t hl = strlen(h);
  if (hl > 2 && h[0] == '[' && h[hl - 1] == ']') {
    h[hl - 1] = '\0';
    h++;
  }
  struct addrinfo hints = { .ai_family = AF_UNSPEC,
                            .ai_socktype = SOCK_STREAM };
  struct addrinfo *res = NULL;
  int rc = getaddrinfo(h, NULL, &hints, &res);
  if (rc != 0) {
    NetErr e = rc == EAI_NONAME || rc == EAI_NODATA ? NE(NAME_UNRESOLVABLE)
               : rc == EAI_AGAIN  ? NE(TEMPORARY_RESOLVER_FAILURE)
               : rc == EAI_MEMORY ? NE(OUT_OF_MEMORY)
                                  : NE(PERMANENT_RESOLVER_FAILURE);
    FAIL(e);
  }
  P2Resolve *r = calloc(1, sizeof *r);
  size_t n = 0;
  for (struct addrinfo *a = res; a; a = a->ai_next)
    n++;
  if (r) r->addrs = calloc(n ? n : 1, sizeof *r->addrs);
  if (!r || !r->addrs) {
    free(r);
    freeaddrinfo(res);
    return p2_trap("wasi: out of memory");
  }
  p2_obj_init(&r->base, P2_RESOLVE, resolve_free);
  for (struct addrinfo *a = res; a; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    IpAddr sa;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, a->ai_addr, a->ai_addrlen);
    from_sockaddr(&ss, &sa);
    p2_sockets_network_ip_address_t ip;
    memset(&ip, 0, sizeof ip);
    if (sa.tag == P2_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4) {
      ip.tag = P2_SOCKETS_NETWORK_IP_ADDRESS_IPV4;
      ip.val.ipv4 = sa.val.ipv4.address;
    } else {
      ip.tag = P2_SOCKETS_NETWORK_IP_ADDRESS_IPV6;
      ip.val.ipv6 = sa.val.ipv6.address;
    }
    bool dup = false;
    for (size_t i = 0; i < r->count; i++)
      if (!memcmp(&r->addrs[i], &ip, sizeof ip)) dup = true;
    if (!dup) r->addrs[r->count++] = ip;
  }
  freeaddrinfo(res);
  ret->is_err = false;
  ret->val.ok.rep = p2_add(c, &r->base);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *
resolve_destructor(void *ctx,
                   p2_sockets_ip_name_lookup_resolve_address_stream_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *resolve_next(
    void *ctx, WgCCall *call,
    p2_sockets_ip_name_lookup_borrow_resolve_address_stream_t self,
    wasip2_result_option_p2_sockets_ip_name_lookup_ip_address_p2_sockets_ip_name_lookup_error_code_t
        *ret) {
  P2Resolve *r = (P2Resolve *)p2_get(self.rep, P2_RESOLVE);
  if (!r) return p2_bad_handle("resolve-address-stream");
  ret->is_err = false;
  ret->val.ok.is_some = r->next < r->count;
  if (ret->val.ok.is_some) ret->val.ok.val = r->addrs[r->next++];
  return NULL;
}

static WgTrap *resolve_subscribe(
    void *ctx, WgCCall *call,
    p2_sockets_ip_name_lookup_borrow_resolve_address_stream_t self,
    p2_io_poll_pollable_t *ret) {
  CTX_OR_TRAP(c);
  P2Resolve *r = (P2Resolve *)p2_get(self.rep, P2_RESOLVE);
  if (!r) return p2_bad_handle("resolve-address-stream");
  ret->rep = p2_poll_new(c, &r->base, 0, 0);
  return ret->rep ? NULL : p2_trap("wasi: out of memory");
}

const p2_sockets_ip_name_lookup_impl_t p2_lookup_impl = {
  .resolve_address_stream_destructor = resolve_destructor,
  .resolve_addresses = resolve_addresses,
  .resolve_address_stream_resolve_next_address = resolve_next,
  .resolve_address_stream_subscribe = resolve_subscribe,
};
