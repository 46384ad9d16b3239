/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-file I/O (see file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

WgStatus wg_file_read(const char *path, uint8_t **out_data, size_t *out_len) {
  /* open/fstat/read, not stdio: a regular file is read by one read() of its
   * size plus one byte (a short read of a regular file is its end), four
   * system calls where stdio made six and copied through its buffer. */
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return WG_ERR_IO;
  WgStatus status = WG_OK;
  uint8_t *data = NULL;
  size_t len = 0, cap = 0;
  bool regular = false;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
      (uint64_t)st.st_size <= WG_MAX_FILE_SIZE) {
    regular = true;
    cap = (size_t)st.st_size + 1;
    data = malloc(cap + 1);
    if (!data) {
      close(fd);
      return WG_ERR_NOMEM;
    }
  }
  for (;;) {
    if (cap - len == 0) {
      size_t next = cap < 65536 ? 65536 : cap * 2;
      if (next > WG_MAX_FILE_SIZE + 65536) {
        status = WG_ERR_LIMIT;
        goto done;
      }
      uint8_t *p = realloc(data, next + 1);
      if (!p) {
        status = WG_ERR_NOMEM;
        goto done;
      }
      data = p;
      cap = next;
    }
    size_t want = cap - len;
    ssize_t n = read(fd, data + len, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = WG_ERR_IO;
      break;
    }
    len += (size_t)n;
    if (len > WG_MAX_FILE_SIZE) {
      status = WG_ERR_LIMIT;
      goto done;
    }
    if (n == 0 || (regular && (size_t)n < want)) break;
  }
done:
  close(fd);
  if (status != WG_OK) {
    free(data);
    return status;
  }
  data[len] = '\0';
  *out_data = data;
  *out_len = len;
  return WG_OK;
}

WgStatus wg_file_write(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return WG_ERR_IO;
  size_t n = len ? fwrite(data, 1, len, f) : 0;
  int rc = fclose(f);
  return (n == len && rc == 0) ? WG_OK : WG_ERR_IO;
}
