/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/common.h
 * Types shared by every layer of witgen: status codes, strings, allocators
 * and diagnostics. Every other public header includes this one.
 */
#ifndef WITGEN_COMMON_H
#define WITGEN_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define WG_API __declspec(dllexport)
#else
#define WG_API __attribute__((visibility("default")))
#endif

/* Section: Version */

/** The library version as "MAJOR.MINOR.PATCH". Borrowed: static storage. */
WG_API const char *wg_version(void);

/* Section: Status */

/**
 * Result of every fallible operation. WG_OK is 0; the error codes follow the
 * verdicts of the WebAssembly spec tests (malformed, invalid, unlinkable,
 * trap) so a test runner can compare them directly.
 */
typedef enum WgStatus {
  WG_OK = 0,
  WG_ERR_NOMEM,      /**< an allocation failed */
  WG_ERR_IO,         /**< a file could not be read or written */
  WG_ERR_MALFORMED,  /**< input does not decode / parse */
  WG_ERR_INVALID,    /**< input decodes but breaks a validity rule */
  WG_ERR_UNLINKABLE, /**< an import could not be satisfied */
  WG_ERR_TRAP,       /**< execution trapped */
  WG_ERR_LIMIT,      /**< a configured or built-in limit was exceeded */
  WG_ERR_MISUSE,     /**< the API was called incorrectly */
  WG_ERR_UNSUPPORTED /**< valid input using a feature not implemented yet */
} WgStatus;

/** A short English name of `status`. Borrowed: static storage. */
WG_API const char *wg_status_str(WgStatus status);

/* Section: Strings */

/**
 * A UTF-8 string slice. NOT NUL-terminated: always use `len`. A `const char *`
 * parameter elsewhere in the API means a NUL-terminated string and says so.
 */
typedef struct WgStr {
  const char *ptr;
  size_t len;
} WgStr;

/** A WgStr for a string literal. */
#define WG_STR(lit) ((WgStr){ (lit), sizeof(lit) - 1 })

/** A WgStr for a NUL-terminated C string (NULL gives the empty string). */
WG_API WgStr wg_str_from_cstr(const char *cstr);

/** True when `a` and `b` hold the same bytes. */
WG_API bool wg_str_eq(WgStr a, WgStr b);

/* Section: Allocation */

/**
 * A realloc-style allocation function, per context (never global):
 * `fn(user, NULL, 0, n)` allocates, `fn(user, p, old, n)` resizes and
 * `fn(user, p, old, 0)` frees (returning NULL). Returning NULL for n > 0
 * reports out-of-memory, which surfaces as WG_ERR_NOMEM.
 */
typedef void *(*WgAllocFn)(void *user, void *ptr, size_t old_size,
                           size_t new_size);

/** An allocator: function plus user pointer. A zeroed struct means malloc. */
typedef struct WgAllocator {
  WgAllocFn fn;
  void *user;
} WgAllocator;

/** The default allocator (malloc/realloc/free). */
WG_API WgAllocator wg_allocator_default(void);

/* Section: Arenas */

/**
 * A bump allocator: many small allocations freed all at once. The decoded
 * forms of the binary layer (core modules, components, resolved component
 * types) live in one; users only create and delete arenas to pass to those
 * functions. Opaque.
 */
typedef struct WgArena WgArena;

/** A new empty arena drawing from `allocator` (zeroed: malloc). Caller owns
 * the result; release with wg_arena_delete(). NULL on out-of-memory. */
WG_API WgArena *wg_arena_new(WgAllocator allocator);

/** Frees the arena and everything allocated from it. NULL does nothing. */
WG_API void wg_arena_delete(WgArena *arena);

/* Section: Byte buffers */

/**
 * A growable byte buffer: where the library writes binaries and text for
 * the caller (encoded components, generated code). Start from a zeroed
 * struct. `data` holds `len` bytes (kept NUL-terminated past `len` when not
 * empty, so text can be printed directly). Once an allocation fails,
 * `failed` is set and further appends are ignored: check it once at the end.
 * Caller owns the buffer's memory; release with wg_buf_free().
 */
typedef struct WgBuf {
  char *data;
  size_t len;
  size_t cap;
  bool failed;
} WgBuf;

/** Frees the bytes of `buf` and zeroes it (not `buf` itself). */
WG_API void wg_buf_free(WgBuf *buf);

