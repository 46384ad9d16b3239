/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:sockets/tcp states: listen before bind, accept before listen, accept
 * with nothing pending (would-block), is-listening, a backlog size, three
 * clients queued then accepted in order, options on a listener. */
#include "imports.h"
#include "p2_net.h"

int main(void) {
  tcp_t s = tcp_new();
  say("is-listening before listen: %s",
      sockets_tcp_tcp_socket_is_listening(B(s)) ? "yes" : "no");
  accept_result_t early = sockets_tcp_tcp_socket_accept(B(s));
  say("accept before listen: %s", early.is_err ? net_err(early.val.err) : "ok");
  imports_result_void_sockets_tcp_error_code_t fin =
      sockets_tcp_tcp_socket_finish_listen(B(s));
  say("finish-listen without start: %s",
      fin.is_err ? net_err(fin.val.err) : "ok");
  CHECK(tcp_bind(s, loopback4(0)) == 0);
  say("set-listen-backlog-size 16: %s",
      sockets_tcp_tcp_socket_set_listen_backlog_size(B(s), 16).is_err ? "error"
                                                                      : "ok");
  say("listen: %s", bind_err(tcp_listen(s)));
  say("is-listening: %s",
      sockets_tcp_tcp_socket_is_listening(B(s)) ? "yes" : "no");
  say("listen again: %s", bind_err(tcp_listen(s)));
  accept_result_t none = sockets_tcp_tcp_socket_accept(B(s));
  say("accept with nothing pending: %s",
      none.is_err ? net_err(none.val.err) : "ok");

  addr_t la = tcp_local(s);
  tcp_t clients[3];
  uint16_t ports[3];
  for (int i = 0; i < 3; i++) {
    clients[i] = tcp_new();
    connect_result_t cr = tcp_connect(clients[i], la);
    CHECK(!cr.is_err);
    io_streams_input_stream_drop(cr.val.ok.f0);
    io_streams_output_stream_drop(cr.val.ok.f1);
    ports[i] = tcp_local(clients[i]).val.ipv4.port;
  }
  int in_order = 0;
  for (int i = 0; i < 3; i++) {
    accept_result_t a = tcp_accept(s);
    CHECK(!a.is_err);
    imports_result_sockets_tcp_ip_socket_address_sockets_tcp_error_code_t peer =
        sockets_tcp_tcp_socket_remote_address(B(a.val.ok.f0));
    CHECK(!peer.is_err);
    in_order += peer.val.ok.val.ipv4.port == ports[i];
    say("accepted socket is listening: %s",
        sockets_tcp_tcp_socket_is_listening(B(a.val.ok.f0)) ? "yes" : "no");
    io_streams_input_stream_drop(a.val.ok.f1);
    io_streams_output_stream_drop(a.val.ok.f2);
    sockets_tcp_tcp_socket_drop(a.val.ok.f0);
  }
  say("three clients accepted, in order: %d", in_order);
  imports_result_bool_sockets_tcp_error_code_t ka =
      sockets_tcp_tcp_socket_keep_alive_enabled(B(s));
  say("keep-alive readable: %s", ka.is_err ? "no" : "yes");
  say("set-hop-limit 0: %s",
      sockets_tcp_tcp_socket_set_hop_limit(B(s), 0).is_err ? "refused" : "ok");
  say("set-receive-buffer-size 0: %s",
      sockets_tcp_tcp_socket_set_receive_buffer_size(B(s), 0).is_err ? "refused"
                                                                     : "ok");
  for (int i = 0; i < 3; i++)
    sockets_tcp_tcp_socket_drop(clients[i]);
  sockets_tcp_tcp_socket_drop(s);
  return 0;
}
