/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the WIT front-end shared by its source files: arena arrays,
 * the per-load context, syntax-tree helpers, unresolved packages. */
#ifndef WG_PARSER_WIT_INTERNAL_H
#define WG_PARSER_WIT_INTERNAL_H

#include <tree_sitter/api.h>

#include "arena.h"
#include "wit_nodes.h"
#include "witgen/wit.h"

/* Appends to a WG_WIT_ARRAY whose items live in `arena` (grown by copying;
 * old blocks stay in the arena). False on OOM. */
bool wit_array_grow(WgArena *arena, void **items, size_t *cap, size_t count,
                    size_t item_size);
#define WIT_PUSH(arena, arr, value)                                            \
  (((arr)->count < (arr)->cap ||                                               \
    wit_array_grow((arena), (void **)&(arr)->items, &(arr)->cap, (arr)->count, \
                   sizeof *(arr)->items))                                      \
       ? ((arr)->items[(arr)->count++] = (value), true)                        \
       : false)

/* Private part of a WgWitResolve. */
typedef struct WitResolveInternal {
  WgArena arena;
  WgDiagList *diags; /* borrowed during a load */
  WgStr *features;
  size_t feature_count;
  bool all_features;
  bool failed;
  /* per package id: declared in the files of the loaded path itself
   * (the main package and its nested `package x { }` blocks) */
  WG_WIT_ARRAY(bool) in_main_group;
} WitResolveInternal;

static inline WitResolveInternal *wit_internal(const WgWitResolve *r) {
  return (WitResolveInternal *)r->internal;
}

/* Adds an error at `span` (NULL: no location) and marks the load failed. */
void wit_error(WgWitResolve *r, const WgSpan *span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One parsed source file. */
typedef struct WitFile {
  uint32_t file; /* WgDiagList file index */
  const char *path;
  WgStr text;
  TSTree *tree;
  WgSpan *comments; /* comment byte ranges in order (arena) */
  size_t ncomments;
} WitFile;

/* ---- semver ---- */
typedef struct WitVersion {
  uint64_t major, minor, patch;
  WgStr pre, build;
} WitVersion;
bool wit_version_parse(WgStr s, WitVersion *out);
/* Semver ordering (pre-releases before releases); build compared last. */
int wit_version_cmp(WgStr a, WgStr b);
/* Package name ordering as wit-parser's BTreeMap: ns, name, version. */
int wit_pkgname_cmp(const WgWitPackageName *a, const WgWitPackageName *b);
bool wit_pkgname_eq(const WgWitPackageName *a, const WgWitPackageName *b);
/* "ns:name@ver" into the arena. */
const char *wit_pkgname_str(WgArena *arena, const WgWitPackageName *n);

/* ---- unresolved packages (one package's local arenas) ---- */
typedef struct WitForeignItem {
  WgStr name;
  bool is_world;
  WgWitId id;
  WG_WIT_ARRAY(WgWitStability) stabilities;
} WitForeignItem;

typedef struct WitForeignDep {
  WgWitPackageName name;
  WgSpan span;
  WG_WIT_ARRAY(WitForeignItem) items;
} WitForeignDep;

typedef struct WitRequiredResource {
  WgWitId id;
  WgSpan span;
} WitRequiredResource;

typedef struct WitUPkg {
  WgWitPackageName name;
  WgSpan name_span;
  WgWitDocs docs;
  WG_WIT_ARRAY(WgWitWorld) worlds;
  WG_WIT_ARRAY(WgWitInterface) interfaces;
  WG_WIT_ARRAY(WgWitTypeDef) types;
  WG_WIT_ARRAY(WitForeignDep) foreign_deps;
  WG_WIT_ARRAY(WitRequiredResource) required_resources;
  bool main_group; /* declared by the loaded path itself */
} WitUPkg;

typedef WG_WIT_ARRAY(WitUPkg *) WitUPkgList;

/* ---- syntax trees ---- */
/* Parses `text` into f->tree and reports syntax errors and invalid
 * identifiers located in file `f->file`. False when the file is unusable. */
bool wit_parse_file(WgWitResolve *r, WitFile *f);
WgStr wit_node_text(const WitFile *f, TSNode n);
/* Named children in O(1) per call (cached); use instead of
 * ts_node_named_child_count / ts_node_named_child. */
uint32_t wit_named_child_count(TSNode n);
TSNode wit_named_child(TSNode n, uint32_t i);
/* Forgets cached children; call before deleting syntax trees. */
void wit_child_cache_clear(void);
WgSpan wit_node_span(const WitFile *f, TSNode n);
/* Child in field `f`, or a null node. */
static inline TSNode wit_field(TSNode n, WitFieldName f) {
  TSFieldId id = wit_field_id[f];
  if (!id) return (TSNode){ { 0 }, NULL, NULL };
  return ts_node_child_by_field_id(n, id);
}
/* True when `n` is a (non-null) node of kind `k`. */
static inline bool wit_is(TSNode n, WitKind k) {
  return wit_kind(n) == k;
}
/* Identifier text with a leading `%` removed. */
WgStr wit_ident(const WitFile *f, TSNode n);
/* Docs preceding node `n` (the comment run before its first token). */
WgWitDocs wit_docs_before(WgWitResolve *r, const WitFile *f, TSNode n);

/* Lowers the files of one package group (a folder or a single file, sorted
 * by path) into unresolved packages: nested ones first, then the main one
 * (last in `out`). */
bool wit_lower_group(WgWitResolve *r, WitFile *files, size_t nfiles,
                     WitUPkgList *out);

/* Adds an unresolved package to the resolve (wit-parser's Remap::append). */
bool wit_append(WgWitResolve *r, WitUPkg *u, WgWitId *out_pkg);

/* True when an item with `s` is enabled given the features (may report an
 * error and return false with r's failed flag set). */
bool wit_include_stability(WgWitResolve *r, const WgWitStability *s,
                           WgWitId pkg, WgSpan span, bool *ok);

/* "ns:name/iface@ver" of a named interface, into the arena. */
const char *wit_iface_id_str(WgWitResolve *r, WgWitId iface);

/* Equality of stabilities. */
bool wit_stability_eq(const WgWitStability *a, const WgWitStability *b);

#endif
