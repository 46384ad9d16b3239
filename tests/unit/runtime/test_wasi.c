/* SPDX-License-Identifier: Apache-2.0 */
/* The WASI preview1 host's sandbox: the path resolver (wasi_resolve) on a
 * directory tree full of traps (`..`, absolute paths, symbolic links to
 * outside, loops, trailing slashes), then the path_* and fd_* functions as a
 * guest calls them, through a hand-assembled module that forwards its
 * exports to the imported WASI functions. Every escape must fail with
 * ERRNO_NOTCAPABLE (or ELOOP/ENOTDIR) and leave the outside untouched. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_all.h"
#include "wasi/p1/wasi_internal.h"
#include "witgen/wasi.h"
#include "witgen/wasm.h"

/* Section: the directory tree */

/* base/outside/secret.txt, and base/root (granted as "/sandbox"):
 *   a.txt  sub/b.txt  sub/deeper/  sub/inner -> ../a.txt
 *   subl -> sub   flink -> a.txt   up -> ..   out -> ../outside
 *   abs -> BASE/outside   etc -> /etc   loop1 <-> loop2
 *   dangle_out -> ../outside/new.txt   dangle_in -> sub/new.txt
 *   chain -> sub/hop   sub/hop -> ../up */
static char base[512];

static void path_of(char *out, const char *rel) {
  int n = snprintf(out, PATH_MAX, "%s/%s", base, rel);
  assert_true(n > 0 && n < PATH_MAX);
}

static void make_dir(const char *rel) {
  char p[PATH_MAX];
  path_of(p, rel);
  assert_int_equal(mkdir(p, 0755), 0);
}

static void make_file(const char *rel, const char *content) {
  char p[PATH_MAX];
  path_of(p, rel);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(content, f);
  fclose(f);
}

static void make_link(const char *rel, const char *target) {
  char p[PATH_MAX];
  path_of(p, rel);
  assert_int_equal(symlink(target, p), 0);
}

static bool exists(const char *rel) {
  char p[PATH_MAX];
  struct stat st;
  path_of(p, rel);
  return lstat(p, &st) == 0;
}

