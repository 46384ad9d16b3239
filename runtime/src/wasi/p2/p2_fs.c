/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:filesystem (types, preopens) on the sandboxed path resolver shared
 * with the preview1 host (wasi/sandbox.h): every path is resolved inside
 * the descriptor it is relative to, then one *at() call acts on the leaf
 * without following links. A directory granted read-only gives descriptors
 * without `mutate-directory`: no file opened under it may be written,
 * created or truncated, and nothing in it may be created, removed or
 * renamed (not-permitted), as wasmtime's host does. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "p2.h"
#include "wasi/sandbox.h"

typedef p2_filesystem_types_descriptor_flags_t DescFlags;

typedef struct P2Desc {
  P2Obj base;
  int fd;
  bool owns_fd;
  bool is_dir;
  DescFlags flags;
} P2Desc;

typedef struct P2DirStream {
  P2Obj base;
  DIR *dir;
  int dirfd; /* for entries of unknown type */
} P2DirStream;

#define READ_FLAG   P2_FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_READ
#define WRITE_FLAG  P2_FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_WRITE
#define MUTATE_FLAG P2_FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_MUTATE_DIRECTORY
#define E(name)     P2_FILESYSTEM_TYPES_ERROR_CODE_##name

static void desc_free(P2Obj *o) {
  P2Desc *d = (P2Desc *)o;
  if (d->owns_fd) close(d->fd);
  free(d);
}

static P2Desc *desc_new(int fd, bool owns, bool is_dir, DescFlags flags) {
  P2Desc *d = calloc(1, sizeof *d);
  if (!d) {
    if (owns) close(fd);
    return NULL;
  }
  p2_obj_init(&d->base, P2_DESC, desc_free);
  d->fd = fd;
  d->owns_fd = owns;
  d->is_dir = is_dir;
  d->flags = flags;
  return d;
}

static void dirstream_free(P2Obj *o) {
  P2DirStream *s = (P2DirStream *)o;
  if (s->dir) closedir(s->dir);
  free(s);
}

/* The descriptor of `rep`, or a trap. */
#define GET_DESC(var, rep)                        \
  P2Desc *var = (P2Desc *)p2_get((rep), P2_DESC); \
  if (!var) return p2_bad_handle("descriptor")

/* The same for calls given a path string, which is freed on a bad handle
 * (otherwise resolve() frees it). */
#define GET_DESC_TAKING(var, rep, path)           \
  P2Desc *var = (P2Desc *)p2_get((rep), P2_DESC); \
  if (!var) {                                     \
    wasip2_string_free(&(path));                  \
    return p2_bad_handle("descriptor");           \
  }

#define FAIL(code)         \
  do {                     \
    ret->is_err = true;    \
    ret->val.err = (code); \
    return NULL;           \
  } while (0)

static p2_filesystem_types_error_code_t sandbox_error(int r) {
  return r == WG_SANDBOX_ESCAPE ? E(NOT_PERMITTED) : p2_fs_errno(r);
}

/* Resolves `path` (owned; freed here) under directory `d`. 0 on success
 * (*parent to close, leaf), else a filesystem error code + 1. */
static int resolve(P2Desc *d, wasip2_string_t path, bool follow, int *parent,
                   char leaf[256]) {
  int rc;
  if (!d->is_dir) {
    rc = E(NOT_DIRECTORY) + 1;
  } else {
    int r = wg_sandbox_resolve(d->fd, (const char *)path.ptr, path.len, follow,
                               parent, leaf);
    rc = r == 0 ? 0 : sandbox_error(r) + 1;
  }
  wasip2_string_free(&path);
  return rc;
}

static p2_filesystem_types_descriptor_type_t type_of(mode_t m) {
  if (S_ISREG(m)) return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_REGULAR_FILE;
  if (S_ISDIR(m)) return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_DIRECTORY;
  if (S_ISLNK(m)) return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_SYMBOLIC_LINK;
  if (S_ISCHR(m)) return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_CHARACTER_DEVICE;
  if (S_ISBLK(m)) return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_BLOCK_DEVICE;
  if (S_ISFIFO(m)) return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_FIFO;
  if (S_ISSOCK(m)) return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_SOCKET;
  return P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_UNKNOWN;
}

