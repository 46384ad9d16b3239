/* SPDX-License-Identifier: Apache-2.0 */
/* Reads a file of a granted directory (wasi:filesystem preopens,
 * read-via-stream): `cli_file_read DIR/FILE`. */
#include <fcntl.h>

#include "p2.h"

int main(int argc, char **argv) {
  CHECK(argc == 2);
  int fd = open(argv[1], O_RDONLY);
  CHECK(fd >= 0);
  static char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  CHECK(n >= 0);
  say("%zd bytes: %.*s", n, (int)n, buf);
  CHECK(read(fd, buf, sizeof buf) == 0);
  close(fd);
  return 0;
}
