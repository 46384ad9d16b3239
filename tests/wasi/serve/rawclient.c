/* SPDX-License-Identifier: Apache-2.0 */
/* Raw HTTP clients for the server fault tests (serve_faults.sh), on
 * loopback, each bounded in time:
 *   rawclient send PORT TEXT        sends TEXT (\r \n escapes), prints the
 *                                   response's status line or "closed"
 *   rawclient slow PORT SECONDS     a head sent one byte every 250 ms;
 *                                   prints "closed after N s" or "open"
 *   rawclient gone-body PORT        a POST announcing 1 MB, 1 KB sent, gone
 *   rawclient gone-response PORT    reads 8 KB of a 64 MiB response, gone
 *   rawclient many PORT N PATH      N connections at once, one GET each;
 *                                   prints "N of N: 200" (the count that
 *                                   got 200) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET,
                           .sin_port = htons((uint16_t)port) };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("connect");
    exit(1);
  }
  struct timeval tv = { 10, 0 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints the first line of what the server sends, or "closed". */
static void status_line(int fd) {
  char buf[4096];
  ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) {
    puts("closed");
    return;
  }
  buf[n] = '\0';
  char *eol = strstr(buf, "\r\n");
  if (eol) *eol = '\0';
  puts(buf);
}

static void unescape(const char *in, char *out) {
  for (; *in; in++) {
    if (in[0] == '\\' && in[1] == 'r') {
      *out++ = '\r';
      in++;
    } else if (in[0] == '\\' && in[1] == 'n') {
      *out++ = '\n';
      in++;
    } else {
      *out++ = *in;
    }
  }
  *out = '\0';
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *mode = argv[1];
  int port = atoi(argv[2]);
  if (!strcmp(mode, "send") && argc == 4) {
    char *text = malloc(strlen(argv[3]) + 1);
    unescape(argv[3], text);
    int fd = connect_to(port);
    (void)!send(fd, text, strlen(text), MSG_NOSIGNAL);
    status_line(fd);
    close(fd);
    free(text);
  } else if (!strcmp(mode, "slow") && argc == 4) {
    int fd = connect_to(port);
    const char *head = "GET /ok HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    (void)!send(fd, head, strlen(head), MSG_NOSIGNAL);
    double t0 = now(), limit = atof(argv[3]);
    while (now() - t0 < limit) {
      if (send(fd, "a", 1, MSG_NOSIGNAL) != 1) break;
      struct pollfd p = { .fd = fd, .events = POLLIN };
      if (poll(&p, 1, 250) > 0) {
        char b[256];
        if (recv(fd, b, sizeof b, 0) <= 0) break; /* closed */
      }
    }
    double t = now() - t0;
    if (t < limit)
      printf("closed after %.0f s\n", t);
    else
      puts("open");
    close(fd);
  } else if (!strcmp(mode, "gone-body")) {
    int fd = connect_to(port);
    const char *head =
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
    (void)!send(fd, head, strlen(head), MSG_NOSIGNAL);
    char body[1024];
    memset(body, 'b', sizeof body);
    (void)!send(fd, body, sizeof body, MSG_NOSIGNAL);
    usleep(100000);
    close(fd);
    puts("gone");
  } else if (!strcmp(mode, "gone-response")) {
    int fd = connect_to(port);
    const char *req = "GET /big?65536 HTTP/1.1\r\nHost: x\r\n\r\n";
    (void)!send(fd, req, strlen(req), MSG_NOSIGNAL);
    char buf[8192];
    size_t got = 0;
    while (got < sizeof buf) {
      ssize_t n = recv(fd, buf, sizeof buf - got, 0);
      if (n <= 0) break;
      got += (size_t)n;
    }
    close(fd);
    puts("gone");
  } else if (!strcmp(mode, "many") && argc == 5) {
    int n = atoi(argv[3]);
    char req[256];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", argv[4]);
    struct pollfd *ps = calloc((size_t)n, sizeof *ps);
    for (int i = 0; i < n; i++) {
      ps[i].fd = connect_to(port);
      ps[i].events = POLLIN;
    }
    for (int i = 0; i < n; i++)
      (void)!send(ps[i].fd, req, strlen(req), MSG_NOSIGNAL);
    int ok = 0, left = n;
    double t0 = now();
    while (left > 0 && now() - t0 < 60) {
      if (poll(ps, (nfds_t)n, 1000) <= 0) continue;
      for (int i = 0; i < n; i++) {
        if (ps[i].fd < 0 || !(ps[i].revents & (POLLIN | POLLHUP | POLLERR)))
          continue;
        char buf[512];
        ssize_t k = recv(ps[i].fd, buf, sizeof buf - 1, 0);
        if (k > 0) {
          buf[k] = '\0';
          if (!strncmp(buf, "HTTP/1.1 200", 12)) ok++;
        }
        close(ps[i].fd);
        ps[i].fd = -1;
        left--;
      }
    }
    printf("%d of %d: 200\n", ok, n);
    free(ps);
  } else {
    return 2;
  }
  return 0;
}
