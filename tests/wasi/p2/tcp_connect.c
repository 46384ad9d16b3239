/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:sockets/tcp connect: to a listener on loopback (accepted, the
 * addresses of both ends agree), to a port nobody listens on
 * (connection-refused), to port 0 (invalid-argument), and connecting a
 * socket twice (invalid-state). */
#include "imports.h"
#include "p2_net.h"

int main(void) {
  tcp_t lis = tcp_listener();
  addr_t la = tcp_local(lis);
  tcp_t c = tcp_new();
  connect_result_t cr = tcp_connect(c, la);
  say("connect to the listener: %s", cr.is_err ? net_err(cr.val.err) : "ok");
  CHECK(!cr.is_err);
  accept_result_t ar = tcp_accept(lis);
  say("accept: %s", ar.is_err ? net_err(ar.val.err) : "ok");
  CHECK(!ar.is_err);
  addr_t client_local = tcp_local(c);
  imports_result_sockets_tcp_ip_socket_address_sockets_tcp_error_code_t peer =
      sockets_tcp_tcp_socket_remote_address(B(ar.val.ok.f0));
  CHECK(!peer.is_err);
  say("server sees the client's port: %s",
      peer.val.ok.val.ipv4.port == client_local.val.ipv4.port ? "yes" : "no");
  imports_result_sockets_tcp_ip_socket_address_sockets_tcp_error_code_t remote =
      sockets_tcp_tcp_socket_remote_address(B(c));
  say("client's remote port is the listener's: %s",
      !remote.is_err && remote.val.ok.val.ipv4.port == la.val.ipv4.port ? "yes"
                                                                        : "no");
  connect_result_t again = tcp_connect(c, la);
  say("connect again: %s", again.is_err ? net_err(again.val.err) : "ok");

  /* a port that was listening and is closed now */
  tcp_t gone = tcp_listener();
  uint16_t gone_port = tcp_local(gone).val.ipv4.port;
  sockets_tcp_tcp_socket_drop(gone);
  tcp_t d = tcp_new();
  connect_result_t refused = tcp_connect(d, loopback4(gone_port));
  say("connect to a closed port: %s",
      refused.is_err ? net_err(refused.val.err) : "ok");
  sockets_tcp_tcp_socket_drop(d);
  tcp_t e = tcp_new();
  connect_result_t zero = tcp_connect(e, loopback4(0));
  say("connect to port 0: %s", zero.is_err ? net_err(zero.val.err) : "ok");
  sockets_tcp_tcp_socket_drop(e);

  io_streams_input_stream_drop(ar.val.ok.f1);
  io_streams_output_stream_drop(ar.val.ok.f2);
  sockets_tcp_tcp_socket_drop(ar.val.ok.f0);
  io_streams_input_stream_drop(cr.val.ok.f0);
  io_streams_output_stream_drop(cr.val.ok.f1);
  sockets_tcp_tcp_socket_drop(c);
  sockets_tcp_tcp_socket_drop(lis);
  return 0;
}
