/* SPDX-License-Identifier: Apache-2.0 */
/* WASI preview1 host: the context, the descriptor table, guest memory
 * access, and the functions that are not about files (args, environ,
 * clocks, random, exit, poll, yield). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi/p1/wasi_internal.h"

/* ---- guest memory ------------------------------------------------------ */

uint8_t *wasi_mem(WgCaller *caller, uint32_t ptr, uint64_t len) {
  WgMemInst *mem = wg_caller_memory(caller);
  if (!mem) return NULL;
  return wg_memory_slice(mem, ptr, len);
}

bool wasi_store_u32(WgCaller *caller, uint32_t ptr, uint32_t value) {
  uint8_t *p = wasi_mem(caller, ptr, 4);
  if (!p) return false;
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(value >> (8 * i));
  return true;
}

bool wasi_store_u64(WgCaller *caller, uint32_t ptr, uint64_t value) {
  uint8_t *p = wasi_mem(caller, ptr, 8);
  if (!p) return false;
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(value >> (8 * i));
  return true;
}

/* ---- descriptors ------------------------------------------------------- */

WasiFd *wasi_fd(WgWasi *wasi, uint32_t fd) {
  if (fd >= wasi->fd_count || wasi->fds[fd].kind == WASI_FD_FREE) return NULL;
  return &wasi->fds[fd];
}

int64_t wasi_fd_add(WgWasi *wasi, WasiFdKind kind, int host) {
  uint32_t slot = 0;
  while (slot < wasi->fd_count && wasi->fds[slot].kind != WASI_FD_FREE)
    slot++;
  if (slot == wasi->fd_count) {
    if (wasi->fd_count == 1024) return -1; /* a guest may not hoard fds */
    if (wasi->fd_count == wasi->fd_cap) {
      uint32_t cap = wasi->fd_cap ? wasi->fd_cap * 2 : 16;
      WasiFd *fds = realloc(wasi->fds, cap * sizeof *fds);
      if (!fds) return -1;
      wasi->fds = fds;
      wasi->fd_cap = cap;
    }
    wasi->fd_count++;
  }
  memset(&wasi->fds[slot], 0, sizeof wasi->fds[slot]);
  wasi->fds[slot].kind = kind;
  wasi->fds[slot].host = host;
  return slot;
}

uint16_t wasi_errno(int e) {
  switch (e) {
    case 0:
      return WASI_ESUCCESS;
    case E2BIG:
      return WASI_E2BIG;
    case EACCES:
      return WASI_EACCES;
    case EAGAIN:
      return WASI_EAGAIN;
    case EBADF:
      return WASI_EBADF;
    case EBUSY:
      return WASI_EBUSY;
    case EEXIST:
      return WASI_EEXIST;
    case EFAULT:
      return WASI_EFAULT;
    case EFBIG:
      return WASI_EFBIG;
    case EILSEQ:
      return WASI_EILSEQ;
    case EINTR:
      return WASI_EINTR;
    case EINVAL:
      return WASI_EINVAL;
    case EIO:
      return WASI_EIO;
    case EISDIR:
      return WASI_EISDIR;
    case ELOOP:
      return WASI_ELOOP;
    case EMFILE:
      return WASI_EMFILE;
    case EMLINK:
      return WASI_EMLINK;
    case ENAMETOOLONG:
      return WASI_ENAMETOOLONG;
    case ENFILE:
      return WASI_ENFILE;
    case ENOENT:
      return WASI_ENOENT;
    case ENOMEM:
      return WASI_ENOMEM;
    case ENOSPC:
      return WASI_ENOSPC;
    case ENOSYS:
      return WASI_ENOSYS;
    case ENOTDIR:
      return WASI_ENOTDIR;
    case ENOTEMPTY:
      return WASI_ENOTEMPTY;
    case ENOTSUP:
      return WASI_ENOTSUP;
    case ENOTTY:
      return WASI_ENOTTY;
    case ENXIO:
      return WASI_ENXIO;
    case EOVERFLOW:
      return WASI_EOVERFLOW;
    case EPERM:
      return WASI_EPERM;
    case EPIPE:
      return WASI_EPIPE;
    case ERANGE:
      return WASI_ERANGE;
    case EROFS:
      return WASI_EROFS;
    case ESPIPE:
      return WASI_ESPIPE;
    case EXDEV:
      return WASI_EXDEV;
    default:
      return WASI_EIO;
  }
}

