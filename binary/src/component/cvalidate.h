/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the component validator (cvalidate*.c, ctypes.c): the type
 * store, the scope being built, and the checks each file provides.
 *
 * The walk: wg_component_validate() reads a component's definitions in
 * order (cvalidate.c) into a Scope, whose index spaces grow as definitions
 * introduce items. Type definitions and the declarators of component and
 * instance types (cvalidate_type.c) use the same Scope. Core modules,
 * instances and types are cvalidate_core.c's, canon definitions
 * cvalidate_canon.c's, names cnames.c's. Types are made, substituted and
 * compared in ctypes.c. */
#ifndef WG_BINARY_COMPONENT_CVALIDATE_H
#define WG_BINARY_COMPONENT_CVALIDATE_H

#include <stdarg.h>

#include "arena.h"
#include "witgen/component_types.h"

enum {
  WG_CV_MAX_DEPTH = 100,  /* nesting of components and types */
  WG_CV_MAX_TYPE = 100000 /* items of one index space kind */
};

struct WgCTypes {
  WgArena arena;
  uint32_t next_resource;
  WgCValTy prims[14]; /* the primitive value types, by WgCPrim order */
  WgDiagList *diags;
  bool failed;
  bool nomem;
  WgStatus status;
  size_t offset; /* of the definition being read */
  WgCValidateOptions options;
};

/* ---- errors ---- */

/* Records the first error (WG_ERR_INVALID) at the current offset with
 * the given context lines; returns false. */