static wasip2_option_p2_filesystem_types_datetime_t time_of(struct timespec t) {
  wasip2_option_p2_filesystem_types_datetime_t r;
  r.is_some = t.tv_sec >= 0;
  r.val.seconds = t.tv_sec < 0 ? 0 : (uint64_t)t.tv_sec;
  r.val.nanoseconds = (uint32_t)t.tv_nsec;
  return r;
}

static void stat_of(const struct stat *st,
                    p2_filesystem_types_descriptor_stat_t *out) {
  out->type = type_of(st->st_mode);
  out->link_count = (uint64_t)st->st_nlink;
  out->size = (uint64_t)st->st_size;
  out->data_access_timestamp = time_of(st->st_atim);
  out->data_modification_timestamp = time_of(st->st_mtim);
  out->status_change_timestamp = time_of(st->st_ctim);
}

static void times_of(p2_filesystem_types_new_timestamp_t t,
                     struct timespec *out) {
  switch (t.tag) {
    case P2_FILESYSTEM_TYPES_NEW_TIMESTAMP_NOW:
      out->tv_sec = 0;
      out->tv_nsec = UTIME_NOW;
      break;
    case P2_FILESYSTEM_TYPES_NEW_TIMESTAMP_TIMESTAMP:
      out->tv_sec = (time_t)t.val.timestamp.seconds;
      out->tv_nsec = t.val.timestamp.nanoseconds;
      break;
    default:
      out->tv_sec = 0;
      out->tv_nsec = UTIME_OMIT;
  }
}

/* Section: descriptors */

