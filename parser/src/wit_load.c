/* SPDX-License-Identifier: Apache-2.0 */
/* Loading WIT from the file system: a single file, or a package folder with
 * a `deps/` folder; packages are added dependencies first (wit-parser's
 * push_path and sort_unresolved_packages). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* d_type of directory entries */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "file.h"
#include "wit_internal.h"
#include "witgen/wat.h"

typedef WG_WIT_ARRAY(WitFile) WitFiles;
typedef WG_WIT_ARRAY(char *) PathList;

static WgWitResolve *resolve_new(const WgWitOptions *opt, WgDiagList *diags) {
  WgWitResolve *r = calloc(1, sizeof *r);
  WitResolveInternal *in = calloc(1, sizeof *in);
  if (!r || !in) {
    free(r);
    free(in);
    return NULL;
  }
  r->internal = in;
  r->main_package = WG_WIT_NONE;
  wg_arena_init(&in->arena, wg_allocator_default());
  in->diags = diags;
  if (opt) {
    in->all_features = opt->all_features;
    in->all_errors = opt->all_errors;
    if (opt->feature_count) {
      in->features =
          wg_arena_alloc(&in->arena, opt->feature_count * sizeof(WgStr));
      if (!in->features) {
        wg_wit_resolve_free(r);
        return NULL;
      }
      for (size_t i = 0; i < opt->feature_count; i++)
        in->features[i] =
            wg_arena_strdup(&in->arena, wg_str_from_cstr(opt->features[i]));
      in->feature_count = opt->feature_count;
    }
  }
  return r;
}

static void free_trees(WgWitResolve *r, WitFiles *files) {
  for (size_t i = 0; i < files->count; i++)
    wit_file_release(&files->items[i]);
  ts_parser_delete(wit_internal(r)->parser);
  wit_internal(r)->parser = NULL;
}

static bool add_text(WgWitResolve *r, WitFiles *files, const char *path,
                     WgStr text) {
  WitResolveInternal *in = wit_internal(r);
  WitFile f;
  memset(&f, 0, sizeof f);
  char *p = wg_arena_printf(&in->arena, "%s", path);
  WgStr t = wg_arena_strdup(&in->arena, text);
  if (!p || (!t.ptr && text.len)) return false;
  f.path = p;
  f.text = t.ptr ? t : (WgStr){ "", 0 };
  f.file = in->diags ? wg_diag_list_add_file(in->diags, path, text) : 0;
  return WIT_PUSH(&in->arena, files, f);
}

static bool add_path(WgWitResolve *r, WitFiles *files, const char *path) {
  uint8_t *data = NULL;
  size_t len = 0;
  WgStatus st = wg_file_read(path, &data, &len);
  if (st != WG_OK) {
    wit_error(r, NULL, "failed to read path for WIT [%s]: %s", path,
              st == WG_ERR_LIMIT ? "file too large" : strerror(errno));
    return false;
  }
  bool ok = add_text(r, files, path, (WgStr){ (const char *)data, len });
  free(data);
  return ok;
}

static bool ends_with(const char *s, const char *suffix);

/* A `.wasm` package: decoded back to WIT text (wit_decode.c), which is then
 * read like a source file named after the binary. A `.wat` package is
 * WebAssembly text (witgen/wat.h) encoded first; its errors are located in
 * it. */
