/* A hostile WASI guest: tries to read outside its granted folder /data.
 * Every attempt must fail; prints LEAK and exits 1 if any succeeds. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int leaked;

static void try_open(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd >= 0) {
    char buf[64] = { 0 };
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("LEAK %s: %zd bytes: %s\n", path, n, buf);
    leaked = 1;
    close(fd);
  } else {
    printf("refused %s: %s\n", path, strerror(errno));
  }
}

/* A directory named through a link with a trailing slash, without link
 * following (the host's openat would follow it despite O_NOFOLLOW), then a
 * file inside it. */
static void try_dir_then_file(const char *dir, const char *file) {
  int d = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (d < 0) {
    printf("refused %s: %s\n", dir, strerror(errno));
    return;
  }
  int fd = openat(d, file, O_RDONLY);
  if (fd >= 0) {
    printf("LEAK %s then %s\n", dir, file);
    leaked = 1;
    close(fd);
  } else {
    printf("refused %s then %s: %s\n", dir, file, strerror(errno));
  }
  close(d);
}

int main(void) {
  try_open("/data/../secret.txt");
  try_open("/data/sub/../../secret.txt");
  try_open("/secret.txt");
  try_open("/etc/passwd");
  try_open("/data/link-out");           /* symlink to ../secret.txt */
  try_open("/data/abs-link");           /* symlink to an absolute path */
  try_open("/data/dirlink/secret.txt"); /* symlink to the parent folder */
  try_dir_then_file("/data/dirlink/", "secret.txt");
  try_dir_then_file("/data/dirlink/.", "secret.txt");
  /* inside the sandbox, links work */
  int fd = open("/data/link-in", O_RDONLY);
  char buf[32] = { 0 };
  if (fd < 0 || read(fd, buf, sizeof buf - 1) <= 0) {
    printf("inner link failed: %s\n", strerror(errno));
    return 1;
  }
  printf("inner link: %s", buf);
  close(fd);
  if (symlink("/etc/passwd", "/data/new-link") == 0) {
    try_open("/data/new-link");
  } else {
    printf("refused symlink to /etc/passwd: %s\n", strerror(errno));
  }
  printf(leaked ? "ESCAPED\n" : "sandbox held\n");
  return leaked;
}
