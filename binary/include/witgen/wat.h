/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/wat.h
 * The WebAssembly text format: core modules and components in and out, and
 * spec-test scripts (`.wast`).
 *
 *  - wg_wat_parse() encodes text (`(module ...)`, `(component ...)`, or the
 *    fields of a module without the `(module ...)` wrapper) into a binary,
 *    laid out as wasm-tools lays out the same text: type uses add types
 *    after the explicit ones, a name section carries the identifiers, and
 *    so on. The text is the core text format of WebAssembly 2.0 (SIMD
 *    included) with multi-memory, plus the component text format.
 *  - wg_wat_print() prints a core module or a component binary as text in
 *    the layout wasm-tools prints (names from the name section when there
 *    is one); parsing that text gives the same binary back.
 *  - wg_wast_parse() reads a spec-test script into commands whose modules
 *    are already encoded, for a runner to execute (`witgen wast`).
 *
 * Errors: every function returns WG_OK, WG_ERR_MALFORMED (the input does
 * not parse or decode), WG_ERR_NOMEM or WG_ERR_LIMIT, and adds located
 * diagnostics to the caller's WgDiagList (may be NULL): text errors carry a
 * span of the file registered under `path` (printed `path:line:col` with a
 * caret), binary errors a byte offset.
 */
#ifndef WITGEN_WAT_H
#define WITGEN_WAT_H

#include "witgen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Text to binary */

/**
 * Encodes the text `text` (a module or a component) and appends the binary
 * to `out` (a zeroed WgBuf or one already holding bytes). `path`
 * (NUL-terminated, may be NULL for "<input>") names the text in
 * diagnostics; the text is registered in `diags` when an error is
 * reported. The text is only read during the call. On error nothing is
 * appended. Caller owns `out`'s memory (wg_buf_free()).
 */
WG_API WgStatus wg_wat_parse(WgStr text, const char *path, WgDiagList *diags,
                             WgBuf *out);

/* Section: Binary to text */

/**
 * Appends the text of the binary `bytes` (a core module or a component) to
 * `out`, ending with a newline. The binary must decode (it need not
 * validate); on WG_ERR_MALFORMED nothing useful is appended and `diags`
 * says where decoding failed. Caller owns `out`'s memory.
 */
WG_API WgStatus wg_wat_print(const uint8_t *bytes, size_t len,
                             WgDiagList *diags, WgBuf *out);

/* Section: Spec-test scripts */

/** What a script command does. */
typedef enum WgWastKind {
  WG_WAST_MODULE,            /**< define and instantiate a module */
  WG_WAST_MODULE_DEFINITION, /**< `(module definition $m ...)`: define */
  WG_WAST_MODULE_INSTANCE,   /**< `(module instance $i $m)` */
  WG_WAST_REGISTER,          /**< `(register "name" $m?)` */
  WG_WAST_ACTION,            /**< a bare `(invoke ...)` or `(get ...)` */
  WG_WAST_ASSERT_RETURN,
  WG_WAST_ASSERT_TRAP, /**< of an action, or of instantiating `module` */
  WG_WAST_ASSERT_EXHAUSTION,
  WG_WAST_ASSERT_INVALID,
  WG_WAST_ASSERT_MALFORMED,
  WG_WAST_ASSERT_UNLINKABLE,
  WG_WAST_ASSERT_UNINSTANTIABLE,
  WG_WAST_OTHER, /**< a command this version does not run (its name in
                      `name`: assert_exception, thread, ...) */
} WgWastKind;

/** A module or component of a command, encoded. */
typedef struct WgWastModule {
  bool is_component;
  bool is_quote;  /**< written `(module quote "...")` */
  bool is_binary; /**< written `(module binary "...")` */
  WgStr id;       /**< `$id` without the `$`; empty when absent */
  WgStr source;   /**< the module's text as written: the whole form, or
                       for `quote` the text the strings make */
  /** WG_OK: `bytes` holds the binary. Otherwise the text did not parse
   * (e.g. a quoted module in assert_malformed) and `error` says why. */
  WgStatus status;
  const uint8_t *bytes;
  size_t len;
  const char *error; /**< NUL-terminated; "" when status is WG_OK */
} WgWastModule;

