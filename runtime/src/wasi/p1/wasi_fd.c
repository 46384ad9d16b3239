/* SPDX-License-Identifier: Apache-2.0 */
/* WASI preview1 descriptor functions (fd_*). */
/* preadv, pwritev and the DT_* d_type constants are BSD/GNU extensions */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi/p1/wasi_internal.h"

#define ALL_RIGHTS 0x1FFFFFFFull

enum { MAX_IOVS = 1024 };

/* Gathers the guest's iovec array into host iovecs; false on a bad pointer. */
static bool get_iovs(WgCaller *caller, uint32_t iovs, uint32_t count,
                     struct iovec *out) {
  if (count > MAX_IOVS) return false;
  const uint8_t *raw = wasi_mem(caller, iovs, (uint64_t)count * 8);
  if (!raw && count) return false;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t ptr, len;
    memcpy(&ptr, raw + 8 * i, 4);
    memcpy(&len, raw + 8 * i + 4, 4);
    uint8_t *p = wasi_mem(caller, ptr, len);
    if (!p && len) return false;
    out[i].iov_base = p;
    out[i].iov_len = len;
  }
  return true;
}

WASI_FN(fd_close) {
  WgWasi *w = env;
  WasiFd *fd = wasi_fd(w, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  close(fd->host);
  free(fd->guest_path);
  memset(fd, 0, sizeof *fd);
  RETURN_ERRNO(WASI_ESUCCESS);
}

typedef ssize_t (*IoFn)(int, const struct iovec *, int);

static uint16_t do_io(WgWasi *w, WgCaller *caller, const WgVal *args,
                      bool write, bool positioned, uint32_t out_ptr) {
  WasiFd *fd = wasi_fd(w, ARG_U32(0));
  if (!fd) return WASI_EBADF;
  if (fd->kind == WASI_FD_DIR) return WASI_EISDIR;
  struct iovec iov[MAX_IOVS];
  uint32_t count = ARG_U32(2);
  if (!get_iovs(caller, ARG_U32(1), count, iov)) return WASI_EFAULT;
  ssize_t n;
  if (positioned) {
    off_t at = (off_t)ARG_U64(3);
    n = write ? pwritev(fd->host, iov, (int)count, at)
              : preadv(fd->host, iov, (int)count, at);
  } else {
    n = write ? writev(fd->host, iov, (int)count)
              : readv(fd->host, iov, (int)count);
  }
  if (n < 0) return wasi_errno(errno);
  return wasi_store_u32(caller, out_ptr, (uint32_t)n) ? 0 : WASI_EFAULT;
}

WASI_FN(fd_read) {
  RETURN_ERRNO(do_io(env, caller, args, false, false, ARG_U32(3)));
}
WASI_FN(fd_write) {
  RETURN_ERRNO(do_io(env, caller, args, true, false, ARG_U32(3)));
}
WASI_FN(fd_pread) {
  RETURN_ERRNO(do_io(env, caller, args, false, true, ARG_U32(4)));
}
WASI_FN(fd_pwrite) {
  RETURN_ERRNO(do_io(env, caller, args, true, true, ARG_U32(4)));
}

WASI_FN(fd_seek) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  if (fd->kind == WASI_FD_DIR) RETURN_ERRNO(WASI_EISDIR);
  int whence;
  switch (ARG_U32(2)) {
    case 0:
      whence = SEEK_SET;
      break;
    case 1:
      whence = SEEK_CUR;
      break;
    case 2:
      whence = SEEK_END;
      break;
    default:
      RETURN_ERRNO(WASI_EINVAL);
  }
  off_t at = lseek(fd->host, (off_t)args[1].of.i64, whence);
  if (at < 0) RETURN_ERRNO(wasi_errno(errno));
  RETURN_ERRNO(wasi_store_u64(caller, ARG_U32(3), (uint64_t)at) ? 0
                                                                : WASI_EFAULT);
}

WASI_FN(fd_tell) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  off_t at = lseek(fd->host, 0, SEEK_CUR);
  if (at < 0) RETURN_ERRNO(wasi_errno(errno));
  RETURN_ERRNO(wasi_store_u64(caller, ARG_U32(1), (uint64_t)at) ? 0
                                                                : WASI_EFAULT);
}

WASI_FN(fd_fdstat_get) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  struct stat st;
  if (fstat(fd->host, &st) != 0) RETURN_ERRNO(wasi_errno(errno));
  uint8_t *p = wasi_mem(caller, ARG_U32(1), 24);
  if (!p) RETURN_ERRNO(WASI_EFAULT);
  memset(p, 0, 24);
  p[0] = wasi_filetype(st.st_mode);
  uint16_t flags = fd->fdflags;
  int host_flags = fcntl(fd->host, F_GETFL);
  if (host_flags >= 0 && (host_flags & O_APPEND)) flags |= 1;
  memcpy(p + 2, &flags, 2);
  uint64_t rights = ALL_RIGHTS;
  memcpy(p + 8, &rights, 8);
  memcpy(p + 16, &rights, 8);
  RETURN_ERRNO(WASI_ESUCCESS);
}

