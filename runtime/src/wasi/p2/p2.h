/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the WASI 0.2 host (witgen/wasi2.h): the capabilities, the
 * per-instance contexts and their resource tables, the objects behind the
 * resources (pollables, streams, pipes, descriptors, sockets, HTTP
 * objects), and the impl tables each part fills. The typed bindings come
 * from wasip2_host.h, generated at build time from wit/wasip2.wit. */
#ifndef WG_RUNTIME_WASI_P2_H
#define WG_RUNTIME_WASI_P2_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>

#include "wasip2_host.h"
#include "witgen/wasi2.h"

/* Section: objects
 * Every host resource is a reference-counted object; the resource table of
 * a context holds one reference per live handle, pollables and streams one
 * on the object they depend on (a stream keeps its descriptor or socket, a
 * pollable its source). Objects used by other threads (pipes) count
 * atomically, as all do. */
typedef enum P2Type {
  P2_POLLABLE = 1,
  P2_INPUT,
  P2_OUTPUT,
  P2_ERROR,
  P2_DESC,
  P2_DIRSTREAM,
  P2_TERM_IN,
  P2_TERM_OUT,
  P2_NETWORK,
  P2_TCP,
  P2_UDP,
  P2_UDP_IN,
  P2_UDP_OUT,
  P2_RESOLVE,
  P2_FIELDS,
  P2_IN_REQ,
  P2_OUT_REQ,
  P2_REQ_OPTS,
  P2_OUTPARAM,
  P2_IN_RESP,
  P2_IN_BODY,
  P2_FUT_TRAILERS,
  P2_OUT_RESP,
  P2_OUT_BODY,
  P2_FUT_RESP,
  P2_PIPE,     /* internal: a byte pipe between threads */
  P2_EXCHANGE, /* internal: an outgoing HTTP exchange */
} P2Type;

typedef struct P2Obj P2Obj;
struct P2Obj {
  atomic_uint refs;
  uint8_t type;
  void (*free)(P2Obj *self); /* frees what the object owns and itself */
};

/* Initializes the header of a new object (one reference). */
void p2_obj_init(P2Obj *o, P2Type type, void (*free_fn)(P2Obj *));
P2Obj *p2_ref(P2Obj *o);
void p2_unref(P2Obj *o); /* NULL does nothing */

/* Section: waiting
 * What a pollable waits for when it is not ready: a host descriptor's
 * events, a deadline on the monotonic clock, or both. */
typedef struct P2Wait {
  int fd;            /* -1: none */
  short events;      /* POLLIN / POLLOUT */
  bool eventfd;      /* fd is an eventfd to reset after it fired */
  uint64_t deadline; /* monotonic ns; 0: none */
} P2Wait;

/* True when the object is ready for what the pollable `mode` asks (see
 * p2_poll_new); otherwise fills `w`. Dispatches on the object's type. */
bool p2_obj_ready(P2Obj *src, int mode, P2Wait *w);

/* A new pollable on `src` (a reference is taken; NULL with `deadline` for a
 * clock) as a resource of `c`: its rep, or 0 on out-of-memory. */
struct WgWasi2Ctx;
uint32_t p2_poll_new(struct WgWasi2Ctx *c, P2Obj *src, int mode,
                     uint64_t deadline);
/* Blocks until `src` is ready (mode as above); false when the context's
 * time limit passed first. */
bool p2_wait_obj(struct WgWasi2Ctx *c, P2Obj *src, int mode);
/* The trap for a wait cut short by the time limit. */
WgTrap *p2_time_limit_trap(void);
uint64_t p2_now_ns(void); /* CLOCK_MONOTONIC */

/* Section: pipes
 * A bounded byte buffer between a writer and a reader that may be on other
 * threads (HTTP bodies). Readiness is signalled through an eventfd for
 * pollers. */
typedef struct P2Pipe {
  P2Obj base;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  uint8_t *buf;
  size_t head, len, cap;
  bool closed;      /* the writer finished (or failed: see error) */
  bool reader_gone; /* the reader dropped its end */
  int error;        /* 0, or a P2PipeError */
  int efd;          /* eventfd, written on every change */
} P2Pipe;

/* A pipe closed with error e > 0 failed; for HTTP bodies e - 1 is the
 * http error-code case (P2_HTTP_TYPES_ERROR_CODE_*). */

P2Pipe *p2_pipe_new(size_t cap);
/* Writes all of `data` (blocking while full); false when the reader is
 * gone. */
bool p2_pipe_write(P2Pipe *p, const uint8_t *data, size_t len);
/* Non-blocking: the space now free (0 when full; SIZE_MAX when the reader
 * is gone). */
