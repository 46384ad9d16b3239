/* A WASI guest: file I/O inside the granted folder /data. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  FILE *f = fopen("/data/out.txt", "w");
  if (!f) {
    perror("create");
    return 1;
  }
  fprintf(f, "line one\nline two\n");
  fclose(f);
  f = fopen("/data/out.txt", "r");
  if (!f) {
    perror("reopen");
    return 1;
  }
  char line[64];
  int n = 0;
  while (fgets(line, sizeof line, f))
    n++;
  fclose(f);
  printf("read %d lines\n", n);
  if (mkdir("/data/sub", 0755) != 0) {
    perror("mkdir");
    return 1;
  }
  if (rename("/data/out.txt", "/data/sub/moved.txt") != 0) {
    perror("rename");
    return 1;
  }
  DIR *d = opendir("/data/sub");
  if (!d) {
    perror("opendir");
    return 1;
  }
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] != '.') printf("entry %s\n", e->d_name);
  }
  closedir(d);
  struct stat st;
  if (stat("/data/sub/moved.txt", &st) != 0) {
    perror("stat");
    return 1;
  }
  printf("size %lld\n", (long long)st.st_size);
  remove("/data/sub/moved.txt");
  if (rmdir("/data/sub") != 0) {
    perror("rmdir");
    return 1;
  }
  printf("files ok\n");
  return 0;
}
