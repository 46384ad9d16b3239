/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:http (placeholder while the rest is built). */
#include "p2.h"

const p2_http_types_impl_t p2_http_types_impl = { 0 };
const p2_http_outgoing_handler_impl_t p2_outgoing_impl = { 0 };

bool p2_http_ready(P2Obj *o, P2Wait *w) {
  return true;
}

uint32_t p2_http_incoming_request(P2Ctx *c, const WgWasi2HttpRequest *req) {
  return 0;
}

uint32_t p2_http_outparam(P2Ctx *c) {
  return 0;
}
