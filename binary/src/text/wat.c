/* SPDX-License-Identifier: Apache-2.0 */
/* Entry points of the text format (witgen/wat.h): a whole text is a
 * `(module ...)`, a `(component ...)`, or the fields of a module without
 * the wrapper. The module header (id, `(@name ...)`, `binary "..."`) is read
 * here; fields go to the core or component parser. */
#include <string.h>

#include "core.h"
#include "print.h"
#include "text.h"
#include "wat_internal.h"
#include "witgen/wat.h"

/* `$id? (@name "..")?` after `module` / `component`. */
static bool header(WatParser *p, WgStr *id, WgStr *name, bool *has_name) {
  *has_name = false;
  *id = (WgStr){ NULL, 0 };
  if (wat_peek(p)->kind == WAT_ID) {
    *id = wat_id_name(p, wat_peek(p));
    if (!id->ptr) return false;
    *name = *id;
    *has_name = true;
    p->pos++;
  }
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_ANNOT && t->len == 4 &&
      !memcmp(p->text + t->start, "name", 4)) {
    p->pos++;
    if (wat_peek(p)->kind != WAT_STRING) return wat_error(p, "expected a name");
    *name = wat_string(p, wat_peek(p));
    if (!name->ptr) return false;
    *has_name = true;
    p->pos++;
    if (!wat_expect_rparen(p)) return false;
  }
  return true;
}

/* `binary "..."*`: the strings' bytes are the binary. */
static bool binary_strings(WatParser *p, WgBuf *out) {
  while (wat_peek(p)->kind == WAT_STRING) {
    wat_string_decode(p, wat_peek(p), out);
    p->pos++;
  }
  if (!wat_at_close(p))
    return wat_error(p, "unexpected token, expected a string");
  return true;
}

bool wat_module_form(WatParser *p, bool component, WgStr *out_id,
                     bool *out_binary, WgBuf *out) {
  WgStr id, name;
  bool has_name;
  if (!header(p, &id, &name, &has_name)) return false;
  if (out_id) *out_id = id;
  if (out_binary) *out_binary = false;
  if (wat_accept_kw(p, "binary")) {
    if (out_binary) *out_binary = true;
    return binary_strings(p, out);
  }
  if (component) return wat_component(p, id, name, has_name, out);
  return wat_core_module(p, name, has_name, out);
}

bool wat_parse_text(WatParser *p, WgBuf *out, bool *is_component) {
  *is_component = false;
  bool ok;
  if (wat_peek_form(p, "module") || wat_peek_form(p, "component")) {
    *is_component = wat_peek_form(p, "component");
    p->pos += 2;
    ok = wat_module_form(p, *is_component, NULL, NULL, out) &&
         wat_expect_rparen(p);
    if (ok && wat_peek(p)->kind != WAT_EOF)
      ok = wat_error(p, "unexpected token after the module");
  } else {
    ok = wat_core_module(p, (WgStr){ NULL, 0 }, false, out);
    if (ok && wat_peek(p)->kind != WAT_EOF)
      ok = wat_error(p, "unexpected token");
  }
  return ok;
}

bool wat_parser_init(WatParser *p, WatLex *lex, WgStr text, const char *path,
                     WgDiagList *diags, WgArena *arena) {
  memset(p, 0, sizeof *p);
  p->text = text.ptr;
  p->len = text.len;
  p->diags = diags;
  p->path = path;
  p->file = UINT32_MAX;
  p->arena = arena;
  uint32_t es, ee;
  const char *msg;
  if (!wat_lex(text.ptr, text.len, lex, &es, &ee, &msg)) {
    static const WatTok eof = { WAT_EOF, 0, 0, 0, 0 };
    p->toks = &eof;
    p->count = 1;
    wat_error_span(p, es, ee, "%s", msg);
    if (!strcmp(msg, "out of memory")) p->status = WG_ERR_NOMEM;
    return false;
  }
  p->toks = lex->toks;
  p->count = lex->count;
  return true;
}

WgStatus wg_wat_parse(WgStr text, const char *path, WgDiagList *diags,
                      WgBuf *out) {
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  WatParser p;
  WatLex lex;
  size_t start = out->len;
  bool ok =
      wat_parser_init(&p, &lex, text, path ? path : "<input>", diags, &arena);
  bool is_component;
  if (ok) ok = wat_parse_text(&p, out, &is_component);
  WgStatus st = WG_OK;
  if (!ok) {
    st = p.failed ? p.status : WG_ERR_MALFORMED;
    out->len = start;
    if (out->data) out->data[start] = '\0';
  } else if (out->failed) {
    st = WG_ERR_NOMEM;
  }
  wat_lex_free(&lex);
  wg_arena_release(&arena);
  return st;
}

WgStatus wg_wat_print(const uint8_t *bytes, size_t len, WgDiagList *diags,
                      WgBuf *out) {
  size_t start = out->len;
  bool ok;
  if (len >= 8 && !memcmp(bytes, "\0asm", 4) && bytes[6] == 1 &&
      bytes[7] == 0) {
    ok = pr_component(out, bytes, len, 0, NULL, diags, 0);
  } else {
    ok = pr_core_module(out, bytes, len, 0, NULL, diags, 0);
  }
  if (!ok) {
    out->len = start;
    return WG_ERR_MALFORMED;
  }
  wg_buf_putc(out, '\n');
  return out->failed ? WG_ERR_NOMEM : WG_OK;
}
