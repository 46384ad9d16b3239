/* SPDX-License-Identifier: Apache-2.0 */
/* WASI preview1 path functions (path_*): every path goes through
 * wasi_resolve(), then one *at() call on the resolved parent directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/p1/wasi_internal.h"
#include "wasi/sandbox.h"

uint16_t wasi_resolve(WgWasi *wasi, uint32_t dir, const char *path,
                      size_t path_len, bool follow, int *parent,
                      char leaf[256]) {
  WasiFd *d = wasi_fd(wasi, dir);
  if (!d) return WASI_EBADF;
  if (d->kind != WASI_FD_DIR) return WASI_ENOTDIR;
  int r = wg_sandbox_resolve(d->host, path, path_len, follow, parent, leaf);
  if (r == 0) return WASI_ESUCCESS;
  if (r == WG_SANDBOX_ESCAPE) return WASI_ENOTCAPABLE;
  return wasi_errno(r);
}

/* Resolves the guest path at (ptr, len) relative to `dir`. */
static uint16_t resolve_arg(WgWasi *w, WgCaller *caller, uint32_t dir,
                            uint32_t ptr, uint32_t len, bool follow,
                            int *parent, char leaf[256]) {
  const char *path = (const char *)wasi_mem(caller, ptr, len);
  if (!path && len) return WASI_EFAULT;
  return wasi_resolve(w, dir, path, len, follow, parent, leaf);
}

WASI_FN(path_open) {
  WgWasi *w = env;
  uint32_t dirflags = ARG_U32(1), oflags = ARG_U32(4);
  uint64_t rights = ARG_U64(5);
  uint32_t fdflags = ARG_U32(7);
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(w, caller, ARG_U32(0), ARG_U32(2), ARG_U32(3),
                           dirflags & 1, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  int flags = O_CLOEXEC | O_NOFOLLOW;
  bool want_write = rights & ((1u << 6) | (1u << 22)); /* fd_write, set_size */
  bool want_read = rights & ((1u << 1) | (1u << 14));  /* fd_read, readdir */
  if (oflags & 2) {
    flags |= O_DIRECTORY | O_RDONLY;
  } else if (want_write) {
    flags |= want_read ? O_RDWR : O_WRONLY;
  } else {
    flags |= O_RDONLY;
  }
  if (oflags & 1) flags |= O_CREAT;
  if (oflags & 4) flags |= O_EXCL;
  if (oflags & 8) flags |= O_TRUNC;
  if (fdflags & 1) flags |= O_APPEND;
  if (fdflags & 4) flags |= O_NONBLOCK;
  if (fdflags & (2 | 8 | 16)) flags |= O_SYNC;
  int fd = openat(parent, leaf, flags, 0666);
  if (fd < 0 && errno == EISDIR && !(oflags & 2) && !want_write) {
    fd = openat(parent, leaf, (flags & ~O_ACCMODE) | O_RDONLY | O_DIRECTORY, 0);
  }
  int e = errno;
  close(parent);
  if (fd < 0) RETURN_ERRNO(e == ELOOP ? WASI_ELOOP : wasi_errno(e));
  struct stat st;
  fstat(fd, &st);
  int64_t slot =
      wasi_fd_add(w, S_ISDIR(st.st_mode) ? WASI_FD_DIR : WASI_FD_FILE, fd);
  if (slot < 0) {
    close(fd);
    RETURN_ERRNO(WASI_EMFILE);
  }
  w->fds[slot].fdflags = (uint16_t)fdflags;
  RETURN_ERRNO(
      wasi_store_u32(caller, ARG_U32(8), (uint32_t)slot) ? 0 : WASI_EFAULT);
}

WASI_FN(path_create_directory) {
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(1), ARG_U32(2),
                           false, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  int rc = mkdirat(parent, leaf, 0777), e = errno;
  close(parent);
  RETURN_ERRNO(rc == 0 ? 0 : wasi_errno(e));
}

WASI_FN(path_filestat_get) {
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(2), ARG_U32(3),
                           ARG_U32(1) & 1, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  struct stat st;
  int rc = fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW), e = errno;
  close(parent);
  if (rc != 0) RETURN_ERRNO(wasi_errno(e));
  RETURN_ERRNO(wasi_put_filestat(caller, ARG_U32(4), &st));
}

WASI_FN(path_filestat_set_times) {
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(2), ARG_U32(3),
                           ARG_U32(1) & 1, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  struct timespec ts[2];
  wasi_times(ARG_U64(4), ARG_U64(5), ARG_U32(6), ts);
  int rc = utimensat(parent, leaf, ts, AT_SYMLINK_NOFOLLOW), e = errno;
  close(parent);
  RETURN_ERRNO(rc == 0 ? 0 : wasi_errno(e));
}