static bool add_binary(WgWitResolve *r, WitFiles *files, const char *path) {
  uint8_t *data = NULL;
  size_t len = 0;
  WgStatus st = wg_file_read(path, &data, &len);
  if (st != WG_OK) {
    wit_error(r, NULL, "failed to read path for WIT [%s]: %s", path,
              st == WG_ERR_LIMIT ? "file too large" : strerror(errno));
    return false;
  }
  if (ends_with(path, ".wat")) {
    WgBuf bin = { 0 };
    st = wg_wat_parse((WgStr){ (const char *)data, len }, path,
                      wit_internal(r)->diags, &bin);
    free(data);
    if (st != WG_OK) {
      wg_buf_free(&bin);
      wit_internal(r)->failed = true;
      if (st == WG_ERR_NOMEM) wit_error(r, NULL, "%s: out of memory", path);
      return false;
    }
    len = bin.len;
    data = (uint8_t *)wg_buf_take(&bin, NULL);
    if (!data) {
      wit_error(r, NULL, "%s: out of memory", path);
      return false;
    }
  }
  char err[256];
  char *text = NULL;
  const uint8_t *bin = data;
  bool decoded = wit_decode_to_text(&bin, &len, 1, err, &text);
  free(data);
  if (!decoded) {
    wit_error(r, NULL, "%s: %s", path, err);
    return false;
  }
  bool ok = add_text(r, files, path, wg_str_from_cstr(text));
  free(text);
  return ok;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of folder `dir` (arena strings); false if unreadable.
 * Each name is preceded by one byte: the entry's kind as readdir tells it
 * (DIR_ENTRY_*), which spares a stat() per file. */
enum { DIR_ENTRY_UNKNOWN = 1, DIR_ENTRY_DIR, DIR_ENTRY_OTHER };

static bool list_dir(WgWitResolve *r, const char *dir, PathList *out) {
  WgArena *arena = &wit_internal(r)->arena;
  DIR *d = opendir(dir);
  if (!d) {
    wit_error(r, NULL, "failed to read directory %s: %s", dir, strerror(errno));
    return false;
  }
  struct dirent *e;
  bool ok = true;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    int kind = DIR_ENTRY_UNKNOWN;
#ifdef DT_DIR
    if (e->d_type == DT_DIR) kind = DIR_ENTRY_DIR;
    if (e->d_type == DT_REG || e->d_type == DT_FIFO) kind = DIR_ENTRY_OTHER;
#endif
    char *n = wg_arena_printf(arena, "%c%s", kind, e->d_name);
    if (!n || !WIT_PUSH(arena, out, n + 1)) {
      ok = false;
      break;
    }
  }
  closedir(d);
  if (out->count) qsort(out->items, out->count, sizeof(char *), cmp_cstr);
  return ok;
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether entry `name` (from list_dir) at `path` is a folder. */
static bool entry_is_dir(const char *name, const char *path) {
  if (name[-1] == DIR_ENTRY_DIR) return true;
  if (name[-1] == DIR_ENTRY_OTHER) return false;
  return is_dir(path); /* symbolic links, file systems without d_type */
}

/* Parses every `*.wit` file of folder `dir` (not recursive). */
static bool parse_dir(WgWitResolve *r, const char *dir, WitFiles *files) {
  WgArena *arena = &wit_internal(r)->arena;
  PathList names = { 0 };
  if (!list_dir(r, dir, &names)) return false;
  for (size_t i = 0; i < names.count; i++) {
    if (!ends_with(names.items[i], ".wit")) continue;
    char *p = wg_arena_printf(arena, "%s/%s", dir, names.items[i]);
    if (!p) return false;
    if (entry_is_dir(names.items[i], p)) continue;
    if (!add_path(r, files, p)) return false;
  }
  return true;
}

/* Parses and lowers one group of files into unresolved packages. */
static bool lower_files(WgWitResolve *r, WitFiles *files, WitUPkgList *out,
                        const char *what) {
  bool ok = true;
  for (size_t i = 0; i < files->count; i++)
    if (!wit_parse_file(r, &files->items[i])) ok = false;
  if (!ok) return false;
  if (files->count == 0) {
    wit_error(r, NULL,
              "no `package` header was found in any WIT file for "
              "this package (%s has no .wit files)",
              what);
    return false;
  }
  return wit_lower_group(r, files->items, files->count, out);
}

/* Marks the packages lowered so far as declared by the loaded path. */
static bool mark_main(WitUPkgList *pkgs) {
  for (size_t i = 0; i < pkgs->count; i++)
    pkgs->items[i]->main_group = true;
  return true;
}

/* "path:line:col" of the name of package `u` (arena). */
static const char *name_location(WgWitResolve *r, const WitUPkg *u) {
  uint32_t at = u->name_span.start, line = 1, col = 1;
  for (uint32_t i = 0; i < at && i < u->name_text.len; i++) {
    col++;
    if (u->name_text.ptr[i] == '\n') line++, col = 1;
  }
  return wg_arena_printf(&wit_internal(r)->arena, "%s:%u:%u",
                         u->name_path ? u->name_path : "<input>", line, col);
}

/* Sorts every package (dependencies first, as wit-parser) and adds them. */
static bool push_packages(WgWitResolve *r, WitUPkgList *all, WitUPkg *main) {
  size_t n = all->count;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < i; j++) {
      if (wit_pkgname_eq(&all->items[i]->name, &all->items[j]->name)) {
        WgArena *arena = &wit_internal(r)->arena;
        const char *a = name_location(r, all->items[i]);
        const char *b = name_location(r, all->items[j]);
        wit_error(r, NULL,
                  "package `%s` is defined in two different locations:\n"
                  "  * %s\n  * %s",
                  wit_pkgname_str(arena, &all->items[i]->name), a ? a : "?",
                  b ? b : "?");
        return false;
      }
    }
  }
  /* BTreeMap order: sort by package name */
  WitUPkg **sorted = malloc((n + 1) * sizeof *sorted);
  uint8_t *state = calloc(n + 1, 1); /* 0 new, 2 done */
  bool *visiting = calloc(n + 1, 1);
  size_t *stack_dep = calloc(n + 1, sizeof *stack_dep);
  if (!sorted || !state || !visiting || !stack_dep) {
    free(sorted);
    free(state);
    free(visiting);
    free(stack_dep);
    return false;
  }
  memcpy(sorted, all->items, n * sizeof *sorted);
  for (size_t i = 1; i < n; i++) {
    WitUPkg *x = sorted[i];
    size_t j = i;
    while (j > 0 && wit_pkgname_cmp(&sorted[j - 1]->name, &x->name) > 0) {
      sorted[j] = sorted[j - 1];
      j--;
    }
    sorted[j] = x;
  }
  bool ok = true;
  /* iterative DFS mirroring the recursive `visit` */
  typedef struct Frame {
    size_t pkg;
    size_t dep;
  } Frame;
  Frame *stack = malloc((n + 1) * sizeof *stack);
  if (!stack) ok = false;
  for (size_t root = 0; root < n && ok; root++) {
    if (state[root] == 2) continue;
    size_t sp = 0;
    stack[sp++] = (Frame){ root, 0 };
    while (sp && ok) {
      Frame *fr = &stack[sp - 1];
      WitUPkg *u = sorted[fr->pkg];
      if (fr->dep > 0) {
        /* returning from dep fr->dep-1 */
      }
      if (fr->dep < u->foreign_deps.count) {
        WitForeignDep *d = &u->foreign_deps.items[fr->dep++];
        size_t k = n;
        for (size_t i = 0; i < n; i++)
          if (wit_pkgname_eq(&sorted[i]->name, &d->name)) k = i;
        if (k < n && visiting[k]) {
          WgArena *arena = &wit_internal(r)->arena;
          wit_error(r, &d->span, "package `%s` creates a dependency cycle",
                    wit_pkgname_str(arena, &d->name));
          ok = false;
          break;
        }
        if (k < n && state[k] != 2) {
          visiting[k] = true;
          stack_dep[sp] = k;
          stack[sp++] = (Frame){ k, 0 };
        }
        continue;
      }
      /* all deps done */
      if (state[fr->pkg] != 2) {
        state[fr->pkg] = 2;
        WgWitId id;
        if (!wit_append(r, u, &id)) {
          ok = false;
          break;
        }
        if (u == main) r->main_package = id;
        WitResolveInternal *in = wit_internal(r);
        while (in->in_main_group.count <= id)
          if (!WIT_PUSH(&in->arena, &in->in_main_group, false)) break;
        if (id < in->in_main_group.count)
          in->in_main_group.items[id] = u->main_group;
      }
      if (sp > 1) visiting[stack_dep[sp - 1]] = false;
      sp--;
    }
  }
  free(stack);
  free(sorted);
  free(state);
  free(visiting);
  free(stack_dep);
  return ok;
}

