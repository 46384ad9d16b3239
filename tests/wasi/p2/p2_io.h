/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the WASI 0.2 acceptance programs written on the guest
 * bindings of a WASI world (include the world's header first): waiting on
 * pollables, whole writes and reads of streams, and the names of error
 * codes as WIT spells them. */
#ifndef P2_IO_H
#define P2_IO_H

#include "p2.h"

/* Blocks until `p` is ready, then drops it. */
static inline void wait_on(io_poll_pollable_t p) {
  io_poll_pollable_block(io_poll_borrow_pollable(p));
  io_poll_pollable_drop(p);
}

/* Writes all of [data, data+len) with check-write/write/flush, waiting on
 * the stream's pollable; false when the stream fails or closes. */
static inline bool write_all(io_streams_output_stream_t out,
                             const uint8_t *data, size_t len) {
  io_streams_borrow_output_stream_t b = io_streams_borrow_output_stream(out);
  while (len > 0) {
    imports_result_u64_io_streams_stream_error_t n =
        io_streams_output_stream_check_write(b);
    if (n.is_err) return false;
    if (n.val.ok == 0) {
      wait_on(io_streams_output_stream_subscribe(b));
      continue;
    }
    size_t chunk = len < n.val.ok ? len : (size_t)n.val.ok;
    imports_list_u8_t list = { (uint8_t *)data, chunk };
    if (io_streams_output_stream_write(b, list).is_err) return false;
    data += chunk;
    len -= chunk;
  }
  if (io_streams_output_stream_blocking_flush(b).is_err) return false;
  return true;
}

/* Reads until the stream closes or `cap` bytes arrived; returns the count
 * (buf holds them) and sets *closed when the stream ended. */
static inline size_t read_upto(io_streams_input_stream_t in, uint8_t *buf,
                               size_t cap, bool *closed) {
  io_streams_borrow_input_stream_t b = io_streams_borrow_input_stream(in);
  size_t got = 0;
  *closed = false;
  while (got < cap) {
    imports_result_list_u8_io_streams_stream_error_t r =
        io_streams_input_stream_blocking_read(b, cap - got);
    if (r.is_err) {
      *closed = true;
      io_streams_stream_error_free(&r.val.err);
      break;
    }
    memcpy(buf + got, r.val.ok.ptr, r.val.ok.len);
    got += r.val.ok.len;
    imports_list_u8_free(&r.val.ok);
  }
  return got;
}

#ifdef SOCKETS_NETWORK_ERROR_CODE_UNKNOWN
static inline const char *net_err(sockets_network_error_code_t e) {
  static const char *const names[] = {
    "unknown",
    "access-denied",
    "not-supported",
    "invalid-argument",
    "out-of-memory",
    "timeout",
    "concurrency-conflict",
    "not-in-progress",
    "would-block",
    "invalid-state",
    "new-socket-limit",
    "address-not-bindable",
    "address-in-use",
    "remote-unreachable",
    "connection-refused",
    "connection-reset",
    "connection-aborted",
    "datagram-too-large",
    "name-unresolvable",
    "temporary-resolver-failure",
    "permanent-resolver-failure",
  };
  return e < sizeof names / sizeof names[0] ? names[e] : "?";
}

/* 127.0.0.1:port */
static inline sockets_network_ip_socket_address_t loopback4(uint16_t port) {
  sockets_network_ip_socket_address_t a;
  memset(&a, 0, sizeof a);
  a.tag = SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4;
  a.val.ipv4.port = port;
  a.val.ipv4.address = (sockets_network_ipv4_address_t){ 127, 0, 0, 1 };
  return a;
}
#endif

#ifdef FILESYSTEM_TYPES_ERROR_CODE_ACCESS
static inline const char *fs_err(filesystem_types_error_code_t e) {
  static const char *const names[] = {
    "access",
    "would-block",
    "already",
    "bad-descriptor",
    "busy",
    "deadlock",
    "quota",
    "exist",
    "file-too-large",
    "illegal-byte-sequence",
    "in-progress",
    "interrupted",
    "invalid",
    "io",
    "is-directory",
    "loop",
    "too-many-links",
    "message-size",
    "name-too-long",
    "no-device",
    "no-entry",
    "no-lock",
    "insufficient-memory",
    "insufficient-space",
    "not-directory",
    "not-empty",
    "not-recoverable",
    "unsupported",
    "no-tty",
    "no-such-device",
    "overflow",
    "not-permitted",
    "pipe",
    "read-only",
    "invalid-seek",
    "text-file-busy",
    "cross-device",
  };
  return e < sizeof names / sizeof names[0] ? names[e] : "?";
}
#endif

#endif