/* The whole content of a file under base, or "" when absent. */
static const char *read_back(const char *rel) {
  static char buf[256];
  char p[PATH_MAX];
  path_of(p, rel);
  buf[0] = '\0';
  FILE *f = fopen(p, "r");
  if (!f) return buf;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static int tree_setup(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  snprintf(base, sizeof base, "%s/wg-wasi-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(base)) return -1;
  make_dir("outside");
  make_file("outside/secret.txt", "secret");
  make_dir("root");
  make_file("root/a.txt", "hello");
  make_dir("root/sub");
  make_file("root/sub/b.txt", "bee");
  make_dir("root/sub/deeper");
  make_link("root/sub/inner", "../a.txt");
  make_link("root/subl", "sub");
  make_link("root/flink", "a.txt");
  make_link("root/up", "..");
  make_link("root/out", "../outside");
  char abs_target[PATH_MAX];
  path_of(abs_target, "outside");
  make_link("root/abs", abs_target);
  make_link("root/etc", "/etc");
  make_link("root/loop1", "loop2");
  make_link("root/loop2", "loop1");
  make_link("root/dangle_out", "../outside/new.txt");
  make_link("root/dangle_in", "sub/new.txt");
  make_link("root/chain", "sub/hop");
  make_link("root/sub/hop", "../up");
  return 0;
}

static int tree_teardown(void **state) {
  (void)state;
  char cmd[PATH_MAX + 16];
  if (base[0] == '\0' || strstr(base, "wg-wasi-") == NULL) return 0;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  return system(cmd) == 0 ? 0 : -1;
}

/* A WASI context granting base/root as "/sandbox" (fd 3). */
static WgWasi *new_wasi(void) {
  char root[PATH_MAX];
  path_of(root, "root");
  WgWasiDir dir = { root, "/sandbox" };
  const char *args[] = { "prog", "x" };
  WgWasiConfig cfg = {
    .args = args, .arg_count = 2, .dirs = &dir, .dir_count = 1
  };
  WgWasi *w = NULL;
  assert_int_equal(wg_wasi_new(&cfg, &w, NULL), WG_OK);
  assert_non_null(w);
  return w;
}

/* Section: wasi_resolve */

/* Resolves `path` from fd 3 expecting `want`; on success the parent must
 * be the directory base/root/`parent_rel` and the leaf `want_leaf`. */
static void check_resolve_n(WgWasi *w, const char *path, size_t len,
                            bool follow, uint16_t want, const char *parent_rel,
                            const char *want_leaf) {
  int parent = -1;
  char leaf[256] = "";
  uint16_t r = wasi_resolve(w, 3, path, len, follow, &parent, leaf);
  if (r != want) {
    if (r == 0) close(parent);
    fail_msg("resolve '%s' (follow %d): errno %u, want %u", path, follow, r,
             want);
  }
  if (r != 0) return;
  char expect[PATH_MAX];
  char rel[PATH_MAX];
  snprintf(rel, sizeof rel, "root/%s", parent_rel);
  path_of(expect, rel);
  struct stat a, b;
  assert_int_equal(fstat(parent, &a), 0);
  assert_int_equal(stat(expect, &b), 0);
  close(parent);
  if (a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
    fail_msg("resolve '%s': parent is not root/%s", path, parent_rel);
  }
  if (strcmp(leaf, want_leaf) != 0) {
    fail_msg("resolve '%s': leaf '%s', want '%s'", path, leaf, want_leaf);
  }
}

static void check_resolve(WgWasi *w, const char *path, bool follow,
                          uint16_t want, const char *parent_rel,
                          const char *want_leaf) {
  check_resolve_n(w, path, strlen(path), follow, want, parent_rel, want_leaf);
}

static void test_resolve_inside(void **state) {
  (void)state;
  WgWasi *w = new_wasi();
  check_resolve(w, "a.txt", false, 0, ".", "a.txt");
  check_resolve(w, "sub/b.txt", false, 0, "sub", "b.txt");
  check_resolve(w, "./sub/./b.txt", false, 0, "sub", "b.txt");
  check_resolve(w, "sub//b.txt", false, 0, "sub", "b.txt");
  check_resolve(w, "sub/../a.txt", false, 0, ".", "a.txt");
  check_resolve(w, "sub/deeper/../../a.txt", false, 0, ".", "a.txt");
  check_resolve(w, "sub/deeper/../deeper/../..", false, 0, ".", ".");
  check_resolve(w, ".", false, 0, ".", ".");
  check_resolve(w, "./", false, 0, ".", ".");
  check_resolve(w, "sub", false, 0, ".", "sub");
  check_resolve(w, "sub/", false, 0, ".", "sub"); /* never a slash in leaf */
  check_resolve(w, "sub//", false, 0, ".", "sub");
  check_resolve(w, "sub/.", false, 0, "sub", ".");
  check_resolve(w, "sub/..", false, 0, ".", ".");
  /* a missing leaf is fine (it may be created); a missing directory not */
  check_resolve(w, "missing", false, 0, ".", "missing");
  check_resolve(w, "missing/", false, 0, ".", "missing");
  check_resolve(w, "missing/x", false, WASI_ENOENT, NULL, NULL);
  check_resolve(w, "", false, WASI_ENOENT, NULL, NULL);
  wg_wasi_delete(w);
}

static void test_resolve_links_inside(void **state) {
  (void)state;
  WgWasi *w = new_wasi();
  /* intermediate links are followed within the sandbox */
  check_resolve(w, "subl/b.txt", false, 0, "sub", "b.txt");
  check_resolve(w, "subl/deeper/../b.txt", false, 0, "sub", "b.txt");
  /* a final link: itself without follow, its target with follow */
  check_resolve(w, "sub/inner", false, 0, "sub", "inner");
  check_resolve(w, "sub/inner", true, 0, ".", "a.txt");
  check_resolve(w, "subl", false, 0, ".", "subl");
  check_resolve(w, "subl", true, 0, ".", "sub");
  /* a trailing slash follows a final link whatever the flag says */
  check_resolve(w, "subl/", false, 0, ".", "sub");
  /* a dangling link inside: the leaf it would create */
  check_resolve(w, "dangle_in", true, 0, "sub", "new.txt");
  check_resolve(w, "dangle_in", false, 0, ".", "dangle_in");
  /* files are not directories */
  check_resolve(w, "a.txt/", false, WASI_ENOTDIR, NULL, NULL);
  check_resolve(w, "a.txt/x", false, WASI_ENOTDIR, NULL, NULL);
  check_resolve(w, "a.txt/..", false, WASI_ENOTDIR, NULL, NULL);
  check_resolve(w, "flink/", false, WASI_ENOTDIR, NULL, NULL);
  check_resolve(w, "flink/x", false, WASI_ENOTDIR, NULL, NULL);
  check_resolve(w, "flink", true, 0, ".", "a.txt");
  /* loops end */
  check_resolve(w, "loop1", false, 0, ".", "loop1");
  check_resolve(w, "loop1", true, WASI_ELOOP, NULL, NULL);
  check_resolve(w, "loop1/x", false, WASI_ELOOP, NULL, NULL);
  check_resolve(w, "loop1/", false, WASI_ELOOP, NULL, NULL);
  wg_wasi_delete(w);
}

static void test_resolve_escapes(void **state) {
  (void)state;
  WgWasi *w = new_wasi();
  static const char *const escapes[] = {
    "..",
    "../",
    "../outside/secret.txt",
    "../root/a.txt", /* even back inside: the walk may not leave */
    "sub/../..",
    "sub/../../outside/secret.txt",
    "sub/deeper/../../../outside",
    "./../outside",
    "/",
    "/etc/passwd",
    "//etc",
    "up/outside/secret.txt",
    "up/",
    "out/secret.txt",
    "out/",
    "abs/secret.txt",
    "abs/",
    "etc/passwd",
    "etc/",
    "etc/.",
    "subl/../../outside",
    "chain/x",
    "chain/",
    "sub/hop/outside",
  };
  for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
    check_resolve(w, escapes[i], false, WASI_ENOTCAPABLE, NULL, NULL);
    check_resolve(w, escapes[i], true, WASI_ENOTCAPABLE, NULL, NULL);
  }
  /* final links leading out: refused when followed, harmless otherwise */
  static const char *const final_links[] = {
    "up", "out", "abs", "etc", "dangle_out", "chain", "sub/hop",
  };
  for (size_t i = 0; i < sizeof final_links / sizeof final_links[0]; i++) {
    check_resolve(w, final_links[i], true, WASI_ENOTCAPABLE, NULL, NULL);
  }
  check_resolve(w, "etc", false, 0, ".", "etc");
  check_resolve(w, "dangle_out", false, 0, ".", "dangle_out");
  wg_wasi_delete(w);
}

static void test_resolve_bad_input(void **state) {
  (void)state;
  WgWasi *w = new_wasi();
  char name[300];
  memset(name, 'n', sizeof name);
  /* NAME_MAX bytes per component: 255 fine, 256 too long */
  name[255] = '\0';
  check_resolve(w, name, false, 0, ".", name);
  name[255] = 'n';
  name[256] = '\0';
  check_resolve(w, name, false, WASI_ENAMETOOLONG, NULL, NULL);
  /* an embedded NUL would cut the name short on the host */
  check_resolve_n(w, "a.txt\0/../../x", 14, false, WASI_EILSEQ, NULL, NULL);
  check_resolve_n(w, "sub\0x/b.txt", 11, false, WASI_EILSEQ, NULL, NULL);
  /* only directory descriptors resolve */
  int parent;
  char leaf[256];
  assert_int_equal(wasi_resolve(w, 99, "a.txt", 5, false, &parent, leaf),
                   WASI_EBADF);
  assert_int_equal(wasi_resolve(w, 1, "a.txt", 5, false, &parent, leaf),
                   WASI_ENOTDIR);
  /* a long path of many components is fine; very deep ones are bounded */
  static char deep[20000];
  size_t n = 0;
  for (int i = 0; i < 2500; i++) {
    assert_true(n + 7 + 6 <= sizeof deep);
    memcpy(deep + n, "sub/../", 7);
    n += 7;
  }
  memcpy(deep + n, "a.txt", 6);
  check_resolve(w, deep, false, 0, ".", "a.txt");
  n = 0;
  for (int i = 0; i < 2000; i++) {
    assert_true(n + 5 + 1 <= sizeof deep);
    memcpy(deep + n, "subl/", 5);
    n += 5;
  }
  deep[n] = '\0';
  int parent2 = -1;
  uint16_t r = wasi_resolve(w, 3, deep, n, false, &parent2, leaf);
  /* subl/subl fails at once: sub holds no subl */
  assert_int_equal(r, WASI_ENOENT);
  wg_wasi_delete(w);
}

/* A directory descriptor other than a preopen confines to itself. */
static void test_resolve_from_subdirectory(void **state) {
  (void)state;
  WgWasi *w = new_wasi();
  char p[PATH_MAX];
  path_of(p, "root/sub");
  int host = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  assert_true(host >= 0);
  int64_t fd = wasi_fd_add(w, WASI_FD_DIR, host);
  assert_true(fd > 3);
  int parent;
  char leaf[256];
  assert_int_equal(
      wasi_resolve(w, (uint32_t)fd, "b.txt", 5, false, &parent, leaf), 0);
  assert_string_equal(leaf, "b.txt");
  close(parent);
  assert_int_equal(
      wasi_resolve(w, (uint32_t)fd, "../a.txt", 8, false, &parent, leaf),
      WASI_ENOTCAPABLE);
  /* its link "inner" points to ../a.txt: outside this descriptor */
  assert_int_equal(
      wasi_resolve(w, (uint32_t)fd, "inner", 5, true, &parent, leaf),
      WASI_ENOTCAPABLE);
  wg_wasi_delete(w);
}

/* Section: the host functions, called by a guest */

typedef struct Import {
  const char *name;
  const char *params; /* i = i32, I = i64; result is always one i32 */
} Import;

static const Import imports[] = {
  { "path_open", "iiiiiIIii" },
  { "fd_read", "iiii" },
  { "fd_write", "iiii" },
  { "fd_close", "i" },
  { "fd_prestat_get", "ii" },
  { "fd_prestat_dir_name", "iii" },
  { "fd_readdir", "iiiIi" },
  { "path_create_directory", "iii" },
  { "path_remove_directory", "iii" },
  { "path_unlink_file", "iii" },
  { "path_rename", "iiiiii" },
  { "path_filestat_get", "iiiii" },
  { "path_symlink", "iiiii" },
  { "path_link", "iiiiiii" },
  { "path_readlink", "iiiiii" },
  { "args_sizes_get", "ii" },
  { "args_get", "ii" },
};
enum { NIMPORTS = sizeof imports / sizeof imports[0] };

typedef struct Buf {
  uint8_t b[4096];
  size_t n;
} Buf;

static void put(Buf *b, uint8_t v) {
  assert_true(b->n < sizeof b->b);
  b->b[b->n++] = v;
}

static void uleb(Buf *b, uint64_t v) {
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    put(b, byte | (v ? 0x80 : 0));
  } while (v);
}