static WgTrap *desc_destructor(void *ctx,
                               p2_filesystem_types_descriptor_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *
dirstream_destructor(void *ctx,
                     p2_filesystem_types_directory_entry_stream_t self) {
  p2_drop(self.rep);
  return NULL;
}

static WgTrap *file_stream(WgCCall *call, P2Desc *d, P2Type dir, uint64_t off,
                           bool append, uint32_t *rep) {
  P2Ctx *c = p2_ctx(call);
  P2Stream *s = c ? p2_stream_new(dir, P2S_FILE, d->fd, &d->base) : NULL;
  if (s) {
    s->offset = off;
    s->append = append;
  }
  *rep = c ? p2_stream_add(c, s) : 0;
  return *rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *read_via_stream(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    p2_filesystem_types_filesize_t offset,
    wasip2_result_p2_io_streams_input_stream_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  if (d->is_dir) FAIL(E(IS_DIRECTORY));
  if (!(d->flags & READ_FLAG)) FAIL(E(BAD_DESCRIPTOR));
  ret->is_err = false;
  return file_stream(call, d, P2_INPUT, offset, false, &ret->val.ok.rep);
}

static WgTrap *write_via_stream(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    p2_filesystem_types_filesize_t offset,
    wasip2_result_p2_io_streams_output_stream_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  if (d->is_dir) FAIL(E(IS_DIRECTORY));
  if (!(d->flags & WRITE_FLAG)) FAIL(E(NOT_PERMITTED));
  ret->is_err = false;
  return file_stream(call, d, P2_OUTPUT, offset, false, &ret->val.ok.rep);
}

static WgTrap *append_via_stream(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_result_p2_io_streams_output_stream_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  if (d->is_dir) FAIL(E(IS_DIRECTORY));
  if (!(d->flags & WRITE_FLAG)) FAIL(E(NOT_PERMITTED));
  ret->is_err = false;
  return file_stream(call, d, P2_OUTPUT, 0, true, &ret->val.ok.rep);
}

static WgTrap *
advise(void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
       p2_filesystem_types_filesize_t offset,
       p2_filesystem_types_filesize_t length,
       p2_filesystem_types_advice_t advice,
       wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC(d, self.rep);
  static const int map[] = { POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                             POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                             POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE };
  int a = advice < 6 ? map[advice] : POSIX_FADV_NORMAL;
  int r = posix_fadvise(d->fd, (off_t)offset, (off_t)length, a);
  if (r != 0) FAIL(p2_fs_errno(r));
  ret->is_err = false;
  return NULL;
}

static WgTrap *
sync_data(void *ctx, WgCCall *call,
          p2_filesystem_types_borrow_descriptor_t self,
          wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC(d, self.rep);
  if (fdatasync(d->fd) != 0 && !d->is_dir) FAIL(p2_fs_errno(errno));
  ret->is_err = false;
  return NULL;
}

static WgTrap *
sync_fn(void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
        wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC(d, self.rep);
  if (fsync(d->fd) != 0 && !d->is_dir) FAIL(p2_fs_errno(errno));
  ret->is_err = false;
  return NULL;
}

static WgTrap *get_flags(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_result_p2_filesystem_types_descriptor_flags_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  ret->is_err = false;
  ret->val.ok = d->flags;
  return NULL;
}

static WgTrap *get_type(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_result_p2_filesystem_types_descriptor_type_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  struct stat st;
  if (fstat(d->fd, &st) != 0) FAIL(p2_fs_errno(errno));
  ret->is_err = false;
  ret->val.ok = type_of(st.st_mode);
  return NULL;
}

static WgTrap *
set_size(void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
         p2_filesystem_types_filesize_t size,
         wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC(d, self.rep);
  if (d->is_dir) FAIL(E(IS_DIRECTORY));
  if (!(d->flags & WRITE_FLAG)) FAIL(E(NOT_PERMITTED));
  if (size > INT64_MAX) FAIL(E(FILE_TOO_LARGE));
  if (ftruncate(d->fd, (off_t)size) != 0) FAIL(p2_fs_errno(errno));
  ret->is_err = false;
  return NULL;
}

static WgTrap *
set_times(void *ctx, WgCCall *call,
          p2_filesystem_types_borrow_descriptor_t self,
          p2_filesystem_types_new_timestamp_t atime,
          p2_filesystem_types_new_timestamp_t mtime,
          wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC(d, self.rep);
  if (!d->is_dir && !(d->flags & WRITE_FLAG)) FAIL(E(NOT_PERMITTED));
  struct timespec ts[2];
  times_of(atime, &ts[0]);
  times_of(mtime, &ts[1]);
  if (futimens(d->fd, ts) != 0) FAIL(p2_fs_errno(errno));
  ret->is_err = false;
  return NULL;
}

enum { MAX_FILE_READ = 16 << 20 };

static WgTrap *read_fn(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    p2_filesystem_types_filesize_t length,
    p2_filesystem_types_filesize_t offset,
    wasip2_result_tuple2_list_u8_bool_p2_filesystem_types_error_code_t *ret) {
  GET_DESC(d, self.rep);
  if (d->is_dir) FAIL(E(IS_DIRECTORY));
  if (!(d->flags & READ_FLAG)) FAIL(E(BAD_DESCRIPTOR));
  size_t cap = length > MAX_FILE_READ ? MAX_FILE_READ : (size_t)length;
  uint8_t *buf = malloc(cap ? cap : 1);
  if (!buf) return p2_trap("wasi: out of memory");
  ssize_t n = pread(d->fd, buf, cap, (off_t)offset);
  if (n < 0) {
    int e = errno;
    free(buf);
    FAIL(p2_fs_errno(e));
  }
  ret->is_err = false;
  ret->val.ok.f0.ptr = buf;
  ret->val.ok.f0.len = (size_t)n;
  ret->val.ok.f1 = n == 0 && cap > 0;
  return NULL;
}

static WgTrap *write_fn(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_list_u8_t buffer, p2_filesystem_types_filesize_t offset,
    wasip2_result_p2_filesystem_types_filesize_p2_filesystem_types_error_code_t
        *ret) {
  P2Desc *d = (P2Desc *)p2_get(self.rep, P2_DESC);
  if (!d) {
    free(buffer.ptr);
    return p2_bad_handle("descriptor");
  }
  ssize_t n = -1;
  int e = 0;
  if (d->is_dir)
    e = EISDIR;
  else if (!(d->flags & WRITE_FLAG))
    e = EPERM;
  else if ((n = pwrite(d->fd, buffer.ptr, buffer.len, (off_t)offset)) < 0)
    e = errno;
  free(buffer.ptr);
  if (e) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  ret->val.ok = (uint64_t)n;
  return NULL;
}

static WgTrap *read_directory(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_result_p2_filesystem_types_directory_entry_stream_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  if (!d->is_dir) FAIL(E(NOT_DIRECTORY));
  int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) FAIL(p2_fs_errno(errno));
  DIR *dir = fdopendir(fd);
  if (!dir) {
    int e = errno;
    close(fd);
    FAIL(p2_fs_errno(e));
  }
  P2DirStream *s = calloc(1, sizeof *s);
  P2Ctx *c = p2_ctx(call);
  if (!s || !c) {
    free(s);
    closedir(dir);
    return p2_trap("wasi: out of memory");
  }
  p2_obj_init(&s->base, P2_DIRSTREAM, dirstream_free);
  s->dir = dir;
  s->dirfd = fd;
  ret->is_err = false;
  ret->val.ok.rep = p2_add(c, &s->base);
  return ret->val.ok.rep ? NULL : p2_trap("wasi: out of memory");
}

static WgTrap *read_directory_entry(
    void *ctx, WgCCall *call,
    p2_filesystem_types_borrow_directory_entry_stream_t self,
    wasip2_result_option_p2_filesystem_types_directory_entry_p2_filesystem_types_error_code_t
        *ret) {
  P2DirStream *s = (P2DirStream *)p2_get(self.rep, P2_DIRSTREAM);
  if (!s) return p2_bad_handle("directory-entry-stream");
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(s->dir);
    if (!e) {
      if (errno) FAIL(p2_fs_errno(errno));
      ret->is_err = false;
      ret->val.ok.is_some = false;
      return NULL;
    }
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    p2_filesystem_types_directory_entry_t *out = &ret->val.ok.val;
    switch (e->d_type) {
      case DT_REG:
        out->type = P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_REGULAR_FILE;
        break;
      case DT_DIR:
        out->type = P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_DIRECTORY;
        break;
      case DT_LNK:
        out->type = P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_SYMBOLIC_LINK;
        break;
      case DT_CHR:
        out->type = P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_CHARACTER_DEVICE;
        break;
      case DT_BLK:
        out->type = P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_BLOCK_DEVICE;
        break;
      case DT_FIFO:
        out->type = P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_FIFO;
        break;
      case DT_SOCK:
        out->type = P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_SOCKET;
        break;
      default: {
        struct stat st;
        out->type = fstatat(s->dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
                        ? type_of(st.st_mode)
                        : P2_FILESYSTEM_TYPES_DESCRIPTOR_TYPE_UNKNOWN;
      }
    }
    wasip2_string_dup(&out->name, e->d_name);
    ret->is_err = false;
    ret->val.ok.is_some = true;
    return NULL;
  }
}

/* A directory operation that changes its contents needs mutate-directory. */
#define NEED_MUTATE(d)                                \
  do {                                                \
    if ((d)->is_dir && !((d)->flags & MUTATE_FLAG)) { \
      wasip2_string_free(&path);                      \
      FAIL(E(NOT_PERMITTED));                         \
    }                                                 \
  } while (0)

#define RESOLVE(d, follow)                              \
  int parent;                                           \
  char leaf[256];                                       \
  int rr = resolve((d), path, (follow), &parent, leaf); \
  if (rr) FAIL((p2_filesystem_types_error_code_t)(rr - 1))

static WgTrap *
create_directory_at(void *ctx, WgCCall *call,
                    p2_filesystem_types_borrow_descriptor_t self,
                    wasip2_string_t path,
                    wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  NEED_MUTATE(d);
  RESOLVE(d, false);
  int r = mkdirat(parent, leaf, 0777);
  int e = errno;
  close(parent);
  if (r != 0) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  return NULL;
}

/* The metadata of `path` (freed) under the directory `d`: 0, or an error
 * code + 1 (as resolve()). */
static int stat_path(P2Desc *d, wasip2_string_t path, bool follow,
                     struct stat *st) {
  int parent;
  char leaf[256];
  int rc = resolve(d, path, follow, &parent, leaf);
  if (rc) return rc;
  int r = fstatat(parent, leaf, st, AT_SYMLINK_NOFOLLOW);
  int e = errno;
  close(parent);
  return r != 0 ? p2_fs_errno(e) + 1 : 0;
}

static WgTrap *stat_fn(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_result_p2_filesystem_types_descriptor_stat_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  struct stat st;
  if (fstat(d->fd, &st) != 0) FAIL(p2_fs_errno(errno));
  ret->is_err = false;
  stat_of(&st, &ret->val.ok);
  return NULL;
}

static WgTrap *stat_at(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    p2_filesystem_types_path_flags_t flags, wasip2_string_t path,
    wasip2_result_p2_filesystem_types_descriptor_stat_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  struct stat st;
  int rc = stat_path(
      d, path, flags & P2_FILESYSTEM_TYPES_PATH_FLAGS_SYMLINK_FOLLOW, &st);
  if (rc) FAIL((p2_filesystem_types_error_code_t)(rc - 1));
  ret->is_err = false;
  stat_of(&st, &ret->val.ok);
  return NULL;
}

static WgTrap *
set_times_at(void *ctx, WgCCall *call,
             p2_filesystem_types_borrow_descriptor_t self,
             p2_filesystem_types_path_flags_t flags, wasip2_string_t path,
             p2_filesystem_types_new_timestamp_t atime,
             p2_filesystem_types_new_timestamp_t mtime,
             wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  NEED_MUTATE(d);
  RESOLVE(d, flags & P2_FILESYSTEM_TYPES_PATH_FLAGS_SYMLINK_FOLLOW);
  struct timespec ts[2];
  times_of(atime, &ts[0]);
  times_of(mtime, &ts[1]);
  int r = utimensat(parent, leaf, ts, AT_SYMLINK_NOFOLLOW);
  int e = errno;
  close(parent);
  if (r != 0) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  return NULL;
}

/* Resolves a second path for the two-path operations. */
static WgTrap *
link_at(void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
        p2_filesystem_types_path_flags_t flags, wasip2_string_t old_path,
        p2_filesystem_types_borrow_descriptor_t new_desc,
        wasip2_string_t new_path,
        wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  P2Desc *d = (P2Desc *)p2_get(self.rep, P2_DESC);
  P2Desc *nd = (P2Desc *)p2_get(new_desc.rep, P2_DESC);
  if (!d || !nd) {
    wasip2_string_free(&old_path);
    wasip2_string_free(&new_path);
    return p2_bad_handle("descriptor");
  }
  if (!(nd->flags & MUTATE_FLAG)) {
    wasip2_string_free(&old_path);
    wasip2_string_free(&new_path);
    FAIL(E(NOT_PERMITTED));
  }
  int p1, p2;
  char l1[256], l2[256];
  int r1 =
      resolve(d, old_path,
              flags & P2_FILESYSTEM_TYPES_PATH_FLAGS_SYMLINK_FOLLOW, &p1, l1);
  if (r1) {
    wasip2_string_free(&new_path);
    FAIL((p2_filesystem_types_error_code_t)(r1 - 1));
  }
  int r2 = resolve(nd, new_path, false, &p2, l2);
  if (r2) {
    close(p1);
    FAIL((p2_filesystem_types_error_code_t)(r2 - 1));
  }
  int r = linkat(p1, l1, p2, l2, 0);
  int e = errno;
  close(p1);
  close(p2);
  if (r != 0) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  return NULL;
}

static WgTrap *open_at(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    p2_filesystem_types_path_flags_t path_flags, wasip2_string_t path,
    p2_filesystem_types_open_flags_t open_flags, DescFlags flags,
    wasip2_result_p2_filesystem_types_descriptor_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  bool mutates = (flags & (WRITE_FLAG | MUTATE_FLAG)) ||
                 (open_flags & (P2_FILESYSTEM_TYPES_OPEN_FLAGS_CREATE |
                                P2_FILESYSTEM_TYPES_OPEN_FLAGS_TRUNCATE));
  if (d->is_dir && mutates && !(d->flags & MUTATE_FLAG)) {
    wasip2_string_free(&path);
    FAIL(E(NOT_PERMITTED));
  }
  RESOLVE(d, path_flags & P2_FILESYSTEM_TYPES_PATH_FLAGS_SYMLINK_FOLLOW);
  int oflags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  if (open_flags & P2_FILESYSTEM_TYPES_OPEN_FLAGS_CREATE) oflags |= O_CREAT;
  if (open_flags & P2_FILESYSTEM_TYPES_OPEN_FLAGS_EXCLUSIVE) oflags |= O_EXCL;
  if (open_flags & P2_FILESYSTEM_TYPES_OPEN_FLAGS_TRUNCATE) oflags |= O_TRUNC;
  if (open_flags & P2_FILESYSTEM_TYPES_OPEN_FLAGS_DIRECTORY)
    oflags |= O_DIRECTORY;
  if ((flags & READ_FLAG) && (flags & WRITE_FLAG))
    oflags |= O_RDWR;
  else if (flags & WRITE_FLAG)
    oflags |= O_WRONLY;
  else
    oflags |= O_RDONLY;
  if (flags & P2_FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_FILE_INTEGRITY_SYNC)
    oflags |= O_SYNC;
  if (flags & P2_FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_DATA_INTEGRITY_SYNC)
    oflags |= O_DSYNC;
  int fd = openat(parent, leaf, oflags, 0666);
  int e = errno;
  close(parent);
  if (fd < 0) FAIL(p2_fs_errno(e == ENXIO ? ENOENT : e));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    e = errno;
    close(fd);
    FAIL(p2_fs_errno(e));
  }
  bool is_dir = S_ISDIR(st.st_mode);
  DescFlags out = flags;
  if (is_dir) /* a directory keeps what its parent may do */
    out = (flags & ~(DescFlags)MUTATE_FLAG) | READ_FLAG |
          (d->flags & MUTATE_FLAG);
  P2Desc *nd = desc_new(fd, true, is_dir, out);
  P2Ctx *c = p2_ctx(call);
  ret->is_err = false;
  ret->val.ok.rep = nd && c ? p2_add(c, &nd->base) : 0;
  if (!ret->val.ok.rep) {
    if (nd && !c) p2_unref(&nd->base);
    return p2_trap("wasi: out of memory");
  }
  return NULL;
}