uint8_t wasi_filetype(unsigned mode) {
  if (S_ISREG(mode)) return WASI_FILETYPE_REGULAR_FILE;
  if (S_ISDIR(mode)) return WASI_FILETYPE_DIRECTORY;
  if (S_ISCHR(mode)) return WASI_FILETYPE_CHARACTER_DEVICE;
  if (S_ISBLK(mode)) return WASI_FILETYPE_BLOCK_DEVICE;
  if (S_ISLNK(mode)) return WASI_FILETYPE_SYMBOLIC_LINK;
  if (S_ISSOCK(mode)) return WASI_FILETYPE_SOCKET_STREAM;
  return WASI_FILETYPE_UNKNOWN;
}

/* ---- args and environment --------------------------------------------- */

/* Writes the pointer array at `ptrs` and the NUL-terminated strings at
 * `buf`, as args_get/environ_get specify. */
static uint16_t put_strings(WgCaller *caller, char **strings, size_t count,
                            uint32_t ptrs, uint32_t buf) {
  uint64_t at = buf;
  for (size_t i = 0; i < count; i++) {
    size_t n = strlen(strings[i]) + 1;
    uint8_t *dst = wasi_mem(caller, (uint32_t)at, n);
    if (at > UINT32_MAX || !dst ||
        !wasi_store_u32(caller, ptrs + 4 * (uint32_t)i, (uint32_t)at)) {
      return WASI_EFAULT;
    }
    memcpy(dst, strings[i], n);
    at += n;
  }
  return WASI_ESUCCESS;
}

static uint16_t put_sizes(WgCaller *caller, char **strings, size_t count,
                          uint32_t count_ptr, uint32_t size_ptr) {
  uint64_t total = 0;
  for (size_t i = 0; i < count; i++)
    total += strlen(strings[i]) + 1;
  if (!wasi_store_u32(caller, count_ptr, (uint32_t)count) ||
      !wasi_store_u32(caller, size_ptr, (uint32_t)total)) {
    return WASI_EFAULT;
  }
  return WASI_ESUCCESS;
}

WASI_FN(args_get) {
  WgWasi *w = env;
  RETURN_ERRNO(
      put_strings(caller, w->args, w->arg_count, ARG_U32(0), ARG_U32(1)));
}
WASI_FN(args_sizes_get) {
  WgWasi *w = env;
  RETURN_ERRNO(
      put_sizes(caller, w->args, w->arg_count, ARG_U32(0), ARG_U32(1)));
}
WASI_FN(environ_get) {
  WgWasi *w = env;
  RETURN_ERRNO(
      put_strings(caller, w->env, w->env_count, ARG_U32(0), ARG_U32(1)));
}
WASI_FN(environ_sizes_get) {
  WgWasi *w = env;
  RETURN_ERRNO(put_sizes(caller, w->env, w->env_count, ARG_U32(0), ARG_U32(1)));
}

/* ---- clocks, random, exit, scheduling --------------------------------- */

static bool host_clock(uint32_t id, clockid_t *out) {
  switch (id) {
    case 0:
      *out = CLOCK_REALTIME;
      return true;
    case 1:
      *out = CLOCK_MONOTONIC;
      return true;
    case 2:
      *out = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case 3:
      *out = CLOCK_THREAD_CPUTIME_ID;
      return true;
    default:
      return false;
  }
}

WASI_FN(clock_res_get) {
  (void)env;
  clockid_t id;
  struct timespec ts;
  if (!host_clock(ARG_U32(0), &id)) RETURN_ERRNO(WASI_EINVAL);
  if (clock_getres(id, &ts) != 0) RETURN_ERRNO(wasi_errno(errno));
  uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  RETURN_ERRNO(wasi_store_u64(caller, ARG_U32(1), ns) ? 0 : WASI_EFAULT);
}

WASI_FN(clock_time_get) {
  (void)env;
  clockid_t id;
  struct timespec ts;
  if (!host_clock(ARG_U32(0), &id)) RETURN_ERRNO(WASI_EINVAL);
  if (clock_gettime(id, &ts) != 0) RETURN_ERRNO(wasi_errno(errno));
  uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  RETURN_ERRNO(wasi_store_u64(caller, ARG_U32(2), ns) ? 0 : WASI_EFAULT);
}

WASI_FN(random_get) {
  (void)env;
  uint8_t *buf = wasi_mem(caller, ARG_U32(0), ARG_U32(1));
  if (!buf) RETURN_ERRNO(WASI_EFAULT);
  for (size_t done = 0, n = ARG_U32(1); done < n;) {
    ssize_t got = getrandom(buf + done, n - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      RETURN_ERRNO(wasi_errno(errno));
    }
    done += (size_t)got;
  }
  RETURN_ERRNO(WASI_ESUCCESS);
}