static void put_name(Buf *b, const char *s) {
  uleb(b, strlen(s));
  for (const char *p = s; *p; p++)
    put(b, (uint8_t)*p);
}

static void section(Buf *m, uint8_t id, const Buf *s) {
  put(m, id);
  uleb(m, s->n);
  for (size_t i = 0; i < s->n; i++)
    put(m, s->b[i]);
}

/* (module (import "wasi_snapshot_preview1" NAME (func $i ...)) ...
 *   (memory (export "memory") 1)
 *   (func (export NAME) (param ...) (result i32) local.get 0.. call $i)) */
static void assemble(Buf *m) {
  static const uint8_t magic[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  m->n = 0;
  for (size_t i = 0; i < sizeof magic; i++)
    put(m, magic[i]);
  Buf s = { .n = 0 };
  uleb(&s, NIMPORTS);
  for (size_t i = 0; i < NIMPORTS; i++) {
    put(&s, 0x60);
    uleb(&s, strlen(imports[i].params));
    for (const char *p = imports[i].params; *p; p++)
      put(&s, *p == 'I' ? 0x7E : 0x7F);
    put(&s, 1);
    put(&s, 0x7F);
  }
  section(m, 1, &s);
  s.n = 0;
  uleb(&s, NIMPORTS);
  for (size_t i = 0; i < NIMPORTS; i++) {
    put_name(&s, "wasi_snapshot_preview1");
    put_name(&s, imports[i].name);
    put(&s, 0);
    uleb(&s, i);
  }
  section(m, 2, &s);
  s.n = 0;
  uleb(&s, NIMPORTS);
  for (size_t i = 0; i < NIMPORTS; i++)
    uleb(&s, i);
  section(m, 3, &s);
  s.n = 0;
  put(&s, 1);
  put(&s, 0);
  put(&s, 1);
  section(m, 5, &s);
  s.n = 0;
  uleb(&s, NIMPORTS + 1);
  for (size_t i = 0; i < NIMPORTS; i++) {
    put_name(&s, imports[i].name);
    put(&s, 0);
    uleb(&s, NIMPORTS + i);
  }
  put_name(&s, "memory");
  put(&s, 2);
  put(&s, 0);
  section(m, 7, &s);
  s.n = 0;
  uleb(&s, NIMPORTS);
  for (size_t i = 0; i < NIMPORTS; i++) {
    Buf body = { .n = 0 };
    put(&body, 0); /* no locals */
    size_t np = strlen(imports[i].params);
    for (size_t k = 0; k < np; k++) {
      put(&body, 0x20);
      uleb(&body, k);
    }
    put(&body, 0x10);
    uleb(&body, i);
    put(&body, 0x0B);
    uleb(&s, body.n);
    for (size_t k = 0; k < body.n; k++)
      put(&s, body.b[k]);
  }
  section(m, 10, &s);
}

typedef struct Guest {
  WgWasi *wasi;
  WgEngine *engine;
  WgStore *store;
  WgLinker *linker;
  WgInstance *inst;
  WgMemInst *mem;
} Guest;

static void guest_start(Guest *g) {
  memset(g, 0, sizeof *g);
  g->wasi = new_wasi();
  g->engine = wg_engine_new(NULL);
  g->store = wg_store_new(g->engine);
  g->linker = wg_linker_new(g->store);
  assert_int_equal(wg_wasi_define(g->wasi, g->store, g->linker), WG_OK);
  Buf m;
  assemble(&m);
  WgWasmModule *mod = NULL;
  WgDiagList *diags = wg_diag_list_new();
  if (wg_wasm_module_load(g->engine, m.b, m.n, &mod, diags) != WG_OK) {
    fail_msg("module: %s", wg_diag_list_first_error(diags));
  }
  if (wg_linker_instantiate(g->linker, mod, &g->inst, diags) != WG_OK) {
    fail_msg("instantiate: %s", wg_diag_list_first_error(diags));
  }
  wg_diag_list_delete(diags);
  wg_wasm_module_delete(mod);
  WgExtern ext;
  assert_true(wg_instance_export(g->inst, WG_STR("memory"), &ext));
  g->mem = ext.of.memory;
}

static void guest_stop(Guest *g) {
  wg_linker_delete(g->linker);
  wg_store_delete(g->store);
  wg_engine_delete(g->engine);
  wg_wasi_delete(g->wasi);
}

/* Calls the WASI function `name` with `n` arguments; returns its errno. */
static int32_t call(Guest *g, const char *name, const WgVal *args, size_t n) {
  WgVal result = wg_val_i32(-1);
  WgTrap *trap = wg_instance_call(g->store, g->inst, wg_str_from_cstr(name),
                                  args, n, &result, 1);
  if (trap) fail_msg("%s trapped: %s", name, wg_trap_message(trap));
  return result.of.i32;
}

#define I32(v) wg_val_i32((int32_t)(v))
#define I64(v) wg_val_i64((int64_t)(v))
#define CALL(g, name, ...)                      \
  call(g, name, (const WgVal[]){ __VA_ARGS__ }, \
       sizeof((const WgVal[]){ __VA_ARGS__ }) / sizeof(WgVal))

enum {
  PATH_AT = 1024, /* guest address of the path argument */
  PATH2_AT = 2048,
  OUT_AT = 64, /* results */
  IOV_AT = 128,
  DATA_AT = 4096,
};

#define RIGHTS_RW ((1ull << 1) | (1ull << 6) | (1ull << 14))

static uint32_t guest_str(Guest *g, uint32_t at, const char *s) {
  assert_true(wg_memory_write(g->mem, at, s, strlen(s)));
  return (uint32_t)strlen(s);
}

static uint32_t guest_u32(Guest *g, uint32_t at) {
  uint8_t b[4];
  assert_true(wg_memory_read(g->mem, at, b, 4));
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
         (uint32_t)b[3] << 24;
}

/* path_open(3, lookup, path, oflags, rights): errno; *fd on success. */
static int32_t open_at(Guest *g, const char *path, uint32_t lookup,
                       uint32_t oflags, uint64_t rights, uint32_t *fd) {
  uint32_t len = guest_str(g, PATH_AT, path);
  int32_t r = CALL(g, "path_open", I32(3), I32(lookup), I32(PATH_AT), I32(len),
                   I32(oflags), I64(rights), I64(rights), I32(0), I32(OUT_AT));
  if (r == 0 && fd) *fd = guest_u32(g, OUT_AT);
  return r;
}

/* Calls a (fd, path_ptr, path_len) function on fd 3. */
static int32_t path_call(Guest *g, const char *fn, const char *path) {
  uint32_t len = guest_str(g, PATH_AT, path);
  return CALL(g, fn, I32(3), I32(PATH_AT), I32(len));
}

static void test_guest_prestat_and_read(void **state) {
  (void)state;
  Guest g;
  guest_start(&g);
  /* fd 3 is the preopen "/sandbox"; 4 is not open */
  assert_int_equal(CALL(&g, "fd_prestat_get", I32(3), I32(OUT_AT)), 0);
  assert_int_equal(guest_u32(&g, OUT_AT) & 0xFF, 0); /* tag dir */
  assert_int_equal(guest_u32(&g, OUT_AT + 4), 8);
  assert_int_equal(
      CALL(&g, "fd_prestat_dir_name", I32(3), I32(PATH_AT), I32(8)), 0);
  char name[9] = { 0 };
  assert_true(wg_memory_read(g.mem, PATH_AT, name, 8));
  assert_string_equal(name, "/sandbox");
  assert_int_equal(
      CALL(&g, "fd_prestat_dir_name", I32(3), I32(PATH_AT), I32(7)),
      WASI_ENAMETOOLONG);
  assert_int_equal(CALL(&g, "fd_prestat_get", I32(4), I32(OUT_AT)), WASI_EBADF);
  assert_int_equal(CALL(&g, "fd_prestat_get", I32(1), I32(OUT_AT)), WASI_EBADF);
  /* a bad guest pointer is EFAULT, never a host crash */
  assert_int_equal(CALL(&g, "fd_prestat_get", I32(3), I32(65534)), WASI_EFAULT);
  assert_int_equal(CALL(&g, "path_open", I32(3), I32(0), I32(65530), I32(100),
                        I32(0), I64(2), I64(2), I32(0), I32(OUT_AT)),
                   WASI_EFAULT);

  /* read a file through the sandbox, following a link inside it */
  uint32_t fd;
  assert_int_equal(open_at(&g, "sub/inner", 1, 0, RIGHTS_RW, &fd), 0);
  uint32_t iov[2] = { DATA_AT, 100 };
  assert_true(wg_memory_write(g.mem, IOV_AT, iov, sizeof iov));
  assert_int_equal(
      CALL(&g, "fd_read", I32(fd), I32(IOV_AT), I32(1), I32(OUT_AT)), 0);
  assert_int_equal(guest_u32(&g, OUT_AT), 5);
  char text[6] = { 0 };
  assert_true(wg_memory_read(g.mem, DATA_AT, text, 5));
  assert_string_equal(text, "hello");
  assert_int_equal(CALL(&g, "fd_close", I32(fd)), 0);
  assert_int_equal(CALL(&g, "fd_close", I32(fd)), WASI_EBADF);
  /* the same link without lookup follow is a symlink: O_NOFOLLOW refuses */
  assert_int_equal(open_at(&g, "sub/inner", 0, 0, RIGHTS_RW, NULL), WASI_ELOOP);

  /* the directory lists its entries */
  assert_int_equal(open_at(&g, "sub/", 0, 2, RIGHTS_RW, &fd), 0);
  assert_int_equal(CALL(&g, "fd_readdir", I32(fd), I32(DATA_AT), I32(1024),
                        I64(0), I32(OUT_AT)),
                   0);
  uint32_t used = guest_u32(&g, OUT_AT);
  assert_true(used > 24 && used < 1024);
  char list[1024];
  assert_true(wg_memory_read(g.mem, DATA_AT, list, used));
  bool saw_b = false, saw_deeper = false;
  for (uint32_t at = 0; at + 24 <= used;) {
    uint32_t namlen;
    memcpy(&namlen, list + at + 16, 4);
    if (namlen == 5 && memcmp(list + at + 24, "b.txt", 5) == 0) saw_b = true;
    if (namlen == 6 && memcmp(list + at + 24, "deeper", 6) == 0) {
      saw_deeper = true;
      assert_int_equal(list[at + 20], WASI_FILETYPE_DIRECTORY);
    }
    at += 24 + namlen;
  }
  assert_true(saw_b);
  assert_true(saw_deeper);
  assert_int_equal(CALL(&g, "fd_close", I32(fd)), 0);
  guest_stop(&g);
}

static void test_guest_open_escapes(void **state) {
  (void)state;
  Guest g;
  guest_start(&g);
  static const char *const escapes[] = {
    "../outside/secret.txt",
    "/etc/passwd",
    "sub/../../outside/secret.txt",
    "out/secret.txt",
    "abs/secret.txt",
    "up/outside/secret.txt",
    "etc/hostname",
    "chain/outside/secret.txt",
  };
  for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
    for (uint32_t follow = 0; follow < 2; follow++) {
      assert_int_equal(open_at(&g, escapes[i], follow, 0, RIGHTS_RW, NULL),
                       WASI_ENOTCAPABLE);
    }
  }
  /* directories outside, named with a trailing slash (the host would follow
   * the final link even under O_NOFOLLOW) */
  static const char *const dirs[] = { "etc/", "out/", "abs/",
                                      "up/",  "..",   "chain/" };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    for (uint32_t follow = 0; follow < 2; follow++) {
      assert_int_equal(open_at(&g, dirs[i], follow, 2, RIGHTS_RW, NULL),
                       WASI_ENOTCAPABLE);
      assert_int_equal(open_at(&g, dirs[i], follow, 0, RIGHTS_RW, NULL),
                       WASI_ENOTCAPABLE);
    }
  }
  /* final links to outside: refused when followed, ELOOP otherwise */
  assert_int_equal(open_at(&g, "etc", 1, 2, RIGHTS_RW, NULL), WASI_ENOTCAPABLE);
  /* (Linux says ENOTDIR for O_DIRECTORY | O_NOFOLLOW on a link) */
  int32_t r = open_at(&g, "etc", 0, 2, RIGHTS_RW, NULL);
  assert_true(r == WASI_ELOOP || r == WASI_ENOTDIR);
  assert_int_equal(open_at(&g, "out", 0, 0, RIGHTS_RW, NULL), WASI_ELOOP);
  /* stat through a trailing slash does not leak the outside either */
  uint32_t len = guest_str(&g, PATH_AT, "etc/");
  assert_int_equal(CALL(&g, "path_filestat_get", I32(3), I32(0), I32(PATH_AT),
                        I32(len), I32(DATA_AT)),
                   WASI_ENOTCAPABLE);
  len = guest_str(&g, PATH_AT, "sub/b.txt");
  assert_int_equal(CALL(&g, "path_filestat_get", I32(3), I32(0), I32(PATH_AT),
                        I32(len), I32(DATA_AT)),
                   0);
  uint8_t stat_buf[64];
  assert_true(wg_memory_read(g.mem, DATA_AT, stat_buf, 64));
  assert_int_equal(stat_buf[16], WASI_FILETYPE_REGULAR_FILE);
  uint64_t size;
  memcpy(&size, stat_buf + 32, 8);
  assert_int_equal(size, 3);
  guest_stop(&g);
}