static WgTrap *
readlink_at(void *ctx, WgCCall *call,
            p2_filesystem_types_borrow_descriptor_t self, wasip2_string_t path,
            wasip2_result_string_p2_filesystem_types_error_code_t *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  RESOLVE(d, false);
  char buf[PATH_MAX];
  ssize_t n = readlinkat(parent, leaf, buf, sizeof buf);
  int e = errno;
  close(parent);
  if (n < 0) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  ret->val.ok.ptr = malloc(n ? (size_t)n : 1);
  if (!ret->val.ok.ptr) return p2_trap("wasi: out of memory");
  memcpy(ret->val.ok.ptr, buf, (size_t)n);
  ret->val.ok.len = (size_t)n;
  return NULL;
}

static WgTrap *
remove_directory_at(void *ctx, WgCCall *call,
                    p2_filesystem_types_borrow_descriptor_t self,
                    wasip2_string_t path,
                    wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  NEED_MUTATE(d);
  RESOLVE(d, false);
  int r = unlinkat(parent, leaf, AT_REMOVEDIR);
  int e = errno;
  close(parent);
  if (r != 0) FAIL(p2_fs_errno(e == EEXIST ? ENOTEMPTY : e));
  ret->is_err = false;
  return NULL;
}

static WgTrap *rename_at(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_string_t old_path, p2_filesystem_types_borrow_descriptor_t new_desc,
    wasip2_string_t new_path,
    wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  P2Desc *d = (P2Desc *)p2_get(self.rep, P2_DESC);
  P2Desc *nd = (P2Desc *)p2_get(new_desc.rep, P2_DESC);
  if (!d || !nd) {
    wasip2_string_free(&old_path);
    wasip2_string_free(&new_path);
    return p2_bad_handle("descriptor");
  }
  if (!(d->flags & MUTATE_FLAG) || !(nd->flags & MUTATE_FLAG)) {
    wasip2_string_free(&old_path);
    wasip2_string_free(&new_path);
    FAIL(E(NOT_PERMITTED));
  }
  int p1, p2;
  char l1[256], l2[256];
  int r1 = resolve(d, old_path, false, &p1, l1);
  if (r1) {
    wasip2_string_free(&new_path);
    FAIL((p2_filesystem_types_error_code_t)(r1 - 1));
  }
  int r2 = resolve(nd, new_path, false, &p2, l2);
  if (r2) {
    close(p1);
    FAIL((p2_filesystem_types_error_code_t)(r2 - 1));
  }
  int r = renameat(p1, l1, p2, l2);
  int e = errno;
  close(p1);
  close(p2);
  if (r != 0) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  return NULL;
}

