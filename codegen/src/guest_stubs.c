/* SPDX-License-Identifier: Apache-2.0 */
/* Trivial implementations of a world's exports (`witgen --stubs`): every
 * function returns a zeroed result, every resource representation is an
 * empty struct. For tests that must link a module without writing C. */
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "strbuf.h"

void guest_stub_func(Gen *g, const WgWitFunction *f, const char *cname) {
  WgBuf *b = &g->stubs;
  const char *rt = f->has_result ? ct_cname(&g->ct, f->result) : "void";
  if (!rt) return;
  wg_buf_printf(b, "%s %s(", rt, cname);
  for (size_t i = 0; i < f->params.count; i++) {
    const char *t = ct_cname(&g->ct, f->params.items[i].type);
    if (!t) return;
    wg_buf_printf(b, "%s%s p%zu", i ? ", " : "", t, i);
  }
  if (!f->params.count) wg_buf_puts(b, "void");
  wg_buf_puts(b, ") {\n");
  for (size_t i = 0; i < f->params.count; i++)
    wg_buf_printf(b, "  (void)p%zu;\n", i);
  if (f->has_result)
    wg_buf_printf(b, "  %s r;\n  memset(&r, 0, sizeof r);\n  return r;\n", rt);
  wg_buf_puts(b, "}\n\n");
}

void guest_stub_resource(Gen *g, const ResInfo *ri) {
  wg_buf_printf(&g->stubs,
                "struct %s {\n  int unused;\n};\n\n"
                "void %s(%s *rep) { (void)rep; }\n\n",
                ri->rep_struct, ri->dtor, ri->rep_t);
}
