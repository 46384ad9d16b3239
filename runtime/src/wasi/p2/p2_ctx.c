/* SPDX-License-Identifier: Apache-2.0 */
/* The WASI 0.2 host's capabilities (WgWasi2), per-instance contexts and
 * their resource tables, linking, and running wasi:cli/command components.
 *
 * A handle the host gives a component is the representation of a host
 * resource: (context index << 20) | slot. The context index finds the
 * context in a process-wide registry, so a resource destructor (which the
 * runtime calls with the representation alone) finds its table; every
 * other call finds its context through the store's data pointer. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "p2.h"

/* Section: objects */

void p2_obj_init(P2Obj *o, P2Type type, void (*free_fn)(P2Obj *)) {
  atomic_init(&o->refs, 1);
  o->type = (uint8_t)type;
  o->free = free_fn;
}

P2Obj *p2_ref(P2Obj *o) {
  if (o) atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
  return o;
}

void p2_unref(P2Obj *o) {
  if (o && atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1)
    o->free(o);
}

WgTrap *p2_trap(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return wg_trap_new(buf);
}

WgTrap *p2_bad_handle(const char *what) {
  return p2_trap("wasi: not a live %s handle", what);
}

/* Section: the registry of contexts */

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static P2Ctx *_Atomic registry[P2_MAX_CTX];
static uint32_t registry_next = 1; /* index 0 unused: rep 0 means "none" */

static bool registry_add(P2Ctx *c) {
  pthread_mutex_lock(&registry_mu);
  bool ok = false;
  for (uint32_t n = 0; n < P2_MAX_CTX - 1; n++) {
    uint32_t i = registry_next;
    registry_next = registry_next + 1 < P2_MAX_CTX ? registry_next + 1 : 1;
    if (!atomic_load_explicit(&registry[i], memory_order_relaxed)) {
      c->id = i;
      atomic_store_explicit(&registry[i], c, memory_order_release);
      ok = true;
      break;
    }
  }
  pthread_mutex_unlock(&registry_mu);
  return ok;
}

static void registry_remove(P2Ctx *c) {
  pthread_mutex_lock(&registry_mu);
  atomic_store_explicit(&registry[c->id], NULL, memory_order_release);
  pthread_mutex_unlock(&registry_mu);
}

static P2Ctx *ctx_of_rep(uint32_t rep) {
  return atomic_load_explicit(&registry[rep >> P2_SLOT_BITS],
                              memory_order_acquire);
}

P2Ctx *p2_ctx(WgCCall *call) {
  return wg_store_data(wg_ccall_store(call));
}

/* Section: resource tables */

uint32_t p2_add(P2Ctx *c, P2Obj *o) {
  if (!o) return 0;
  uint32_t i = c->free_head;
  if (i) {
    c->free_head = c->slots[i].next;
  } else {
    if (c->slot_count + 1 >= (1u << P2_SLOT_BITS)) {
      p2_unref(o);
      return 0;
    }
    if (c->slot_count + 1 >= c->slot_cap) {
      uint32_t cap = c->slot_cap ? c->slot_cap * 2 : 64;
      P2Slot *s = realloc(c->slots, cap * sizeof *s);
      if (!s) {
        p2_unref(o);
        return 0;
      }
      c->slots = s;
      c->slot_cap = cap;
    }
    if (c->slot_count == 0) c->slot_count = 1; /* slot 0 unused */
    i = c->slot_count++;
  }
  c->slots[i].obj = o;
  c->slots[i].next = 0;
  c->live++;
  return c->id << P2_SLOT_BITS | i;
}

static P2Slot *slot_of(uint32_t rep, P2Ctx **out_ctx) {
  P2Ctx *c = ctx_of_rep(rep);
  uint32_t i = rep & ((1u << P2_SLOT_BITS) - 1);
  if (!c || i == 0 || i >= c->slot_count || !c->slots[i].obj) return NULL;
  if (out_ctx) *out_ctx = c;
  return &c->slots[i];
}

P2Obj *p2_get(uint32_t rep, P2Type type) {
  P2Slot *s = slot_of(rep, NULL);
  return s && s->obj->type == type ? s->obj : NULL;
}

P2Obj *p2_take(uint32_t rep, P2Type type) {
  P2Ctx *c;
  P2Slot *s = slot_of(rep, &c);
  if (!s || s->obj->type != type) return NULL;
  P2Obj *o = s->obj;
  s->obj = NULL;
  s->next = c->free_head;
  c->free_head = (uint32_t)(s - c->slots);
  c->live--;
  return o;
}