static WgTrap *
symlink_at(void *ctx, WgCCall *call,
           p2_filesystem_types_borrow_descriptor_t self,
           wasip2_string_t old_path, wasip2_string_t path,
           wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  P2Desc *d = (P2Desc *)p2_get(self.rep, P2_DESC);
  char target[PATH_MAX];
  bool bad = !old_path.len || old_path.len >= sizeof target ||
             old_path.ptr[0] == '/' || memchr(old_path.ptr, 0, old_path.len);
  if (!bad) {
    memcpy(target, old_path.ptr, old_path.len);
    target[old_path.len] = '\0';
  }
  wasip2_string_free(&old_path);
  if (!d) {
    wasip2_string_free(&path);
    return p2_bad_handle("descriptor");
  }
  NEED_MUTATE(d);
  if (bad) {
    wasip2_string_free(&path);
    FAIL(E(NOT_PERMITTED)); /* an absolute target would point outside */
  }
  RESOLVE(d, false);
  int r = symlinkat(target, parent, leaf);
  int e = errno;
  close(parent);
  if (r != 0) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  return NULL;
}

static WgTrap *
unlink_file_at(void *ctx, WgCCall *call,
               p2_filesystem_types_borrow_descriptor_t self,
               wasip2_string_t path,
               wasip2_result_void_p2_filesystem_types_error_code_t *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  NEED_MUTATE(d);
  RESOLVE(d, false);
  struct stat st;
  int r = fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW);
  int e = errno;
  if (r == 0 && S_ISDIR(st.st_mode)) {
    close(parent);
    FAIL(E(IS_DIRECTORY));
  }
  if (r == 0) {
    r = unlinkat(parent, leaf, 0);
    e = errno;
  }
  close(parent);
  if (r != 0) FAIL(p2_fs_errno(e));
  ret->is_err = false;
  return NULL;
}

