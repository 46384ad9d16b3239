/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/wasi2.h
 * The WASI 0.2 host for components (witgen/component.h): wasi:cli,
 * wasi:io, wasi:clocks, wasi:random, wasi:filesystem, wasi:sockets and
 * wasi:http (types, outgoing-handler; incoming-handler through
 * wg_wasi2_http_handle()). One definition serves every 0.2.x version a
 * component imports (0.2.0 ... 0.2.12), and one component may mix them.
 *
 * Capabilities are granted, never assumed: a guest sees only the
 * arguments, environment variables and directories of its WgWasi2Config
 * (directories read-write or read-only, resolved one component at a time so
 * that `..`, absolute paths and symbolic links cannot lead out), and may
 * use the network only as its rules allow (`--allow-net ADDR:PORT`).
 *
 * Objects and ownership:
 *  - WgWasi2: the granted capabilities (arguments, environment, open
 *    directories, network rules, stdio). Immutable once made; shared by any
 *    number of contexts and threads. Caller owns it; release with
 *    wg_wasi2_delete() after every context made from it.
 *  - WgWasi2Ctx: the state of one component instance (its host resources:
 *    streams, descriptors, sockets, HTTP objects; its exit status),
 *    attached to one store. Used by the store's thread. Caller owns it;
 *    release with wg_wasi2_ctx_delete() after deleting the store.
 *
 * Errors: functions returning WgStatus append messages to a caller-owned
 * WgDiagList (may be NULL) or write them to `err`; guest-visible failures
 * are WASI error codes, never host errors.
 */
#ifndef WITGEN_WASI2_H
#define WITGEN_WASI2_H

#include "witgen/common.h"
#include "witgen/component.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Capabilities */

/** A host directory made visible to the guest as a preopen. */
typedef struct WgWasi2Dir {
  const char *host_path;  /**< NUL-terminated host folder */
  const char *guest_path; /**< NUL-terminated name the guest sees */
  bool read_only;         /**< no writes, creation, removal or renames */
} WgWasi2Dir;

/**
 * What the guest may see and do. A zeroed config grants nothing: no
 * arguments, environment, directories or network; stdio are the host's
 * 0, 1, 2 unless `custom_stdio`. Strings are copied by wg_wasi2_new().
 */
typedef struct WgWasi2Config {
  const char *const *args; /**< argv[0] is the program name */
  size_t arg_count;
  const char *const *env; /**< "KEY=VALUE" strings */
  size_t env_count;
  const WgWasi2Dir *dirs;
  size_t dir_count;
  /** Network rules, each "HOST:PORT": HOST an IPv4 address, an IPv6
   * address in brackets, a host name (outgoing HTTP only) or `*`; PORT a
   * number or `*`. Sockets may bind, connect and send only to addresses a
   * rule names; outgoing HTTP requests only to authorities a rule names;
   * names may be looked up when there is at least one rule. */
  const char *const *allow_net;
  size_t allow_net_count;
  bool custom_stdio; /**< use the three fds below instead of 0, 1, 2 */
  int stdin_fd, stdout_fd, stderr_fd;
  /** Most bytes of one outgoing HTTP response body or incoming request
   * body buffered in the host at a time (0: 1 MiB). */
  size_t http_buffer;
} WgWasi2Config;

typedef struct WgWasi2 WgWasi2;

/**
 * Makes the capabilities of `config`: opens every granted directory and
 * parses the network rules. On WG_OK the caller owns `*out`; release with
 * wg_wasi2_delete(). Otherwise WG_ERR_IO (a directory cannot be opened),
 * WG_ERR_INVALID (a malformed rule) or WG_ERR_NOMEM, with the reason in
 * `err` (`err_size` bytes, may be 0), and `*out` is NULL.
 */
WG_API WgStatus wg_wasi2_new(const WgWasi2Config *config, WgWasi2 **out,
                             char *err, size_t err_size);

/** Closes the granted directories and frees `wasi`. NULL does nothing. */
WG_API void wg_wasi2_delete(WgWasi2 *wasi);

/* Section: Linking */

/**
 * Defines every WASI 0.2 import (wasi:cli, io, clocks, random,
 * filesystem, sockets, http types and outgoing-handler; version 0.2.12,
 * which serves imports of every 0.2.x) in `linker`. The definitions find
 * their WgWasi2Ctx through the store of each call (wg_wasi2_ctx_new()): a
 * call from a store without one traps. WG_OK, or the linker's error.
 */
WG_API WgStatus wg_wasi2_add_to_linker(WgComponentLinker *linker,
                                       WgDiagList *diags);

/* Section: Contexts */

typedef struct WgWasi2Ctx WgWasi2Ctx;