void p2_drop(uint32_t rep) {
  P2Ctx *c;
  P2Slot *s = slot_of(rep, &c);
  if (!s) return;
  P2Obj *o = s->obj;
  s->obj = NULL;
  s->next = c->free_head;
  c->free_head = (uint32_t)(s - c->slots);
  c->live--;
  p2_unref(o);
}

/* Section: errors */

static void error_free(P2Obj *o) {
  P2Error *e = (P2Error *)o;
  free(e->message);
  free(e);
}

uint32_t p2_error_new(P2Ctx *c, int host_errno, int http_code,
                      const char *message) {
  P2Error *e = calloc(1, sizeof *e);
  if (!e) return 0;
  p2_obj_init(&e->base, P2_ERROR, error_free);
  e->host_errno = host_errno;
  e->http_code = http_code;
  e->message = strdup(message      ? message
                      : host_errno ? strerror(host_errno)
                                   : "error");
  return p2_add(c, &e->base);
}

p2_filesystem_types_error_code_t p2_fs_errno(int e) {
  switch (e) {
    case EACCES:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_ACCESS;
    case EAGAIN:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_WOULD_BLOCK;
    case EALREADY:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_ALREADY;
    case EBADF:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_BAD_DESCRIPTOR;
    case EBUSY:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_BUSY;
    case EDEADLK:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_DEADLOCK;
    case EDQUOT:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_QUOTA;
    case EEXIST:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_EXIST;
    case EFBIG:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_FILE_TOO_LARGE;
    case EILSEQ:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_ILLEGAL_BYTE_SEQUENCE;
    case EINPROGRESS:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_IN_PROGRESS;
    case EINTR:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_INTERRUPTED;
    case EINVAL:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_INVALID;
    case EIO:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_IO;
    case EISDIR:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_IS_DIRECTORY;
    case ELOOP:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_LOOP;
    case EMLINK:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_TOO_MANY_LINKS;
    case EMSGSIZE:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_MESSAGE_SIZE;
    case ENAMETOOLONG:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NAME_TOO_LONG;
    case ENODEV:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NO_DEVICE;
    case ENOENT:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NO_ENTRY;
    case ENOLCK:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NO_LOCK;
    case ENOMEM:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_INSUFFICIENT_MEMORY;
    case ENOSPC:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_INSUFFICIENT_SPACE;
    case ENOTDIR:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NOT_DIRECTORY;
    case ENOTEMPTY:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NOT_EMPTY;
    case ENOTRECOVERABLE:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NOT_RECOVERABLE;
    case ENOTSUP:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_UNSUPPORTED;
    case ENOTTY:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NO_TTY;
    case ENXIO:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NO_SUCH_DEVICE;
    case EOVERFLOW:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_OVERFLOW;
    case EPERM:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_NOT_PERMITTED;
    case EPIPE:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_PIPE;
    case EROFS:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_READ_ONLY;
    case ESPIPE:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_INVALID_SEEK;
    case ETXTBSY:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_TEXT_FILE_BUSY;
    case EXDEV:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_CROSS_DEVICE;
    default:
      return P2_FILESYSTEM_TYPES_ERROR_CODE_IO;
  }
}

/* Section: network rules */

static void set_err(char *err, size_t size, const char *fmt, const char *arg) {
  if (size) snprintf(err, size, fmt, arg);
}

