/* SPDX-License-Identifier: Apache-2.0 */
/* Sandboxed path resolution for the WASI hosts (preview1 and 0.2).
 *
 * A guest path is walked one component at a time from the directory
 * descriptor it is relative to, opening each intermediate directory with
 * openat(O_NOFOLLOW | O_DIRECTORY). `..` pops back to the previous
 * directory and may never pop above the starting one; absolute paths are
 * refused; a symbolic link met on the way is read with readlinkat() and its
 * target walked by the same rules (so a link may point anywhere inside the
 * sandbox, never outside). Since no host call ever resolves more than one
 * name at a time, a link swapped in concurrently cannot redirect us either. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/sandbox.h"

enum { MAX_DEPTH = 256, MAX_LINKS = 32, MAX_PATH = 4096 };

typedef struct Walk {
  int stack[MAX_DEPTH]; /* open directories, stack[0] = the start (dup) */
  int depth;
  int links;
} Walk;

static void walk_close(Walk *w) {
  for (int i = 0; i < w->depth; i++)
    close(w->stack[i]);
  w->depth = 0;
}

static int walk_top(const Walk *w) {
  return w->stack[w->depth - 1];
}

/* Walks `path` (not NUL-terminated) into `w`. When `keep_last`, the final
 * component is not entered but copied to `leaf`; otherwise every component
 * is entered. `follow_last`: a final symbolic link is expanded. */
static int walk_path(Walk *w, const char *path, size_t len, bool keep_last,
                     bool follow_last, char leaf[256]) {
  if (len > 0 && path[0] == '/') return WG_SANDBOX_ESCAPE;
  size_t i = 0;
  if (keep_last) strcpy(leaf, ".");
  while (i < len) {
    while (i < len && path[i] == '/')
      i++;
    if (i == len) break;
    size_t start = i;
    while (i < len && path[i] != '/')
      i++;
    size_t n = i - start;
    if (n > NAME_MAX) return ENAMETOOLONG;
    char name[NAME_MAX + 1];
    memcpy(name, path + start, n);
    name[n] = '\0';
    if (memchr(name, '\0', n)) return EILSEQ;
    size_t rest = i;
    while (rest < len && path[rest] == '/')
      rest++;
    bool last = rest == len;
    bool trailing_slash = last && i < len; /* "dir/" must be a directory */
    if (last && keep_last && strcmp(name, "..") != 0) {
      if (strcmp(name, ".") == 0) {
        strcpy(leaf, ".");
        return 0;
      }
      /* The leaf is handed to the caller without any slash: the host
       * follows a final symbolic link named with a trailing slash even
       * under O_NOFOLLOW / AT_SYMLINK_NOFOLLOW, which would lead outside.
       * A trailing slash instead means here, as in POSIX resolution, that
       * a final link is expanded (by our own walk) and that an existing
       * leaf must be a directory. */
      struct stat st;
      bool exists = fstatat(walk_top(w), name, &st, AT_SYMLINK_NOFOLLOW) == 0;
      bool link = exists && S_ISLNK(st.st_mode);
      if (!link || !(follow_last || trailing_slash)) {
        if (trailing_slash && exists && !S_ISDIR(st.st_mode)) return ENOTDIR;
        strcpy(leaf, name);
        return 0;
      }
      /* a final symlink to follow is expanded below like an intermediate */
    }
    if (strcmp(name, ".") == 0) continue;
    if (strcmp(name, "..") == 0) {
      if (w->depth <= 1) return WG_SANDBOX_ESCAPE; /* above the sandbox */
      close(w->stack[--w->depth]);
      if (last && keep_last) strcpy(leaf, ".");
      continue;
    }
    int fd = openat(walk_top(w), name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      if (w->depth == MAX_DEPTH) {
        close(fd);
        return ENAMETOOLONG;
      }
      w->stack[w->depth++] = fd;
      if (last && keep_last) strcpy(leaf, ".");
      continue;
    }
    int e = errno;
    if (e != ELOOP && e != ENOTDIR) return e;
    /* a symbolic link (or not a directory): expand links, refuse files */
    char target[MAX_PATH];
    ssize_t tn = readlinkat(walk_top(w), name, target, sizeof target);
    if (tn < 0) return errno == EINVAL ? ENOTDIR : errno;
    if ((size_t)tn == sizeof target) return ENAMETOOLONG;
    if (++w->links > MAX_LINKS) return ELOOP;
    if (tn > 0 && target[0] == '/') return WG_SANDBOX_ESCAPE;
    /* "link/": the target must be a directory too */
    if (trailing_slash) {
      if ((size_t)tn + 1 >= sizeof target) return ENAMETOOLONG;
      target[tn++] = '/';
    }
    /* walk the link target, then the rest of the path */
    int r =
        walk_path(w, target, (size_t)tn, keep_last && last, follow_last, leaf);
    if (r != 0) return r;
  }
  return 0;
}

int wg_sandbox_resolve(int dirfd, const char *path, size_t path_len,
                       bool follow, int *parent, char leaf[256]) {
  if (path_len == 0) return ENOENT;
  Walk w = { { 0 }, 0, 0 };
  w.stack[0] = dup(dirfd);
  if (w.stack[0] < 0) return errno;
  w.depth = 1;
  int r = walk_path(&w, path, path_len, true, follow, leaf);
  if (r != 0) {
    walk_close(&w);
    return r;
  }
  /* hand over the innermost directory, close the rest */
  *parent = w.stack[--w.depth];
  walk_close(&w);
  return 0;
}
