/* SPDX-License-Identifier: Apache-2.0 */
/* World `logger` of kv.wit: keeps the lines written, gives them back. */
#include "logger.h"
#include "sb.h"

static logger_string_t lines[512];
static size_t count;

void exports_kv_log_write(logger_string_t line) {
  if (count < sizeof lines / sizeof lines[0])
    lines[count++] = line; /* ours: kept */
  else
    logger_string_free(&line);
}

logger_list_string_t exports_kv_log_lines(void) {
  logger_list_string_t r = { NULL, count };
  if (count) {
    r.ptr = malloc(count * sizeof *r.ptr);
    if (!r.ptr) abort();
  }
  for (size_t i = 0; i < count; i++) {
    r.ptr[i].ptr = dup_bytes(lines[i].ptr, lines[i].len);
    r.ptr[i].len = lines[i].len;
  }
  return r;
}