static void test_guest_create_and_write(void **state) {
  (void)state;
  Guest g;
  guest_start(&g);
  /* creating through a dangling link to outside: refused, nothing made */
  assert_int_equal(open_at(&g, "dangle_out", 1, 1, RIGHTS_RW, NULL),
                   WASI_ENOTCAPABLE);
  assert_int_equal(open_at(&g, "dangle_out", 0, 1, RIGHTS_RW, NULL),
                   WASI_ELOOP);
  assert_false(exists("outside/new.txt"));
  assert_int_equal(
      open_at(&g, "../outside/made.txt", 0, 1 | 4, RIGHTS_RW, NULL),
      WASI_ENOTCAPABLE);
  assert_false(exists("outside/made.txt"));

  /* through a dangling link inside: made where it points, then written */
  uint32_t fd;
  assert_int_equal(open_at(&g, "dangle_in", 1, 1, RIGHTS_RW, &fd), 0);
  guest_str(&g, DATA_AT, "data!");
  uint32_t iov[2] = { DATA_AT, 5 };
  assert_true(wg_memory_write(g.mem, IOV_AT, iov, sizeof iov));
  assert_int_equal(
      CALL(&g, "fd_write", I32(fd), I32(IOV_AT), I32(1), I32(OUT_AT)), 0);
  assert_int_equal(guest_u32(&g, OUT_AT), 5);
  assert_int_equal(CALL(&g, "fd_close", I32(fd)), 0);
  assert_string_equal(read_back("root/sub/new.txt"), "data!");

  /* O_CREAT | O_EXCL on an existing file */
  assert_int_equal(open_at(&g, "a.txt", 0, 1 | 4, RIGHTS_RW, NULL),
                   WASI_EEXIST);
  /* a file named with a trailing slash is not a directory */
  assert_int_equal(open_at(&g, "a.txt/", 0, 0, RIGHTS_RW, NULL), WASI_ENOTDIR);
  assert_string_equal(read_back("outside/secret.txt"), "secret");
  guest_stop(&g);
}