static WgTrap *is_same_object(void *ctx, WgCCall *call,
                              p2_filesystem_types_borrow_descriptor_t self,
                              p2_filesystem_types_borrow_descriptor_t other,
                              bool *ret) {
  GET_DESC(a, self.rep);
  GET_DESC(b, other.rep);
  struct stat sa, sb;
  *ret = fstat(a->fd, &sa) == 0 && fstat(b->fd, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return NULL;
}

static void hash_of(const struct stat *st,
                    p2_filesystem_types_metadata_hash_value_t *out) {
  /* stable for the object's identity and modification time */
  uint64_t h = 0xcbf29ce484222325ull;
  uint64_t parts[4] = { (uint64_t)st->st_dev, (uint64_t)st->st_ino,
                        (uint64_t)st->st_mtim.tv_sec,
                        (uint64_t)st->st_mtim.tv_nsec };
  for (int i = 0; i < 4; i++) {
    h ^= parts[i];
    h *= 0x100000001b3ull;
  }
  out->lower = h;
  out->upper = (uint64_t)st->st_ino ^ ((uint64_t)st->st_dev << 32);
}

static WgTrap *metadata_hash(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    wasip2_result_p2_filesystem_types_metadata_hash_value_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC(d, self.rep);
  struct stat st;
  if (fstat(d->fd, &st) != 0) FAIL(p2_fs_errno(errno));
  ret->is_err = false;
  hash_of(&st, &ret->val.ok);
  return NULL;
}

static WgTrap *metadata_hash_at(
    void *ctx, WgCCall *call, p2_filesystem_types_borrow_descriptor_t self,
    p2_filesystem_types_path_flags_t flags, wasip2_string_t path,
    wasip2_result_p2_filesystem_types_metadata_hash_value_p2_filesystem_types_error_code_t
        *ret) {
  GET_DESC_TAKING(d, self.rep, path);
  struct stat st;
  int rc = stat_path(
      d, path, flags & P2_FILESYSTEM_TYPES_PATH_FLAGS_SYMLINK_FOLLOW, &st);
  if (rc) FAIL((p2_filesystem_types_error_code_t)(rc - 1));
  ret->is_err = false;
  hash_of(&st, &ret->val.ok);
  return NULL;
}

static WgTrap *
filesystem_error_code(void *ctx, WgCCall *call, p2_io_error_borrow_error_t err,
                      wasip2_option_p2_filesystem_types_error_code_t *ret) {
  P2Error *e = (P2Error *)p2_get(err.rep, P2_ERROR);
  if (!e) return p2_bad_handle("error");
  ret->is_some = e->host_errno != 0;
  ret->val = e->host_errno ? p2_fs_errno(e->host_errno) : 0;
  return NULL;
}

const p2_filesystem_types_impl_t p2_fs_types_impl = {
  .descriptor_destructor = desc_destructor,
  .directory_entry_stream_destructor = dirstream_destructor,
  .descriptor_read_via_stream = read_via_stream,
  .descriptor_write_via_stream = write_via_stream,
  .descriptor_append_via_stream = append_via_stream,
  .descriptor_advise = advise,
  .descriptor_sync_data = sync_data,
  .descriptor_get_flags = get_flags,
  .descriptor_get_type = get_type,
  .descriptor_set_size = set_size,
  .descriptor_set_times = set_times,
  .descriptor_read = read_fn,
  .descriptor_write = write_fn,
  .descriptor_read_directory = read_directory,
  .descriptor_sync = sync_fn,
  .descriptor_create_directory_at = create_directory_at,
  .descriptor_stat = stat_fn,
  .descriptor_stat_at = stat_at,
  .descriptor_set_times_at = set_times_at,
  .descriptor_link_at = link_at,
  .descriptor_open_at = open_at,
  .descriptor_readlink_at = readlink_at,
  .descriptor_remove_directory_at = remove_directory_at,
  .descriptor_rename_at = rename_at,
  .descriptor_symlink_at = symlink_at,
  .descriptor_unlink_file_at = unlink_file_at,
  .descriptor_is_same_object = is_same_object,
  .descriptor_metadata_hash = metadata_hash,
  .descriptor_metadata_hash_at = metadata_hash_at,
  .directory_entry_stream_read_directory_entry = read_directory_entry,
  .filesystem_error_code = filesystem_error_code,
};

/* Section: preopens */

static WgTrap *get_directories(
    void *ctx, WgCCall *call,
    wasip2_list_tuple2_p2_filesystem_types_descriptor_string_t *ret) {
  P2Ctx *c = p2_ctx(call);
  if (!c) return p2_trap("wasi: no WASI context for this store");
  const WgWasi2 *w = c->wasi;
  ret->len = 0;
  ret->ptr = calloc(w->dir_count ? w->dir_count : 1, sizeof *ret->ptr);
  if (!ret->ptr) return p2_trap("wasi: out of memory");
  for (size_t i = 0; i < w->dir_count; i++) {
    DescFlags flags = READ_FLAG | (w->dirs[i].read_only ? 0 : MUTATE_FLAG);
    P2Desc *d = desc_new(w->dirs[i].fd, false, true, flags);
    uint32_t rep = d ? p2_add(c, &d->base) : 0;
    if (!rep) {
      wasip2_list_tuple2_p2_filesystem_types_descriptor_string_free(ret);
      return p2_trap("wasi: out of memory");
    }
    ret->ptr[i].f0.rep = rep;
    wasip2_string_dup(&ret->ptr[i].f1, w->dirs[i].guest);
    ret->len++;
  }
  return NULL;
}

const p2_filesystem_preopens_impl_t p2_fs_preopens_impl = {
  .get_directories = get_directories,
};