WASI_FN(fd_fdstat_set_flags) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  uint32_t flags = ARG_U32(1);
  int host = fcntl(fd->host, F_GETFL);
  if (host < 0) RETURN_ERRNO(wasi_errno(errno));
  host = (flags & 1) ? (host | O_APPEND) : (host & ~O_APPEND);
  host = (flags & 4) ? (host | O_NONBLOCK) : (host & ~O_NONBLOCK);
  if (fcntl(fd->host, F_SETFL, host) != 0) RETURN_ERRNO(wasi_errno(errno));
  fd->fdflags = (uint16_t)flags;
  RETURN_ERRNO(WASI_ESUCCESS);
}

WASI_FN(fd_fdstat_set_rights) {
  RETURN_ERRNO(wasi_fd(env, ARG_U32(0)) ? WASI_ESUCCESS : WASI_EBADF);
}

uint16_t wasi_put_filestat(WgCaller *caller, uint32_t ptr,
                           const struct stat *st) {
  uint8_t *p = wasi_mem(caller, ptr, 64);
  if (!p) return WASI_EFAULT;
  memset(p, 0, 64);
  uint64_t v[8] = {
    (uint64_t)st->st_dev,
    (uint64_t)st->st_ino,
    0,
    (uint64_t)st->st_nlink,
    (uint64_t)st->st_size,
    (uint64_t)st->st_atim.tv_sec * 1000000000u + (uint64_t)st->st_atim.tv_nsec,
    (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec,
    (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec,
  };
  memcpy(p, v, 16);
  p[16] = wasi_filetype(st->st_mode);
  memcpy(p + 24, v + 3, 40);
  return WASI_ESUCCESS;
}

WASI_FN(fd_filestat_get) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  struct stat st;
  if (fstat(fd->host, &st) != 0) RETURN_ERRNO(wasi_errno(errno));
  RETURN_ERRNO(wasi_put_filestat(caller, ARG_U32(1), &st));
}

WASI_FN(fd_filestat_set_size) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  if (ftruncate(fd->host, (off_t)ARG_U64(1)) != 0)
    RETURN_ERRNO(wasi_errno(errno));
  RETURN_ERRNO(WASI_ESUCCESS);
}

void wasi_times(uint64_t atim, uint64_t mtim, uint32_t flags,
                struct timespec ts[2]) {
  uint64_t t[2] = { atim, mtim };
  for (int i = 0; i < 2; i++) {
    uint32_t set = flags >> (2 * i) & 1, now = flags >> (2 * i + 1) & 1;
    if (now) {
      ts[i].tv_sec = 0;
      ts[i].tv_nsec = UTIME_NOW;
    } else if (set) {
      ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
      ts[i].tv_nsec = (long)(t[i] % 1000000000u);
    } else {
      ts[i].tv_sec = 0;
      ts[i].tv_nsec = UTIME_OMIT;
    }
  }
}

WASI_FN(fd_filestat_set_times) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  struct timespec ts[2];
  wasi_times(ARG_U64(1), ARG_U64(2), ARG_U32(3), ts);
  if (futimens(fd->host, ts) != 0) RETURN_ERRNO(wasi_errno(errno));
  RETURN_ERRNO(WASI_ESUCCESS);
}

WASI_FN(fd_sync) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  RETURN_ERRNO(fsync(fd->host) == 0 ? 0 : wasi_errno(errno));
}

WASI_FN(fd_advise) {
  RETURN_ERRNO(wasi_fd(env, ARG_U32(0)) ? WASI_ESUCCESS : WASI_EBADF);
}

WASI_FN(fd_allocate) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  int e = posix_fallocate(fd->host, (off_t)ARG_U64(1), (off_t)ARG_U64(2));
  RETURN_ERRNO(wasi_errno(e));
}

WASI_FN(fd_prestat_get) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  if (!fd->preopen) RETURN_ERRNO(WASI_EBADF);
  uint8_t *p = wasi_mem(caller, ARG_U32(1), 8);
  if (!p) RETURN_ERRNO(WASI_EFAULT);
  memset(p, 0, 8);
  uint32_t len = (uint32_t)strlen(fd->guest_path);
  memcpy(p + 4, &len, 4);
  RETURN_ERRNO(WASI_ESUCCESS);
}

WASI_FN(fd_prestat_dir_name) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd || !fd->preopen) RETURN_ERRNO(WASI_EBADF);
  size_t len = strlen(fd->guest_path);
  if (ARG_U32(2) < len) RETURN_ERRNO(WASI_ENAMETOOLONG);
  uint8_t *p = wasi_mem(caller, ARG_U32(1), len);
  if (!p && len) RETURN_ERRNO(WASI_EFAULT);
  memcpy(p, fd->guest_path, len);
  RETURN_ERRNO(WASI_ESUCCESS);
}

