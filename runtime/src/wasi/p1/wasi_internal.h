/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the WASI preview1 host: the context, its descriptor table,
 * guest memory access, the sandboxed path resolver, and the function table
 * each part contributes to. */
#ifndef WG_RUNTIME_WASI_INTERNAL_H
#define WG_RUNTIME_WASI_INTERNAL_H

#include <dirent.h>
#include <stdint.h>

#include "witgen/wasi.h"

/* wasi_snapshot_preview1 errno values (witx `errno`). */
enum {
  WASI_ESUCCESS = 0,
  WASI_E2BIG = 1,
  WASI_EACCES = 2,
  WASI_EAGAIN = 6,
  WASI_EBADF = 8,
  WASI_EBUSY = 10,
  WASI_EEXIST = 20,
  WASI_EFAULT = 21,
  WASI_EFBIG = 22,
  WASI_EILSEQ = 25,
  WASI_EINTR = 27,
  WASI_EINVAL = 28,
  WASI_EIO = 29,
  WASI_EISDIR = 31,
  WASI_ELOOP = 32,
  WASI_EMFILE = 33,
  WASI_EMLINK = 34,
  WASI_ENAMETOOLONG = 37,
  WASI_ENFILE = 41,
  WASI_ENOENT = 44,
  WASI_ENOMEM = 48,
  WASI_ENOSPC = 51,
  WASI_ENOSYS = 52,
  WASI_ENOTDIR = 54,
  WASI_ENOTEMPTY = 55,
  WASI_ENOTSUP = 58,
  WASI_ENOTTY = 59,
  WASI_ENXIO = 60,
  WASI_EOVERFLOW = 61,
  WASI_EPERM = 63,
  WASI_EPIPE = 64,
  WASI_ERANGE = 68,
  WASI_EROFS = 69,
  WASI_ESPIPE = 70,
  WASI_EXDEV = 75,
  WASI_ENOTCAPABLE = 76,
};

/* witx `filetype` */
enum {
  WASI_FILETYPE_UNKNOWN = 0,
  WASI_FILETYPE_BLOCK_DEVICE = 1,
  WASI_FILETYPE_CHARACTER_DEVICE = 2,
  WASI_FILETYPE_DIRECTORY = 3,
  WASI_FILETYPE_REGULAR_FILE = 4,
  WASI_FILETYPE_SOCKET_STREAM = 6,
  WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

typedef enum WasiFdKind {
  WASI_FD_FREE = 0,
  WASI_FD_STDIO,
  WASI_FD_FILE,
  WASI_FD_DIR,
} WasiFdKind;

typedef struct WasiFd {
  WasiFdKind kind;
  int host;         /* host descriptor */
  bool preopen;     /* a granted directory */
  char *guest_path; /* preopens: the name the guest sees */
  uint16_t fdflags; /* witx fdflags as the guest set them */
} WasiFd;

struct WgWasi {
  char **args;
  size_t arg_count;
  char **env;
  size_t env_count;
  WasiFd *fds;
  uint32_t fd_count; /* slots in use or free */
  uint32_t fd_cap;
};

/* Memory of the calling instance, bounds-checked. NULL when [ptr, ptr+len)
 * is not inside it (the call then returns WASI_EFAULT). */
uint8_t *wasi_mem(WgCaller *caller, uint32_t ptr, uint64_t len);
bool wasi_store_u32(WgCaller *caller, uint32_t ptr, uint32_t value);
bool wasi_store_u64(WgCaller *caller, uint32_t ptr, uint64_t value);

/* The descriptor `fd`, or NULL when it is not open. */
WasiFd *wasi_fd(WgWasi *wasi, uint32_t fd);
/* Allocates the lowest free descriptor for `host`; -1 when full. */
int64_t wasi_fd_add(WgWasi *wasi, WasiFdKind kind, int host);
/* Host errno -> WASI errno. */
uint16_t wasi_errno(int host_errno);
/* Host st_mode -> WASI filetype. */
uint8_t wasi_filetype(unsigned mode);

/* Sandboxed resolution of `path` relative to directory descriptor `dir`.
 * On success *parent is a new host descriptor of the directory holding the
 * last component (the caller closes it) and `leaf` (NUL-terminated, at most
 * NAME_MAX, never containing '/') names it ("." for the directory itself).
 * Symbolic links in intermediate components are followed inside the
 * sandbox; the last one too when `follow` or when the path ends in '/'
 * (which also requires an existing leaf to be a directory: WASI_ENOTDIR).
 * Absolute paths and escapes give WASI_ENOTCAPABLE. Callers must act on
 * the leaf without following links (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW). */
uint16_t wasi_resolve(WgWasi *wasi, uint32_t dir, const char *path,
                      size_t path_len, bool follow, int *parent,
                      char leaf[256]);

struct stat;
struct timespec;
/* Writes a witx filestat (64 bytes) for `st` at guest address `ptr`. */
uint16_t wasi_put_filestat(WgCaller *caller, uint32_t ptr,
                           const struct stat *st);
/* witx timestamps + fstflags -> two timespecs for futimens/utimensat. */
void wasi_times(uint64_t atim, uint64_t mtim, uint32_t flags,
                struct timespec ts[2]);

/* One host function of the module. Signature letters: i = i32, I = i64. */
typedef struct WasiFunc {
  const char *name;
  const char *params;
  const char *results;
  WgHostFn fn;
} WasiFunc;

/* The functions each part defines (NULL-name terminated). */
extern const WasiFunc wasi_core_funcs[];
extern const WasiFunc wasi_fd_funcs[];
extern const WasiFunc wasi_path_funcs[];

/* Argument helpers for the host functions. */
#define ARG_U32(i) ((uint32_t)args[i].of.i32)
#define ARG_U64(i) ((uint64_t)args[i].of.i64)
#define RETURN_ERRNO(e)                    \
  do {                                     \
    results[0] = wg_val_i32((int32_t)(e)); \
    return NULL;                           \
  } while (0)
#define WASI_FN(name)                                                 \
  static WgTrap *name(void *env, WgCaller *caller, const WgVal *args, \
                      WgVal *results)

#endif
