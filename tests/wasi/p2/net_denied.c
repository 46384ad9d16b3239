/* SPDX-License-Identifier: Apache-2.0 */
/* Network capabilities: with no --allow-net rule no socket can be made and
 * no name looked up (access-denied); with the rule 127.0.0.1:PORT only that
 * address may be bound or connected to. `net_denied none` or `net_denied
 * rule PORT`. */
#include "imports.h"
#include "p2_net.h"

int main(int argc, char **argv) {
  CHECK(argc >= 2);
  imports_result_sockets_tcp_tcp_socket_sockets_tcp_create_socket_error_code_t
      r = sockets_tcp_create_socket_create_tcp_socket(
          SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4);
  say("create tcp socket: %s", r.is_err ? net_err(r.val.err) : "ok");
  imports_result_sockets_udp_udp_socket_sockets_udp_create_socket_error_code_t
      u = sockets_udp_create_socket_create_udp_socket(
          SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4);
  say("create udp socket: %s", u.is_err ? net_err(u.val.err) : "ok");
  imports_string_t name;
  imports_string_set(&name, "localhost");
  imports_result_sockets_ip_name_lookup_resolve_address_stream_sockets_ip_name_lookup_error_code_t
      l = sockets_ip_name_lookup_resolve_addresses(net(), name);
  say("look up localhost: %s", l.is_err ? net_err(l.val.err) : "ok");
  if (r.is_err) return 0;
  uint16_t granted = (uint16_t)atoi(argv[2]);
  tcp_t s = r.val.ok;
  say("bind 127.0.0.1:%s: %s", "other",
      bind_err(tcp_bind(s, loopback4((uint16_t)(granted + 1)))));
  tcp_t s2 = tcp_new();
  say("bind 127.0.0.1:%s: %s", "granted",
      bind_err(tcp_bind(s2, loopback4(granted))));
  tcp_t s3 = tcp_new();
  connect_result_t cr = tcp_connect(s3, loopback4((uint16_t)(granted + 1)));
  say("connect 127.0.0.1:%s: %s", "other",
      cr.is_err ? net_err(cr.val.err) : "ok");
  addr_t far = loopback4(80);
  far.val.ipv4.address = (sockets_network_ipv4_address_t){ 192, 0, 2, 1 };
  tcp_t s4 = tcp_new();
  cr = tcp_connect(s4, far);
  say("connect 192.0.2.1:80: %s", cr.is_err ? net_err(cr.val.err) : "ok");
  return 0;
}
