/* SPDX-License-Identifier: Apache-2.0 */
/* Reference-suite driver of the WIT front-end.
 *
 *   wit_runner json WIT-UI-DIR
 *     every case of wit-parser's UI suite (a .wit file or a folder) is
 *     resolved with feature `active` (as upstream's runner does) and its JSON
 *     compared, as a JSON value, with the expected `.wit.json`. Packages
 *     as binaries (.wasm) and as WebAssembly text (.wat) are read by witgen
 *     itself.
 *   wit_runner parse-fail WITGEN PARSE-FAIL-DIR
 *     `witgen check` must exit 1 on every case with a path:line:col inside
 *     the case.
 *   wit_runner messages WITGEN DIR MIN-LOCATION% MIN-MESSAGE%
 *     every case with a wit-parser result (NAME.result: the message, then
 *     ` --> path:line:col`, or no location) is checked by `witgen check`;
 *     the first error's line:col and message are compared with wit-parser's.
 *     Prints both shares and the cases that differ; fails below the
 *     minimum percentages.
 *   wit_runner wasi WITGEN DIR...
 *     every package folder must pass `witgen check`; `witgen print` of the
 *     main package, re-parsed with the same deps, must give the same JSON.
 *   wit_runner print WITGEN WIT-UI-DIR
 *     the same print round trip for every wit-ui case that resolves.
 *
 * Prints "N passed, M failed" and the failing names; exits 1 on failures. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "witgen/wit.h"

/* snprintf into a fixed buffer; paths longer than it are cut (tests only). */
static void fmt(char *buf, size_t size, const char *f, ...)
    __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t size, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, size, f, ap);
  va_end(ap);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of `dir` (malloc'ed array of malloc'ed names). */
static char **list_dir(const char *dir, size_t *count) {
  DIR *d = opendir(dir);
  *count = 0;
  if (!d) return NULL;
  size_t cap = 64;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  while (names && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (*count == cap) {
      cap *= 2;
      char **n = realloc(names, cap * sizeof *names);
      if (!n) break;
      names = n;
    }
    names[(*count)++] = strdup(e->d_name);
  }
  closedir(d);
  if (names) qsort(names, *count, sizeof *names, cmp_names);
  return names;
}

static void free_list(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* True when `path` is, or (recursively) holds, a .wat/.wasm file. */
static bool has_binary(const char *path) {
  if (!is_dir(path)) return ends_with(path, ".wat") || ends_with(path, ".wasm");
  size_t n;
  char **names = list_dir(path, &n);
  bool found = false;
  for (size_t i = 0; i < n && !found; i++) {
    char sub[4096];
    fmt(sub, sizeof sub, "%s/%s", path, names[i]);
    found = has_binary(sub);
  }
  free_list(names, n);
  return found;
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        buf = NULL;
      }
      buf = nb;
    }
  }
  fclose(f);
  if (buf) buf[n < cap ? n : cap - 1] = '\0';
  *len = n;
  return buf;
}

/* Resolves `path` and returns its JSON (malloc'ed), or NULL. */
static char *load_json(const char *path, bool print_diags, bool all) {
  static const char *features[] = { "active" };
  WgWitOptions opt = { features, 1, all, false };
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *r = NULL;
  WgStatus st = wg_wit_load(path, &opt, diags, &r);
  if (st != WG_OK && print_diags) wg_diag_list_print(diags, stdout);
  wg_diag_list_delete(diags);
  if (st != WG_OK) return NULL;
  char *json = wg_wit_to_json(r);
  wg_wit_resolve_free(r);
  return json;
}

static bool json_same(const char *a, size_t alen, const char *b, size_t blen) {
  char err[256];
  JsonValue *va = json_parse(a, alen, err, sizeof err);
  JsonValue *vb = json_parse(b, blen, err, sizeof err);
  bool eq = va && vb && json_equal(va, vb);
  json_free(va); /* frees the whole tree, root included */
  json_free(vb);
  return eq;
}