WASI_FN(fd_renumber) {
  WgWasi *w = env;
  WasiFd *from = wasi_fd(w, ARG_U32(0)), *to = wasi_fd(w, ARG_U32(1));
  if (!from || !to) RETURN_ERRNO(WASI_EBADF);
  if (from == to) RETURN_ERRNO(WASI_ESUCCESS);
  close(to->host);
  free(to->guest_path);
  *to = *from;
  memset(from, 0, sizeof *from);
  RETURN_ERRNO(WASI_ESUCCESS);
}

/* fd_readdir: the cookie is the index of the next entry; each call reads
 * the directory from its start (simple and stable across calls). */
WASI_FN(fd_readdir) {
  WasiFd *fd = wasi_fd(env, ARG_U32(0));
  if (!fd) RETURN_ERRNO(WASI_EBADF);
  if (fd->kind != WASI_FD_DIR) RETURN_ERRNO(WASI_ENOTDIR);
  uint32_t buf = ARG_U32(1), buf_len = ARG_U32(2);
  uint64_t cookie = ARG_U64(3);
  uint8_t *out = wasi_mem(caller, buf, buf_len);
  if (!out && buf_len) RETURN_ERRNO(WASI_EFAULT);
  int dup_fd = openat(fd->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dup_fd < 0) RETURN_ERRNO(wasi_errno(errno));
  DIR *dir = fdopendir(dup_fd);
  if (!dir) {
    close(dup_fd);
    RETURN_ERRNO(wasi_errno(errno));
  }
  uint32_t used = 0;
  uint64_t index = 0;
  for (struct dirent *e; (e = readdir(dir)) && used < buf_len; index++) {
    if (index < cookie) continue;
    uint8_t head[24];
    uint64_t next = index + 1, ino = e->d_ino;
    uint32_t namlen = (uint32_t)strlen(e->d_name);
    memcpy(head, &next, 8);
    memcpy(head + 8, &ino, 8);
    memcpy(head + 16, &namlen, 4);
    uint8_t type = WASI_FILETYPE_UNKNOWN;
    switch (e->d_type) {
      case DT_REG:
        type = WASI_FILETYPE_REGULAR_FILE;
        break;
      case DT_DIR:
        type = WASI_FILETYPE_DIRECTORY;
        break;
      case DT_LNK:
        type = WASI_FILETYPE_SYMBOLIC_LINK;
        break;
      case DT_CHR:
        type = WASI_FILETYPE_CHARACTER_DEVICE;
        break;
      case DT_BLK:
        type = WASI_FILETYPE_BLOCK_DEVICE;
        break;
      default:
        break;
    }
    head[20] = type;
    head[21] = head[22] = head[23] = 0;
    /* entries may be truncated at the end of the buffer, as the ABI says */
    uint32_t n = buf_len - used < 24 ? buf_len - used : 24;
    memcpy(out + used, head, n);
    used += n;
    n = buf_len - used < namlen ? buf_len - used : namlen;
    memcpy(out + used, e->d_name, n);
    used += n;
  }
  closedir(dir);
  RETURN_ERRNO(wasi_store_u32(caller, ARG_U32(4), used) ? 0 : WASI_EFAULT);
}

const WasiFunc wasi_fd_funcs[] = {
  { "fd_advise", "iIIi", "i", fd_advise },
  { "fd_allocate", "iII", "i", fd_allocate },
  { "fd_close", "i", "i", fd_close },
  { "fd_datasync", "i", "i", fd_sync },
  { "fd_fdstat_get", "ii", "i", fd_fdstat_get },
  { "fd_fdstat_set_flags", "ii", "i", fd_fdstat_set_flags },
  { "fd_fdstat_set_rights", "iII", "i", fd_fdstat_set_rights },
  { "fd_filestat_get", "ii", "i", fd_filestat_get },
  { "fd_filestat_set_size", "iI", "i", fd_filestat_set_size },
  { "fd_filestat_set_times", "iIIi", "i", fd_filestat_set_times },
  { "fd_pread", "iiiIi", "i", fd_pread },
  { "fd_prestat_get", "ii", "i", fd_prestat_get },
  { "fd_prestat_dir_name", "iii", "i", fd_prestat_dir_name },
  { "fd_pwrite", "iiiIi", "i", fd_pwrite },
  { "fd_read", "iiii", "i", fd_read },
  { "fd_readdir", "iiiIi", "i", fd_readdir },
  { "fd_renumber", "ii", "i", fd_renumber },
  { "fd_seek", "iIii", "i", fd_seek },
  { "fd_sync", "i", "i", fd_sync },
  { "fd_tell", "ii", "i", fd_tell },
  { "fd_write", "iiii", "i", fd_write },
  { NULL, NULL, NULL, NULL },
};