bool wg_cv_fail(WgCTypes *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool wg_cv_fail_status(WgCTypes *t, WgStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool wg_cv_nomem(WgCTypes *t);

/* A message under construction while comparing types: the reference
 * validator reports a mismatch as context lines, outermost first
 * ("type mismatch in record field `x`\nexpected u32, found tuple"). */
typedef struct WgCvMsg {
  char text[512];
  size_t len;
} WgCvMsg;
void wg_cv_msg_set(WgCvMsg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Puts a context line in front of the message. */
void wg_cv_msg_context(WgCvMsg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- arena helpers ---- */

void *wg_cv_alloc(WgCTypes *t, size_t size);
/* Appends `item` (of `size` bytes) to a growable arena array. */
bool wg_cv_push(WgCTypes *t, void **items, uint32_t *count, uint32_t *cap,
                size_t size, const void *item);
#define WG_CV_PUSH(t, arr, count, cap, item) \
  wg_cv_push((t), (void **)&(arr), &(count), &(cap), sizeof *(arr), &(item))

/* ---- type store (ctypes.c) ---- */

const WgCValTy *wg_ctypes_prim(WgCTypes *t, uint8_t prim);
/* A new resolved value type node of `kind` with room for `count` labels
 * and `elems` children (both zeroed); its ABI shape is filled by
 * wg_ctypes_seal(). */
WgCValTy *wg_ctypes_node(WgCTypes *t, WgCTypeKind kind, uint32_t count,
                         bool labels, uint32_t elems);
/* Fills the ABI shape and `contains` bits of a node whose children are set. */
void wg_ctypes_seal(WgCValTy *node);
WgCResource *wg_ctypes_resource(WgCTypes *t, WgStr name, const WgCType *def,
                                const WgCScope *owner);

/* A resource substitution: `from[i]` becomes `to[i]`. The types it makes
 * are remembered (`memo_*`), so one type met twice gives one copy and
 * identities survive a substitution. */
typedef struct WgCSubst {
  const WgCResource **from;
  const WgCResource **to;
  uint32_t count, cap;
  const void **memo_from;
  const void **memo_to;
  uint32_t memo_count, memo_cap;
  bool has_values; /* value types replaced too (wg_csubst_add_val) */
} WgCSubst;
/* Value type `from` (an imported type of a component being instantiated)
 * becomes `to` (the argument) wherever it appears. */
bool wg_csubst_add_val(WgCTypes *t, WgCSubst *s, const WgCValTy *from,
                       const WgCValTy *to);
bool wg_csubst_add(WgCTypes *t, WgCSubst *s, const WgCResource *from,
                   const WgCResource *to);
const WgCResource *wg_csubst_find(const WgCSubst *s, const WgCResource *r);
/* Copies of types with the substitution applied; the same pointer when
 * nothing inside changes. NULL on out-of-memory. */
const WgCValTy *wg_csubst_val(WgCTypes *t, const WgCSubst *s,
                              const WgCValTy *v);
const WgCFuncTy *wg_csubst_func(WgCTypes *t, const WgCSubst *s,
                                const WgCFuncTy *f);
const WgCInstanceTy *wg_csubst_instance(WgCTypes *t, const WgCSubst *s,
                                        const WgCInstanceTy *i);
const WgCComponentTy *wg_csubst_component(WgCTypes *t, const WgCSubst *s,
                                          const WgCComponentTy *c);
bool wg_csubst_extern(WgCTypes *t, const WgCSubst *s, const WgCExternTy *in,
                      WgCExternTy *out);

/* ---- subtyping (ctypes_sub.c) ----
 * Each check compares `expected` (what an import or an ascription asks
 * for) with `found` (what is given). Resources of `vars` that are not yet
 * bound are bound to what they meet (instantiation arguments fill the
 * abstract resources of the component being instantiated); the others must
 * be identical. False with the reason in `msg`. */
typedef struct WgCMatch {
  WgCTypes *types;
  WgCSubst *vars; /* bindable resources; NULL: none */
  const WgCResource *const *var_set;
  uint32_t var_count;
} WgCMatch;
bool wg_cmatch_val(WgCMatch *m, const WgCValTy *expected, const WgCValTy *found,
                   WgCvMsg *msg);
bool wg_cmatch_func(WgCMatch *m, const WgCFuncTy *expected,
                    const WgCFuncTy *found, WgCvMsg *msg);
bool wg_cmatch_extern(WgCMatch *m, const WgCExternTy *expected,
                      const WgCExternTy *found, WgCvMsg *msg);
bool wg_cmatch_core_module(const WgCoreModuleTy *expected,
                           const WgCoreModuleTy *found, WgCvMsg *msg);
bool wg_cmatch_core_item(const WgCoreItem *expected, const WgCoreItem *found,
                         WgCvMsg *msg);
const char *wg_csort_name(uint8_t sort);
/* "(func (param i32) (result i64))", for messages. */
void wg_cv_functype_text(const WgFuncType *f, char *out, size_t cap);
bool wg_cv_functype_eq(const WgFuncType *a, const WgFuncType *b);

/* ---- scopes (cvalidate.c) ---- */

typedef enum ScopeKind {
  SCOPE_COMPONENT,      /* a component definition */
  SCOPE_COMPONENT_TYPE, /* the declarators of a component type */
  SCOPE_INSTANCE_TYPE,  /* the declarators of an instance type */
} ScopeKind;

/* A growable index space: entries plus where each came from. */
#define WG_CV_SPACE(T)         \
  struct {                     \
    T *items;                  \
    WgCOrigin *origin;         \
    uint32_t count, cap, ocap; \
  }

typedef struct Scope Scope;
struct Scope {
  WgCScope pub; /* filled from the spaces below when done */
  Scope *parent;
  ScopeKind kind;
  uint32_t depth;
  uint32_t def; /* the definition or declarator being read */
  WG_CV_SPACE(WgCTypeRef) types;
  WG_CV_SPACE(const WgCFuncTy *) funcs;
  WG_CV_SPACE(const WgCValTy *) values;
  WG_CV_SPACE(const WgCInstanceTy *) instances;
  WG_CV_SPACE(WgCComponentEntry) components;
  WG_CV_SPACE(WgCoreTypeRef) core_types;
  WG_CV_SPACE(const WgFuncType *) core_funcs;
  WG_CV_SPACE(WgTableType) core_tables;
  WG_CV_SPACE(WgMemType) core_memories;
  WG_CV_SPACE(WgGlobalType) core_globals;
  WG_CV_SPACE(WgCoreModuleEntry) core_modules;
  WG_CV_SPACE(const WgCoreInstanceTy *) core_instances;
  uint32_t core_tag_count;
  /* imports and exports so far */
  WgCItem *imports, *exports;
  uint32_t import_count, import_cap, export_count, export_cap;
  /* resources its imports introduced (abstract) and the ones it defines
   * or exports as `(sub resource)` (fresh) */
  const WgCResource **abstracts, **fresh;
  uint32_t abstract_count, abstract_cap, fresh_count, fresh_cap;
};

#define WG_CV_ADD(t, space, item, def_index)                     \
  wg_cv_space_add((t), (void **)&(space).items, &(space).origin, \
                  &(space).count, &(space).cap, &(space).ocap,   \
                  sizeof *(space).items, &(item), (def_index))
bool wg_cv_space_add(WgCTypes *t, void **items, WgCOrigin **origin,
                     uint32_t *count, uint32_t *cap, uint32_t *ocap,
                     size_t size, const void *item, uint32_t def);

/* Index checks with the reference validator's messages. */
bool wg_cv_type_at(WgCTypes *t, const Scope *s, uint32_t index,
                   WgCTypeRef *out);
bool wg_cv_valtype(WgCTypes *t, const Scope *s, WgCValType vt,
                   const WgCValTy **out);

/* cvalidate_type.c: a type definition or declarator list. */
bool wg_cv_deftype(WgCTypes *t, Scope *s, const WgCType *def, WgCTypeRef *out);
bool wg_cv_extern_type(WgCTypes *t, Scope *s, const WgCExternType *et,
                       WgStr name, bool is_import, WgCExternTy *out);
/* The type an import or export of type `r` gives: a named copy of a value
 * type, an alias of a resource (for external visibility and WIT names). */
bool wg_cv_named_typeref(WgCTypes *t, WgStr name, WgCTypeRef *r);
/* Adds an import or export of type `ty` to the scope (index spaces,
 * item list, resources it introduces). */
bool wg_cv_add_extern(WgCTypes *t, Scope *s, const WgCName *name,
                      const WgCExternTy *ty, bool is_import);
Scope *wg_cv_scope_new(WgCTypes *t, Scope *parent, ScopeKind kind);
void wg_cv_scope_finish(WgCTypes *t, Scope *s);
const WgCComponentTy *wg_cv_component_type(WgCTypes *t, Scope *s);
const WgCInstanceTy *wg_cv_instance_type(WgCTypes *t, Scope *s);
/* An alias (export, core export or outer) into the scope. */
bool wg_cv_alias(WgCTypes *t, Scope *s, const WgCAlias *a);

/* cvalidate_core.c */
bool wg_cv_core_type(WgCTypes *t, Scope *s, const uint8_t *bytes, size_t len);
bool wg_cv_core_module(WgCTypes *t, Scope *s, const uint8_t *bytes, size_t len);
bool wg_cv_core_instance(WgCTypes *t, Scope *s, const WgCInstance *in);
/* The core function type (params, results) made in the store. */
const WgFuncType *wg_cv_core_functype(WgCTypes *t, const WgValType *params,
                                      uint32_t np, const WgValType *results,
                                      uint32_t nr);

/* cvalidate_canon.c */
bool wg_cv_canon(WgCTypes *t, Scope *s, const WgCCanon *c);

/* cvalidate.c: a nested component definition, validated with `parent`. */
bool wg_cv_component(WgCTypes *t, Scope *parent, const WgComponent *c,
                     uint32_t depth, const WgCScope **out);
bool wg_cv_instance(WgCTypes *t, Scope *s, const WgCInstance *in);

/* cvalidate.c: the types an import or export mentions have names outside
 * the scope (Explainer.md "External visibility"). */
bool wg_cv_check_visible(WgCTypes *t, const Scope *s, const WgCExternTy *e,
                         bool is_import);

/* cnames.c: an import or export name of type `ty`, checked (syntax,
 * attributes, the rules of annotated functions) and against the names
 * before it in the scope. The resources annotated functions mention are
 * named by the items before it in `s`, or, when `names_from` is given (a
 * bag of exports), by the imports and exports of `names_from`. */
bool wg_cv_check_name(WgCTypes *t, Scope *s, const WgCName *name,
                      const WgCExternTy *ty, bool is_import,
                      const Scope *names_from);
/* A label (field, case, flag, parameter name) in kebab case. */
bool wg_cv_kebab(WgStr s);

#endif
