/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/component_abi.h
 * The Canonical ABI at the level of core values, for the typed host
 * bindings `witgen --host` generates (docs/host-bindings.md): calling a
 * component's export and implementing an import with flat core values
 * (WgVal) and the guest's linear memory, lifting and lowering each type
 * with code made for it, instead of building dynamic WgCVal values
 * (witgen/component.h) on every call.
 *
 * Everything the dynamic path does still happens, in the same words:
 * link-time type checks of WIT signatures, semver-compatible names,
 * reentrance and leave rules, borrow scopes and lends, poisoning after a
 * trap, the store's fuel and interrupt flag, and every check of what a
 * guest gives (bounds, alignment, length limits, UTF-8/UTF-16, handles).
 * The helpers below make those checks; generated code calls them and never
 * reads guest memory through pointers it has not had checked.
 *
 * Hand-written hosts do not need this header: witgen/component.h is the
 * API for them.
 *
 * Conventions: a WgCAbiCx is the context of one call (valid during a
 * callback only). Helpers returning bool return false after recording a
 * trap in the context (the first one is kept; the runtime returns it from
 * the call); the caller then stops and returns false too.
 */
#ifndef WITGEN_COMPONENT_ABI_H
#define WITGEN_COMPONENT_ABI_H

#include "witgen/component.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The lifting and lowering context of one call across the component
 * boundary: the component instance, its canonical options (memory,
 * realloc, string encoding, post-return), its handle table and the call's
 * borrow scope. Owned by the runtime; valid during the callback that
 * receives it. */
typedef struct WgCAbiCx WgCAbiCx;

/* Section: calling exports */

/**
 * Finds export `name` of `instance` (a full name as
 * wg_wasm_component_func() gives it: `greet`, `wasi:cli/run@0.2.12#run`)
 * and checks its type against `type`, a WIT signature in the syntax of
 * wg_component_linker_define_func(). A versioned interface name also finds
 * a semver-compatible export (`@0.2.12` finds `@0.2.3`; the exact version
 * first, then the highest compatible one). On WG_OK `*out` is the function
 * (borrowed: owned by the store). WG_ERR_UNLINKABLE when there is no such
 * export or its type differs (the message names both types),
 * WG_ERR_UNSUPPORTED for an export the component re-exports from its
 * imports (call it through wg_component_func_call()).
 */
WG_API WgStatus wg_cabi_export(WgComponentInstance *instance, WgStr name,
                               WgStr type, WgComponentFunc **out,
                               WgDiagList *diags);

/**
 * Lowers the arguments of a call: writes the flat core values (the
 * function's flattened parameters, or one pointer to them in guest memory
 * when there are more than 16) to `flat` (room for 17) and their number to
 * `*count`. `data` is what wg_cabi_call() was given. False after a trap.
 */
typedef bool (*WgCAbiLowerFn)(WgCAbiCx *cx, void *data, WgVal *flat,
                              uint32_t *count);

/**
 * Lifts the result of a call from `flat` (the core function's result: the
 * value itself, or a pointer to it in guest memory when it does not fit
 * one core value). Called only for functions with a result, before the
 * post-return function runs. Whatever it builds must be safe to free
 * after a later trap. False after a trap.
 */
typedef bool (*WgCAbiLiftFn)(WgCAbiCx *cx, void *data, const WgVal *flat);

/**
 * Calls export `func` (from wg_cabi_export()): enters the instance, runs
 * `lower`, the core function, `lift` (when the function has a result), the
 * borrow check and post-return, and leaves, as wg_component_func_call()
 * does. Returns NULL on success or a trap the caller owns. A trap poisons
 * the instance, except a WG_TRAP_MISUSE trap raised by `lower` (a bad
 * value from the host), which leaves it usable.
 */
WG_API WgTrap *wg_cabi_call(WgComponentFunc *func, WgCAbiLowerFn lower,
                            WgCAbiLiftFn lift, void *data);

/* Section: implementing imports */

/**
 * A host function at the level of core values. `args` are the core
 * arguments of the import as the component lowers it (the flattened
 * parameters or a pointer to them, then the return pointer when the result
 * goes through memory); `results` has room for the core result. Return
 * NULL on success or a trap (ownership passes to the runtime), which
 * poisons the calling instance. Traps recorded in `cx` by the helpers are
 * taken with wg_cabi_take_trap().
 */
typedef WgTrap *(*WgCAbiHostFn)(void *env, WgCAbiCx *cx, const WgVal *args,
                                WgVal *results);

/**
 * Defines a host function at the level of core values under its WIT name,
 * as wg_component_linker_define_func() does (same names, semver matching,
 * replacement), with `type`, its WIT signature, required: it is checked
 * against the import at link time, so the flat signature `fn` is written
 * for is the one it is called with. WG_ERR_INVALID for a malformed name or
 * type, WG_ERR_MISUSE without a type, WG_ERR_NOMEM; on any error
 * `env_free` (when not NULL) has been called with `env`.
 */
WG_API WgStatus wg_component_linker_define_abi(WgComponentLinker *linker,
                                               WgStr name, WgStr type,
                                               WgCAbiHostFn fn, void *env,
                                               void (*env_free)(void *),
                                               WgDiagList *diags);

/** The call as witgen/component.h shows it to host functions (store,
 * calling instance, import name and type, wg_ccall_alloc()). Borrowed:
 * valid during the call. */
WG_API WgCCall *wg_cabi_ccall(WgCAbiCx *cx);

/** The trap recorded in `cx` (ownership passes to the caller; the context
 * no longer holds it), or a new "out of memory" trap when none was. */
WG_API WgTrap *wg_cabi_take_trap(WgCAbiCx *cx);

/* Section: traps and fuel */