static int run_json(const char *dir) {
  size_t n;
  char **names = list_dir(dir, &n);
  if (!names) {
    fprintf(stderr, "cannot read %s\n", dir);
    return 1;
  }
  int passed = 0, failed = 0;
  char failures[8192] = "";
  for (size_t i = 0; i < n; i++) {
    const char *name = names[i];
    if (ends_with(name, ".json") || ends_with(name, ".result") ||
        ends_with(name, ".md") || strcmp(name, "parse-fail") == 0)
      continue;
    char path[4096], expected[4096];
    fmt(path, sizeof path, "%s/%s", dir, name);
    size_t base = strlen(name);
    if (ends_with(name, ".wit"))
      base -= 4;
    else if (ends_with(name, ".wat"))
      base -= 4;
    else if (ends_with(name, ".wasm"))
      base -= 5;
    else if (!is_dir(path))
      continue;
    fmt(expected, sizeof expected, "%s/%.*s.wit.json", dir, (int)base, name);
    size_t elen = 0;
    char *exp = read_all(expected, &elen);
    char *got = exp ? load_json(path, true, false) : NULL;
    if (got && json_same(got, strlen(got), exp, elen)) {
      passed++;
    } else {
      failed++;
      strncat(failures, " ", sizeof failures - strlen(failures) - 1);
      strncat(failures, name, sizeof failures - strlen(failures) - 1);
    }
    free(exp);
    free(got);
  }
  free_list(names, n);
  printf("wit-ui json: %d passed, %d failed\n", passed, failed);
  if (failed) printf("failed:%s\n", failures);
  return failed ? 1 : 0;
}