/**
 * A context for the instances of `store` (attached with
 * wg_store_set_data(): the store's data pointer is the context's). `wasi`
 * must outlive it. On WG_OK the caller owns `*out`; release with
 * wg_wasi2_ctx_delete() once the store is deleted. WG_ERR_LIMIT when 4,096
 * contexts are alive at once, WG_ERR_NOMEM.
 */
WG_API WgStatus wg_wasi2_ctx_new(WgWasi2 *wasi, WgStore *store,
                                 WgWasi2Ctx **out);

/** Frees the context and every host resource still in it. Delete the
 * store first. NULL does nothing. */
WG_API void wg_wasi2_ctx_delete(WgWasi2Ctx *ctx);

/** Limits how long host functions of the context may wait (poll, blocking
 * reads and writes, HTTP responses): after `ms` milliseconds from now a
 * wait ends with a trap "interrupted: ...". Pair it with
 * wg_store_interrupt() from another thread at the same time, which stops
 * running wasm code. 0 removes the limit. */
WG_API void wg_wasi2_ctx_set_time_limit(WgWasi2Ctx *ctx, uint64_t ms);

/** Number of host resources the context holds (for leak checks). */
WG_API size_t wg_wasi2_ctx_resource_count(const WgWasi2Ctx *ctx);

/* Section: Commands */

/**
 * Runs a `wasi:cli/command` component: instantiates `pre` in the store of
 * `ctx` and calls its `wasi:cli/run` export (any 0.2.x version). On WG_OK
 * `*exit_code` is the program's status: 0 when run returns ok, 1 when it
 * returns an error, the code given to wasi:cli/exit otherwise. A trap
 * (not an exit) gives WG_ERR_TRAP with `*trap` set (the caller owns it;
 * release with wg_trap_delete()). WG_ERR_UNLINKABLE when the component
 * exports no wasi:cli/run; instantiation errors as
 * wg_component_pre_instantiate() gives them, in `diags`.
 */
WG_API WgStatus wg_wasi2_run(WgWasi2Ctx *ctx, WgComponentPre *pre,
                             int *exit_code, WgTrap **trap, WgDiagList *diags);

/* Section: Serving wasi:http */

/** One header of a request or response. Borrowed. */
typedef struct WgWasi2Header {
  WgStr name;
  WgStr value;
} WgWasi2Header;

/** The request a server hands to wg_wasi2_http_handle(). Borrowed for the
 * call; the body is read through `read_body`. */
typedef struct WgWasi2HttpRequest {
  WgStr method;    /**< "GET", "POST", ... (other methods kept as given) */
  WgStr path;      /**< path with query, e.g. "/a/b?c=d" */
  WgStr scheme;    /**< "http" or "https" */
  WgStr authority; /**< the Host header, e.g. "127.0.0.1:8080" */
  const WgWasi2Header *headers;
  size_t header_count;
  /** Reads up to `cap` bytes of the request body into `buf`, blocking
   * until some are available: the count, 0 at the end of the body, -1 on
   * an error (client gone). NULL: no body. Called on the guest's thread. */
  long (*read_body)(void *env, uint8_t *buf, size_t cap);
  void *env;
} WgWasi2HttpRequest;

/** Where the guest's response goes: the server's callbacks, called on the
 * guest's thread. */
typedef struct WgWasi2HttpResponder {
  /** The guest set the response: status and headers (borrowed during the
   * call). Return false to abandon the response (client gone). */
  bool (*start)(void *env, uint16_t status, const WgWasi2Header *headers,
                size_t header_count);
  /** A piece of the response body (borrowed during the call); false when
   * the client is gone. */
  bool (*body)(void *env, const uint8_t *data, size_t len);
  /** The body is complete, with optional trailers (borrowed). */
  void (*finish)(void *env, const WgWasi2Header *trailers,
                 size_t trailer_count);
  void *env;
} WgWasi2HttpResponder;

/**
 * Serves one request with a `wasi:http/proxy` component: instantiates
 * `pre` in the store of `ctx`, makes the incoming-request and
 * response-outparam resources and calls the component's
 * `wasi:http/incoming-handler` `handle`. The response reaches `responder`
 * as the guest sets and writes it. On WG_OK the handler returned;
 * `*responded` says whether it set a response (a handler that returns
 * without one, or sets an error, has failed: answer 500). A trap gives
 * WG_ERR_TRAP and `*trap` (caller owns; wg_trap_delete()): WG_TRAP_FUEL
 * when the store's fuel ran out, WG_TRAP_INTERRUPT after
 * wg_store_interrupt() (a time limit), any other kind for a fault. Other
 * statuses as for wg_wasi2_run().
 */
WG_API WgStatus wg_wasi2_http_handle(WgWasi2Ctx *ctx, WgComponentPre *pre,
                                     const WgWasi2HttpRequest *request,
                                     const WgWasi2HttpResponder *responder,
                                     bool *responded, WgTrap **trap,
                                     WgDiagList *diags);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_WASI2_H */