/** Records a trap of `kind` with a formatted message (the first one wins).
 * Returns false. WG_TRAP_WASM for what a guest did wrong, WG_TRAP_MISUSE
 * for a bad value from the host. */
WG_API bool wg_cabi_fail(WgCAbiCx *cx, WgTrapKind kind, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Charges `units` of the store's fuel for copying (one per value or 8
 * bytes), and stops on the interrupt flag. False after a trap. */
WG_API bool wg_cabi_charge(WgCAbiCx *cx, uint64_t units);

/* Section: guest memory */

/**
 * A checked view of `size` bytes of guest memory at `ptr` (`align` a power
 * of two): traps unless the memory option is present, `ptr` is aligned and
 * [ptr, ptr + size) lies inside memory. On true `*out` points at the bytes
 * (little-endian values, as the Canonical ABI lays them out); valid until
 * guest code runs again (wg_cabi_realloc(), the lowering helpers).
 * `what` names the area in the message ("return area").
 */
WG_API bool wg_cabi_view(WgCAbiCx *cx, uint32_t ptr, uint32_t size,
                         uint32_t align, const char *what, uint8_t **out);

/**
 * Allocates `size` bytes aligned to `align` in guest memory with the
 * realloc option (`realloc(0, 0, align, size)`; no import may be called
 * meanwhile) and checks the result (aligned, inside memory). Views taken
 * before are invalid after it. False after a trap.
 */
WG_API bool wg_cabi_realloc(WgCAbiCx *cx, uint32_t size, uint32_t align,
                            uint32_t *out);

/**
 * `size` bytes of host memory from malloc for a lifted value (the caller
 * owns it: the generated `*_free` functions release it). The bytes one
 * call may lift are limited (512 MiB), so a guest cannot make the host
 * build more than that. NULL after a trap. `size` 0 gives a valid pointer
 * too.
 */
WG_API void *wg_cabi_malloc(WgCAbiCx *cx, size_t size);

/* Section: strings */

/**
 * Lowers the UTF-8 string s[0..len) into guest memory in the instance's
 * string encoding (UTF-8, UTF-16 or latin1+UTF-16, transcoding as the
 * Canonical ABI says, with its realloc calls): `*ptr` and `*units` (code
 * units; the latin1+UTF-16 tag included) are the core values. A string
 * that is not UTF-8 is a WG_TRAP_MISUSE trap (a host error).
 */
WG_API bool wg_cabi_lower_string(WgCAbiCx *cx, const uint8_t *s, size_t len,
                                 uint32_t *ptr, uint32_t *units);

/**
 * Lifts the string at `ptr` of `units` code units (the core values) from
 * guest memory: checks alignment, bounds, the length limit and the
 * encoding (well-formed UTF-8 or UTF-16) and copies it, as UTF-8, into
 * host memory from wg_cabi_malloc(): `*out` (never NULL) and `*out_len`
 * bytes, owned by the caller.
 */
WG_API bool wg_cabi_lift_string(WgCAbiCx *cx, uint32_t ptr, uint32_t units,
                                uint8_t **out, size_t *out_len);

/* Section: lists */

/**
 * Allocates a list of `count` elements of `elem_size` bytes (alignment
 * `elem_align`) in guest memory for lowering: checks the byte length,
 * charges fuel and calls realloc. `*ptr` is the first element; store the
 * elements through wg_cabi_view().
 */
WG_API bool wg_cabi_lower_list(WgCAbiCx *cx, size_t count, uint32_t elem_size,
                               uint32_t elem_align, uint32_t *ptr);

/**
 * A checked view of the list at `ptr` of `count` elements of `elem_size`
 * bytes (alignment `elem_align`) in guest memory, for lifting: checks the
 * length limit, alignment and bounds, and charges fuel. `*out` as for
 * wg_cabi_view() (never NULL, also for an empty list).
 */
WG_API bool wg_cabi_lift_list(WgCAbiCx *cx, uint32_t ptr, uint32_t count,
                              uint32_t elem_size, uint32_t elem_align,
                              const uint8_t **out);

/* Section: resource handles */

/**
 * A resource value on the host side. For a resource type the host
 * defines, `rep` is the representation the host chose and `gen` is 0. For
 * one a component defines, `rep` and `gen` are a host handle the runtime
 * made when the value left the component (as WgCVal's `res`); `type` is
 * the resource type either way.
 */
typedef struct WgCAbiHandle {
  WgCResourceType *type;
  uint32_t rep;
  uint32_t gen;
} WgCAbiHandle;

/*
 * Handles are found by position: `k` is the index of the handle type
 * (own<R> or borrow<R>) among those met walking the function's types in
 * order, depth first: each parameter in order, then the result; in a
 * record or tuple its members, in a variant its cases' payloads, in an
 * option its payload, in a result ok then error, in a list or fixed list
 * its element type once, in a map the key then the value. The runtime
 * knows the resource type of each from the component, so a handle of the
 * wrong type or one already moved is refused as the dynamic path refuses
 * it.
 */

/** Lifts handle index `handle` (a core value) of handle type `k`: an own
 * moves out of the guest's table, a borrow is lent for the call. */
WG_API bool wg_cabi_lift_handle(WgCAbiCx *cx, uint32_t k, uint32_t handle,
                                WgCAbiHandle *out);

/** Lowers `h` as handle type `k` into the guest's table; `*handle` is the
 * core value. An own of a resource a component defines moves back in
 * (the host handle is used up). `h.type` is checked for resources a
 * component defines (WG_TRAP_MISUSE on a mismatch) and ignored for those
 * the host defines. */
WG_API bool wg_cabi_lower_handle(WgCAbiCx *cx, uint32_t k, WgCAbiHandle h,
                                 uint32_t *handle);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_COMPONENT_ABI_H */