/** Kinds of constant values in actions and expected results. */
typedef enum WgWastValKind {
  WG_WAST_I32,
  WG_WAST_I64,
  WG_WAST_F32,
  WG_WAST_F64,
  WG_WAST_V128,
  WG_WAST_REF_NULL,   /**< `heap` is 0x70 (func) or 0x6f (extern) */
  WG_WAST_REF_EXTERN, /**< `bits` = N of (ref.extern N); results may omit
                           N (`has_bits` false: any non-null) */
  WG_WAST_REF_FUNC,   /**< results: any non-null funcref */
  WG_WAST_COMPONENT,  /**< a component value (str.const, record.const...):
                           kept as its source text in `text` */
} WgWastValKind;

/** NaN patterns of expected float results (per lane for vectors). */
enum { WG_WAST_NAN_NONE = 0, WG_WAST_NAN_CANONICAL, WG_WAST_NAN_ARITHMETIC };

/** A constant value. */
typedef struct WgWastValue {
  WgWastValKind kind;
  uint64_t bits;       /**< i32/i64 (two's complement), f32/f64 bit pattern,
                            ref.extern N */
  bool has_bits;       /**< for REF_EXTERN */
  uint8_t nan;         /**< f32/f64 results: WG_WAST_NAN_* */
  uint8_t heap;        /**< REF_NULL */
  uint8_t lane_bits;   /**< V128: 8, 16, 32 or 64 */
  bool lane_float;     /**< V128: f32x4 / f64x2 */
  uint8_t lane_nan[4]; /**< V128 float lanes: WG_WAST_NAN_* */
  uint8_t v128[16];    /**< V128: little-endian lanes */
  WgStr text;          /**< the value as written, `(` to `)` (every kind:
                            a component value is read from it) */
} WgWastValue;

/** An `(invoke $m? "name" args...)` or `(get $m? "name")`. */
typedef struct WgWastAction {
  bool is_get;
  WgStr module; /**< `$m` without `$`; empty: the latest module */
  WgStr name;   /**< export name (may hold any bytes) */
  size_t arg_count;
  const WgWastValue *args;
} WgWastAction;

/** One command of a script. Everything it points to is owned by the
 * WgWast it came from. */
typedef struct WgWastCommand {
  WgWastKind kind;
  uint32_t line; /**< 1-based line of the command's `(` */
  WgStr name;    /**< the command keyword as written */
  bool has_module;
  WgWastModule module; /**< module commands and module assertions; for
                            register and module instance only `id` (the
                            module named, empty: the latest) */
  bool has_action;
  WgWastAction action;
  size_t result_count; /**< assert_return */
  const WgWastValue *results;
  WgStr text;        /**< expected message of assertions */
  WgStr register_as; /**< register: the name to register under */
  WgStr instance;    /**< module instance: the new instance's `$id` */
} WgWastCommand;

/** A parsed script. Opaque. */
typedef struct WgWast WgWast;

/**
 * Parses the script `text`: its commands in order, each module encoded
 * (modules that do not parse are kept with their error, as assert_malformed
 * expects). WG_ERR_MALFORMED when the script itself is not well formed
 * (diagnostics located in `path`). On WG_OK *out is a script the caller
 * owns; release with wg_wast_delete(). The text is copied.
 */
WG_API WgStatus wg_wast_parse(WgStr text, const char *path, WgDiagList *diags,
                              WgWast **out);

/** Number of commands. */
WG_API size_t wg_wast_count(const WgWast *wast);

/** Command `i`. Borrowed: valid until wg_wast_delete(). */
WG_API const WgWastCommand *wg_wast_command(const WgWast *wast, size_t i);

/** Frees a script. NULL does nothing. */
WG_API void wg_wast_delete(WgWast *wast);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_WAT_H */