/** Appends `len` bytes. */
WG_API void wg_buf_append(WgBuf *buf, const void *data, size_t len);

/**
 * Takes the bytes out, NUL-terminated; the buffer is left empty. Caller
 * owns the result; release with free(). `out_len` (may be NULL) receives
 * the length. NULL when the buffer failed (out of memory).
 */
WG_API char *wg_buf_take(WgBuf *buf, size_t *out_len);

/* Section: Diagnostics */

/** Severity of a diagnostic. */
typedef enum WgSeverity {
  WG_SEVERITY_ERROR = 0,
  WG_SEVERITY_WARNING,
  WG_SEVERITY_NOTE
} WgSeverity;

/**
 * A byte range in a source file. `file` is a path as given by the user;
 * line and column are computed from the bytes only when printing.
 */
typedef struct WgSpan {
  uint32_t file; /**< index into the WgDiagList's file table */
  uint32_t start;
  uint32_t end;
} WgSpan;

/**
 * One diagnostic: severity, status code, where, and message. Where is any
 * of: a span of a registered source file (text inputs such as WIT), a byte
 * offset (binary inputs), and the path of the WIT item at fault (e.g.
 * `wasi:http/types@0.2.0#[method]fields.get`), each present or not.
 */
typedef struct WgDiag {
  WgSeverity severity;
  WgStatus code;
  WgSpan span;
  bool has_span;
  bool has_offset;
  uint64_t offset; /**< byte offset in the binary input, when has_offset */
  char *wit_path;  /**< NUL-terminated, or NULL; owned by the list */
  char *message;   /**< NUL-terminated; owned by the list */
} WgDiag;

/** A caller-owned list of diagnostics, so one run can report many errors. */
typedef struct WgDiagList WgDiagList;

/** A new empty list. Caller owns the result; release with
 * wg_diag_list_delete(). */
WG_API WgDiagList *wg_diag_list_new(void);

/** Frees the list, its messages and its file copies. NULL does nothing. */
WG_API void wg_diag_list_delete(WgDiagList *list);

/**
 * Registers a source file so spans can be printed with line, column and a
 * caret excerpt. `path` is NUL-terminated. The text is copied. Returns the
 * file index for WgSpan.file.
 */
WG_API uint32_t wg_diag_list_add_file(WgDiagList *list, const char *path,
                                      WgStr text);

/**
 * Appends a diagnostic with a printf-style message. Every function that
 * adds to a list accepts NULL for it and then adds nothing, so a caller
 * that needs only the status may pass NULL wherever a WgDiagList is asked.
 */
WG_API void wg_diag_list_addf(WgDiagList *list, WgSeverity severity,
                              WgStatus code, const WgSpan *span,
                              const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/** wg_diag_list_addf() with a va_list. */
WG_API void wg_diag_list_vaddf(WgDiagList *list, WgSeverity severity,
                               WgStatus code, const WgSpan *span,
                               const char *fmt, va_list ap);

/** Appends an error at byte `offset` of a binary input. */
WG_API void wg_diag_list_add_at(WgDiagList *list, WgStatus code,
                                uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Appends an error about the WIT item `wit_path` (copied), e.g. an import
 * of a component that no export satisfies. */
WG_API void wg_diag_list_add_wit(WgDiagList *list, WgStatus code,
                                 WgStr wit_path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Number of diagnostics held. */
WG_API size_t wg_diag_list_count(const WgDiagList *list);

/** Number of diagnostics with severity WG_SEVERITY_ERROR. */
WG_API size_t wg_diag_list_error_count(const WgDiagList *list);

/** The message of the first error, NUL-terminated, or "" when the list
 * holds none. Borrowed: valid until the list changes. */
WG_API const char *wg_diag_list_first_error(const WgDiagList *list);

/** The i-th diagnostic. Borrowed: valid until the list changes. */
WG_API const WgDiag *wg_diag_list_get(const WgDiagList *list, size_t i);

/**
 * Renders every diagnostic compiler-style into `out` (a FILE *, passed as
 * void * to keep stdio out of this header):
 *
 *     path:line:col: error: message
 *       12 |   record foo-bar {
 *          |          ^~~~~~~
 *
 * A diagnostic at a byte offset prints as `offset 0x1f: error: message`,
 * one with a WIT path adds a line `  in `wasi:cli/stdout@0.2.0#get-stdout``.
 */
WG_API void wg_diag_list_print(const WgDiagList *list, void *out);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_COMMON_H */