/* Runs `cmd` and captures its combined output; returns the exit status. */
static int run_capture(const char *cmd, char *out, size_t out_size) {
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  size_t n = fread(out, 1, out_size - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* True when `text` holds "<prefix>...:LINE:COL" for a path under prefix,
 * followed by `:` or the end of a line. */
static bool has_location(const char *text, const char *prefix) {
  const char *p = text;
  while ((p = strstr(p, prefix)) != NULL) {
    const char *q = p + strlen(prefix);
    while (*q && *q != ':' && *q != '\n' && *q != ' ')
      q++;
    int line, col;
    char c;
    /* "path:L:C: error: ..." or a location listed in a message */
    if (*q == ':' && sscanf(q, ":%d:%d%c", &line, &col, &c) == 3 &&
        (c == ':' || c == '\n'))
      return true;
    p = q;
  }
  return false;
}

static int run_parse_fail(const char *witgen, const char *dir) {
  size_t n;
  char **names = list_dir(dir, &n);
  if (!names) {
    fprintf(stderr, "cannot read %s\n", dir);
    return 1;
  }
  int passed = 0, failed = 0;
  static char out[1 << 16];
  for (size_t i = 0; i < n; i++) {
    const char *name = names[i];
    if (ends_with(name, ".result") || ends_with(name, ".md")) continue;
    char cmd[8192], path[4096];
    fmt(path, sizeof path, "%s/%s", dir, name);
    fmt(cmd, sizeof cmd, "'%s' check '%s' 2>&1", witgen, path);
    int rc = run_capture(cmd, out, sizeof out);
    if (rc == 1 && has_location(out, path)) {
      passed++;
    } else {
      failed++;
      printf("FAIL %s (exit %d)\n%s\n", name, rc, out);
    }
  }
  free_list(names, n);
  printf("wit-ui parse-fail: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/* wit-parser's result for a case: the message's first line and its
 * line:col (0:0 when it has none). Its CLI wraps errors of package folders
 * ("failed to resolve directory while parsing WIT for path [P]: failed to
 * parse package: P: MSG"); the wrapper is dropped. Lines too long for an
 * excerpt are reported as "path:line:col: MSG". */
static void expected_result(char *text, char **msg, int *line, int *col) {
  *line = *col = 0;
  char *nl = strchr(text, '\n');
  if (nl) *nl = '\0';
  char *m = text;
  static const char wrap[] = "failed to resolve directory while parsing WIT";
  if (strncmp(m, wrap, strlen(wrap)) == 0) {
    char *p = strstr(m, "]: ");
    if (p) m = p + 3;
    static const char pkg[] = "failed to parse package: ";
    if (strncmp(m, pkg, strlen(pkg)) == 0) {
      char *q = strstr(m + strlen(pkg), ": ");
      if (q) m = q + 2;
    }
  }
  char *arrow = nl ? strstr(nl + 1, "--> ") : NULL;
  if (arrow) {
    char *end = strchr(arrow, '\n');
    if (end) *end = '\0';
    char *c2 = strrchr(arrow, ':');
    if (c2 && c2 > arrow) {
      *c2 = '\0';
      char *c1 = strrchr(arrow, ':');
      if (c1) {
        *line = atoi(c1 + 1);
        *col = atoi(c2 + 1);
      }
    }
  } else {
    /* "path:L:C: MSG" */
    char *p = strstr(m, ".wit:");
    int l, c, n = 0;
    if (p && sscanf(p + 4, ":%d:%d: %n", &l, &c, &n) == 2 && n > 0) {
      *line = l;
      *col = c;
      m = p + 4 + n;
    }
  }
  *msg = m;
}

/* The first error witgen printed: message and line:col (0:0: none). */
static void actual_result(char *out, char **msg, int *line, int *col) {
  *line = *col = 0;
  char *nl = strchr(out, '\n');
  if (nl) *nl = '\0';
  char *e = strstr(out, "error: ");
  *msg = e ? e + 7 : out;
  if (!e || e == out) return;
  /* "PATH:L:C: error: " */
  char *p = e - 2; /* the ':' before " error" */
  while (p > out && p[-1] >= '0' && p[-1] <= '9')
    p--;
  char *c2 = p - 1;
  if (c2 <= out || *c2 != ':') return;
  char *q = c2;
  while (q > out && q[-1] >= '0' && q[-1] <= '9')
    q--;
  if (q > out && q[-1] == ':' && q < c2) {
    *line = atoi(q);
    *col = atoi(p);
  }
}

static int run_messages(const char *witgen, const char *dir, double min_loc,
                        double min_msg) {
  size_t n;
  char **names = list_dir(dir, &n);
  if (!names) {
    fprintf(stderr, "cannot read %s\n", dir);
    return 1;
  }
  int cases = 0, loc_ok = 0, msg_ok = 0;
  static char out[1 << 16];
  for (size_t i = 0; i < n; i++) {
    if (!ends_with(names[i], ".result")) continue;
    char path[4096], result[4096], cmd[9000];
    fmt(result, sizeof result, "%s/%s", dir, names[i]);
    fmt(path, sizeof path, "%s/%.*s", dir, (int)(strlen(names[i]) - 7),
        names[i]);
    struct stat st;
    if (stat(path, &st) != 0) {
      /* a package folder's result is named FOLDER.wit.result */
      if (ends_with(path, ".wit")) path[strlen(path) - 4] = '\0';
      if (!is_dir(path)) continue;
    }
    size_t len;
    char *want = read_all(result, &len);
    if (!want) continue;
    fmt(cmd, sizeof cmd, "'%s' check '%s' 2>&1", witgen, path);
    run_capture(cmd, out, sizeof out);
    char *wmsg, *gmsg;
    int wl, wc, gl, gc;
    expected_result(want, &wmsg, &wl, &wc);
    actual_result(out, &gmsg, &gl, &gc);
    bool same_loc = wl == gl && wc == gc;
    bool same_msg = strcmp(wmsg, gmsg) == 0;
    cases++;
    loc_ok += same_loc;
    msg_ok += same_msg;
    if (!same_loc || !same_msg)
      printf("differs: %s (%s%s)\n  wit-parser: %d:%d %s\n  witgen:     "
             "%d:%d %s\n",
             names[i], same_loc ? "" : "location",
             same_loc || same_msg ? "" : ", message", wl, wc, wmsg, gl, gc,
             gmsg);
    free(want);
  }
  free_list(names, n);
  double lp = cases ? 100.0 * loc_ok / cases : 0,
         mp = cases ? 100.0 * msg_ok / cases : 0;
  printf("%s: %d cases; line:col equal to wit-parser's in %d (%.1f%%), first "
         "message line in %d (%.1f%%); required %.0f%% and %.0f%%\n",
         dir, cases, loc_ok, lp, msg_ok, mp, min_loc, min_msg);
  return cases > 0 && lp >= min_loc && mp >= min_msg ? 0 : 1;
}

/* `witgen print` of `path` (a .wit file, or a folder whose deps/ is
 * reused), re-resolved, must give the same JSON; all features are on so
 * gated items are printed and compared too. */
static bool print_round_trip(const char *witgen, const char *path) {
  char tmp[] = "/tmp/witgen-print-XXXXXX";
  if (!mkdtemp(tmp)) return false;
  char file[4200], deps[4200], link[4200], cmd[9000];
  fmt(file, sizeof file, "%s/main.wit", tmp);
  fmt(deps, sizeof deps, "%s/deps", path);
  fmt(link, sizeof link, "%s/deps", tmp);
  fmt(cmd, sizeof cmd, "'%s' print --all-features '%s' > '%s'", witgen, path,
      file);
  bool dir = is_dir(path);
  bool ok = system(cmd) == 0 && (!is_dir(deps) || symlink(deps, link) == 0);
  char *a = ok ? load_json(path, true, true) : NULL;
  char *b = a ? load_json(dir ? tmp : file, true, true) : NULL;
  ok = a && b && json_same(a, strlen(a), b, strlen(b));
  free(a);
  free(b);
  if (ok) {
    unlink(link);
    unlink(file);
    rmdir(tmp);
  } else {
    printf("printed copy kept in %s\n", tmp);
  }
  return ok;
}

static int run_wasi(const char *witgen, int argc, char **argv) {
  int passed = 0, failed = 0;
  static char out[1 << 16];
  for (int i = 0; i < argc; i++) {
    const char *dir = argv[i];
    char cmd[8192];
    fmt(cmd, sizeof cmd, "'%s' check '%s' 2>&1", witgen, dir);
    int rc = run_capture(cmd, out, sizeof out);
    if (rc != 0) {
      failed++;
      printf("FAIL check %s\n%s\n", dir, out);
    } else if (!print_round_trip(witgen, dir)) {
      failed++;
      printf("FAIL print round trip %s\n", dir);
    } else {
      passed++;
    }
  }
  printf("wasi: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

/* Print round trip of every wit-ui case that resolves. */
static int run_print(const char *witgen, const char *dir) {
  size_t n;
  char **names = list_dir(dir, &n);
  int passed = 0, failed = 0;
  for (size_t i = 0; i < n; i++) {
    const char *name = names[i];
    char path[4096];
    fmt(path, sizeof path, "%s/%s", dir, name);
    if (strcmp(name, "parse-fail") == 0 || has_binary(path)) continue;
    if (!ends_with(name, ".wit") && !is_dir(path)) continue;
    char *json = load_json(path, false, true);
    if (!json) continue;
    free(json);
    if (print_round_trip(witgen, path)) {
      passed++;
    } else {
      failed++;
      printf("FAIL %s\n", name);
    }
  }
  free_list(names, n);
  printf("wit-ui print round trip: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "json") == 0) return run_json(argv[2]);
  if (argc >= 4 && strcmp(argv[1], "parse-fail") == 0)
    return run_parse_fail(argv[2], argv[3]);
  if (argc >= 6 && strcmp(argv[1], "messages") == 0)
    return run_messages(argv[2], argv[3], atof(argv[4]), atof(argv[5]));
  if (argc >= 4 && strcmp(argv[1], "print") == 0)
    return run_print(argv[2], argv[3]);
  if (argc >= 4 && strcmp(argv[1], "wasi") == 0)
    return run_wasi(argv[2], argc - 3, argv + 3);
  fprintf(stderr, "usage: wit_runner json DIR | parse-fail WITGEN DIR | "
                  "messages WITGEN DIR MIN-LOC MIN-MSG | "
                  "wasi WITGEN DIR...\n");
  return 2;
}