size_t p2_pipe_space(P2Pipe *p);
/* Non-blocking read: bytes copied (0: none yet); *eof at the end. */
size_t p2_pipe_read(P2Pipe *p, uint8_t *buf, size_t cap, bool *eof);
/* Blocking read: 0 only at the end. */
size_t p2_pipe_read_wait(P2Pipe *p, uint8_t *buf, size_t cap, bool *eof);
void p2_pipe_close(P2Pipe *p, int error);
void p2_pipe_reader_gone(P2Pipe *p);
void p2_pipe_signal(P2Pipe *p); /* wakes pollers */
void p2_pipe_drain_signal(P2Pipe *p);

/* Section: streams */
typedef enum P2StreamKind {
  P2S_EMPTY = 0, /* input at its end / output discarding nothing: closed */
  P2S_STDIO,     /* a host descriptor: blocking writes, polled reads */
  P2S_FILE,      /* a file at an offset (pread/pwrite) or appending */
  P2S_SOCKET,    /* a connected TCP socket (non-blocking) */
  P2S_PIPE,      /* a P2Pipe end */
  P2S_SINK,      /* output to a callback (an HTTP response body) */
  P2S_SOURCE,    /* input from a blocking callback (a served request body) */
} P2StreamKind;

typedef struct P2Stream P2Stream;
struct P2Stream {
  P2Obj base; /* P2_INPUT or P2_OUTPUT */
  uint8_t kind;
  int fd;
  uint64_t offset;
  bool append;
  bool closed;    /* no more data / refuses writes */
  bool keep_open; /* output to a pipe: dropping the stream does not end it */
  int error;      /* sticky host errno of the last failure, 0 */
  P2Obj *owner;   /* descriptor, socket or body kept alive */
  P2Pipe *pipe;   /* P2S_PIPE */
  /* P2S_SOCKET output: bytes accepted by write but not yet sent */
  uint8_t *pend;
  size_t pend_len;
  /* P2S_SINK: where writes go; P2S_SOURCE: where reads come from */
  bool (*sink)(void *env, const uint8_t *data, size_t len);
  long (*source)(void *env, uint8_t *buf, size_t cap);
  void *sink_env;
  /* output: called when the stream is dropped (an HTTP body's end) */
  void (*on_drop)(P2Stream *self);
  int http_error;   /* -1, or the http error-code of a failed HTTP body */
  uint64_t written; /* bytes written so far (HTTP content-length checks) */
  uint64_t limit;   /* 0: none; writes beyond fail */
};

enum { P2_WRITE_BUDGET = 65536 }; /* bytes check-write permits at once */

P2Stream *p2_stream_new(P2Type dir, P2StreamKind kind, int fd, P2Obj *owner);
/* An input or output stream resource of `c` for `s` (takes the reference):
 * its rep, or 0 on out-of-memory. */
uint32_t p2_stream_add(struct WgWasi2Ctx *c, P2Stream *s);
/* Non-blocking read of up to `cap` bytes into `buf`: the count (0: none
 * now); -1 at the end (closed) or on failure (s->error set). */
long p2_stream_read(P2Stream *s, uint8_t *buf, size_t cap);
bool p2_stream_ready(P2Stream *s, P2Wait *w);

/* Section: capabilities and contexts */
typedef struct P2Dir {
  int fd;
  char *guest;
  bool read_only;
} P2Dir;

typedef struct P2NetRule {
  int family; /* 0: any host; AF_INET, AF_INET6: `addr`; -1: `name` */
  uint8_t addr[16];
  char *name;    /* host name (outgoing HTTP) */
  uint32_t port; /* 0: any */
} P2NetRule;

struct WgWasi2 {
  char **args;
  size_t arg_count;
  char **env_keys, **env_values;
  size_t env_count;
  P2Dir *dirs;
  size_t dir_count;
  P2NetRule *rules;
  size_t rule_count;
  int stdio[3];
  size_t http_buffer;
};

typedef struct P2Slot {
  P2Obj *obj;    /* NULL: free */
  uint32_t next; /* free list */
} P2Slot;

/* A handle's representation: the context's registry index and the slot. */
enum { P2_SLOT_BITS = 20, P2_MAX_CTX = 1 << (32 - P2_SLOT_BITS) };

struct WgWasi2Ctx {
  WgWasi2 *wasi;
  WgStore *store;
  uint32_t id;
  P2Slot *slots;
  uint32_t slot_count, slot_cap, free_head;
  size_t live;
  /* wasi:http/incoming-handler: where the response goes */
  const WgWasi2HttpResponder *responder;
  bool responded;
  /* the stdio streams' objects, shared by get-stdout calls */
  P2Stream *stdio_streams[3];
  uint64_t deadline; /* monotonic ns after which waits end; 0: none */
};

