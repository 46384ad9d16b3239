/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:filesystem on a granted writable directory: create a file, write
 * at offsets and through streams (write-via-stream, append-via-stream),
 * read back (read, read-via-stream), stat, truncate with set-size, rename,
 * unlink, create and remove a directory; libc's stdio on the same folder
 * through the adapter. `file_read_write GUEST_DIR`. */
#include <fcntl.h>
#include <sys/stat.h>

#include "imports.h"
#include "p2_io.h"

static filesystem_types_descriptor_t preopen(const char *want) {
  imports_list_tuple2_filesystem_types_descriptor_string_t dirs =
      filesystem_preopens_get_directories();
  filesystem_types_descriptor_t found = { -1 };
  for (size_t i = 0; i < dirs.len; i++) {
    if (found.handle < 0 && dirs.ptr[i].f1.len == strlen(want) &&
        !memcmp(dirs.ptr[i].f1.ptr, want, dirs.ptr[i].f1.len)) {
      found = dirs.ptr[i].f0;
      dirs.ptr[i].f0.handle = -1;
    }
  }
  for (size_t i = 0; i < dirs.len; i++) {
    if (dirs.ptr[i].f0.handle >= 0)
      filesystem_types_descriptor_drop(dirs.ptr[i].f0);
    imports_string_free(&dirs.ptr[i].f1);
  }
  free(dirs.ptr);
  CHECK(found.handle >= 0);
  return found;
}

static imports_string_t str(const char *s) {
  imports_string_t r;
  imports_string_set(&r, s);
  return r;
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  filesystem_types_descriptor_t dir = preopen(argv[1]);
  filesystem_types_borrow_descriptor_t d =
      filesystem_types_borrow_descriptor(dir);
  filesystem_types_path_flags_t follow = 0;
  imports_result_filesystem_types_descriptor_filesystem_types_error_code_t o =
      filesystem_types_descriptor_open_at(
          d, follow, str("rw.txt"),
          FILESYSTEM_TYPES_OPEN_FLAGS_CREATE |
              FILESYSTEM_TYPES_OPEN_FLAGS_TRUNCATE,
          FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_READ |
              FILESYSTEM_TYPES_DESCRIPTOR_FLAGS_WRITE);
  CHECK(!o.is_err);
  filesystem_types_borrow_descriptor_t f =
      filesystem_types_borrow_descriptor(o.val.ok);
  imports_list_u8_t hello = { (uint8_t *)"hello, file", 11 };
  imports_result_filesystem_types_filesize_filesystem_types_error_code_t w =
      filesystem_types_descriptor_write(f, hello, 0);
  CHECK(!w.is_err);
  say("write at 0: %llu bytes", (unsigned long long)w.val.ok);
  w = filesystem_types_descriptor_write(
      f, (imports_list_u8_t){ (uint8_t *)"F", 1 }, 7);
  CHECK(!w.is_err);
  imports_result_tuple2_list_u8_bool_filesystem_types_error_code_t r =
      filesystem_types_descriptor_read(f, 100, 0);
  CHECK(!r.is_err);
  say("read at 0: [%.*s] end: %s", (int)r.val.ok.f0.len, r.val.ok.f0.ptr,
      r.val.ok.f1 ? "yes" : "no");
  imports_list_u8_free(&r.val.ok.f0);
  r = filesystem_types_descriptor_read(f, 100, 11);
  CHECK(!r.is_err);
  say("read at the end: %zu bytes, end: %s", r.val.ok.f0.len,
      r.val.ok.f1 ? "yes" : "no");
  imports_list_u8_free(&r.val.ok.f0);

  imports_result_io_streams_output_stream_filesystem_types_error_code_t ws =
      filesystem_types_descriptor_append_via_stream(f);
  CHECK(!ws.is_err);
  CHECK(write_all(ws.val.ok, (const uint8_t *)"; appended", 10));
  io_streams_output_stream_drop(ws.val.ok);
  ws = filesystem_types_descriptor_write_via_stream(f, 0);
  CHECK(!ws.is_err);
  CHECK(write_all(ws.val.ok, (const uint8_t *)"HELLO", 5));
  io_streams_output_stream_drop(ws.val.ok);

  imports_result_io_streams_input_stream_filesystem_types_error_code_t rs =
      filesystem_types_descriptor_read_via_stream(f, 0);
  CHECK(!rs.is_err);
  uint8_t buf[256];
  bool closed;
  size_t got = read_upto(rs.val.ok, buf, sizeof buf, &closed);
  io_streams_input_stream_drop(rs.val.ok);
  say("streamed back: [%.*s] closed: %s", (int)got, buf, closed ? "yes" : "no");

  imports_result_filesystem_types_descriptor_stat_filesystem_types_error_code_t
      st = filesystem_types_descriptor_stat_2(f);
  CHECK(!st.is_err);
  say("stat: size %llu, regular file: %s", (unsigned long long)st.val.ok.size,
      st.val.ok.type == FILESYSTEM_TYPES_DESCRIPTOR_TYPE_REGULAR_FILE ? "yes"
                                                                      : "no");
  CHECK(!filesystem_types_descriptor_set_size(f, 5).is_err);
  st = filesystem_types_descriptor_stat_2(f);
  say("after set-size 5: size %llu", (unsigned long long)st.val.ok.size);
  filesystem_types_descriptor_drop(o.val.ok);

  CHECK(!filesystem_types_descriptor_rename_at(d, str("rw.txt"), d,
                                               str("moved.txt"))
             .is_err);
  imports_result_filesystem_types_descriptor_stat_filesystem_types_error_code_t
      gone = filesystem_types_descriptor_stat_at(d, 0, str("rw.txt"));
  say("old name after rename: %s",
      gone.is_err ? fs_err(gone.val.err) : "still there");
  CHECK(!filesystem_types_descriptor_create_directory_at(d, str("newdir"))
             .is_err);
  imports_result_void_filesystem_types_error_code_t again =
      filesystem_types_descriptor_create_directory_at(d, str("newdir"));
  say("create-directory twice: %s",
      again.is_err ? fs_err(again.val.err) : "ok");
  CHECK(!filesystem_types_descriptor_remove_directory_at(d, str("newdir"))
             .is_err);
  CHECK(
      !filesystem_types_descriptor_unlink_file_at(d, str("moved.txt")).is_err);
  imports_result_void_filesystem_types_error_code_t un =
      filesystem_types_descriptor_unlink_file_at(d, str("moved.txt"));
  say("unlink twice: %s", un.is_err ? fs_err(un.val.err) : "ok");

  /* the same through libc and the preview1 adapter */
  char path[512];
  snprintf(path, sizeof path, "%s/stdio.txt", argv[1]);
  FILE *fp = fopen(path, "w+");
  CHECK(fp != NULL);
  fprintf(fp, "line %d\n", 1);
  fprintf(fp, "line %d\n", 2);
  CHECK(fseek(fp, 0, SEEK_SET) == 0);
  char line[64];
  CHECK(fgets(line, sizeof line, fp) != NULL);
  say("stdio read back: %.*s", (int)strcspn(line, "\n"), line);
  fclose(fp);
  struct stat sb;
  CHECK(stat(path, &sb) == 0);
  say("stdio file size: %lld", (long long)sb.st_size);
  CHECK(unlink(path) == 0);
  filesystem_types_descriptor_drop(dir);
  return 0;
}