static void test_guest_directory_ops(void **state) {
  (void)state;
  Guest g;
  guest_start(&g);
  assert_int_equal(path_call(&g, "path_create_directory", "made/"), 0);
  assert_true(exists("root/made"));
  assert_int_equal(path_call(&g, "path_create_directory", "made"), WASI_EEXIST);
  assert_int_equal(path_call(&g, "path_create_directory", "../outdir"),
                   WASI_ENOTCAPABLE);
  assert_int_equal(path_call(&g, "path_create_directory", "out/dir"),
                   WASI_ENOTCAPABLE);
  assert_int_equal(path_call(&g, "path_create_directory", "etc/x"),
                   WASI_ENOTCAPABLE);
  assert_false(exists("outdir"));
  assert_false(exists("outside/dir"));

  /* rename inside works; out of or into the outside does not */
  uint32_t l1 = guest_str(&g, PATH_AT, "made");
  uint32_t l2 = guest_str(&g, PATH2_AT, "../outside/moved");
  assert_int_equal(CALL(&g, "path_rename", I32(3), I32(PATH_AT), I32(l1),
                        I32(3), I32(PATH2_AT), I32(l2)),
                   WASI_ENOTCAPABLE);
  l2 = guest_str(&g, PATH2_AT, "out/moved");
  assert_int_equal(CALL(&g, "path_rename", I32(3), I32(PATH_AT), I32(l1),
                        I32(3), I32(PATH2_AT), I32(l2)),
                   WASI_ENOTCAPABLE);
  assert_false(exists("outside/moved"));
  l1 = guest_str(&g, PATH_AT, "out/secret.txt");
  l2 = guest_str(&g, PATH2_AT, "stolen.txt");
  assert_int_equal(CALL(&g, "path_rename", I32(3), I32(PATH_AT), I32(l1),
                        I32(3), I32(PATH2_AT), I32(l2)),
                   WASI_ENOTCAPABLE);
  assert_true(exists("outside/secret.txt"));
  l1 = guest_str(&g, PATH_AT, "made");
  l2 = guest_str(&g, PATH2_AT, "sub/renamed");
  assert_int_equal(CALL(&g, "path_rename", I32(3), I32(PATH_AT), I32(l1),
                        I32(3), I32(PATH2_AT), I32(l2)),
                   0);
  assert_true(exists("root/sub/renamed"));

  /* hard links to outside files cannot be made */
  l1 = guest_str(&g, PATH_AT, "out/secret.txt");
  l2 = guest_str(&g, PATH2_AT, "hard.txt");
  assert_int_equal(CALL(&g, "path_link", I32(3), I32(1), I32(PATH_AT), I32(l1),
                        I32(3), I32(PATH2_AT), I32(l2)),
                   WASI_ENOTCAPABLE);
  assert_false(exists("root/hard.txt"));

  /* unlink and rmdir stay inside, and unlink a link, not its target */
  assert_int_equal(path_call(&g, "path_unlink_file", "out/secret.txt"),
                   WASI_ENOTCAPABLE);
  assert_int_equal(path_call(&g, "path_unlink_file", "../outside/secret.txt"),
                   WASI_ENOTCAPABLE);
  assert_int_equal(path_call(&g, "path_remove_directory", "up/outside"),
                   WASI_ENOTCAPABLE);
  assert_int_equal(path_call(&g, "path_remove_directory", "out/"),
                   WASI_ENOTCAPABLE);
  assert_true(exists("outside/secret.txt"));
  assert_int_equal(path_call(&g, "path_unlink_file", "flink/"), WASI_ENOTDIR);
  assert_true(exists("root/flink"));
  assert_int_equal(path_call(&g, "path_remove_directory", "sub/renamed/"), 0);
  assert_false(exists("root/sub/renamed"));

  /* symlinks: absolute or escaping targets refused at creation */
  l1 = guest_str(&g, PATH2_AT, "/etc");
  uint32_t ln = guest_str(&g, PATH_AT, "newlink");
  assert_int_equal(CALL(&g, "path_symlink", I32(PATH2_AT), I32(l1), I32(3),
                        I32(PATH_AT), I32(ln)),
                   WASI_ENOTCAPABLE);
  assert_false(exists("root/newlink"));
  /* readlink shows a link's text, never resolves it */
  ln = guest_str(&g, PATH_AT, "etc");
  assert_int_equal(CALL(&g, "path_readlink", I32(3), I32(PATH_AT), I32(ln),
                        I32(DATA_AT), I32(64), I32(OUT_AT)),
                   0);
  assert_int_equal(guest_u32(&g, OUT_AT), 4);
  guest_stop(&g);
}