typedef struct WgWasi2Ctx P2Ctx;

/* Adds `o` (its reference moves into the table): the rep, or 0 when the
 * table is full or out of memory (the reference is dropped then). */
uint32_t p2_add(P2Ctx *c, P2Obj *o);
/* The object of `rep` if it has type `type` (borrowed), else NULL. */
P2Obj *p2_get(uint32_t rep, P2Type type);
/* Removes `rep` from its context's table and drops its reference. */
void p2_drop(uint32_t rep);
/* Removes `rep`, giving its reference to the caller (NULL: unknown). */
P2Obj *p2_take(uint32_t rep, P2Type type);
/* The context of a call (its store's data). */
P2Ctx *p2_ctx(WgCCall *call);

/* A trap with a printf-style message. */
WgTrap *p2_trap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The trap for a handle that is not of the expected type. */
WgTrap *p2_bad_handle(const char *what);

/* Section: errors (wasi:io/error) */
typedef struct P2Error {
  P2Obj base;
  int host_errno; /* 0 when not from the host OS */
  int http_code;  /* -1, or an http error-code case */
  char *message;
} P2Error;

/* A new io-error resource of `c`: rep (0 on out-of-memory). */
uint32_t p2_error_new(P2Ctx *c, int host_errno, int http_code,
                      const char *message);
/* filesystem error-code for a host errno. */
p2_filesystem_types_error_code_t p2_fs_errno(int e);

/* Section: sandbox and network rules */
/* Whether `addr` (sockaddr of family AF_INET/AF_INET6) may be used. */
bool p2_net_allowed(const WgWasi2 *w, const struct sockaddr *addr);
/* Whether an HTTP request to host `host` (not NUL-terminated) and `port`
 * may be made. */
bool p2_net_allowed_host(const WgWasi2 *w, const char *host, size_t len,
                         uint32_t port);

/* Section: the parts' tables (p2_*.c) */
extern const p2_io_poll_impl_t p2_io_poll_impl;
extern const p2_io_error_impl_t p2_io_error_impl;
extern const p2_io_streams_impl_t p2_io_streams_impl;
extern const p2_clocks_monotonic_clock_impl_t p2_monotonic_impl;
extern const p2_clocks_wall_clock_impl_t p2_wall_impl;
extern const p2_random_random_impl_t p2_random_impl;
extern const p2_random_insecure_impl_t p2_insecure_impl;
extern const p2_random_insecure_seed_impl_t p2_insecure_seed_impl;
extern const p2_cli_environment_impl_t p2_environment_impl;
extern const p2_cli_exit_impl_t p2_exit_impl;
extern const p2_cli_stdin_impl_t p2_stdin_impl;
extern const p2_cli_stdout_impl_t p2_stdout_impl;
extern const p2_cli_stderr_impl_t p2_stderr_impl;
extern const p2_cli_terminal_input_impl_t p2_terminal_input_impl;
extern const p2_cli_terminal_output_impl_t p2_terminal_output_impl;
extern const p2_cli_terminal_stdin_impl_t p2_terminal_stdin_impl;
extern const p2_cli_terminal_stdout_impl_t p2_terminal_stdout_impl;
extern const p2_cli_terminal_stderr_impl_t p2_terminal_stderr_impl;
extern const p2_filesystem_types_impl_t p2_fs_types_impl;
extern const p2_filesystem_preopens_impl_t p2_fs_preopens_impl;
extern const p2_sockets_network_impl_t p2_network_impl;
extern const p2_sockets_instance_network_impl_t p2_instance_network_impl;
extern const p2_sockets_tcp_impl_t p2_tcp_impl;
extern const p2_sockets_tcp_create_socket_impl_t p2_tcp_create_impl;
extern const p2_sockets_udp_impl_t p2_udp_impl;
extern const p2_sockets_udp_create_socket_impl_t p2_udp_create_impl;
extern const p2_sockets_ip_name_lookup_impl_t p2_lookup_impl;
extern const p2_http_types_impl_t p2_http_types_impl;
extern const p2_http_outgoing_handler_impl_t p2_outgoing_impl;

/* Readiness of the parts' objects (for p2_obj_ready). */
bool p2_tcp_ready(P2Obj *o, P2Wait *w);
bool p2_udp_ready(P2Obj *o, int mode, P2Wait *w);
bool p2_http_ready(P2Obj *o, P2Wait *w);

/* Incoming requests (p2_http.c), for wg_wasi2_http_handle(). */
uint32_t p2_http_incoming_request(P2Ctx *c, const WgWasi2HttpRequest *req);
uint32_t p2_http_outparam(P2Ctx *c);

#endif
