/* SPDX-License-Identifier: Apache-2.0 */
/* A directory granted read-only: reading works; opening for writing, truncating
 * on open, set-size, creating, removing and renaming are refused and the file
 * keeps its contents. `file_read_only GUEST_DIR` with GUEST_DIR/bar.txt. */
#include <errno.h>
#include <fcntl.h>

#include "imports.h"
#include "p2_io.h"

static imports_string_t str(const char *s) {
  imports_string_t r;
  imports_string_set(&r, s);
  return r;
}

static const char *res(bool is_err, filesystem_types_error_code_t e) {
  return is_err ? fs_err(e) : "allowed";
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  imports_list_tuple2_filesystem_types_descriptor_string_t dirs =
      filesystem_preopens_get_directories();
  CHECK(dirs.len >= 1);
  filesystem_types_borrow_descriptor_t d =
      filesystem_types_borrow_descriptor(dirs.ptr[0].f0);
  imports_result_filesystem_types_descriptor_flags_filesystem_types_error_code_t
      fl = filesystem_types_descriptor_get_flags(d);
  CHECK(!fl.is_err);
  say("preopen flags: read %s, mutate-directory %s",
      fl.val.ok & FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_READ ? "yes" : "no",
      fl.val.ok & FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_MUTATE_DIRECTORY ? "yes"
                                                                     : "no");

  imports_result_filesystem_types_descriptor_filesystem_types_error_code_t o =
      filesystem_types_descriptor_open_at(
          d, 0, str("bar.txt"), 0, FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_READ);
  say("open for reading: %s", res(o.is_err, o.val.err));
  if (!o.is_err) {
    filesystem_types_borrow_descriptor_t f =
        filesystem_types_borrow_descriptor(o.val.ok);
    imports_result_void_filesystem_types_error_code_t ss =
        filesystem_types_descriptor_set_size(f, 0);
    say("set-size on a read-only descriptor: %s", res(ss.is_err, ss.val.err));
    imports_result_filesystem_types_filesize_filesystem_types_error_code_t w =
        filesystem_types_descriptor_write(
            f, (imports_list_u8_t){ (uint8_t *)"x", 1 }, 0);
    say("write on a read-only descriptor: %s", res(w.is_err, w.val.err));
    filesystem_types_descriptor_drop(o.val.ok);
  }
  o = filesystem_types_descriptor_open_at(
      d, 0, str("bar.txt"), 0, FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_WRITE);
  say("open for writing: %s", res(o.is_err, o.val.err));
  if (!o.is_err) filesystem_types_descriptor_drop(o.val.ok);
  o = filesystem_types_descriptor_open_at(
      d, 0, str("bar.txt"), FILESYSTEM_TYPES_OPEN_FLAGS_TRUNCATE,
      FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_READ);
  say("open with truncate: %s", res(o.is_err, o.val.err));
  if (!o.is_err) filesystem_types_descriptor_drop(o.val.ok);
  o = filesystem_types_descriptor_open_at(
      d, 0, str("new.txt"), FILESYSTEM_TYPES_OPEN_FLAGS_CREATE,
      FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_READ |
          FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_WRITE);
  say("create a file: %s", res(o.is_err, o.val.err));
  if (!o.is_err) filesystem_types_descriptor_drop(o.val.ok);
  imports_result_void_filesystem_types_error_code_t r =
      filesystem_types_descriptor_create_directory_at(d, str("newdir"));
  say("create a directory: %s", res(r.is_err, r.val.err));
  r = filesystem_types_descriptor_unlink_file_at(d, str("bar.txt"));
  say("unlink: %s", res(r.is_err, r.val.err));
  r = filesystem_types_descriptor_rename_at(d, str("bar.txt"), d,
                                            str("baz2.txt"));
  say("rename: %s", res(r.is_err, r.val.err));

  char path[512];
  snprintf(path, sizeof path, "%s/bar.txt", argv[1]);
  int fd = open(path, O_WRONLY | O_TRUNC);
  say("libc open O_WRONLY|O_TRUNC: %s", fd < 0 ? "refused" : "allowed");
  if (fd >= 0) close(fd);
  fd = open(path, O_RDONLY);
  CHECK(fd >= 0);
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  say("contents kept: %zd bytes: %.*s", n, (int)(n > 0 ? n : 0), buf);
  return 0;
}