static void test_guest_args(void **state) {
  (void)state;
  Guest g;
  guest_start(&g);
  assert_int_equal(CALL(&g, "args_sizes_get", I32(OUT_AT), I32(OUT_AT + 4)), 0);
  assert_int_equal(guest_u32(&g, OUT_AT), 2);
  assert_int_equal(guest_u32(&g, OUT_AT + 4), 7); /* "prog\0x\0" */
  assert_int_equal(CALL(&g, "args_get", I32(IOV_AT), I32(DATA_AT)), 0);
  assert_int_equal(guest_u32(&g, IOV_AT), DATA_AT);
  assert_int_equal(guest_u32(&g, IOV_AT + 4), DATA_AT + 5);
  char text[7];
  assert_true(wg_memory_read(g.mem, DATA_AT, text, 7));
  assert_memory_equal(text, "prog\0x\0", 7);
  /* strings that would run past the end of memory: EFAULT */
  assert_int_equal(CALL(&g, "args_get", I32(IOV_AT), I32(65533)), WASI_EFAULT);
  assert_int_equal(CALL(&g, "args_get", I32(65532), I32(DATA_AT)), WASI_EFAULT);
  guest_stop(&g);
}

/* A directory that cannot be opened: WG_ERR_IO naming it, nothing made. */
static void test_wasi_new_missing_dir(void **state) {
  (void)state;
  char missing[PATH_MAX];
  path_of(missing, "no-such-folder");
  WgWasiDir dir = { missing, "/gone" };
  WgWasiConfig cfg = { .dirs = &dir, .dir_count = 1 };
  WgWasi *w = (WgWasi *)&cfg;
  WgDiagList *diags = wg_diag_list_new();
  assert_int_equal(wg_wasi_new(&cfg, &w, diags), WG_ERR_IO);
  assert_null(w);
  assert_int_equal(wg_diag_list_error_count(diags), 1);
  assert_int_equal(wg_diag_list_get(diags, 0)->code, WG_ERR_IO);
  const char *msg = wg_diag_list_first_error(diags);
  assert_non_null(strstr(msg, "cannot open directory"));
  assert_non_null(strstr(msg, "no-such-folder"));
  wg_diag_list_delete(diags);
  /* without a list: the status alone */
  assert_int_equal(wg_wasi_new(&cfg, &w, NULL), WG_ERR_IO);
  assert_null(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_wasi_new_missing_dir),
    cmocka_unit_test(test_resolve_inside),
    cmocka_unit_test(test_resolve_links_inside),
    cmocka_unit_test(test_resolve_escapes),
    cmocka_unit_test(test_resolve_bad_input),
    cmocka_unit_test(test_resolve_from_subdirectory),
    cmocka_unit_test(test_guest_prestat_and_read),
    cmocka_unit_test(test_guest_open_escapes),
    cmocka_unit_test(test_guest_create_and_write),
    cmocka_unit_test(test_guest_directory_ops),
    cmocka_unit_test(test_guest_args),
  };
  return cmocka_run_group_tests(tests, tree_setup, tree_teardown);
}
