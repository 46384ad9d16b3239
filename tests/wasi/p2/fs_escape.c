/* SPDX-License-Identifier: Apache-2.0 */
/* The filesystem sandbox: from a granted directory, `..` above it, an
 * absolute path, symbolic links pointing outside (absolute or climbing) and
 * a new link with an absolute target are refused (not-permitted); links
 * inside it work. The same escapes through wasi-libc (the preview1 adapter)
 * fail too. `fs_escape GUEST_DIR` with links `escape` -> /etc, `up` -> ../..
 * and `inside` -> bar.txt in it. */
#include <errno.h>
#include <fcntl.h>

#include "imports.h"
#include "p2_io.h"

static imports_string_t str(const char *s) {
  imports_string_t r;
  imports_string_set(&r, s);
  return r;
}

static filesystem_types_borrow_descriptor_t dir;

static void try_open(const char *path, bool follow) {
  imports_result_filesystem_types_descriptor_filesystem_types_error_code_t o =
      filesystem_types_descriptor_open_at(
          dir, follow ? FILESYSTEM_TYPES_PATH_FLAGS_SYMLINK_FOLLOW : 0,
          str(path), 0, FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_READ);
  say("open %s%s: %s", path, follow ? " (following links)" : "",
      o.is_err ? fs_err(o.val.err) : "opened");
  if (!o.is_err) filesystem_types_descriptor_drop(o.val.ok);
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  imports_list_tuple2_filesystem_types_descriptor_string_t dirs =
      filesystem_preopens_get_directories();
  CHECK(dirs.len == 1);
  dir = filesystem_types_borrow_descriptor(dirs.ptr[0].f0);
  try_open("../outside.txt", false);
  try_open("sub/../../outside.txt", false);
  try_open("/etc/passwd", false);
  try_open("escape/passwd", true);
  try_open("up/outside.txt", true);
  try_open("inside", true);
  try_open("sub/../bar.txt", false);
  imports_result_filesystem_types_descriptor_stat_filesystem_types_error_code_t
      st = filesystem_types_descriptor_stat_at(
          dir, FILESYSTEM_TYPES_PATH_FLAGS_SYMLINK_FOLLOW, str("escape"));
  say("stat escape (following): %s", st.is_err ? fs_err(st.val.err) : "ok");
  imports_result_void_filesystem_types_error_code_t sl =
      filesystem_types_descriptor_symlink_at(dir, str("/etc/passwd"),
                                             str("newlink"));
  say("symlink to an absolute path: %s",
      sl.is_err ? fs_err(sl.val.err) : "made");
  imports_result_string_filesystem_types_error_code_t rl =
      filesystem_types_descriptor_readlink_at(dir, str("escape"));
  say("readlink escape: %s", rl.is_err ? fs_err(rl.val.err) : "read");

  char path[512];
  snprintf(path, sizeof path, "%s/../outside.txt", argv[1]);
  int fd = open(path, O_RDONLY);
  say("libc open %s: %s", path, fd < 0 ? "refused" : "opened");
  snprintf(path, sizeof path, "%s/escape/passwd", argv[1]);
  fd = open(path, O_RDONLY);
  say("libc open %s: %s", path, fd < 0 ? "refused" : "opened");
  fd = open("/etc/passwd", O_RDONLY);
  say("libc open /etc/passwd: %s", fd < 0 ? "refused" : "opened");
  return 0;
}