/* After a single `.wit` file failed on names it does not define: when its
 * folder is a package folder (other `.wit` files or a `deps/` folder), a
 * note says to load the folder, whose files define what the file uses. */
static void note_package_folder(WgWitResolve *r, const char *path) {
  WgDiagList *diags = wit_internal(r)->diags;
  bool unresolved = false, headless = false;
  for (size_t i = 0; diags && i < wg_diag_list_count(diags); i++) {
    const WgDiag *d = wg_diag_list_get(diags, i);
    if (d->severity != WG_SEVERITY_ERROR) continue;
    if (strstr(d->message, "does not exist") || strstr(d->message, "not found"))
      unresolved = true;
    if (strstr(d->message, "no `package` header")) headless = true;
  }
  if (!unresolved && !headless) return;
  WgArena *arena = &wit_internal(r)->arena;
  const char *slash = strrchr(path, '/');
  char *dir =
      slash ? wg_arena_printf(arena, "%.*s", (int)(slash - path + 1), path)
            : wg_arena_printf(arena, "./");
  char *deps = dir ? wg_arena_printf(arena, "%sdeps", dir) : NULL;
  if (!deps) return;
  size_t others = 0;
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d)) != NULL;)
    if (ends_with(e->d_name, ".wit") &&
        strcmp(e->d_name, slash ? slash + 1 : path))
      others++;
  if (d) closedir(d);
  /* a folder of unrelated files, each with its own package header (as
   * test suites keep them), is not a package folder */
  bool has_deps = is_dir(deps);
  if (!(has_deps || (headless && others))) return;
  wg_diag_list_addf(
      diags, WG_SEVERITY_NOTE, WG_OK, NULL,
      "`%s` is one file of the package folder `%s` (%zu more .wit file%s%s): "
      "load the folder instead of the file",
      slash ? slash + 1 : path, dir, others, others == 1 ? "" : "s",
      has_deps ? " and deps/" : "");
}

