/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the component text parser (comp_parse.c, comp_types.c,
 * comp_canon.c). A component is parsed into scopes of items: each item
 * becomes one definition (or, in a component or instance type, one
 * declarator) of the component binary tree (witgen/component_binary.h).
 * References are recorded with the place their index goes; once a scope is
 * laid out (implicit aliases inserted, indices assigned, identifiers
 * defined) they are resolved, so identifiers may be used before their
 * definition. The layout follows wasm-tools: inline value types become
 * type definitions just before their user, inline exports are appended,
 * `(func $i "name")` references become `alias export` items before their
 * user, identifiers of enclosing scopes become `alias outer` items. */
#ifndef WG_TEXT_COMP_H
#define WG_TEXT_COMP_H

#include "text.h"
#include "vec.h"
#include "witgen/component_binary.h"

/* Index spaces, in the order of the component name section's subsections
 * (core func, table, memory, global, tag, type, module, instance; func,
 * value, type, component, instance). */
enum {
  NS_CFUNC,
  NS_CTABLE,
  NS_CMEMORY,
  NS_CGLOBAL,
  NS_CTAG,
  NS_CTYPE,
  NS_CMODULE,
  NS_CINSTANCE,
  NS_FUNC,
  NS_VALUE,
  NS_TYPE,
  NS_COMPONENT,
  NS_INSTANCE,
  NS_COUNT,
  NS_NONE = 255
};

/* The sort byte(s) of a namespace. */
void cp_ns_sort(uint8_t ns, uint8_t *sort, uint8_t *core_sort);
/* The namespace of a sort; NS_NONE when invalid. */
uint8_t cp_sort_ns(uint8_t sort, uint8_t core_sort);
/* A word naming the namespace in messages ("core func", "type", ...). */
const char *cp_ns_name(uint8_t ns);

typedef struct CItem CItem;
typedef struct CScope CScope;
typedef struct CParser CParser;

/* A reference whose index is written to *slot once resolved. */
typedef struct CRef {
  uint32_t *slot;
  uint8_t ns;
  bool has_id;
  WgStr id;
  uint32_t num;
  uint32_t tok; /* for errors */
  /* `(func $i "a" "b")`: export names to alias through (core refs: one) */
  WgStr *names;
  uint32_t nnames;
  CItem *target; /* a hoisted or alias item it stands for */
  struct CRef *next;
} CRef;

typedef enum CScopeKind {
  SCOPE_COMPONENT,
  SCOPE_COMPONENT_TYPE,
  SCOPE_INSTANCE_TYPE,
} CScopeKind;

/* Work left for after resolution: encodings that embed indices as raw
 * bytes (canon built-ins, start). */
typedef enum CDeferred {
  DEFER_NONE,
  DEFER_CANON,
  DEFER_START,
  DEFER_MODULE_TYPE, /* a module type with `alias outer $c $t` by id */
} CDeferred;

/* The declarators of a component or instance type `t` (at its first
 * declarator, up to the closing paren) as a scope of its own named `id`,
 * laid out with the item being parsed. */
bool cp_type_scope(CParser *c, WgCType *t, WgStr id);

struct CItem {
  uint8_t ns; /* index space it adds an entry to, NS_NONE if none */
  WgStr id;   /* ptr NULL: no identifier */
  WgStr name; /* for the name section */
  bool has_name;
  uint32_t tok;
  CRef *refs, *refs_tail; /* references made by this item, in order */
  uint32_t index;         /* assigned at layout */
  bool phantom;           /* an index without a definition of its own
                             (a start function's results) */
  WgCDef *def;   /* in type scopes converted to a declarator at the end */
  CScope *inner; /* nested component or type scope */
  CDeferred deferred;
  void *extra; /* deferred data */
};

struct CScope {
  CScope *parent;
  CScopeKind kind;
  WgStr id; /* the scope's $id (outer aliases name scopes by it) */
  bool has_id;
  WgStr name; /* components: the name of the component name section */
  bool has_name;
  WgVec(CItem *) items;
  WgVec(CItem *) hoisted;  /* inline types, before the next item */
  WgVec(CItem *) bags;     /* bag-of-exports instances, after those */
  WgVec(CItem *) appended; /* inline exports, added at the end */
  WatNames ids[NS_COUNT];
  uint32_t counts[NS_COUNT];
  WgCType *type; /* type scopes: the WG_CT_COMPONENT / _INSTANCE type */
  WgComponent *component; /* component scopes */
};

