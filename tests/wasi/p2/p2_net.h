/* SPDX-License-Identifier: Apache-2.0 */
/* Socket helpers of the acceptance programs (wasi:sockets through the
 * guest bindings of wasi:cli/imports): the two-phase operations done as
 * start, wait on the socket's pollable, finish. */
#ifndef P2_NET_H
#define P2_NET_H

#include "p2_io.h"

typedef sockets_tcp_tcp_socket_t tcp_t;
typedef sockets_tcp_borrow_tcp_socket_t btcp_t;
typedef sockets_network_ip_socket_address_t addr_t;
typedef imports_result_tuple2_io_streams_input_stream_io_streams_output_stream_sockets_tcp_error_code_t
    connect_result_t;
typedef imports_result_tuple3_sockets_tcp_tcp_socket_io_streams_input_stream_io_streams_output_stream_sockets_tcp_error_code_t
    accept_result_t;

static sockets_network_network_t the_network;

static inline sockets_network_borrow_network_t net(void) {
  if (the_network.handle == 0)
    the_network = sockets_instance_network_instance_network();
  return sockets_network_borrow_network(the_network);
}

static inline tcp_t tcp_new(void) {
  imports_result_sockets_tcp_tcp_socket_sockets_tcp_create_socket_error_code_t
      r = sockets_tcp_create_socket_create_tcp_socket(
          SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4);
  CHECK(!r.is_err);
  return r.val.ok;
}

static inline btcp_t B(tcp_t s) {
  return sockets_tcp_borrow_tcp_socket(s);
}

/* bind: 0 on success, else the error code + 1 */
static inline int tcp_bind(tcp_t s, addr_t a) {
  imports_result_void_sockets_tcp_error_code_t r =
      sockets_tcp_tcp_socket_start_bind(B(s), net(), a);
  if (r.is_err) return r.val.err + 1;
  for (;;) {
    r = sockets_tcp_tcp_socket_finish_bind(B(s));
    if (!r.is_err) return 0;
    if (r.val.err != SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK)
      return r.val.err + 1;
    wait_on(sockets_tcp_tcp_socket_subscribe(B(s)));
  }
}

static inline int tcp_listen(tcp_t s) {
  imports_result_void_sockets_tcp_error_code_t r =
      sockets_tcp_tcp_socket_start_listen(B(s));
  if (r.is_err) return r.val.err + 1;
  for (;;) {
    r = sockets_tcp_tcp_socket_finish_listen(B(s));
    if (!r.is_err) return 0;
    if (r.val.err != SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK)
      return r.val.err + 1;
    wait_on(sockets_tcp_tcp_socket_subscribe(B(s)));
  }
}

static inline connect_result_t tcp_connect(tcp_t s, addr_t a) {
  connect_result_t c;
  imports_result_void_sockets_tcp_error_code_t r =
      sockets_tcp_tcp_socket_start_connect(B(s), net(), a);
  if (r.is_err) {
    c.is_err = true;
    c.val.err = r.val.err;
    return c;
  }
  for (;;) {
    c = sockets_tcp_tcp_socket_finish_connect(B(s));
    if (!c.is_err || c.val.err != SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK)
      return c;
    wait_on(sockets_tcp_tcp_socket_subscribe(B(s)));
  }
}

static inline accept_result_t tcp_accept(tcp_t s) {
  for (;;) {
    accept_result_t a = sockets_tcp_tcp_socket_accept(B(s));
    if (!a.is_err || a.val.err != SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK)
      return a;
    wait_on(sockets_tcp_tcp_socket_subscribe(B(s)));
  }
}

static inline addr_t tcp_local(tcp_t s) {
  imports_result_sockets_tcp_ip_socket_address_sockets_tcp_error_code_t r =
      sockets_tcp_tcp_socket_local_address(B(s));
  CHECK(!r.is_err);
  return r.val.ok;
}

static inline const char *bind_err(int rc) {
  return rc ? net_err((sockets_network_error_code_t)(rc - 1)) : "ok";
}

/* A listener on 127.0.0.1 with an ephemeral port. */
static inline tcp_t tcp_listener(void) {
  tcp_t s = tcp_new();
  CHECK(tcp_bind(s, loopback4(0)) == 0);
  CHECK(tcp_listen(s) == 0);
  return s;
}

#endif