static WgStatus finish(WgWitResolve *r, bool ok, WitFiles *files,
                       WgWitResolve **out) {
  free_trees(r, files);
  if (ok && !wit_internal(r)->failed) {
    wit_internal(r)->diags = NULL;
    *out = r;
    return WG_OK;
  }
  if (!wit_internal(r)->failed) wit_error(r, NULL, "out of memory");
  wg_wit_resolve_free(r);
  return WG_ERR_INVALID;
}

WgStatus wg_wit_load_source(const char *path, WgStr text,
                            const WgWitOptions *options, WgDiagList *diags,
                            WgWitResolve **out) {
  *out = NULL;
  WgWitResolve *r = resolve_new(options, diags);
  if (!r) return WG_ERR_NOMEM;
  WitFiles files = { 0 };
  WitUPkgList pkgs = { 0 };
  bool ok = add_text(r, &files, path ? path : "<input>", text) &&
            lower_files(r, &files, &pkgs, path ? path : "<input>") &&
            mark_main(&pkgs) &&
            push_packages(r, &pkgs, pkgs.items[pkgs.count - 1]);
  return finish(r, ok, &files, out);
}

WgStatus wg_wit_load(const char *path, const WgWitOptions *options,
                     WgDiagList *diags, WgWitResolve **out) {
  *out = NULL;
  WgWitResolve *r = resolve_new(options, diags);
  if (!r) return WG_ERR_NOMEM;
  WgArena *arena = &wit_internal(r)->arena;
  WitFiles files = { 0 };
  WitUPkgList pkgs = { 0 };
  bool ok = true;
  struct stat st;
  if (stat(path, &st) != 0) {
    wit_error(r, NULL, "failed to read path for WIT [%s]: %s", path,
              strerror(errno));
    ok = false;
  } else if (!S_ISDIR(st.st_mode)) {
    if (ends_with(path, ".wasm") || ends_with(path, ".wat")) {
      ok = add_binary(r, &files, path) && lower_files(r, &files, &pkgs, path) &&
           mark_main(&pkgs);
    } else {
      ok = add_path(r, &files, path) && lower_files(r, &files, &pkgs, path) &&
           mark_main(&pkgs);
    }
    WitUPkg *main = ok ? pkgs.items[pkgs.count - 1] : NULL;
    ok = ok && push_packages(r, &pkgs, main);
    if (!ok || wit_internal(r)->failed) note_package_folder(r, path);
    return finish(r, ok, &files, out);
  }
  /* a package folder */
  WitUPkg *main = NULL;
  if (ok) {
    ok = parse_dir(r, path, &files) && lower_files(r, &files, &pkgs, path) &&
         mark_main(&pkgs);
    if (ok) main = pkgs.items[pkgs.count - 1];
  }
  char *deps = wg_arena_printf(arena, "%s/deps", path);
  if (deps && is_dir(deps)) {
    PathList names = { 0 };
    ok = list_dir(r, deps, &names);
    /* every dependency is read even after an error, so independent
     * mistakes in several packages are all reported */
    bool all_ok = ok;
    ok = true;
    for (size_t i = 0; ok && i < names.count; i++) {
      char *p = wg_arena_printf(arena, "%s/%s", deps, names.items[i]);
      if (!p) {
        ok = false;
        break;
      }
      WitFiles group = { 0 };
      bool g = true;
      if (entry_is_dir(names.items[i], p)) {
        g = parse_dir(r, p, &group) && lower_files(r, &group, &pkgs, p);
      } else if (ends_with(p, ".wit")) {
        g = add_path(r, &group, p) && lower_files(r, &group, &pkgs, p);
      } else if (ends_with(p, ".wasm") || ends_with(p, ".wat")) {
        /* binary packages are added at once, before the text ones, as
         * wit-parser decodes them while reading the folder */
        WitUPkgList bin = { 0 };
        g = add_binary(r, &group, p) && lower_files(r, &group, &bin, p) &&
            push_packages(r, &bin, NULL);
      }
      if (!g) all_ok = false;
      for (size_t k = 0; k < group.count; k++)
        if (!WIT_PUSH(arena, &files, group.items[k])) ok = false;
    }
    ok = ok && all_ok;
  }
  ok = ok && push_packages(r, &pkgs, main);
  return finish(r, ok, &files, out);
}
