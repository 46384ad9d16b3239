/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-file I/O over stdio (see file.h). */
#include "file.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

WgStatus wg_file_read(const char *path, uint8_t **out_data, size_t *out_len) {
  FILE *f = fopen(path, "rb");
  if (!f) return WG_ERR_IO;
  WgStatus status = WG_OK;
  uint8_t *data = NULL;
  size_t len = 0, cap = 0;
  /* A regular file's size is known: one buffer, read once (growing by
   * doubling copied ~2x the bytes). Pipes and growing files still work. */
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
      (uint64_t)st.st_size <= WG_MAX_FILE_SIZE) {
    cap = (size_t)st.st_size + 1; /* +1: the read that sees end of file */
    data = malloc(cap + 1);
    if (!data) {
      fclose(f);
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
    size_t n = fread(data + len, 1, cap - len, f);
    len += n;
    if (len > WG_MAX_FILE_SIZE) {
      status = WG_ERR_LIMIT;
      goto done;
    }
    if (n == 0) {
      if (ferror(f)) status = WG_ERR_IO;
      break;
    }
  }
done:
  fclose(f);
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