/* "HOST:PORT" -> rule. */
static bool parse_rule(const char *text, P2NetRule *r) {
  memset(r, 0, sizeof *r);
  const char *colon = strrchr(text, ':');
  if (!colon || colon == text || !colon[1]) return false;
  if (strcmp(colon + 1, "*") != 0) {
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535) return false;
    r->port = (uint32_t)port;
  }
  size_t hl = (size_t)(colon - text);
  char host[256];
  if (hl >= sizeof host) return false;
  memcpy(host, text, hl);
  host[hl] = '\0';
  if (strcmp(host, "*") == 0) return true;
  if (host[0] == '[') {
    if (hl < 3 || host[hl - 1] != ']') return false;
    host[hl - 1] = '\0';
    if (inet_pton(AF_INET6, host + 1, r->addr) != 1) return false;
    r->family = AF_INET6;
    return true;
  }
  if (inet_pton(AF_INET, host, r->addr) == 1) {
    r->family = AF_INET;
    return true;
  }
  for (const char *p = host; *p; p++)
    if (!(*p == '-' || *p == '.' || (*p >= '0' && *p <= '9') ||
          (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
      return false;
  r->family = -1;
  r->name = strdup(host);
  return r->name != NULL;
}

bool p2_net_allowed(const WgWasi2 *w, const struct sockaddr *addr) {
  uint32_t port;
  const uint8_t *a;
  int fam = addr->sa_family;
  if (fam == AF_INET) {
    const struct sockaddr_in *s = (const struct sockaddr_in *)addr;
    port = ntohs(s->sin_port);
    a = (const uint8_t *)&s->sin_addr;
  } else if (fam == AF_INET6) {
    const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)addr;
    port = ntohs(s->sin6_port);
    a = (const uint8_t *)&s->sin6_addr;
  } else {
    return false;
  }
  for (size_t i = 0; i < w->rule_count; i++) {
    const P2NetRule *r = &w->rules[i];
    if (r->port && r->port != port) continue;
    if (r->family == 0) return true;
    if (r->family != fam) continue;
    if (memcmp(r->addr, a, fam == AF_INET ? 4 : 16) == 0) return true;
  }
  return false;
}

bool p2_net_allowed_host(const WgWasi2 *w, const char *host, size_t len,
                         uint32_t port) {
  char name[256];
  if (len >= sizeof name) return false;
  memcpy(name, host, len);
  name[len] = '\0';
  uint8_t addr[16];
  int fam = 0;
  if (len > 2 && name[0] == '[' && name[len - 1] == ']') {
    name[len - 1] = '\0';
    if (inet_pton(AF_INET6, name + 1, addr) == 1) fam = AF_INET6;
  } else if (inet_pton(AF_INET, name, addr) == 1) {
    fam = AF_INET;
  }
  for (size_t i = 0; i < w->rule_count; i++) {
    const P2NetRule *r = &w->rules[i];
    if (r->port && r->port != port) continue;
    if (r->family == 0) return true;
    if (r->family == -1 && strcasecmp(r->name, name) == 0) return true;
    if (fam && r->family == fam &&
        memcmp(r->addr, addr, fam == AF_INET ? 4 : 16) == 0)
      return true;
  }
  return false;
}

/* Section: capabilities */

static char *dup_or_null(const char *s, bool *ok) {
  char *d = strdup(s ? s : "");
  if (!d) *ok = false;
  return d;
}

WgStatus wg_wasi2_new(const WgWasi2Config *cfg, WgWasi2 **out, char *err,
                      size_t err_size) {
  *out = NULL;
  WgWasi2 *w = calloc(1, sizeof *w);
  if (!w) return WG_ERR_NOMEM;
  bool ok = true;
  w->stdio[0] = cfg->custom_stdio ? cfg->stdin_fd : 0;
  w->stdio[1] = cfg->custom_stdio ? cfg->stdout_fd : 1;
  w->stdio[2] = cfg->custom_stdio ? cfg->stderr_fd : 2;
  w->http_buffer = cfg->http_buffer ? cfg->http_buffer : (size_t)1 << 20;
  w->args = calloc(cfg->arg_count + 1, sizeof *w->args);
  w->env_keys = calloc(cfg->env_count + 1, sizeof *w->env_keys);
  w->env_values = calloc(cfg->env_count + 1, sizeof *w->env_values);
  w->dirs = calloc(cfg->dir_count + 1, sizeof *w->dirs);
  w->rules = calloc(cfg->allow_net_count + 1, sizeof *w->rules);
  if (!w->args || !w->env_keys || !w->env_values || !w->dirs || !w->rules)
    ok = false;
  for (size_t i = 0; ok && i < cfg->arg_count; i++, w->arg_count++)
    w->args[i] = dup_or_null(cfg->args[i], &ok);
  for (size_t i = 0; ok && i < cfg->env_count; i++, w->env_count++) {
    const char *kv = cfg->env[i], *eq = strchr(kv, '=');
    size_t kl = eq ? (size_t)(eq - kv) : strlen(kv);
    w->env_keys[i] = strndup(kv, kl);
    w->env_values[i] = strdup(eq ? eq + 1 : "");
    if (!w->env_keys[i] || !w->env_values[i]) ok = false;
  }
  if (!ok) {
    wg_wasi2_delete(w);
    return WG_ERR_NOMEM;
  }
  for (size_t i = 0; i < cfg->dir_count; i++) {
    int fd = open(cfg->dirs[i].host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      set_err(err, err_size, "cannot open directory %s",
              cfg->dirs[i].host_path);
      wg_wasi2_delete(w);
      return WG_ERR_IO;
    }
    P2Dir *d = &w->dirs[w->dir_count++];
    d->fd = fd;
    d->read_only = cfg->dirs[i].read_only;
    d->guest = strdup(cfg->dirs[i].guest_path ? cfg->dirs[i].guest_path
                                              : cfg->dirs[i].host_path);
    if (!d->guest) {
      wg_wasi2_delete(w);
      return WG_ERR_NOMEM;
    }
  }
  for (size_t i = 0; i < cfg->allow_net_count; i++) {
    if (!parse_rule(cfg->allow_net[i], &w->rules[w->rule_count])) {
      set_err(err, err_size,
              "bad network rule '%s' (want HOST:PORT, HOST an IPv4 "
              "address, [IPv6], a name or *, PORT a number or *)",
              cfg->allow_net[i]);
      wg_wasi2_delete(w);
      return WG_ERR_INVALID;
    }
    w->rule_count++;
  }
  *out = w;
  return WG_OK;
}

void wg_wasi2_delete(WgWasi2 *w) {
  if (!w) return;
  for (size_t i = 0; i < w->arg_count; i++)
    free(w->args[i]);
  for (size_t i = 0; i < w->env_count; i++) {
    free(w->env_keys[i]);
    free(w->env_values[i]);
  }
  for (size_t i = 0; i < w->dir_count; i++) {
    close(w->dirs[i].fd);
    free(w->dirs[i].guest);
  }
  for (size_t i = 0; i < w->rule_count; i++)
    free(w->rules[i].name);
  free(w->args);
  free(w->env_keys);
  free(w->env_values);
  free(w->dirs);
  free(w->rules);
  free(w);
}

/* Section: contexts */

WgStatus wg_wasi2_ctx_new(WgWasi2 *wasi, WgStore *store, WgWasi2Ctx **out) {
  *out = NULL;
  P2Ctx *c = calloc(1, sizeof *c);
  if (!c) return WG_ERR_NOMEM;
  c->wasi = wasi;
  c->store = store;
  if (!registry_add(c)) {
    free(c);
    return WG_ERR_LIMIT;
  }
  wg_store_set_data(store, c);
  *out = c;
  return WG_OK;
}

void wg_wasi2_ctx_delete(WgWasi2Ctx *c) {
  if (!c) return;
  /* objects may refer to each other: drop the table's references, then
   * the context's own */
  for (uint32_t i = 1; i < c->slot_count; i++) {
    P2Obj *o = c->slots[i].obj;
    c->slots[i].obj = NULL;
    p2_unref(o);
  }
  for (int i = 0; i < 3; i++)
    p2_unref((P2Obj *)c->stdio_streams[i]);
  registry_remove(c);
  free(c->slots);
  free(c);
}

void wg_wasi2_ctx_set_time_limit(WgWasi2Ctx *c, uint64_t ms) {
  c->deadline = ms ? p2_now_ns() + ms * 1000000ull : 0;
}

size_t wg_wasi2_ctx_resource_count(const WgWasi2Ctx *c) {
  return c->live;
}

/* Section: linking */

WgStatus wg_wasi2_add_to_linker(WgComponentLinker *linker, WgDiagList *diags) {
  static const wasip2_imports_t imports = {
    .p2_io_poll = &p2_io_poll_impl,
    .p2_clocks_monotonic_clock = &p2_monotonic_impl,
    .p2_io_error = &p2_io_error_impl,
    .p2_io_streams = &p2_io_streams_impl,
    .p2_http_types = &p2_http_types_impl,
    .p2_http_outgoing_handler = &p2_outgoing_impl,
    .p2_cli_environment = &p2_environment_impl,
    .p2_cli_exit = &p2_exit_impl,
    .p2_cli_stdin = &p2_stdin_impl,
    .p2_cli_stdout = &p2_stdout_impl,
    .p2_cli_stderr = &p2_stderr_impl,
    .p2_cli_terminal_input = &p2_terminal_input_impl,
    .p2_cli_terminal_output = &p2_terminal_output_impl,
    .p2_cli_terminal_stdin = &p2_terminal_stdin_impl,
    .p2_cli_terminal_stdout = &p2_terminal_stdout_impl,
    .p2_cli_terminal_stderr = &p2_terminal_stderr_impl,
    .p2_clocks_wall_clock = &p2_wall_impl,
    .p2_filesystem_types = &p2_fs_types_impl,
    .p2_filesystem_preopens = &p2_fs_preopens_impl,
    .p2_sockets_network = &p2_network_impl,
    .p2_sockets_instance_network = &p2_instance_network_impl,
    .p2_sockets_udp = &p2_udp_impl,
    .p2_sockets_udp_create_socket = &p2_udp_create_impl,
    .p2_sockets_tcp = &p2_tcp_impl,
    .p2_sockets_tcp_create_socket = &p2_tcp_create_impl,
    .p2_sockets_ip_name_lookup = &p2_lookup_impl,
    .p2_random_random = &p2_random_impl,
    .p2_random_insecure = &p2_insecure_impl,
    .p2_random_insecure_seed = &p2_insecure_seed_impl,
  };
  return wasip2_add_to_linker(linker, &imports, NULL, diags);
}

/* Section: running */

/* Instantiates `pre` in the context's store and binds the world's exports
 * (those the component has). */
static WgStatus instantiate(P2Ctx *c, WgComponentPre *pre, wasip2_t *b,
                            WgDiagList *diags) {
  WgComponentInstance *inst;
  WgStatus st = wg_component_pre_instantiate(pre, c->store, &inst, diags);
  if (st != WG_OK) return st;
  /* a command has no incoming-handler, a proxy no run: bind what is there */
  wasip2_bind(b, inst, NULL);
  b->instance = inst;
  return WG_OK;
}

WgStatus wg_wasi2_run(WgWasi2Ctx *c, WgComponentPre *pre, int *exit_code,
                      WgTrap **trap, WgDiagList *diags) {
  *exit_code = 0;
  *trap = NULL;
  wasip2_t b;
  WgStatus st = instantiate(c, pre, &b, diags);
  if (st != WG_OK) return st;
  if (!b.funcs[0]) {
    wg_diag_list_addf(diags, WG_SEVERITY_ERROR, WG_ERR_UNLINKABLE, NULL,
                      "the component exports no wasi:cli/run@0.2.x `run`");
    return WG_ERR_UNLINKABLE;
  }
  wasip2_result_void_void_t r;
  WgTrap *t = exports_p2_cli_run_call_run(&b, &r);
  if (!t) {
    *exit_code = r.is_err ? 1 : 0;
    return WG_OK;
  }
  if (wg_trap_kind(t) == WG_TRAP_EXIT) {
    *exit_code = wg_trap_exit_code(t);
    wg_trap_delete(t);
    return WG_OK;
  }
  *trap = t;
  return WG_ERR_TRAP;
}

WgStatus wg_wasi2_http_handle(WgWasi2Ctx *c, WgComponentPre *pre,
                              const WgWasi2HttpRequest *request,
                              const WgWasi2HttpResponder *responder,
                              bool *responded, WgTrap **trap,
                              WgDiagList *diags) {
  *responded = false;
  *trap = NULL;
  wasip2_t b;
  WgStatus st = instantiate(c, pre, &b, diags);
  if (st != WG_OK) return st;
  if (!b.funcs[1]) {
    wg_diag_list_addf(diags, WG_SEVERITY_ERROR, WG_ERR_UNLINKABLE, NULL,
                      "the component exports no "
                      "wasi:http/incoming-handler@0.2.x `handle`");
    return WG_ERR_UNLINKABLE;
  }
  c->responder = responder;
  c->responded = false;
  uint32_t req = p2_http_incoming_request(c, request);
  uint32_t out = req ? p2_http_outparam(c) : 0;
  if (!req || !out) {
    if (req) p2_drop(req);
    return WG_ERR_NOMEM;
  }
  /* both handles move into the call */
  WgTrap *t = exports_p2_http_incoming_handler_call_handle(
      &b, (p2_http_types_incoming_request_t){ req },
      (p2_http_types_response_outparam_t){ out });
  *responded = c->responded;
  c->responder = NULL;
  if (t) {
    *trap = t;
    return WG_ERR_TRAP;
  }
  return WG_OK;
}
