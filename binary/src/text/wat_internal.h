/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the text format: the entry points the script reader (wast.c)
 * and the public functions (wat.c) share with the parsers. */
#ifndef WG_TEXT_WAT_INTERNAL_H
#define WG_TEXT_WAT_INTERNAL_H

#include "text.h"

/* Lexes `text` and sets up `p` (lex owns the tokens: wat_lex_free). On a
 * lexical error reports it and returns false (p is still usable for its
 * status). */
bool wat_parser_init(WatParser *p, WatLex *lex, WgStr text, const char *path,
                     WgDiagList *diags, WgArena *arena);

/* A whole text: `(module ...)`, `(component ...)` or module fields, up to
 * the end. */
bool wat_parse_text(WatParser *p, WgBuf *out, bool *is_component);

/* After `(module` or `(component`: header, `binary "..."` or fields, up to
 * (not including) the closing paren. *out_id receives the `$id`. */
bool wat_module_form(WatParser *p, bool component, WgStr *out_id,
                     bool *out_binary, WgBuf *out);

/* Component fields up to the closing paren (comp_parse.c). `id` is the
 * component's `$id` (outer aliases name it), `name` the name for its name
 * section (the id or an `(@name ...)`). */
bool wat_component(WatParser *p, WgStr id, WgStr name, bool has_name,
                   WgBuf *out);

#endif
