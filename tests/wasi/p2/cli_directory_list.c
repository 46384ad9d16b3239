/* SPDX-License-Identifier: Apache-2.0 */
/* Lists a granted directory and a subdirectory (wasi:filesystem
 * read-directory, directory-entry-stream), sorted, with entry types. */
#include <dirent.h>
#include <sys/stat.h>

#include "p2.h"

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path) {
  DIR *d = opendir(path);
  CHECK(d != NULL);
  char *names[64];
  size_t count = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    CHECK(count < 64);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s%s", e->d_name,
             e->d_type == DT_DIR   ? "/"
             : e->d_type == DT_REG ? ""
                                   : "?");
    names[count++] = strdup(tmp);
  }
  closedir(d);
  qsort(names, count, sizeof names[0], by_name);
  say("%s: %zu entries", path, count);
  for (size_t i = 0; i < count; i++) {
    say("  %s", names[i]);
    free(names[i]);
  }
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  list(argv[1]);
  char sub[512];
  snprintf(sub, sizeof sub, "%s/sub", argv[1]);
  list(sub);
  return 0;
}