WASI_FN(path_remove_directory) {
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(1), ARG_U32(2),
                           false, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  int rc = unlinkat(parent, leaf, AT_REMOVEDIR), e = errno;
  close(parent);
  RETURN_ERRNO(rc == 0 ? 0 : wasi_errno(e));
}

WASI_FN(path_unlink_file) {
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(1), ARG_U32(2),
                           false, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  int rc = unlinkat(parent, leaf, 0), e = errno;
  close(parent);
  RETURN_ERRNO(rc == 0 ? 0 : wasi_errno(e));
}

WASI_FN(path_readlink) {
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(1), ARG_U32(2),
                           false, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  uint32_t len = ARG_U32(4);
  char *buf = (char *)wasi_mem(caller, ARG_U32(3), len);
  if (!buf && len) {
    close(parent);
    RETURN_ERRNO(WASI_EFAULT);
  }
  ssize_t n = readlinkat(parent, leaf, buf, len);
  int e = errno;
  close(parent);
  if (n < 0) RETURN_ERRNO(wasi_errno(e));
  RETURN_ERRNO(wasi_store_u32(caller, ARG_U32(5), (uint32_t)n) ? 0
                                                               : WASI_EFAULT);
}

WASI_FN(path_rename) {
  int from, to;
  char from_leaf[256], to_leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(1), ARG_U32(2),
                           false, &from, from_leaf);
  if (r) RETURN_ERRNO(r);
  r = resolve_arg(env, caller, ARG_U32(3), ARG_U32(4), ARG_U32(5), false, &to,
                  to_leaf);
  if (r) {
    close(from);
    RETURN_ERRNO(r);
  }
  int rc = renameat(from, from_leaf, to, to_leaf), e = errno;
  close(from);
  close(to);
  RETURN_ERRNO(rc == 0 ? 0 : wasi_errno(e));
}

WASI_FN(path_link) {
  int from, to;
  char from_leaf[256], to_leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(0), ARG_U32(2), ARG_U32(3),
                           ARG_U32(1) & 1, &from, from_leaf);
  if (r) RETURN_ERRNO(r);
  r = resolve_arg(env, caller, ARG_U32(4), ARG_U32(5), ARG_U32(6), false, &to,
                  to_leaf);
  if (r) {
    close(from);
    RETURN_ERRNO(r);
  }
  int rc = linkat(from, from_leaf, to, to_leaf, 0), e = errno;
  close(from);
  close(to);
  RETURN_ERRNO(rc == 0 ? 0 : wasi_errno(e));
}

/* A symlink's target is stored as given; it is only ever followed through
 * wasi_resolve(), which keeps it inside the sandbox, so an absolute or
 * escaping target is harmless but refused early for clarity. */
WASI_FN(path_symlink) {
  uint32_t tlen = ARG_U32(1);
  const char *target = (const char *)wasi_mem(caller, ARG_U32(0), tlen);
  if (!target && tlen) RETURN_ERRNO(WASI_EFAULT);
  if (tlen > 4095) RETURN_ERRNO(WASI_ENAMETOOLONG);
  char copy[4096];
  memcpy(copy, target, tlen);
  copy[tlen] = '\0';
  if (strlen(copy) != tlen) RETURN_ERRNO(WASI_EILSEQ);
  if (copy[0] == '/') RETURN_ERRNO(WASI_ENOTCAPABLE);
  int parent;
  char leaf[256];
  uint16_t r = resolve_arg(env, caller, ARG_U32(2), ARG_U32(3), ARG_U32(4),
                           false, &parent, leaf);
  if (r) RETURN_ERRNO(r);
  int rc = symlinkat(copy, parent, leaf), e = errno;
  close(parent);
  RETURN_ERRNO(rc == 0 ? 0 : wasi_errno(e));
}

const WasiFunc wasi_path_funcs[] = {
  { "path_create_directory", "iii", "i", path_create_directory },
  { "path_filestat_get", "iiiii", "i", path_filestat_get },
  { "path_filestat_set_times", "iiiiIIi", "i", path_filestat_set_times },
  { "path_link", "iiiiiii", "i", path_link },
  { "path_open", "iiiiiIIii", "i", path_open },
  { "path_readlink", "iiiiii", "i", path_readlink },
  { "path_remove_directory", "iii", "i", path_remove_directory },
  { "path_rename", "iiiiii", "i", path_rename },
  { "path_symlink", "iiiii", "i", path_symlink },
  { "path_unlink_file", "iii", "i", path_unlink_file },
  { NULL, NULL, NULL, NULL },
};
