/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:sockets/ip-name-lookup: a numeric address resolves to itself
 * without a query, "localhost" to a loopback address, and names that are
 * not names are refused with invalid-argument. */
#include "imports.h"
#include "p2_io.h"

static void lookup(const char *name) {
  imports_string_t s;
  imports_string_set(&s, name);
  imports_result_sockets_ip_name_lookup_resolve_address_stream_sockets_ip_name_lookup_error_code_t
      r = sockets_ip_name_lookup_resolve_addresses(
          sockets_network_borrow_network(
              sockets_instance_network_instance_network()),
          s);
  if (r.is_err) {
    say("%s: %s", name, net_err(r.val.err));
    return;
  }
  sockets_ip_name_lookup_borrow_resolve_address_stream_t b =
      sockets_ip_name_lookup_borrow_resolve_address_stream(r.val.ok);
  int count = 0, loopback = 0;
  for (;;) {
    imports_result_option_sockets_ip_name_lookup_ip_address_sockets_ip_name_lookup_error_code_t
        n = sockets_ip_name_lookup_resolve_address_stream_resolve_next_address(
            b);
    if (n.is_err && n.val.err == SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK) {
      wait_on(sockets_ip_name_lookup_resolve_address_stream_subscribe(b));
      continue;
    }
    if (n.is_err) {
      say("%s: %s", name, net_err(n.val.err));
      break;
    }
    if (!n.val.ok.is_some) break;
    count++;
    sockets_network_ip_address_t *a = &n.val.ok.val;
    if (a->tag == SOCKETS_NETWORK_IP_ADDRESS_IPV4
            ? a->val.ipv4.f0 == 127
            : a->val.ipv6.f7 == 1 && a->val.ipv6.f0 == 0)
      loopback++;
  }
  say("%s: %s addresses, all loopback: %s", name, count > 0 ? "some" : "no",
      count > 0 && loopback == count ? "yes" : "no");
  sockets_ip_name_lookup_resolve_address_stream_drop(r.val.ok);
}

int main(void) {
  lookup("127.0.0.1");
  lookup("localhost");
  lookup("");
  lookup("not a name");
  return 0;
}
