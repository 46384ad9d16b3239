/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:sockets/udp on loopback: two sockets bound to ephemeral ports, an
 * unconnected stream sending to the other's address, a connected stream
 * (remote given to `stream`), datagram boundaries kept, source addresses
 * reported, sending without an address on an unconnected stream refused,
 * receive with nothing pending returns an empty list. */
#include "imports.h"
#include "p2_io.h"

typedef sockets_udp_udp_socket_t udp_t;
typedef sockets_network_ip_socket_address_t addr_t;
typedef imports_result_tuple2_sockets_udp_incoming_datagram_stream_sockets_udp_outgoing_datagram_stream_sockets_udp_error_code_t
    stream_result_t;

static sockets_network_network_t the_net;

static udp_t udp_bound(void) {
  imports_result_sockets_udp_udp_socket_sockets_udp_create_socket_error_code_t
      r = sockets_udp_create_socket_create_udp_socket(
          SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4);
  CHECK(!r.is_err);
  sockets_udp_borrow_udp_socket_t b = sockets_udp_borrow_udp_socket(r.val.ok);
  CHECK(!sockets_udp_udp_socket_start_bind(
             b, sockets_network_borrow_network(the_net), loopback4(0))
             .is_err);
  for (;;) {
    imports_result_void_sockets_udp_error_code_t f =
        sockets_udp_udp_socket_finish_bind(b);
    if (!f.is_err) break;
    CHECK(f.val.err == SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK);
    wait_on(sockets_udp_udp_socket_subscribe(b));
  }
  return r.val.ok;
}

static addr_t local(udp_t s) {
  imports_result_sockets_udp_ip_socket_address_sockets_udp_error_code_t r =
      sockets_udp_udp_socket_local_address(sockets_udp_borrow_udp_socket(s));
  CHECK(!r.is_err);
  return r.val.ok;
}

static void send_one(sockets_udp_outgoing_datagram_stream_t out,
                     const char *text, const addr_t *to, const char *what) {
  sockets_udp_borrow_outgoing_datagram_stream_t b =
      sockets_udp_borrow_outgoing_datagram_stream(out);
  for (;;) {
    imports_result_u64_sockets_udp_error_code_t c =
        sockets_udp_outgoing_datagram_stream_check_send(b);
    CHECK(!c.is_err);
    if (c.val.ok > 0) break;
    wait_on(sockets_udp_outgoing_datagram_stream_subscribe(b));
  }
  sockets_udp_outgoing_datagram_t d;
  d.data = (imports_list_u8_t){ (uint8_t *)text, strlen(text) };
  d.remote_address.is_some = to != NULL;
  if (to) d.remote_address.val = *to;
  imports_result_u64_sockets_udp_error_code_t s =
      sockets_udp_outgoing_datagram_stream_send(
          b, (imports_list_sockets_udp_outgoing_datagram_t){ &d, 1 });
  say("%s: %s", what,
      s.is_err        ? net_err(s.val.err)
      : s.val.ok == 1 ? "sent"
                      : "not sent");
}

static void receive(sockets_udp_incoming_datagram_stream_t in, size_t want,
                    uint16_t from) {
  sockets_udp_borrow_incoming_datagram_stream_t b =
      sockets_udp_borrow_incoming_datagram_stream(in);
  size_t got = 0;
  while (got < want) {
    imports_result_list_sockets_udp_incoming_datagram_sockets_udp_error_code_t
        r = sockets_udp_incoming_datagram_stream_receive(b, want - got);
    CHECK(!r.is_err);
    if (r.val.ok.len == 0) {
      wait_on(sockets_udp_incoming_datagram_stream_subscribe(b));
      continue;
    }
    for (size_t i = 0; i < r.val.ok.len; i++) {
      sockets_udp_incoming_datagram_t *d = &r.val.ok.ptr[i];
      say("received [%.*s] from the sender's port: %s", (int)d->data.len,
          d->data.ptr, d->remote_address.val.ipv4.port == from ? "yes" : "no");
    }
    got += r.val.ok.len;
    imports_list_sockets_udp_incoming_datagram_free(&r.val.ok);
  }
}

int main(void) {
  the_net = sockets_instance_network_instance_network();
  udp_t a = udp_bound(), b = udp_bound();
  addr_t aa = local(a), ba = local(b);
  say("both bound to ports: %s",
      aa.val.ipv4.port && ba.val.ipv4.port ? "yes" : "no");

  stream_result_t as = sockets_udp_udp_socket_stream(
      sockets_udp_borrow_udp_socket(a),
      (imports_option_sockets_udp_ip_socket_address_t){ false });
  CHECK(!as.is_err);
  imports_option_sockets_udp_ip_socket_address_t to_a = { true, aa };
  stream_result_t bs =
      sockets_udp_udp_socket_stream(sockets_udp_borrow_udp_socket(b), to_a);
  CHECK(!bs.is_err);

  imports_list_sockets_udp_incoming_datagram_t none;
  imports_result_list_sockets_udp_incoming_datagram_sockets_udp_error_code_t
      empty = sockets_udp_incoming_datagram_stream_receive(
          sockets_udp_borrow_incoming_datagram_stream(as.val.ok.f0), 10);
  CHECK(!empty.is_err);
  none = empty.val.ok;
  say("receive with nothing pending: %zu datagrams", none.len);

  send_one(as.val.ok.f1, "first", &ba, "a -> b with an address");
  send_one(as.val.ok.f1, "second", &ba, "a -> b again");
  send_one(as.val.ok.f1, "nowhere", NULL, "a without an address");
  receive(bs.val.ok.f0, 2, aa.val.ipv4.port);
  send_one(bs.val.ok.f1, "reply", NULL, "b -> a (connected)");
  receive(as.val.ok.f0, 1, ba.val.ipv4.port);
  imports_result_sockets_udp_ip_socket_address_sockets_udp_error_code_t ra =
      sockets_udp_udp_socket_remote_address(sockets_udp_borrow_udp_socket(b));
  say("b's remote is a: %s",
      !ra.is_err && ra.val.ok.val.ipv4.port == aa.val.ipv4.port ? "yes" : "no");
  ra = sockets_udp_udp_socket_remote_address(sockets_udp_borrow_udp_socket(a));
  say("a's remote: %s", ra.is_err ? net_err(ra.val.err) : "set");

  sockets_udp_incoming_datagram_stream_drop(as.val.ok.f0);
  sockets_udp_outgoing_datagram_stream_drop(as.val.ok.f1);
  sockets_udp_incoming_datagram_stream_drop(bs.val.ok.f0);
  sockets_udp_outgoing_datagram_stream_drop(bs.val.ok.f1);
  sockets_udp_udp_socket_drop(a);
  sockets_udp_udp_socket_drop(b);
  return 0;
}