/* The parser of one component text. */
struct CParser {
  WatParser *p;
  WgArena *arena;
  CScope *scope;          /* the scope being parsed */
  CItem *current;         /* the item whose references are being recorded */
  WgVec(CScope *) scopes; /* every scope, to free their vectors */
  int depth;
  bool resolving; /* module types: outer ids resolved (at finish) */
  bool pending;   /* a module type met an outer id it cannot resolve yet */
};

/* Section: comp_parse.c */

/* A new item of `ns` in the current scope (not yet placed). */
CItem *cp_item(CParser *c, uint8_t ns, WgCDefKind kind);
/* Places `item` in the current scope (after the hoisted ones). */
bool cp_push(CParser *c, CItem *item);
/* Records a reference from the current item to index `num` (or, with
 * `id.ptr`, identifier `id`) of `ns`; `slot` receives the index. */
CRef *cp_ref(CParser *c, uint32_t *slot, uint8_t ns, WgStr id, uint32_t num,
             uint32_t tok);
/* A reference to a hoisted item. */
bool cp_ref_item(CParser *c, uint32_t *slot, CItem *target);
/* Hoists `item` (an inline type) before the item being parsed. */
bool cp_hoist(CParser *c, CItem *item);
/* An index (`$id` or number) at the current token as a reference. */
bool cp_index(CParser *c, uint32_t *slot, uint8_t ns);
/* An item reference `K idx "name"*` (after the `(`, K already read):
 * `core` refs take at most one name. */
bool cp_item_ref(CParser *c, uint32_t *slot, uint8_t ns, bool core);
/* `$id? (@name "..")?` of a definition. */
bool cp_id(CParser *c, WgStr *id, WgStr *name, bool *has_name);
/* A string that is a valid UTF-8 name. */
bool cp_string(CParser *c, WgStr *out);
/* An extern name with its attributes: `"name"` or `(interface "name")`,
 * then `(implements "..")? (versionsuffix "..")? (external-id "..")?`. */
bool cp_extern_name(CParser *c, WgCName *out);
/* Allocates zeroed memory in the arena (reports out-of-memory). */
void *cp_alloc(CParser *c, size_t size);

/* Section: comp_types.c */

/* A component value type at the current token: primitive keyword, index,
 * or inline defined type (hoisted into a type definition). */
bool cp_valtype(CParser *c, WgCValType *out);
/* A type definition after `(type $id?` : `(func ...)`, `(component ...)`,
 * `(instance ...)`, `(resource ...)`, a defined value type or a primitive.
 * `scope_id` names component/instance type scopes for outer aliases. */
bool cp_typedef(CParser *c, WgCType **out, WgStr scope_id);
/* A component type use: `(type ref)` or an inline type of `kind`
 * (WG_CT_FUNC, WG_CT_COMPONENT, WG_CT_INSTANCE) hoisted before the user. */
bool cp_typeuse(CParser *c, WgCTypeKind kind, uint32_t *slot);
/* An extern type after its keyword: the item signature of imports, export
 * ascriptions and type declarators. `sort_kw` is the keyword read (func,
 * component, instance, value, type, or "core" for core module). */
bool cp_externtype(CParser *c, const char *sort_kw, WgCExternType *out);
/* A core type after `(core type $id?`: `(func ...)` or `(module ...)`,
 * encoded into *bytes. */
bool cp_core_type(CParser *c, const uint8_t **bytes, size_t *len);

/* The declarators of a module type up to the closing paren, encoded
 * (0x50 vec(moduledecl)). */
bool cp_module_type(CParser *c, WgBuf *out);

/* Section: comp_canon.c */

/* A start definition's parts, encoded once resolved. */
typedef struct StartData {
  uint32_t func;
  uint32_t nargs, nresults;
  uint32_t *args;
} StartData;

/* `(canon ...)` after `canon`: fills `item` (lift, lower, resource.*,
 * built-ins). */
bool cp_canon(CParser *c, CItem *item);
/* Finishes deferred encodings once indices are resolved. */
bool cp_finish_deferred(CParser *c, CItem *item);

#endif