WASI_FN(proc_exit) {
  (void)env;
  (void)caller;
  (void)results;
  return wg_trap_new_exit(args[0].of.i32);
}

WASI_FN(proc_raise) {
  (void)env;
  (void)caller;
  (void)args;
  RETURN_ERRNO(WASI_ENOSYS);
}

WASI_FN(wasi_sched_yield) {
  (void)env;
  (void)caller;
  (void)args;
  sched_yield();
  RETURN_ERRNO(WASI_ESUCCESS);
}

/* poll_oneoff: clock subscriptions sleep until the earliest deadline; fd
 * subscriptions are reported ready at once (regular files and terminals
 * never block for long, and a guest busy-polls otherwise). */
WASI_FN(poll_oneoff) {
  (void)env;
  uint32_t in = ARG_U32(0), out = ARG_U32(1), n = ARG_U32(2);
  if (n == 0) RETURN_ERRNO(WASI_EINVAL);
  const uint8_t *subs = wasi_mem(caller, in, (uint64_t)n * 48);
  uint8_t *events = wasi_mem(caller, out, (uint64_t)n * 32);
  if (!subs || !events) RETURN_ERRNO(WASI_EFAULT);
  uint64_t now_mono = 0, wait = UINT64_MAX;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  now_mono = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  uint32_t ready = 0, clock_index = UINT32_MAX;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *s = subs + 48 * i;
    uint8_t tag = s[8];
    if (tag == 0) { /* clock */
      uint32_t id;
      uint64_t timeout;
      memcpy(&id, s + 16, 4);
      memcpy(&timeout, s + 24, 8);
      uint16_t flags;
      memcpy(&flags, s + 40, 2);
      uint64_t rel = timeout;
      if (flags & 1) { /* absolute time on that clock */
        clockid_t cid;
        if (!host_clock(id, &cid)) cid = CLOCK_MONOTONIC;
        clock_gettime(cid, &ts);
        uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        rel = timeout > now ? timeout - now : 0;
      }
      if (rel < wait) {
        wait = rel;
        clock_index = i;
      }
    }
  }
  /* fd events first: they are ready now */
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *s = subs + 48 * i;
    if (s[8] != 1 && s[8] != 2) continue;
    uint8_t *e = events + 32 * ready++;
    memset(e, 0, 32);
    memcpy(e, s, 8);
    e[10] = s[8];
  }
  if (ready == 0 && clock_index != UINT32_MAX) {
    struct timespec req = { (time_t)(wait / 1000000000u),
                            (long)(wait % 1000000000u) };
    while (nanosleep(&req, &req) != 0 && errno == EINTR) {
    }
    uint8_t *e = events + 32 * ready++;
    memset(e, 0, 32);
    memcpy(e, subs + 48 * clock_index, 8);
    e[10] = 0;
  }
  (void)now_mono;
  RETURN_ERRNO(wasi_store_u32(caller, ARG_U32(3), ready) ? 0 : WASI_EFAULT);
}

WASI_FN(sock_unsupported) {
  (void)env;
  (void)caller;
  (void)args;
  RETURN_ERRNO(WASI_ENOSYS);
}

const WasiFunc wasi_core_funcs[] = {
  { "args_get", "ii", "i", args_get },
  { "args_sizes_get", "ii", "i", args_sizes_get },
  { "environ_get", "ii", "i", environ_get },
  { "environ_sizes_get", "ii", "i", environ_sizes_get },
  { "clock_res_get", "ii", "i", clock_res_get },
  { "clock_time_get", "iIi", "i", clock_time_get },
  { "random_get", "ii", "i", random_get },
  { "proc_exit", "i", "", proc_exit },
  { "proc_raise", "i", "i", proc_raise },
  { "sched_yield", "", "i", wasi_sched_yield },
  { "poll_oneoff", "iiii", "i", poll_oneoff },
  { "sock_accept", "iii", "i", sock_unsupported },
  { "sock_recv", "iiiiii", "i", sock_unsupported },
  { "sock_send", "iiiii", "i", sock_unsupported },
  { "sock_shutdown", "ii", "i", sock_unsupported },
  { NULL, NULL, NULL, NULL },
};

/* ---- context ------------------------------------------------------------ */

static char **copy_strings(const char *const *src, size_t count) {
  char **out = calloc(count ? count : 1, sizeof *out);
  if (!out) return NULL;
  for (size_t i = 0; i < count; i++) {
    out[i] = strdup(src[i] ? src[i] : "");
    if (!out[i]) {
      while (i--)
        free(out[i]);
      free(out);
      return NULL;
    }
  }
  return out;
}

