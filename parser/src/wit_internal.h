/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the WIT front-end shared by its source files: arena arrays,
 * the per-load context, syntax-tree helpers, unresolved packages. */
#ifndef WG_PARSER_WIT_INTERNAL_H
#define WG_PARSER_WIT_INTERNAL_H

#include <tree_sitter/api.h>

#include "arena.h"
#include "strbuf.h"
#include "wit_nodes.h"
#include "witgen/wit.h"

/* Appends to a WG_WIT_ARRAY whose items live in `arena` (grown by copying;
 * old blocks stay in the arena). False on OOM. */
bool wit_array_grow(WgArena *arena, void **items, size_t *cap, size_t count,
                    size_t item_size);
/* Makes room for `n` more items in one step. False on OOM. */
bool wit_array_reserve(WgArena *arena, void **items, size_t *cap, size_t count,
                       size_t item_size, size_t n);
#define WIT_RESERVE(arena, arr, n)                                \
  wit_array_reserve((arena), (void **)&(arr)->items, &(arr)->cap, \
                    (arr)->count, sizeof *(arr)->items, (n))
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
  TSParser *parser;  /* one for every file of a load; deleted at its end */
  WgStr *features;
  size_t feature_count;
  bool all_features;
  bool all_errors; /* every syntax error of a file, not only the first */
  bool failed;
  /* per package id: declared in the files of the loaded path itself
   * (the main package and its nested `package x { }` blocks) */
  WG_WIT_ARRAY(bool) in_main_group;
} WitResolveInternal;

static inline WitResolveInternal *wit_internal(const WgWitResolve *r) {
  return (WitResolveInternal *)r->internal;
}

/* Adds an error at `span` (NULL: no location) and marks the load failed. */
/* wit_decode.c: the WIT text of binaries (see wg_wit_decode()) into
 * *out_text (caller frees), or false with a message in `err` (256 bytes). */
bool wit_decode_to_text(const uint8_t *const *binaries, const size_t *lens,
                        size_t count, char err[256], char **out_text);

void wit_error(WgWitResolve *r, const WgSpan *span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));


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
  const char *name_path; /* the file naming the package (arena) */
  WgStr name_text;       /* and its text, for a location in a message */
  WgWitDocs docs;
  WG_WIT_ARRAY(WgWitWorld) worlds;
  WG_WIT_ARRAY(WgWitInterface) interfaces;
  WG_WIT_ARRAY(WgWitTypeDef) types;
  WG_WIT_ARRAY(WitForeignDep) foreign_deps;
  WG_WIT_ARRAY(WitRequiredResource) required_resources;
  bool main_group; /* declared by the loaded path itself */
} WitUPkg;

typedef WG_WIT_ARRAY(WitUPkg *) WitUPkgList;

/* ---- syntax trees ----
 * Each file's tree-sitter tree is copied, in the walk that checks it, into a
 * compact array of the nodes lowering reads (named nodes, and anonymous ones
 * in a field), then deleted: stepping through tree-sitter nodes (cursor
 * moves, field searches) cost more than all of lowering. */
typedef const struct WitNodeData *WitNode; /* NULL: no node */
struct WitNodeData {
  uint32_t start, end; /* bytes */
  uint32_t doc_start;  /* start of the first child that is not a comment */
  uint32_t parent;     /* index in the file's array (the root: itself) */
  uint32_t named_count, kid_count;
  uint8_t kind;  /* WitKind */
  uint8_t field; /* WitFieldName + 1 in the parent; 0: none */
  bool is_named;
  const WitNode *kids; /* named children in order, then fielded others */
};

/* One parsed source file. */
typedef struct WitFile {
  uint32_t file; /* WgDiagList file index */
  const char *path;
  WgStr text;
  struct WitNodeData *nodes; /* [0] is the root; malloc'ed */
  size_t node_count;
  WitNode *kid_list; /* storage of every node's kids; malloc'ed */
  WgSpan *comments;  /* comment byte ranges in order (arena) */
  size_t ncomments;
} WitFile;

/* Parses `text` into f's nodes and reports syntax errors and invalid
 * identifiers located in file `f->file`. False when the file is unusable. */
bool wit_parse_file(WgWitResolve *r, WitFile *f);
/* Frees the nodes of a parsed file. */
void wit_file_release(WitFile *f);

static inline WitNode wit_root(const WitFile *f) {
  return f->node_count ? &f->nodes[0] : NULL;
}
static inline bool wit_node_is_null(WitNode n) {
  return n == NULL;
}
static inline WitKind wit_kind(WitNode n) {
  return n ? (WitKind)n->kind : WIT_KIND_OTHER;
}
/* True when `n` is a (non-null) node of kind `k`. */
static inline bool wit_is(WitNode n, WitKind k) {
  return n && n->kind == k;
}
static inline uint32_t wit_named_child_count(WitNode n) {
  return n ? n->named_count : 0;
}
static inline WitNode wit_named_child(WitNode n, uint32_t i) {
  return n && i < n->named_count ? n->kids[i] : NULL;
}
/* First child in field `f`, or NULL. */
static inline WitNode wit_field(WitNode n, WitFieldName f) {
  if (!n) return NULL;
  for (uint32_t i = 0; i < n->kid_count; i++)
    if (n->kids[i]->field == f + 1) return n->kids[i];
  return NULL;
}
static inline uint32_t wit_node_start(WitNode n) {
  return n ? n->start : 0;
}
static inline uint32_t wit_node_end(WitNode n) {
  return n ? n->end : 0;
}
WgStr wit_node_text(const WitFile *f, WitNode n);
WgSpan wit_node_span(const WitFile *f, WitNode n);
/* Identifier text with a leading `%` removed. */
WgStr wit_ident(const WitFile *f, WitNode n);
/* Docs preceding node `n` (the comment run before its first token). */
WgWitDocs wit_docs_before(WgWitResolve *r, const WitFile *f, WitNode n);
/* Where those docs are written (the node itself when it has none). */
WgSpan wit_docs_span(const WitFile *f, WitNode n);

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

/* Appends WIT name `s` to `b`, `%`-escaped when it spells a keyword
 * (wit_print.c; also used by the binary decoder's text). */
void wit_put_name(WgBuf *b, WgStr s);

/* Equality of stabilities. */
bool wit_stability_eq(const WgWitStability *a, const WgWitStability *b);

#endif
