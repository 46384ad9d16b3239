/* SPDX-License-Identifier: Apache-2.0 */
/* WIT from binaries: the type of a component, the `component-type:*`
 * custom section of a core module, or a WIT package encoded as a component
 * (wasm-tools' "wit package binary"), decoded back into WIT source text that
 * the ordinary front-end then resolves. */
#ifndef WG_PARSER_WIT_DECODE_H
#define WG_PARSER_WIT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when `bytes` start with the Wasm magic (core module or component). */
bool wit_decode_is_wasm(const uint8_t *bytes, size_t len);

/* Decodes `bytes` into WIT text: the main package first (`root:component`
 * with world `root` for a component; the package named by the type's
 * exports otherwise), then one nested `package … { }` block per foreign
 * package whose interfaces it refers to. Returns malloc'ed NUL-terminated
 * text the caller frees, or NULL with a message in `err` (256 bytes). */
char *wit_decode_to_text(const uint8_t *bytes, size_t len, char err[256]);

/* Like wit_decode_to_text() for the component-type sections of several
 * core modules (`count` of them, `lens[i]` bytes each) at once: their
 * worlds merged into the first one's. */
char *wit_decode_modules_to_text(const uint8_t *const *modules,
                                 const size_t *lens, size_t count,
                                 char err[256]);

#endif