/* Adds an error to `diags` (may be NULL) and returns `status`. */
static WgStatus fail(WgDiagList *diags, WgStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static WgStatus fail(WgDiagList *diags, WgStatus status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wg_diag_list_vaddf(diags, WG_SEVERITY_ERROR, status, NULL, fmt, ap);
  va_end(ap);
  return status;
}

WgStatus wg_wasi_new(const WgWasiConfig *config, WgWasi **out,
                     WgDiagList *diags) {
  static const WgWasiConfig empty = { 0 };
  if (!config) config = &empty;
  *out = NULL;
  WgWasi *w = calloc(1, sizeof *w);
  if (!w) return fail(diags, WG_ERR_NOMEM, "out of memory");
  w->args = copy_strings(config->args, config->arg_count);
  w->arg_count = config->arg_count;
  w->env = copy_strings(config->env, config->env_count);
  w->env_count = config->env_count;
  if (!w->args || !w->env) {
    wg_wasi_delete(w);
    return fail(diags, WG_ERR_NOMEM, "out of memory");
  }
  int stdio[3] = { 0, 1, 2 };
  if (config->custom_stdio) {
    stdio[0] = config->stdin_fd;
    stdio[1] = config->stdout_fd;
    stdio[2] = config->stderr_fd;
  }
  for (int i = 0; i < 3; i++) {
    int dup_fd = dup(stdio[i]);
    if (dup_fd < 0 || wasi_fd_add(w, WASI_FD_STDIO, dup_fd) < 0) {
      int e = errno;
      if (dup_fd >= 0) close(dup_fd);
      wg_wasi_delete(w);
      return fail(diags, WG_ERR_IO, "stdio descriptor %d: %s", stdio[i],
                  strerror(e));
    }
  }
  for (size_t i = 0; i < config->dir_count; i++) {
    const WgWasiDir *d = &config->dirs[i];
    int fd = open(d->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      wg_wasi_delete(w);
      return fail(diags, WG_ERR_IO, "cannot open directory %s: %s",
                  d->host_path, strerror(e));
    }
    int64_t slot = wasi_fd_add(w, WASI_FD_DIR, fd);
    char *name = strdup(d->guest_path ? d->guest_path : d->host_path);
    if (slot < 0 || !name) {
      close(fd);
      free(name);
      wg_wasi_delete(w);
      return fail(diags, WG_ERR_NOMEM, "out of memory");
    }
    w->fds[slot].preopen = true;
    w->fds[slot].guest_path = name;
  }
  *out = w;
  return WG_OK;
}

void wg_wasi_delete(WgWasi *w) {
  if (!w) return;
  for (uint32_t i = 0; i < w->fd_count; i++) {
    if (w->fds[i].kind != WASI_FD_FREE) close(w->fds[i].host);
    free(w->fds[i].guest_path);
  }
  free(w->fds);
  for (size_t i = 0; w->args && i < w->arg_count; i++)
    free(w->args[i]);
  for (size_t i = 0; w->env && i < w->env_count; i++)
    free(w->env[i]);
  free(w->args);
  free(w->env);
  free(w);
}

static size_t kinds(const char *sig, WgValKind *out) {
  size_t n = 0;
  for (; sig[n]; n++)
    out[n] = sig[n] == 'I' ? WG_VAL_I64 : WG_VAL_I32;
  return n;
}

WgStatus wg_wasi_define(WgWasi *wasi, WgStore *store, WgLinker *linker) {
  const WasiFunc *tables[] = { wasi_core_funcs, wasi_fd_funcs,
                               wasi_path_funcs };
  for (size_t t = 0; t < 3; t++) {
    for (const WasiFunc *f = tables[t]; f->name; f++) {
      WgValKind params[16], results[4]; /* path_open takes 9 */
      size_t np = kinds(f->params, params), nr = kinds(f->results, results);
      WgFuncInst *fn = wg_func_new_host(store, params, (uint32_t)np, results,
                                        (uint32_t)nr, f->fn, wasi, NULL);
      if (!fn) return WG_ERR_NOMEM;
      WgExtern ext = { .kind = WG_WASM_EXTERN_FUNC, .of.func = fn };
      WgStatus st = wg_linker_define(linker, WG_STR("wasi_snapshot_preview1"),
                                     wg_str_from_cstr(f->name), ext);
      if (st != WG_OK) return st;
    }
  }
  return WG_OK;
}
