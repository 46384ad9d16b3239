/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:sockets/tcp bind: an ephemeral port on 127.0.0.1, the local address
 * it reports, binding twice, binding the same address from a second socket
 * while the first listens (address-in-use), an address that is not ours
 * (address-not-bindable), and a socket of the wrong family. */
#include "imports.h"
#include "p2_net.h"

int main(void) {
  tcp_t a = tcp_new();
  say("bind 127.0.0.1:0: %s", bind_err(tcp_bind(a, loopback4(0))));
  addr_t la = tcp_local(a);
  say("local address: ipv4 %s, 127.0.0.1 %s, port chosen %s",
      la.tag == SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4 ? "yes" : "no",
      la.val.ipv4.address.f0 == 127 && la.val.ipv4.address.f3 == 1 ? "yes"
                                                                   : "no",
      la.val.ipv4.port != 0 ? "yes" : "no");
  say("bind again: %s", bind_err(tcp_bind(a, loopback4(0))));
  CHECK(tcp_listen(a) == 0);
  tcp_t b = tcp_new();
  say("bind a listening port from another socket: %s",
      bind_err(tcp_bind(b, loopback4(la.val.ipv4.port))));
  sockets_tcp_tcp_socket_drop(b);
  tcp_t c = tcp_new();
  addr_t foreign = loopback4(0);
  foreign.val.ipv4.address = (sockets_network_ipv4_address_t){ 192, 0, 2, 1 };
  say("bind 192.0.2.1 (not ours): %s", bind_err(tcp_bind(c, foreign)));
  sockets_tcp_tcp_socket_drop(c);
  tcp_t d = tcp_new();
  addr_t v6;
  memset(&v6, 0, sizeof v6);
  v6.tag = SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV6;
  v6.val.ipv6.address.f7 = 1;
  say("bind an ipv6 address on an ipv4 socket: %s", bind_err(tcp_bind(d, v6)));
  sockets_tcp_tcp_socket_drop(d);
  sockets_tcp_tcp_socket_drop(a);
  return 0;
}
